using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using SealPortal.Data;
using SealPortal.Features.Audits;
using SealPortal.Features.Cases;
using SealPortal.Features.Seals;
using SealPortal.Tests.Features.Audits;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Cases;

/// <summary>
/// The case pages through bUnit over a real portal, on whichever database the run uses: an auditor opens a case
/// from a ledger entry, handles and closes it through the dialogs, and then sees no action; the pages that hold
/// evidence offer the case to auditors and administrators only; the list and the case page show each role what it
/// may read and nothing else.
/// </summary>
public sealed class CasePagesTests(CasesPortal portal) : IClassFixture<CasesPortal>
{
    [Fact]
    public async Task An_auditor_opens_a_case_from_a_ledger_entry_handles_it_and_closes_it_then_it_is_read_only()
    {
        English();
        var sequence = await portal.LedgerEntryAsync("UIL");
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        var navigation = ui.Context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/cases/new?evidence=LedgerEntry&ref={sequence}");
        var form = ui.Render<NewCase>();
        form.WaitForAssertion(() => Assert.Contains("UIL-00001", form.Find("[data-testid=evidence-preview]").TextContent));
        Assert.Equal(sequence.ToString(CultureInfo.InvariantCulture), form.Find("[data-testid=evidence-preview]").GetAttribute("data-ref"));
        // The entry suggests the kind and its department.
        Assert.Equal(ViolationKind.UseWithoutApproval, form.FindComponent<MudSelect<ViolationKind?>>().Instance.GetState(x => x.Value));
        Assert.Equal(await portal.DepartmentIdAsync("总经办"), form.FindComponent<MudSelect<int?>>().Instance.GetState(x => x.Value));

        // Without facts the form stays, says why, and nothing is stored.
        var cases = await portal.QueryAsync(db => db.ViolationCases.CountAsync());
        await form.ClickFreshAsync("[data-testid=open-case]");
        form.WaitForAssertion(() => Assert.Equal("Write down the facts.", form.Find("[data-testid=form-error]").TextContent));
        Assert.Equal(cases, await portal.QueryAsync(db => db.ViolationCases.CountAsync()));

        await form.InvokeAsync(() => form.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync("Stamped with no approved request."));
        await form.ClickFreshAsync("[data-testid=open-case]");
        form.WaitForAssertion(() => Assert.Matches(@"/cases/\d+$", navigation.Uri));
        var id = int.Parse(navigation.Uri.Split('/').Last(), CultureInfo.InvariantCulture);
        var evidence = await portal.QueryAsync(db => db.ViolationCaseEvidence.SingleAsync(e => e.ViolationCaseId == id));
        Assert.Equal((EvidenceKind.LedgerEntry, sequence), (evidence.Kind, evidence.ReferenceId));

        var (host, page) = OpenCase(ui, id);
        Assert.Equal("Open", page.Find("[data-testid=status]").GetAttribute("data-status"));
        Assert.Equal("Stamped with no approved request.", page.Find("[data-testid=facts]").TextContent);
        Assert.Contains("UIL-00001", page.Find("[data-testid=evidence]").TextContent);

        // A step through its dialog; an empty one keeps the dialog open with the reason.
        _ = page.ClickFreshAsync("[data-testid=add-step]");
        host.WaitForAssertion(() => host.Find("[data-testid=step-dialog]"));
        await host.ClickFreshAsync("[data-testid=dialog-confirm]");
        host.WaitForAssertion(() => Assert.Equal("Write what was done.", host.Find("[data-testid=dialog-error]").TextContent));
        var stepDialog = host.FindComponent<CaseStepDialog>();
        await stepDialog.InvokeAsync(() => stepDialog.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync("Keeper interviewed."));
        await host.ClickFreshAsync("[data-testid=dialog-confirm]");
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[data-testid=step-dialog]")));
        page.WaitForAssertion(() => Assert.Contains("Keeper interviewed.", page.Find("[data-testid=steps]").TextContent));
        Assert.Contains("auditor", page.Find("[data-testid=step]").TextContent);

        // Unknown evidence: the dialog says so and stays.
        _ = page.ClickFreshAsync("[data-testid=add-evidence]");
        host.WaitForAssertion(() => host.Find("[data-testid=evidence-dialog]"));
        var evidenceDialog = host.FindComponent<CaseEvidenceDialog>();
        await evidenceDialog.InvokeAsync(() => evidenceDialog.FindComponent<MudSelect<EvidenceKind?>>().Instance.ValueChanged.InvokeAsync(EvidenceKind.Seal));
        await evidenceDialog.InvokeAsync(() => evidenceDialog.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync("424242"));
        await host.ClickFreshAsync("[data-testid=dialog-confirm]");
        host.WaitForAssertion(() => Assert.Equal("There is no seal 424242.", host.Find("[data-testid=dialog-error]").TextContent));
        await host.ClickFreshAsync("[data-testid=dialog-cancel]");

        // Closing through its dialog; then no action is left and the page says the case is closed.
        _ = page.ClickFreshAsync("[data-testid=close-case]");
        host.WaitForAssertion(() => host.Find("[data-testid=close-case-dialog]"));
        var close = host.FindComponent<CloseCaseDialog>();
        await close.InvokeAsync(() => close.FindComponent<MudSelect<ViolationOutcome?>>().Instance.ValueChanged.InvokeAsync(ViolationOutcome.Penalty));
        await close.InvokeAsync(() => close.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync("Second time this year."));
        await host.ClickFreshAsync("[data-testid=dialog-confirm]");
        page.WaitForAssertion(() => Assert.Equal("Closed", page.Find("[data-testid=status]").GetAttribute("data-status")));
        Assert.Equal("Second time this year.", page.Find("[data-testid=outcome-note]").TextContent);
        Assert.NotNull(page.Find("[data-testid=read-only]"));
        Assert.Empty(page.FindAll("[data-testid=case-actions]"));
        Assert.Empty(page.FindAll("button[data-testid=add-step], button[data-testid=close-case], button[data-testid=add-evidence]"));
        Assert.Contains("The case is closed.", ui.Snackbars);
    }

