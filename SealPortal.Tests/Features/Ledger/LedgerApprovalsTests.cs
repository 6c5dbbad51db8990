using System.Text;
using Microsoft.Extensions.Options;
using SealPortal.Features;
using SealPortal.Features.Ledger;

namespace SealPortal.Tests.Features.Ledger;

public class LedgerApprovalsTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 4, 9, 30, 15, 123, TimeSpan.FromHours(8));

    private static CompanyTime Zone(string id) => new(Options.Create(new CompanyOptions { TimeZone = id }), TimeProvider.System);

    [Fact]
    public void Describe_reads_the_stored_json_into_names_and_company_times_as_the_parsed_approvals_give()
    {
        IReadOnlyList<LedgerApproval> approvers =
        [
            new("u1", "王芳 Wang Fang", T),
            new(null, "O'Brien, \"the\" boss", T.AddHours(30)),
            new("u3", "; {\"name\":\"x\"}", T.AddDays(400)),
        ];
        var json = LedgerApprovals.ToJson(approvers);
        var shanghai = Zone("Asia/Shanghai");
        var expected = string.Join("; ", LedgerApprovals.FromJson(json).Select(a => $"{a.Name} {shanghai.Iso(a.At)}"));

        var described = LedgerApprovals.Describe(json, new StringBuilder("prefix|"), shanghai.Iso).ToString();

        Assert.Equal("prefix|" + expected, described);
        // Stored as 01:30:15 UTC; written in company time with its offset, to the second.
        Assert.StartsWith("prefix|王芳 Wang Fang 2026-03-04T09:30:15+08:00; O'Brien, \"the\" boss 2026-03-05T15:30:15+08:00; ", described);
        // Another company's zone gives another wall-clock time for the same stored instants.
        Assert.StartsWith("王芳 Wang Fang 2026-03-04T02:30:15+01:00; ", LedgerApprovals.Describe(json, new StringBuilder(), Zone("Europe/Berlin").Iso).ToString());
    }

    [Theory]
    [InlineData("[]", "")]
    [InlineData("not json", "")]
    [InlineData("[{\"userId\":\"u\",\"name\":\"A\",\"at\":\"2026-01-02T03:04:05.000000Z\"},", "")]
    [InlineData("[{\"name\":7}]", "")]
    public void Describe_shows_nothing_for_empty_or_damaged_json_and_keeps_what_was_there_before(string json, string expected)
    {
        Assert.Equal("before" + expected, LedgerApprovals.Describe(json, new StringBuilder("before"), Zone("Asia/Shanghai").Iso).ToString());
    }
}
