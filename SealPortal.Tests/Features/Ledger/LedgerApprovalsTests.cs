using System.Text;
using SealPortal.Features.Ledger;

namespace SealPortal.Tests.Features.Ledger;

public class LedgerApprovalsTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 4, 9, 30, 15, 123, TimeSpan.FromHours(8));

    [Fact]
    public void Describe_reads_the_stored_json_into_names_and_utc_seconds_as_the_parsed_approvals_give()
    {
        IReadOnlyList<LedgerApproval> approvers =
        [
            new("u1", "王芳 Wang Fang", T),
            new(null, "O'Brien, \"the\" boss", T.AddHours(30)),
            new("u3", "; {\"name\":\"x\"}", T.AddDays(400)),
        ];
        var json = LedgerApprovals.ToJson(approvers);
        var expected = string.Join("; ", LedgerApprovals.FromJson(json).Select(a => $"{a.Name} {LedgerExport.Time(a.At.UtcDateTime)}"));

        var described = LedgerApprovals.Describe(json, new StringBuilder("prefix|")).ToString();

        Assert.Equal("prefix|" + expected, described);
        Assert.StartsWith("prefix|王芳 Wang Fang 2026-03-04 01:30:15Z; O'Brien, \"the\" boss 2026-03-05 07:30:15Z; ", described);
    }

    [Theory]
    [InlineData("[]", "")]
    [InlineData("not json", "")]
    [InlineData("[{\"userId\":\"u\",\"name\":\"A\",\"at\":\"2026-01-02T03:04:05.000000Z\"},", "")]
    [InlineData("[{\"name\":7}]", "")]
    public void Describe_shows_nothing_for_empty_or_damaged_json_and_keeps_what_was_there_before(string json, string expected)
    {
        Assert.Equal("before" + expected, LedgerApprovals.Describe(json, new StringBuilder("before")).ToString());
    }
}