    [Fact]
    public async Task The_pages_holding_evidence_offer_a_case_to_auditors_and_administrators_only()
    {
        English();
        var finding = await portal.AuditFindingAsync("UIA");
        var auditId = await portal.QueryAsync(db => db.SealAuditItems.Where(i => i.Id == finding).Select(i => i.SealAuditId).SingleAsync());
        await using (var auditor = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            var audit = auditor.Render<AuditPage>(p => p.Add(x => x.Id, auditId));
            audit.WaitForAssertion(() => Assert.Equal($"/cases/new?evidence=AuditFinding&ref={finding}", audit.Find("[data-testid=open-case]").GetAttribute("href")));
        }

        // A lost seal offers a case on its page (administrators only open seal pages); an active one does not.
        var seal = await portal.SealWithStatusAsync("财务专用章", SealStatus.Lost);
        try
        {
            await using var admin = await PortalComponents.SignedInAsync(portal, "admin");
            var lost = admin.Render<SealPage>(p => p.Add(x => x.Id, seal));
            lost.WaitForAssertion(() => Assert.Equal($"/cases/new?evidence=Seal&ref={seal}", lost.Find("[data-testid=open-case]").GetAttribute("href")));
            var activeId = await portal.QueryAsync(db => db.Seals.Where(s => s.Name == "公司公章").Select(s => s.Id).SingleAsync());
            var active = admin.Render<SealPage>(p => p.Add(x => x.Id, activeId));
            active.WaitForAssertion(() => Assert.NotNull(active.Find("[data-testid=seal-facts]")));
            Assert.Empty(active.FindAll("[data-testid=open-case]"));
        }
        finally
        {
            await portal.SealWithStatusAsync("财务专用章", SealStatus.Active);
        }

        // The ledger offers a case on each row to an auditor, not to the keeper who also reads it.
        await portal.LedgerEntryAsync("UIK");
        await using (var auditor = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            var ledger = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(auditor, "/ledger");
            ledger.WaitForAssertion(() => Assert.NotEmpty(ledger.FindAll("[data-testid=open-case]")));
            Assert.All(ledger.FindAll("[data-testid=open-case]"), a => Assert.StartsWith("/cases/new?evidence=LedgerEntry&ref=", a.GetAttribute("href")));
        }
        await using (var keeper = await PortalComponents.SignedInAsync(portal, "keeper"))
        {
            var ledger = InteractiveLists.RenderAt<SealPortal.Features.Ledger.Ledger>(keeper, "/ledger");
            ledger.WaitForAssertion(() => Assert.NotEmpty(ledger.FindAll("[data-sequence]")));
            Assert.Empty(ledger.FindAll("[data-testid=open-case]"));
        }

        // The dashboard's integrity alert offers a case to the auditor; the executive sees no alert and no offer.
        var run = await portal.IntegrityRunAsync(intact: false);
        await using (var auditor = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            var home = auditor.Render<SealPortal.Features.Dashboard.Home>();
            home.WaitForAssertion(() => Assert.Equal($"/cases/new?evidence=IntegrityAlert&ref={run}", home.Find("[data-testid=integrity-open-case]").GetAttribute("href")));
        }
        await using (var executive = await PortalComponents.SignedInAsync(portal, "executive"))
        {
            var home = executive.Render<SealPortal.Features.Dashboard.Home>();
            home.WaitForAssertion(() => Assert.NotNull(home.Find("[data-testid=welcome]")));
            Assert.Empty(home.FindAll("[data-testid=integrity-open-case]"));
        }

        // The new-case page itself refuses anyone else, with nothing prefilled; bad evidence is named.
        await using (var executive = await PortalComponents.SignedInAsync(portal, "executive"))
        {
            executive.Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/cases/new?evidence=AuditFinding&ref={finding}");
            var form = executive.Render<NewCase>();
            form.WaitForAssertion(() => Assert.Equal("Only auditors and administrators may open or handle violation cases.", form.Find("[data-testid=refused]").TextContent));
            Assert.Empty(form.FindAll("[data-testid=new-case-form]"));
            Assert.DoesNotContain("Copies differ", form.Markup);
        }
        await using (var auditor = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            auditor.Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/cases/new?evidence=LedgerEntry&ref=987654");
            var form = auditor.Render<NewCase>();
            form.WaitForAssertion(() => Assert.Equal("There is no ledger entry 987654.", form.Find("[data-testid=evidence-error]").TextContent));
            Assert.Empty(form.FindAll("[data-testid=evidence-preview]"));
        }
    }

