using System.Net;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// The portal for the request editor: the sample certificates (so the electronic seals can be placed),
/// a 1 MB upload limit (so an oversized file is cheap to make) and PDFs with active content refused.
/// </summary>
public sealed class EditorPortal : SealPortalFactory
{
    public const long MaxUploadBytes = 1024 * 1024;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(RequestSeeding.SampleCertificates)
    {
        ["Seed:SealImages"] = "false",
        ["Requests:MaxUploadBytes"] = MaxUploadBytes.ToString(),
        ["Requests:MaxTotalUploadBytes"] = (4 * MaxUploadBytes).ToString(),
        ["Requests:RefuseActiveContent"] = "true",
    };
}

/// <summary>
/// The request editor (new request, draft, placement and submit on one interactive page), in bUnit over a
/// real portal: every upload refusal names the file and its reason and loses nothing else; placements are
/// checked against the documents' real page boxes; and only the applicant works on their own request.
/// </summary>
public sealed class RequestEditorTests(EditorPortal portal) : IClassFixture<EditorPortal>
{
    private const string ElectronicSeal = "公司电子公章";
    private const string PhysicalSeal = "公司公章";
    private static readonly byte[] OnePage = PdfTestKit.ClassicPdf(1);
    private static readonly byte[] ThreePages = PdfTestKit.ClassicPdf(3);
    private static readonly byte[] Landscape = PdfTestKit.ClassicPdf(2, rotate: 90);

    // ------------------------------------------------------------------ helpers

    private async Task<PortalComponents> SignedInAsync(string userName)
    {
        var ui = await PortalComponents.SignedInAsync(portal, userName);
        ui.Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return ui;
    }

