using System.Net;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// The placement page as a browser without JavaScript uses it: typed page and coordinates in a
/// plain form post, checked against the document's real page boxes.
/// </summary>
[Collection(Browser.PlacementCollection.Name)]
public sealed class SealPlacementPageTests(Browser.PlacementHarnessFixture fixture)
{
    private SealPortalFactory Portal => fixture.Portal;

    private const string Seal = "公司电子公章";
    private static readonly byte[] ThreePages = PdfTestKit.ClassicPdf(3);
    private static readonly byte[] Landscape = PdfTestKit.ClassicPdf(2, rotate: 90);

    /// <summary>A cookie-keeping client on the fixture's Kestrel, signed in, reading English pages.</summary>
    private async Task<PortalClient> SignInAsync(string userName)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = fixture.BaseAddress,
        };
        http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var client = new PortalClient(http);
        var response = await client.SignInAsync(userName, SealPortalFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private Task<PortalClient> ApplicantAsync() => SignInAsync("applicant");

    private static Dictionary<string, object> Place(int index, string page, string x, string y, string w, string h, bool cross = false)
    {
        var values = new Dictionary<string, object>
        {
            [$"Placements[{index}].Page"] = page,
            [$"Placements[{index}].X"] = x,
            [$"Placements[{index}].Y"] = y,
            [$"Placements[{index}].Width"] = w,
            [$"Placements[{index}].Height"] = h,
        };
        if (cross)
            values[$"Placements[{index}].CrossPage"] = "true";
        return values;
    }

    [Fact]
    public async Task The_applicant_types_a_placement_and_it_is_saved_and_shown_again()
    {
        var id = await RequestSeeding.DraftAsync(Portal.Services, [Seal, "公司公章"], ("contract.pdf", ThreePages));
        using var client = await ApplicantAsync();
        var url = $"/requests/{id}/placement";

        var page = await client.GetDocumentAsync(url);
        // Only the electronic seal is placed by the portal; the physical 公司公章 gets no fields.
        Assert.Single(page.QuerySelectorAll("[data-placement-row]"));
        Assert.Contains(Seal, page.QuerySelector("[data-placement-row]")!.TextContent);
        Assert.Equal($"/requests/{id}/documents/{page.QuerySelector("[data-document-id]")!.GetAttribute("data-document-id")}/original",
            page.QuerySelector("[data-pdf-viewer]")!.GetAttribute("data-pdf-viewer"));

        var response = await client.SubmitNamedFormAsync(url, "placements", Place(0, "2", "400.5", "60", "110", "110"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("Placements saved.", html);

        var rows = (await RequestSeeding.PlacementsAsync(Portal.Services, id)).Where(r => r.Page is not null).ToList();
        var row = Assert.Single(rows);
        Assert.Equal((2, 400.5, 60.0, 110.0, 110.0, false), (row.Page!.Value, row.X!.Value, row.Y!.Value, row.Width!.Value, row.Height!.Value, row.CrossPage));

        page = await client.GetDocumentAsync(url);
        Assert.Equal("2", page.QuerySelector("[name='Placements[0].Page']")!.GetAttribute("value"));
        Assert.Equal("400.5", page.QuerySelector("[name='Placements[0].X']")!.GetAttribute("value"));
    }

    [Theory]
    [InlineData("4", "100", "100", "110", "110", "page 4 does not exist; the document has 3 pages")]
    [InlineData("0", "100", "100", "110", "110", "page 0 does not exist")]
    [InlineData("1", "500", "100", "110", "110", "the seal must lie inside the page (595 × 842 points)")]
    [InlineData("1", "100", "800", "110", "110", "the seal must lie inside the page")]
    [InlineData("1", "-5", "100", "110", "110", "the seal must lie inside the page")]
    [InlineData("1", "100", "100", "0", "110", "the width and height must be positive")]
    [InlineData("1", "100", "100", "-20", "110", "the width and height must be positive")]
    [InlineData("1", "abc", "100", "110", "110", "enter the page, X, Y, width and height as numbers")]
    [InlineData("1", "100", "", "110", "110", "enter the page, X, Y, width and height as numbers")]
    [InlineData("1", "NaN", "100", "110", "110", "enter the page, X, Y, width and height as numbers")]
    public async Task Invalid_coordinates_are_refused_with_a_message_and_the_typed_values_kept(string p, string x, string y, string w, string h, string expected)
    {
        var id = await RequestSeeding.DraftAsync(Portal.Services, [Seal], ("contract.pdf", ThreePages));
        using var client = await ApplicantAsync();
        var url = $"/requests/{id}/placement";

        var response = await client.SubmitNamedFormAsync(url, "placements", Place(0, p, x, y, w, h));

        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {html}");
        var page = await PortalClient.ParseAsync(html);
        Assert.Contains(expected, page.QuerySelector("[data-testid=error]")!.TextContent);
        Assert.Contains("contract.pdf", page.QuerySelector("[data-testid=error]")!.TextContent);
        Assert.Equal(x, page.QuerySelector("[name='Placements[0].X']")!.GetAttribute("value") ?? "");
        Assert.Equal(p, page.QuerySelector("[name='Placements[0].Page']")!.GetAttribute("value") ?? "");
        Assert.DoesNotContain(await RequestSeeding.PlacementsAsync(Portal.Services, id), r => r.Page is not null);
    }

    [Fact]
    public async Task On_a_page_turned_a_quarter_the_box_is_the_page_as_shown()
    {
        var id = await RequestSeeding.DraftAsync(Portal.Services, [Seal], ("landscape.pdf", Landscape));
        using var client = await ApplicantAsync();
        var url = $"/requests/{id}/placement";

        // 842 × 595 as shown: x 700 + 110 fits the width, y 500 + 110 does not fit the height.
        var refused = await client.SubmitNamedFormAsync(url, "placements", Place(0, "1", "700", "500", "110", "110"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("(842 × 595 points)", await refused.Content.ReadAsStringAsync());

        var saved = await client.SubmitNamedFormAsync(url, "placements", Place(0, "1", "700", "400", "110", "110"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var row = Assert.Single(await RequestSeeding.PlacementsAsync(Portal.Services, id), r => r.Page is not null);
        Assert.Equal(700, row.X);
    }

    [Fact]
    public async Task A_cross_page_seal_is_stored_on_the_right_edge_and_an_empty_row_is_no_placement()
    {
        var id = await RequestSeeding.DraftAsync(Portal.Services, [Seal], ("a.pdf", ThreePages), ("b.pdf", ThreePages));
        using var client = await ApplicantAsync();

        var response = await client.SubmitNamedFormAsync($"/requests/{id}/placement", "placements", Place(0, "1", "12", "300", "120", "120", cross: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = await RequestSeeding.PlacementsAsync(Portal.Services, id);
        var row = Assert.Single(rows, r => r.Page is not null);
        Assert.True(row.CrossPage);
        Assert.Equal(595 - 120, row.X);
        Assert.Equal(300, row.Y);
    }

    [Fact]
    public async Task Someone_else_may_not_place_the_applicants_seals()
    {
        var id = await RequestSeeding.DraftAsync(Portal.Services, [Seal], ("contract.pdf", ThreePages));
        using var head = await SignInAsync("depthead");

        var response = await head.GetAsync($"/requests/{id}/placement");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("name=\"Placements[0].Page\"", await response.Content.ReadAsStringAsync());
        // A request that does not exist is a plain 404; only an existing one someone may not see is a 403.
        var missing = await head.GetAsync("/requests/999999/placement");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
