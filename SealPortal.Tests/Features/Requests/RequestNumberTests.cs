using SealPortal.Features.Requests;

namespace SealPortal.Tests.Features.Requests;

public sealed class RequestNumberTests
{
    private static readonly DateTimeOffset In2026 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_number_of_a_year_is_00001() =>
        Assert.Equal("26-00001", RequestNumbers.Next(In2026, null));

    [Theory]
    [InlineData("26-00001", "26-00002")]
    [InlineData("26-00099", "26-00100")]
    [InlineData("26-09999", "26-10000")]
    public void The_next_number_follows_the_highest(string last, string expected) =>
        Assert.Equal(expected, RequestNumbers.Next(In2026, last));

    [Fact]
    public void A_new_year_starts_again_in_the_time_zone_of_the_moment_given()
    {
        // 1 January 2027 00:30 in Beijing is still 31 December 2026 in UTC.
        var newYearInBeijing = new DateTimeOffset(2027, 1, 1, 0, 30, 0, TimeSpan.FromHours(8));
        Assert.Equal("27-00001", RequestNumbers.Next(newYearInBeijing, null));
        Assert.Equal("26-", RequestNumbers.Prefix(newYearInBeijing.ToUniversalTime()));
    }

    [Fact]
    public void A_number_of_another_year_or_a_garbled_one_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RequestNumbers.Next(In2026, "25-00007"));
        Assert.Throws<ArgumentException>(() => RequestNumbers.Next(In2026, "26-12a45"));
    }

    [Fact]
    public void A_full_year_says_so_instead_of_growing_a_sixth_digit() =>
        Assert.Throws<InvalidOperationException>(() => RequestNumbers.Next(In2026, "26-99999"));
}
