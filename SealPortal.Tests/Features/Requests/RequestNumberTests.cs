using SealPortal.Features.Requests;

namespace SealPortal.Tests.Features.Requests;

public sealed class RequestNumberTests
{
    private static readonly DateTimeOffset In2026 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, "26-00001")]
    [InlineData(100, "26-00100")]
    [InlineData(10000, "26-10000")]
    public void The_sequence_is_written_in_five_digits_after_the_year(int sequence, string expected) =>
        Assert.Equal(expected, RequestNumbers.Format(In2026, sequence));

    [Fact]
    public void A_new_year_starts_again_in_the_time_zone_of_the_moment_given()
    {
        // 1 January 2027 00:30 in Beijing is still 31 December 2026 in UTC.
        var newYearInBeijing = new DateTimeOffset(2027, 1, 1, 0, 30, 0, TimeSpan.FromHours(8));
        Assert.Equal("27-00001", RequestNumbers.Format(newYearInBeijing, 1));
        Assert.Equal("26-", RequestNumbers.Prefix(newYearInBeijing.ToUniversalTime()));
    }

    [Fact]
    public void A_full_year_says_so_instead_of_growing_a_sixth_digit() =>
        Assert.Throws<InvalidOperationException>(() => RequestNumbers.Format(In2026, 100_000));
}