    [Fact]
    public async Task An_auditor_edits_an_open_case_in_its_dialog_and_a_case_closed_meanwhile_is_not_edited()
    {
        English();
        var id = await portal.OpenCaseAsync("销售部", "applicant", facts: "Stamped on a Sunday.");
        var finance = await portal.DepartmentIdAsync("财务部");
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor");
        var (host, page) = OpenCase(ui, id);

        _ = page.ClickFreshAsync("[data-testid=edit-case]");
        host.WaitForAssertion(() => host.Find("[data-testid=edit-dialog]"));
        var dialog = host.FindComponent<CaseEditDialog>();
        var facts = dialog.FindComponent<MudTextField<string>>();
        Assert.Equal("Stamped on a Sunday.", facts.Instance.GetState(x => x.Value));
        Assert.Equal(await portal.DepartmentIdAsync("销售部"), dialog.FindComponent<MudSelect<int?>>().Instance.GetState(x => x.Value));
        // Without facts the dialog stays and says why.
        await dialog.InvokeAsync(() => facts.Instance.ValueChanged.InvokeAsync(" "));
        await host.ClickFreshAsync("[data-testid=dialog-confirm]");
        host.WaitForAssertion(() => Assert.Equal("Write down the facts.", host.Find("[data-testid=dialog-error]").TextContent));
        await dialog.InvokeAsync(() => facts.Instance.ValueChanged.InvokeAsync("Stamped on a Sunday by the finance keeper."));
        await dialog.InvokeAsync(() => dialog.FindComponent<MudSelect<int?>>().Instance.ValueChanged.InvokeAsync(finance));
        await host.ClickFreshAsync("[data-testid=dialog-confirm]");
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[data-testid=edit-dialog]")));
        page.WaitForAssertion(() => Assert.Equal("Stamped on a Sunday by the finance keeper.", page.Find("[data-testid=facts]").TextContent));
        Assert.Equal("财务部", page.Find("[data-testid=department]").TextContent);
        Assert.Contains("The case is saved.", ui.Snackbars);

        // Another window closes the case while the dialog is open: saving says so, and the page shows the case closed.
        _ = page.ClickFreshAsync("[data-testid=edit-case]");
        host.WaitForAssertion(() => host.Find("[data-testid=edit-dialog]"));
        dialog = host.FindComponent<CaseEditDialog>();
        Assert.True((await portal.Cases().CloseAsync(await portal.PrincipalAsync("admin"), id, ViolationOutcome.Warning, "Warned.")).Succeeded);
        await dialog.InvokeAsync(() => dialog.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync("Too late."));
        await host.ClickFreshAsync("[data-testid=dialog-confirm]");
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[data-testid=edit-dialog]")));
        page.WaitForAssertion(() => Assert.Equal("Closed", page.Find("[data-testid=status]").GetAttribute("data-status")));
        var number = page.Find("[data-testid=case-number]").TextContent;
        Assert.Contains($"Case {number} is closed; it can no longer be changed.", ui.Snackbars);
        Assert.Equal("Stamped on a Sunday by the finance keeper.", page.Find("[data-testid=facts]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=edit-case]"));
    }

