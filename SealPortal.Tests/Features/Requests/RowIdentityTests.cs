using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features;
using SealPortal.Features.Requests;
using SealPortal.Tests.Features.Sealing;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// MudDataGrid keys its rows by item: a page read again (a sort click, a live update) keeps the elements of every row
/// that equals one shown before and only moves them. A record with a list member would never equal its re-read copy
/// (the list compares by reference), so every row was drawn anew on every click.
/// </summary>
public sealed class RowIdentityTests(SealingPortal portal) : IClassFixture<SealingPortal>
{
    [Fact]
    public async Task My_requests_read_twice_are_equal_rows_and_a_changed_row_is_not()
    {
        var seal = await portal.SealIdAsync(SealingPortal.PhysicalSeal);
        await SealRequestKit.SubmitAsync(portal, [seal], [PdfTestKit.ClassicPdf(1)]);
        await SealRequestKit.SubmitAsync(portal, [seal], [PdfTestKit.ClassicPdf(1)]);
        var applicant = await SealRequestKit.UserIdAsync(portal, "applicant");
        var queries = portal.Services.GetRequiredService<RequestQueries>();

        var first = await queries.MineAsync(applicant, ListQuery.Of(new GridPageRequest("Number", Descending: true), null));
        var again = await queries.MineAsync(applicant, ListQuery.Of(new GridPageRequest("Number", Descending: false), null));

        Assert.True(first.Items.Count >= 2);
        Assert.All(first.Items, row => Assert.NotEmpty(row.SealNames));
        foreach (var row in first.Items)
        {
            var same = Assert.Single(again.Items, r => r.Id == row.Id);
            Assert.NotSame(row, same);
            Assert.Equal(row, same);
            Assert.Equal(row.GetHashCode(), same.GetHashCode());
        }
        var row0 = first.Items[0];
        Assert.NotEqual(row0, row0 with { Status = SealRequestStatus.Completed });
        Assert.NotEqual(row0, row0 with { SealNames = new ValueList<string>([.. row0.SealNames, "another seal"]) });
    }

    [Fact]
    public void A_value_list_equals_one_with_the_same_items_in_the_same_order()
    {
        ValueList<string> a = new(["公司公章", "合同专用章"]);
        Assert.Equal(a, new ValueList<string>(["公司公章", "合同专用章"]));
        Assert.Equal(a.GetHashCode(), new ValueList<string>(["公司公章", "合同专用章"]).GetHashCode());
        Assert.NotEqual(a, new ValueList<string>(["合同专用章", "公司公章"]));
        Assert.NotEqual(a, new ValueList<string>(["公司公章"]));
        Assert.Equal(["公司公章", "合同专用章"], a);
    }
}