    private static IRenderedComponent<RequestEditor> Open(PortalComponents ui, int? id = null)
    {
        var host = ui.Context.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<RequestEditor>(1);
            if (id is not null)
                b.AddAttribute(2, nameof(RequestEditor.Id), id);
            b.CloseComponent();
        });
        var editor = host.FindComponent<RequestEditor>();
        editor.WaitForAssertion(() => Assert.Empty(editor.FindAll("[data-testid=loading]")), TimeSpan.FromSeconds(20));
        return editor;
    }

    private static async Task UploadAsync(IRenderedComponent<RequestEditor> page, params (string Name, byte[] Bytes)[] files)
    {
        var before = page.FindAll("[data-testid=file]").Count;
        page.FindComponent<InputFile>().UploadFiles(
            files.Select(f => InputFileContent.CreateFromBinary(f.Bytes, f.Name, contentType: "application/pdf")).ToArray());
        await Task.Yield();
        page.WaitForAssertion(() =>
        {
            var entries = page.FindAll("[data-testid=file]");
            Assert.Equal(before + files.Length, entries.Count);
            Assert.DoesNotContain(entries, e => e.GetAttribute("data-state") == "Uploading");
        }, TimeSpan.FromSeconds(20));
    }

    private static IElement FileEntry(IRenderedComponent<RequestEditor> page, string name) =>
        page.FindAll("[data-testid=file]").Last(e => e.GetAttribute("data-file-name") == name);

    private static async Task TypePurposeAsync(IRenderedComponent<RequestEditor> page, string text) =>
        await page.Find("textarea[data-testid=purpose]").ChangeAsync(new ChangeEventArgs { Value = text });

    private static async Task ChooseSealAsync(IRenderedComponent<RequestEditor> page, string seal) =>
        await page.Find($"[data-seal='{seal}'] input[type=checkbox]").ChangeAsync(new ChangeEventArgs { Value = true });

    private static async Task ClickAsync(IRenderedComponent<RequestEditor> page, string testId) =>
        await page.ClickFreshAsync($"button[data-testid={testId}]");

    private static string ErrorOf(IRenderedComponent<RequestEditor> page)
    {
        page.WaitForElement("[data-testid=error]", TimeSpan.FromSeconds(20));
        return page.Find("[data-testid=error]").TextContent;
    }

    private async Task<(int Requests, int Documents, int ArchiveFiles)> CountsAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var archive = Path.Combine(portal.DataFolder, "archive");
        var files = Directory.Exists(archive) ? Directory.EnumerateFiles(archive, "*", SearchOption.AllDirectories).Count() : 0;
        return (await db.SealRequests.CountAsync(), await db.SealRequestDocuments.CountAsync(), files);
    }

    private async Task<SealRequest> LoadAsync(int id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        return await db.SealRequests.AsNoTracking().Include(r => r.Documents).Include(r => r.Seals).SingleAsync(r => r.Id == id);
    }

    private static int CreatedId(PortalComponents ui, string pattern)
    {
        var uri = new Uri(ui.Context.Services.GetRequiredService<NavigationManager>().Uri);
        var match = System.Text.RegularExpressions.Regex.Match(uri.PathAndQuery, pattern);
        Assert.True(match.Success, uri.PathAndQuery);
        return int.Parse(match.Groups[1].Value);
    }

    // ------------------------------------------------------------------ the form

    [Fact]
    public async Task An_applicant_gets_the_form_with_the_seals_and_no_placement_before_the_draft_exists()
    {
        await using var ui = await SignedInAsync("applicant");
        var page = Open(ui);

        Assert.NotNull(page.Find("[data-testid=details]"));
        Assert.NotNull(page.Find("input[type=file][data-testid=files]"));
        Assert.NotNull(page.Find($"[data-seal='{ElectronicSeal}'] input[type=checkbox]"));
        // 财务专用章 is authorized for the finance department only: offered, but not to be ticked.
        Assert.True(page.Find("[data-seal='财务专用章'] input[type=checkbox]").HasAttribute("disabled"));
        Assert.Empty(page.FindAll("[data-testid=placement]"));
        Assert.Empty(page.FindAll("[data-testid=error]"));
        Assert.NotNull(page.Find("button[data-testid=continue]"));
    }

    [Fact]
    public async Task A_draft_is_created_with_the_good_file_and_the_page_goes_on_to_placement()
    {
        await using var ui = await SignedInAsync("applicant");
        var page = Open(ui);
        var before = await CountsAsync();

        await TypePurposeAsync(page, "Supply contract with 示例客户");
        await page.Find("input[data-testid=counterparty]").ChangeAsync(new ChangeEventArgs { Value = "示例客户有限公司" });
        await ChooseSealAsync(page, ElectronicSeal);
        await UploadAsync(page, ("notes.pdf", "this is not a PDF at all"u8.ToArray()));
        await UploadAsync(page, ("contract.pdf", ThreePages));
        Assert.Equal("Ready", FileEntry(page, "contract.pdf").GetAttribute("data-state"));
        Assert.Contains("3 pages", FileEntry(page, "contract.pdf").TextContent);
        // Nothing is stored until the applicant saves.
        Assert.Equal(before, await CountsAsync());

        await ClickAsync(page, "continue");

        var id = CreatedId(ui, @"^/requests/(\d+)/edit\?step=placement$");
        var stored = await LoadAsync(id);
        Assert.Equal(SealRequestStatus.Draft, stored.Status);
        Assert.Equal("Supply contract with 示例客户", stored.Purpose);
        Assert.Equal("示例客户有限公司", stored.Counterparty);
        Assert.Equal("contract.pdf", Assert.Single(stored.Documents).FileName);
        Assert.Equal(await RequestSeeding.SealIdAsync(portal.Services, ElectronicSeal), Assert.Single(stored.Seals).SealId);
        Assert.Equal(before.Requests + 1, (await CountsAsync()).Requests);
        Assert.Contains(ui.Snackbars, s => s.Contains("Place the seals"));
    }

    [Fact]
    public async Task Submitting_a_new_request_sends_it_into_approval()
    {
        await using var ui = await SignedInAsync("applicant");
        var page = Open(ui);
        await TypePurposeAsync(page, "介绍信 for the bank");
        await ChooseSealAsync(page, PhysicalSeal);
        await UploadAsync(page, ("letter.pdf", OnePage));

        await ClickAsync(page, "submit");

        var id = CreatedId(ui, @"^/requests/(\d+)$");
        var stored = await LoadAsync(id);
        Assert.Equal(SealRequestStatus.InApproval, stored.Status);
        Assert.NotNull(stored.SubmittedAt);
    }

    // ------------------------------------------------------------------ refusals of the upload

    public static TheoryData<string, string, string, int> RefusedFiles => new()
    {
        { "notes.pdf", "not-a-pdf", "notes.pdf is not a readable PDF", 400 },
        { "cut.pdf", "truncated", "cut.pdf", 400 },
        // A trailer /Size no incremental update can continue: refused now, not after every approval.
        { "huge-size.pdf", "size-bomb", "huge-size.pdf is not a readable PDF", 400 },
        { "bomb.pdf", "deflate-bomb", "expands beyond", 400 },
        { "locked.pdf", "encrypted", "encrypted PDFs cannot be sealed", 400 },
        { "scripted.pdf", "active-content", "contains active content (", 400 },
        { "big.pdf", "too-big", "big.pdf is larger than 1 MB", 413 },
        { "empty.pdf", "empty", "empty.pdf is empty", 400 },
    };

    private static byte[] Content(string kind)
    {
        switch (kind)
        {
            case "not-a-pdf": return "this is not a PDF at all"u8.ToArray();
            case "truncated": return OnePage[..(OnePage.Length / 2)];
            case "size-bomb": return SealPreflightTests.HugeSizePdf();
            case "deflate-bomb": return SealPreflightTests.DeflateBombPdf(60_000);
            case "active-content": return SealPreflightTests.ActiveContentPdf();
            case "empty": return [];
            case "too-big":
                var big = new byte[EditorPortal.MaxUploadBytes + 1];
                OnePage.CopyTo(big, 0);
                return big;
            case "encrypted":
                var folder = PdfTestKit.NewTempDir("sealportal-encrypt-");
                try
                {
                    File.WriteAllBytes(Path.Combine(folder, "plain.pdf"), OnePage);
                    PdfTestKit.RunOk("qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", Path.Combine(folder, "plain.pdf"), Path.Combine(folder, "locked.pdf"));
                    return File.ReadAllBytes(Path.Combine(folder, "locked.pdf"));
                }
                finally
                {
                    Directory.Delete(folder, recursive: true);
                }
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task A_refused_file_is_named_with_its_reason_and_the_rest_of_the_form_stays(string name, string kind, string expected, int status)
    {
        await using var ui = await SignedInAsync("applicant");
        var page = Open(ui);
        await TypePurposeAsync(page, "kept while a file is refused");
        await ChooseSealAsync(page, ElectronicSeal);
        await UploadAsync(page, ("good.pdf", OnePage));
        var before = await CountsAsync();

        await UploadAsync(page, (name, Content(kind)));

        var entry = FileEntry(page, name);
        Assert.Equal("Refused", entry.GetAttribute("data-state"));
        Assert.Contains(expected, entry.QuerySelector("[data-testid=file-error]")!.TextContent);
        Assert.Equal(status.ToString(), entry.QuerySelector("[data-testid=file-error]")!.GetAttribute("data-status"));
        // Nothing else is lost: the typed purpose, the chosen seal and the good file are all still there.
        Assert.Equal("kept while a file is refused", page.Find("textarea[data-testid=purpose]").GetAttribute("value") ?? page.Find("textarea[data-testid=purpose]").TextContent);
        Assert.True(page.Find($"[data-seal='{ElectronicSeal}'] input[type=checkbox]").IsChecked());
        Assert.Equal("Ready", FileEntry(page, "good.pdf").GetAttribute("data-state"));
        Assert.Equal(before, await CountsAsync());

        // Saving now stores the good file only.
        await ClickAsync(page, "save-draft");
        var id = CreatedId(ui, @"^/requests/(\d+)$");
        Assert.Equal("good.pdf", Assert.Single((await LoadAsync(id)).Documents).FileName);
    }

    [Fact]
    public async Task Eight_parallel_deflate_bombs_sent_to_the_service_are_refused_and_nothing_is_stored()
    {
        var bomb = SealPreflightTests.DeflateBombPdf(60_000);
        var user = await PrincipalAsync("applicant");
        var drafts = portal.Services.GetRequiredService<DraftCommands>();
        var seal = await RequestSeeding.SealIdAsync(portal.Services, PhysicalSeal);
        var before = await CountsAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => drafts.CreateAsync(user,
            new SealRequestInput("bombs", DocumentTypes.Letter, 1, null, null, false, [seal]),
            [new UploadedPdf($"bomb{i}.pdf", bomb.Length, () => new MemoryStream(bomb))]))));

        Assert.All(results, r => Assert.Equal(400, r.StatusCode()));
        Assert.Contains(results, r => r.ToString().Contains("expands beyond"));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_good_pdf_next_to_a_truncated_one_is_not_stored_by_the_service_either()
    {
        var user = await PrincipalAsync("applicant");
        var seal = await RequestSeeding.SealIdAsync(portal.Services, PhysicalSeal);
        var before = await CountsAsync();
        var cut = OnePage[..(OnePage.Length / 2)];

        var result = await portal.Services.GetRequiredService<DraftCommands>().CreateAsync(user,
            new SealRequestInput("two files", DocumentTypes.Letter, 1, null, null, false, [seal]),
            [new UploadedPdf("good.pdf", ThreePages.Length, () => new MemoryStream(ThreePages)), new UploadedPdf("cut.pdf", cut.Length, () => new MemoryStream(cut))]);

        Assert.Equal(400, result.StatusCode());
        Assert.Contains("cut.pdf", result.ToString());
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Without_a_file_or_a_seal_nothing_is_created_and_the_page_says_why()
    {
        await using var ui = await SignedInAsync("applicant");
        var page = Open(ui);
        var before = await CountsAsync();
        await TypePurposeAsync(page, "x");

        await ClickAsync(page, "save-draft");
        Assert.Contains("Upload at least one PDF", ErrorOf(page));

        await UploadAsync(page, ("a.pdf", OnePage));
        await ClickAsync(page, "save-draft");
        page.WaitForAssertion(() => Assert.Contains("at least one seal", page.Find("[data-testid=error]").TextContent));
        Assert.Equal("400", page.Find("[data-testid=error]").GetAttribute("data-status"));
        Assert.Equal(before, await CountsAsync());
        // The file is still there to save once a seal is chosen.
        Assert.Equal("Ready", FileEntry(page, "a.pdf").GetAttribute("data-state"));
    }

    [Fact]
    public async Task A_seal_outside_the_applicants_scope_is_refused_even_when_the_disabled_box_is_forged()
    {
        await using var ui = await SignedInAsync("applicant");
        var page = Open(ui);
        var before = await CountsAsync();
        await TypePurposeAsync(page, "x");
        await UploadAsync(page, ("a.pdf", OnePage));
        // The box is disabled in the page; a forged event ticks it anyway.
        var finance = page.FindComponents<MudCheckBox<bool>>().Single(c => c.Find("input").GetAttribute("disabled") is not null
            && c.Markup.Contains("财务专用章"));
        await page.InvokeAsync(() => finance.Instance.ValueChanged.InvokeAsync(true));

        await ClickAsync(page, "save-draft");

        page.WaitForAssertion(() => Assert.Equal("403", page.Find("[data-testid=error]").GetAttribute("data-status")));
        Assert.False(string.IsNullOrWhiteSpace(page.Find("[data-testid=error]").TextContent));
        Assert.Equal(before, await CountsAsync());
    }

    // ------------------------------------------------------------------ who may

    [Fact]
    public async Task An_auditor_gets_no_form_and_a_forbidden_answer()
    {
        await using var ui = await SignedInAsync("auditor");
        var page = Open(ui);

        Assert.Equal("403", page.Find("[data-testid=error]").GetAttribute("data-status"));
        Assert.Contains("Only applicants may create or change seal requests.", page.Find("[data-testid=error]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=details]"));
        Assert.Empty(page.FindAll("input[type=file]"));
    }

    [Fact]
    public async Task Someone_elses_draft_is_refused_and_a_missing_request_is_not_found()
    {
        var id = await RequestSeeding.DraftAsync(portal.Services, [ElectronicSeal], ("contract.pdf", ThreePages));
        await using var head = await SignedInAsync("depthead");

        var page = Open(head, id);
        Assert.Equal("403", page.Find("[data-testid=error]").GetAttribute("data-status"));
        Assert.Empty(page.FindAll("[data-testid=details]"));
        Assert.Empty(page.FindAll("[data-placement-row]"));
        Assert.DoesNotContain("Sign the supply contract", page.Markup);

        await using var again = await SignedInAsync("depthead");
        var missing = Open(again, 999_999);
        Assert.Equal("404", missing.Find("[data-testid=error]").GetAttribute("data-status"));
        Assert.Contains("No such request.", missing.Find("[data-testid=error]").TextContent);
    }

    [Fact]
    public async Task A_signed_out_circuit_saves_nothing()
    {
        await using var ui = await SignedInAsync("applicant");
        var page = Open(ui);
        await TypePurposeAsync(page, "x");
        await ChooseSealAsync(page, PhysicalSeal);
        await UploadAsync(page, ("a.pdf", OnePage));
        var before = await CountsAsync();
        // The session ends elsewhere (sign-out in another tab) while this page stays open.
        await portal.Services.GetRequiredService<SealPortal.Features.Account.SessionRevocation>()
            .EndSessionsAsync(await RequestSeeding.UserIdAsync(portal.Services, "applicant"));

        await ClickAsync(page, "save-draft");

        Assert.Contains("You are signed out", ErrorOf(page));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task The_old_placement_address_leads_to_the_placement_step_and_the_page_answers_403_and_404()
    {
        var id = await RequestSeeding.DraftAsync(portal.Services, [ElectronicSeal], ("contract.pdf", ThreePages));
        using var applicant = await portal.SignInAsync("applicant");
        var redirect = await applicant.GetAsync($"/requests/{id}/placement");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal($"/requests/{id}/edit?step=placement", redirect.LocalTarget());
        Assert.Equal(HttpStatusCode.OK, (await applicant.GetAsync($"/requests/{id}/edit?step=placement")).StatusCode);

        using var head = await portal.SignInAsync("depthead");
        var forbidden = await head.GetAsync($"/requests/{id}/edit");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.DoesNotContain("Placements[0]", await forbidden.Content.ReadAsStringAsync());
        // A request that does not exist is a plain 404; only an existing one someone may not see is a 403.
        Assert.Equal(HttpStatusCode.NotFound, (await head.GetAsync("/requests/999999/edit")).StatusCode);

        using var auditor = await portal.SignInAsync("auditor");
        var denied = await auditor.GetAsync("/requests/new");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/account/access-denied", denied.Headers.Location!.PathAndQuery);
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName);
        return await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user!);
    }

    // ------------------------------------------------------------------ placement

    private static async Task PlaceAsync(IRenderedComponent<RequestEditor> page, int index, string p, string x, string y, string w, string h, bool cross = false)
    {
        async Task Set(string field, string value) =>
            await page.Find($"input[name='Placements[{index}].{field}']").ChangeAsync(new ChangeEventArgs { Value = value });
        await Set("Page", p);
        await Set("X", x);
        await Set("Y", y);
        await Set("Width", w);
        await Set("Height", h);
        if (cross)
            await page.Find($"input[name='Placements[{index}].CrossPage']").ChangeAsync(new ChangeEventArgs { Value = true });
    }

    private static IRenderedComponent<RequestEditor> OpenPlacement(PortalComponents ui, int id)
    {
        var page = Open(ui, id);
        page.WaitForElement("[data-placement-row]", TimeSpan.FromSeconds(20));
        return page;
    }

    [Fact]
    public async Task The_applicant_types_a_placement_and_it_is_saved_and_shown_again()
    {
        var id = await RequestSeeding.DraftAsync(portal.Services, [ElectronicSeal, PhysicalSeal], ("contract.pdf", ThreePages));
        await using var ui = await SignedInAsync("applicant");
        var page = OpenPlacement(ui, id);

        // Only the electronic seal is placed by the portal; the physical 公司公章 gets no fields.
        Assert.Single(page.FindAll("[data-placement-row]"));
        Assert.Contains(ElectronicSeal, page.Find("[data-placement-row]").TextContent);
        Assert.Equal($"/requests/{id}/documents/{page.Find("[data-document-id]").GetAttribute("data-document-id")}/original",
            page.Find("[data-pdf-viewer]").GetAttribute("data-pdf-viewer"));

        await PlaceAsync(page, 0, "2", "400.5", "60", "110", "110");
        await ClickAsync(page, "save-placements");
        page.WaitForAssertion(() => Assert.Contains("Placements saved.", page.Find("[data-testid=message]").TextContent));

        var rows = (await RequestSeeding.PlacementsAsync(portal.Services, id)).Where(r => r.Page is not null).ToList();
        var row = Assert.Single(rows);
        Assert.Equal((2, 400.5, 60.0, 110.0, 110.0, false), (row.Page!.Value, row.X!.Value, row.Y!.Value, row.Width!.Value, row.Height!.Value, row.CrossPage));

        await using var again = await SignedInAsync("applicant");
        var reopened = OpenPlacement(again, id);
        Assert.Equal("2", reopened.Find("input[name='Placements[0].Page']").GetAttribute("value"));
        Assert.Equal("400.5", reopened.Find("input[name='Placements[0].X']").GetAttribute("value"));
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
        var id = await RequestSeeding.DraftAsync(portal.Services, [ElectronicSeal], ("contract.pdf", ThreePages));
        await using var ui = await SignedInAsync("applicant");
        var page = OpenPlacement(ui, id);

        await PlaceAsync(page, 0, p, x, y, w, h);
        await ClickAsync(page, "save-placements");

        var error = ErrorOf(page);
        Assert.Equal("400", page.Find("[data-testid=error]").GetAttribute("data-status"));
        Assert.Contains(expected, error);
        Assert.Contains("contract.pdf", error);
        Assert.Equal(x, page.Find("input[name='Placements[0].X']").GetAttribute("value") ?? "");
        Assert.Equal(p, page.Find("input[name='Placements[0].Page']").GetAttribute("value") ?? "");
        Assert.DoesNotContain(await RequestSeeding.PlacementsAsync(portal.Services, id), r => r.Page is not null);
    }

    [Fact]
    public async Task On_a_page_turned_a_quarter_the_box_is_the_page_as_shown()
    {
        var id = await RequestSeeding.DraftAsync(portal.Services, [ElectronicSeal], ("landscape.pdf", Landscape));
        await using var ui = await SignedInAsync("applicant");
        var page = OpenPlacement(ui, id);

        // 842 × 595 as shown: x 700 + 110 fits the width, y 500 + 110 does not fit the height.
        await PlaceAsync(page, 0, "1", "700", "500", "110", "110");
        await ClickAsync(page, "save-placements");
        Assert.Contains("(842 × 595 points)", ErrorOf(page));
        Assert.Equal("400", page.Find("[data-testid=error]").GetAttribute("data-status"));

        await PlaceAsync(page, 0, "1", "700", "400", "110", "110");
        await ClickAsync(page, "save-placements");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=message]")));
        Assert.Empty(page.FindAll("[data-testid=error]"));
        var row = Assert.Single(await RequestSeeding.PlacementsAsync(portal.Services, id), r => r.Page is not null);
        Assert.Equal(700, row.X);
    }

    [Fact]
    public async Task A_cross_page_seal_is_stored_on_the_right_edge_and_an_empty_row_is_no_placement()
    {
        var id = await RequestSeeding.DraftAsync(portal.Services, [ElectronicSeal], ("a.pdf", ThreePages), ("b.pdf", ThreePages));
        await using var ui = await SignedInAsync("applicant");
        var page = OpenPlacement(ui, id);
        Assert.Equal(2, page.FindAll("[data-placement-row]").Count);

        await PlaceAsync(page, 0, "1", "12", "300", "120", "120", cross: true);
        await ClickAsync(page, "save-placements");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=message]")));

        var rows = await RequestSeeding.PlacementsAsync(portal.Services, id);
        var row = Assert.Single(rows, r => r.Page is not null);
        Assert.True(row.CrossPage);
        Assert.Equal(595 - 120, row.X);
        Assert.Equal(300, row.Y);
    }

    [Fact]
    public async Task Submitting_a_draft_saves_its_placements_and_sends_it_into_approval()
    {
        var id = await RequestSeeding.DraftAsync(portal.Services, [ElectronicSeal], ("contract.pdf", ThreePages));
        await using var ui = await SignedInAsync("applicant");
        var page = OpenPlacement(ui, id);
        await PlaceAsync(page, 0, "3", "36", "36", "120", "120");

        await ClickAsync(page, "submit");

        page.WaitForAssertion(() => Assert.EndsWith($"/requests/{id}", ui.Context.Services.GetRequiredService<NavigationManager>().Uri), TimeSpan.FromSeconds(20));
        var stored = await LoadAsync(id);
        Assert.Equal(SealRequestStatus.InApproval, stored.Status);
        var row = Assert.Single(stored.Seals, s => s.Page is not null);
        Assert.Equal((3, 36.0, 120.0), (row.Page!.Value, row.X!.Value, row.Width!.Value));

        // Once submitted, the applicant may still place seals but no longer change or submit the request.
        await using var later = await SignedInAsync("applicant");
        var after = Open(later, id);
        Assert.Empty(after.FindAll("[data-testid=details]"));
        Assert.Empty(after.FindAll("[data-testid=submit-step]"));
    }
}