    [Fact]
    public async Task The_list_sorts_by_a_columns_header_in_the_database()
    {
        English();
        foreach (var department in new[] { "财务部", "法务部", "总经办", "财务部" })
            await portal.OpenCaseAsync(department);
        await using var auditor = await PortalComponents.SignedInAsync(portal, "auditor");
        var list = InteractiveLists.RenderAt<CaseList>(auditor, "/cases");
        InteractiveLists.WaitUntilLoaded(list);

        // Clicking a column header as a user does: the grid names the column, the service sorts by it.
        async Task<List<string>> SortByDepartmentAsync()
        {
            var loads = InteractiveLists.Loads(list);
            var header = list.FindAll("th").Single(th => th.TextContent.Contains("Department"));
            await header.QuerySelector(".sortable-column-header")!.ClickAsync(new());
            InteractiveLists.WaitUntilLoaded(list, loads + 1);
            return list.FindAll("[data-department]").Select(d => d.GetAttribute("data-department")!).ToList();
        }
        var ascending = await SortByDepartmentAsync();
        var descending = await SortByDepartmentAsync();
        var groups = ascending.Distinct().ToList();
        Assert.True(groups.Count >= 3);
        // Each department's cases together, then the departments the other way round.
        Assert.Equal(groups.Count, ascending.Where((d, i) => i == 0 || d != ascending[i - 1]).Count());
        Assert.Equal(Enumerable.Reverse(groups), descending.Distinct());
    }

    [Fact]
    public async Task Each_role_sees_in_the_list_and_on_the_case_page_what_it_may_read_and_can_do_nothing_else()
    {
        English();
        var salesCase = await portal.OpenCaseAsync("销售部", "applicant", facts: "Sales contract stamped twice.");
        var legalCase = await portal.OpenCaseAsync("法务部", "reviewer", facts: "Legal opinion stamped without review.");

        // The head of 销售部 lists 销售部's cases only and reads one without any action; another department's case is not found.
        await using (var head = await PortalComponents.SignedInAsync(portal, "depthead"))
        {
            var list = InteractiveLists.RenderAt<CaseList>(head, "/cases");
            list.WaitForAssertion(() => Assert.NotNull(list.Find($"[data-case='{salesCase}']")));
            Assert.Empty(list.FindAll($"[data-case='{legalCase}']"));
            Assert.All(list.FindAll("[data-department]"), d => Assert.Equal("销售部", d.GetAttribute("data-department")));
            Assert.Empty(list.FindAll("[data-testid=new-case]"));

            var own = head.Render<CasePage>(p => p.Add(x => x.Id, salesCase));
            own.WaitForAssertion(() => Assert.Equal("Sales contract stamped twice.", own.Find("[data-testid=facts]").TextContent));
            Assert.Empty(own.FindAll("[data-testid=case-actions]"));
            var other = head.Render<CasePage>(p => p.Add(x => x.Id, legalCase));
            other.WaitForAssertion(() => Assert.Equal("No such case.", other.Find("[data-testid=error]").TextContent));
            Assert.DoesNotContain("Legal opinion", other.Markup);
        }

        // The executive reads every case, without actions.
        await using (var executive = await PortalComponents.SignedInAsync(portal, "executive"))
        {
            var list = InteractiveLists.RenderAt<CaseList>(executive, "/cases");
            list.WaitForAssertion(() => Assert.NotNull(list.Find($"[data-case='{legalCase}']")));
            Assert.NotNull(list.Find($"[data-case='{salesCase}']"));
            Assert.Empty(list.FindAll("[data-testid=new-case]"));
            var page = executive.Render<CasePage>(p => p.Add(x => x.Id, legalCase));
            page.WaitForAssertion(() => Assert.Equal("Legal opinion stamped without review.", page.Find("[data-testid=facts]").TextContent));
            Assert.Empty(page.FindAll("[data-testid=case-actions]"));
        }

        // The reviewer, responsible in the legal case, reads that one only.
        await using (var reviewer = await PortalComponents.SignedInAsync(portal, "reviewer"))
        {
            var list = InteractiveLists.RenderAt<CaseList>(reviewer, "/cases");
            list.WaitForAssertion(() => Assert.NotNull(list.Find($"[data-case='{legalCase}']")));
            Assert.Empty(list.FindAll($"[data-case='{salesCase}']"));
            var page = reviewer.Render<CasePage>(p => p.Add(x => x.Id, legalCase));
            page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=facts]")));
            Assert.Empty(page.FindAll("[data-testid=case-actions]"));
        }

        // The keeper is named in no case: the list and the case page refuse, and show no case data.
        await using (var keeper = await PortalComponents.SignedInAsync(portal, "keeper"))
        {
            var list = keeper.Render<CaseList>();
            list.WaitForAssertion(() => Assert.Equal("You may not see violation cases.", list.Find("[data-testid=refused]").TextContent));
            Assert.Empty(list.FindAll("[data-testid=case-table]"));
            var page = keeper.Render<CasePage>(p => p.Add(x => x.Id, salesCase));
            page.WaitForAssertion(() => Assert.Equal("You may not see violation cases.", page.Find("[data-testid=error]").TextContent));
            Assert.DoesNotContain("Sales contract", page.Markup);
        }

        // The auditor sees both, and the action to open a new one; the status filter narrows the list.
        await using (var auditor = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            Assert.True((await portal.Cases().CloseAsync(await portal.PrincipalAsync("auditor"), legalCase, ViolationOutcome.NoViolation, "Reviewed in time.")).Succeeded);
            var list = InteractiveLists.RenderAt<CaseList>(auditor, "/cases");
            list.WaitForAssertion(() => Assert.NotNull(list.Find($"[data-case='{legalCase}']")));
            Assert.NotNull(list.Find("[data-testid=new-case]"));
            var loads = InteractiveLists.Loads(list);
            var status = list.FindComponents<MudSelect<ViolationCaseStatus?>>().Single();
            await list.InvokeAsync(() => status.Instance.ValueChanged.InvokeAsync(ViolationCaseStatus.Open));
            InteractiveLists.WaitUntilLoaded(list, loads + 1);
            list.WaitForAssertion(() => Assert.Empty(list.FindAll($"[data-case='{legalCase}']")));
            Assert.NotNull(list.Find($"[data-case='{salesCase}']"));
        }
    }

    [Fact]
    public async Task The_pages_read_in_chinese()
    {
        var id = await portal.OpenCaseAsync("销售部", kind: ViolationKind.OutsideSealScope);
        await using var ui = await PortalComponents.SignedInAsync(portal, "auditor", "zh-CN");
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        var page = ui.Render<CasePage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Equal("超范围用印", page.Find("[data-testid=kind]").TextContent));
        Assert.Contains("添加处理步骤", page.Find("[data-testid=case-actions]").TextContent);
        Assert.Contains("处理中", page.Find("[data-testid=status]").TextContent);
    }

    [Fact]
    public async Task Plain_requests_get_the_status_of_the_refusal_and_the_menu_shows_cases_to_reading_roles_only()
    {
        var legalCase = await portal.OpenCaseAsync("法务部", "reviewer", facts: "Seen over HTTP.");

        using (var keeper = await portal.SignInAsync("keeper"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await keeper.GetAsync("/cases")).StatusCode);
            var page = await keeper.GetAsync($"/cases/{legalCase}");
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, page.StatusCode);
            Assert.DoesNotContain("Seen over HTTP.", await page.Content.ReadAsStringAsync());
            Assert.Null((await keeper.GetDocumentAsync("/")).QuerySelector("nav a[href='/cases']"));
            // The new-case page is for auditors and administrators: the router sends anyone else to access denied.
            var form = await keeper.GetAsync("/cases/new");
            Assert.True(form.StatusCode == System.Net.HttpStatusCode.Redirect && form.LocalTarget().StartsWith("/account/access-denied"), ((int)form.StatusCode).ToString());
        }
        using (var head = await portal.SignInAsync("depthead"))
        {
            Assert.NotNull((await head.GetDocumentAsync("/")).QuerySelector("nav a[href='/cases']"));
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await head.GetAsync($"/cases/{legalCase}")).StatusCode);
        }
        using (var reviewer = await portal.SignInAsync("reviewer"))
        {
            // No menu entry for the reviewer's roles, but the case naming them opens.
            Assert.Null((await reviewer.GetDocumentAsync("/")).QuerySelector("nav a[href='/cases']"));
            Assert.Contains("Seen over HTTP.", (await reviewer.GetDocumentAsync($"/cases/{legalCase}")).Body!.TextContent);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void English() => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");

    private static (IRenderedComponent<Bunit.Rendering.ContainerFragment> Host, IRenderedComponent<CasePage> Page) OpenCase(PortalComponents ui, int id)
    {
        var (host, page) = ui.RenderWithDialogs<CasePage>(new Dictionary<string, object?> { [nameof(CasePage.Id)] = id });
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=case-actions]")));
        return (host, page);
    }
}
