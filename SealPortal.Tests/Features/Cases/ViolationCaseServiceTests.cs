using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features;
using SealPortal.Features.Cases;
using SealPortal.Tests.Features.Audits;

namespace SealPortal.Tests.Features.Cases;

/// <summary>
/// Violation cases (issue #15, part 3) through their service over a real portal and database: opened from each
/// kind of evidence, handled in steps, closed for good; every change in the audit trail; bad input refused with
/// the reason and nothing stored; and who reads which case. Tests of one class run one after another, so counts
/// are compared before and after.
/// </summary>
public sealed class ViolationCaseServiceTests(CasesPortal portal) : IClassFixture<CasesPortal>
{
    private ViolationCaseService Cases => portal.Cases();

    [Fact]
    public async Task Each_kind_of_evidence_suggests_the_case_and_is_linked_to_its_item()
    {
        var auditor = await portal.PrincipalAsync("auditor");
        var keeper = await portal.UserIdAsync("keeper");
        var finance = await portal.DepartmentIdAsync("财务部");
        var office = await portal.DepartmentIdAsync("总经办");

        var sequence = await portal.LedgerEntryAsync("EVL");
        var (ledger, _) = await Cases.PreviewAsync(auditor, EvidenceKind.LedgerEntry, sequence.ToString());
        Assert.NotNull(ledger);
        Assert.Equal(ViolationKind.UseWithoutApproval, ledger.SuggestedKind);
        Assert.Equal(office, ledger.DepartmentId);
        Assert.Contains("EVL-00001", ledger.Summary);

        var finding = await portal.AuditFindingAsync("EVA");
        var (audit, _) = await Cases.PreviewAsync(auditor, EvidenceKind.AuditFinding, finding.ToString());
        Assert.Contains("Copies differ from the request.", audit!.Summary);

        var run = await portal.IntegrityRunAsync(intact: false);
        var (alert, _) = await Cases.PreviewAsync(auditor, EvidenceKind.IntegrityAlert, run.ToString());
        Assert.Equal(ViolationKind.TamperedRecord, alert!.SuggestedKind);
        Assert.Contains("hash mismatch", alert.Summary);

        var seal = await portal.SealWithStatusAsync("财务专用章", SealStatus.Lost);
        var (lost, _) = await Cases.PreviewAsync(auditor, EvidenceKind.Seal, seal.ToString());
        Assert.Equal(ViolationKind.LostSeal, lost!.SuggestedKind);
        Assert.Equal(finance, lost.DepartmentId);
        Assert.Equal(keeper, lost.ResponsibleUserId);

        // Opened from the audit finding; the other items are added as evidence, each linked once.
        var id = await portal.OpenCaseAsync("总经办", kind: ViolationKind.Other, evidence: EvidenceKind.AuditFinding, reference: finding.ToString());
        Assert.True((await Cases.AddEvidenceAsync(auditor, id, EvidenceKind.LedgerEntry, sequence.ToString())).Succeeded);
        Assert.True((await Cases.AddEvidenceAsync(auditor, id, EvidenceKind.IntegrityAlert, run.ToString())).Succeeded);
        Assert.True((await Cases.AddEvidenceAsync(auditor, id, EvidenceKind.Seal, seal.ToString())).Succeeded);
        var twice = await Cases.AddEvidenceAsync(auditor, id, EvidenceKind.Seal, seal.ToString());
        Assert.Equal((StatusCodes.Status400BadRequest, "This evidence is linked to the case already."), (twice.StatusCode, twice.Error));

        var (detail, _, _) = await Cases.GetAsync(auditor, id);
        Assert.Equal([EvidenceKind.AuditFinding, EvidenceKind.LedgerEntry, EvidenceKind.IntegrityAlert, EvidenceKind.Seal], detail!.Evidence.Select(e => e.Kind));
        var auditId = await portal.QueryAsync(db => db.SealAuditItems.Where(i => i.Id == finding).Select(i => i.SealAuditId).SingleAsync());
        Assert.Equal($"/audits/{auditId}", detail.Evidence[0].Href);
        Assert.Equal($"/seals/{seal}", detail.Evidence[3].Href);
        Assert.Equal(sequence, detail.Evidence[1].ReferenceId);
        Assert.All(detail.Evidence, e => Assert.Equal("auditor", e.AddedBy));
        await portal.SealWithStatusAsync("财务专用章", SealStatus.Active);
    }

    [Fact]
    public async Task A_closed_case_is_read_only_and_every_step_is_in_the_audit_trail()
    {
        var auditor = await portal.PrincipalAsync("auditor");
        var admin = await portal.PrincipalAsync("admin");
        var id = await portal.OpenCaseAsync("销售部", "applicant", facts: "Contract stamped before the executive approved it.");
        var number = (await Cases.GetAsync(auditor, id)).Case!.Number;
        Assert.Matches(@"^V\d\d-\d{5}$", number);
        // The person named is told, with a link to the list of their cases.
        var applicant = await portal.UserIdAsync("applicant");
        var told = await portal.QueryAsync(db => db.Notifications.Where(n => n.UserId == applicant && n.Subject.Contains(number)).ToListAsync());
        Assert.Equal("/cases", Assert.Single(told).Link);

        Assert.True((await Cases.AddStepAsync(auditor, id, "Interviewed the applicant.")).Succeeded);
        Assert.True((await Cases.AddStepAsync(admin, id, "Asked the department head for a statement.")).Succeeded);
        var request = await portal.LedgerEntryAsync("CLS");
        Assert.True((await Cases.AddEvidenceAsync(admin, id, EvidenceKind.LedgerEntry, request.ToString())).Succeeded);
        var noOutcome = await Cases.CloseAsync(auditor, id, null, "Warning given.");
        Assert.Equal("Choose the outcome.", noOutcome.Error);
        var noReason = await Cases.CloseAsync(auditor, id, ViolationOutcome.Warning, "  ");
        Assert.Equal("Write the reason for the outcome.", noReason.Error);
        Assert.True((await Cases.CloseAsync(auditor, id, ViolationOutcome.Warning, "First time; written warning.")).Succeeded);

        var (closed, _, _) = await Cases.GetAsync(auditor, id);
        Assert.True(closed!.IsClosed);
        Assert.Equal(ViolationOutcome.Warning, closed.Outcome);
        Assert.Equal("First time; written warning.", closed.OutcomeNote);
        Assert.Equal("auditor", closed.ClosedBy);
        Assert.Equal([1, 2], closed.Steps.Select(s => s.Ordinal));
        Assert.Equal(["auditor", "admin"], closed.Steps.Select(s => s.Actor));

        // Nothing changes a closed case: every change gets 409 with the reason, and nothing is stored or traced.
        var steps = await portal.QueryAsync(db => db.ViolationCaseSteps.CountAsync(s => s.ViolationCaseId == id));
        var trailBefore = await portal.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Subject == ViolationCaseService.Subject(number)));
        foreach (var refused in new[]
                 {
                     await Cases.AddStepAsync(auditor, id, "One more thing."),
                     await Cases.AddEvidenceAsync(auditor, id, EvidenceKind.LedgerEntry, request.ToString()),
                     await Cases.CloseAsync(admin, id, ViolationOutcome.Penalty, "Changed my mind."),
                 })
        {
            Assert.False(refused.Succeeded);
            Assert.Equal(StatusCodes.Status409Conflict, refused.StatusCode);
            Assert.Equal(ViolationCaseService.IsClosed, refused.Error);
            Assert.Equal([number], refused.Args!);
        }
        Assert.Equal(steps, await portal.QueryAsync(db => db.ViolationCaseSteps.CountAsync(s => s.ViolationCaseId == id)));
        var after = (await Cases.GetAsync(auditor, id)).Case!;
        Assert.Equal((ViolationOutcome.Warning, "First time; written warning."), (after.Outcome!.Value, after.OutcomeNote!));

        var trail = await portal.QueryAsync(db => db.AuditEvents.Where(e => e.Subject == ViolationCaseService.Subject(number)).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal(trailBefore, trail.Count);
        Assert.Equal([AuditAction.CaseOpened, AuditAction.CaseStepAdded, AuditAction.CaseStepAdded, AuditAction.CaseEvidenceAdded, AuditAction.CaseClosed],
            trail.Select(e => e.Action));
        Assert.Equal(["auditor", "auditor", "admin", "admin", "auditor"], trail.Select(e => e.Actor));
        Assert.Equal(await portal.UserIdAsync("auditor"), trail[0].ActorUserId);
        Assert.Contains("Interviewed the applicant.", trail[1].Detail);
        Assert.Contains("CLS-00001", trail[3].Detail);
        Assert.Contains("Warning: First time; written warning.", trail[4].Detail);
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_reason_and_stores_nothing()
    {
        var auditor = await portal.PrincipalAsync("auditor");
        var sales = await portal.DepartmentIdAsync("销售部");
        var cases = await portal.QueryAsync(db => db.ViolationCases.CountAsync());
        var opened = await portal.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.CaseOpened));
        var intact = await portal.IntegrityRunAsync(intact: true);
        var fine = await portal.AuditFindingAsync("BAD", SealAuditFinding.Ok);

        var refusals = new (NewCaseInput Input, string Error, object[] Args)[]
        {
            (new(ViolationKind.Other, sales, null, "Facts.", EvidenceKind.LedgerEntry, "999999"), "There is no ledger entry {0}.", [999999L]),
            (new(ViolationKind.Other, sales, null, "Facts.", EvidenceKind.AuditFinding, "999999"), "There is no audit finding {0}.", [999999L]),
            (new(ViolationKind.Other, sales, null, "Facts.", EvidenceKind.AuditFinding, fine.ToString()), "Audit finding {0} records no issue.", [fine]),
            (new(ViolationKind.Other, sales, null, "Facts.", EvidenceKind.IntegrityAlert, intact.ToString()), "Integrity check {0} found both chains intact; it raised no alert.", [intact]),
            (new(ViolationKind.Other, sales, null, "Facts.", EvidenceKind.Seal, "abc"), "There is no seal {0}.", ["abc"]),
            (new(ViolationKind.Other, sales, null, "Facts.", EvidenceKind.Request, "26-99999"), "There is no request {0}.", ["26-99999"]),
            (new(ViolationKind.Other, sales, null, "Facts.", EvidenceKind.Seal, " "), CaseEvidence.NoReference, []),
            (new(ViolationKind.Other, 987654, null, "Facts.", null, null), "Department {0} does not exist.", [987654]),
            (new(ViolationKind.Other, sales, "no-such-user", "Facts.", null, null), "The responsible person is not a user of the portal.", []),
            (new(null, sales, null, "Facts.", null, null), "Choose the kind of violation.", []),
            (new((ViolationKind)42, sales, null, "Facts.", null, null), "Choose the kind of violation.", []),
            (new(ViolationKind.Other, sales, null, "   ", null, null), "Write down the facts.", []),
            (new(ViolationKind.Other, sales, null, new string('x', ViolationCaseLimits.FactsLength + 1), null, null), "The facts have at most {0} characters.", [ViolationCaseLimits.FactsLength]),
            (new(ViolationKind.Other, null, null, "Facts.", null, null), "Choose the responsible department.", []),
        };
        foreach (var (input, error, args) in refusals)
        {
            var result = await Cases.OpenAsync(auditor, input);
            Assert.False(result.Succeeded, error);
            Assert.Equal(StatusCodes.Status400BadRequest, result.StatusCode);
            Assert.Equal(error, result.Error);
            Assert.Equal(args, result.Args!);
        }
        Assert.Equal(cases, await portal.QueryAsync(db => db.ViolationCases.CountAsync()));
        Assert.Equal(opened, await portal.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.CaseOpened)));

        // On an open case: unknown evidence, an empty step, an unknown case.
        var id = await portal.OpenCaseAsync("销售部");
        var evidence = await Cases.AddEvidenceAsync(auditor, id, EvidenceKind.LedgerEntry, "888888");
        Assert.Equal((StatusCodes.Status400BadRequest, "There is no ledger entry {0}."), (evidence.StatusCode, evidence.Error));
        Assert.Equal("Choose what the evidence is.", (await Cases.AddEvidenceAsync(auditor, id, null, "1")).Error);
        Assert.Equal("Write what was done.", (await Cases.AddStepAsync(auditor, id, "")).Error);
        Assert.Equal("A step has at most {0} characters.", (await Cases.AddStepAsync(auditor, id, new string('x', ViolationCaseLimits.StepLength + 1))).Error);
        var missing = await Cases.AddStepAsync(auditor, 999_999, "Step.");
        Assert.Equal((StatusCodes.Status404NotFound, ViolationCaseService.NoSuchCase), (missing.StatusCode, missing.Error));
        Assert.Equal(0, await portal.QueryAsync(db => db.ViolationCaseSteps.CountAsync(s => s.ViolationCaseId == id)));
        Assert.Equal(0, await portal.QueryAsync(db => db.ViolationCaseEvidence.CountAsync(e => e.ViolationCaseId == id)));
    }

    [Fact]
    public async Task Only_auditors_and_administrators_open_and_handle_cases()
    {
        var id = await portal.OpenCaseAsync("销售部", "applicant");
        await portal.OpenCaseAsync("法务部", "reviewer", userName: "admin");
        var sales = await portal.DepartmentIdAsync("销售部");
        var cases = await portal.QueryAsync(db => db.ViolationCases.CountAsync());
        var events = await portal.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Subject!.StartsWith("ViolationCase ")));

        foreach (var userName in new[] { "applicant", "depthead", "reviewer", "executive", "keeper" })
        {
            var user = await portal.PrincipalAsync(userName);
            foreach (var refused in new[]
                     {
                         await Cases.OpenAsync(user, new NewCaseInput(ViolationKind.Other, sales, null, "Facts.")),
                         await Cases.AddStepAsync(user, id, "Step."),
                         await Cases.AddEvidenceAsync(user, id, EvidenceKind.Seal, "1"),
                         await Cases.CloseAsync(user, id, ViolationOutcome.Penalty, "Reason."),
                     })
            {
                Assert.Equal((StatusCodes.Status403Forbidden, ViolationCaseService.HandlersOnly), (refused.StatusCode, refused.Error));
            }
            Assert.Null((await Cases.PreviewAsync(user, EvidenceKind.Seal, "1")).Preview);
            Assert.Empty((await Cases.ChoicesAsync(user)).People);
        }
        // A circuit whose session ended does nothing either.
        Assert.Equal(StatusCodes.Status401Unauthorized, (await Cases.AddStepAsync(null, id, "Step.")).StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await Cases.OpenAsync(null, new NewCaseInput(ViolationKind.Other, sales, null, "Facts."))).StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await Cases.GetAsync(null, id)).Refusal!.StatusCode);

        Assert.Equal(cases, await portal.QueryAsync(db => db.ViolationCases.CountAsync()));
        Assert.Equal(events, await portal.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Subject!.StartsWith("ViolationCase "))));
        Assert.Equal(ViolationCaseStatus.Open, (await Cases.GetAsync(await portal.PrincipalAsync("auditor"), id)).Case!.Status);
    }

    [Fact]
    public async Task Heads_read_their_department_executives_read_all_a_responsible_person_their_own_and_nobody_else_anything()
    {
        var salesCase = await portal.OpenCaseAsync("销售部", "applicant");
        var legalCase = await portal.OpenCaseAsync("法务部", "reviewer");
        var officeCase = await portal.OpenCaseAsync("总经办");
        var sales = await portal.DepartmentIdAsync("销售部");
        var all = new GridPageRequest(PageSize: 100);

        async Task<HashSet<int>> ListedAsync(string userName, CaseFilter? filter = null) =>
            (await Cases.PageAsync(await portal.PrincipalAsync(userName), filter ?? new CaseFilter(), all)).Items.Select(r => r.Id).ToHashSet();

        foreach (var reader in new[] { "auditor", "admin", "executive" })
        {
            Assert.Superset(new HashSet<int> { salesCase, legalCase, officeCase }, await ListedAsync(reader));
            Assert.NotNull((await Cases.GetAsync(await portal.PrincipalAsync(reader), legalCase)).Case);
        }

        // The head of 销售部: only 销售部's cases, in the list and on the case page; a filter for another department finds nothing.
        var head = await ListedAsync("depthead");
        Assert.Contains(salesCase, head);
        Assert.DoesNotContain(legalCase, head);
        Assert.DoesNotContain(officeCase, head);
        Assert.All((await Cases.PageAsync(await portal.PrincipalAsync("depthead"), new CaseFilter(), all)).Items, r => Assert.Equal("销售部", r.Department));
        Assert.Empty(await ListedAsync("depthead", new CaseFilter(DepartmentId: await portal.DepartmentIdAsync("法务部"))));
        var foreign = await Cases.GetAsync(await portal.PrincipalAsync("depthead"), legalCase);
        Assert.Null(foreign.Case);
        Assert.Equal(StatusCodes.Status404NotFound, foreign.Refusal!.StatusCode);
        Assert.Equal([sales], (await Cases.DepartmentFilterAsync(await portal.PrincipalAsync("depthead"))).Select(d => d.Id));

        // A responsible person reads their own cases and no other.
        Assert.True(await Cases.MayListAsync(await portal.PrincipalAsync("reviewer")));
        var reviewer = await ListedAsync("reviewer");
        Assert.Contains(legalCase, reviewer);
        Assert.DoesNotContain(salesCase, reviewer);
        Assert.Null((await Cases.GetAsync(await portal.PrincipalAsync("reviewer"), salesCase)).Case);
        Assert.NotNull((await Cases.GetAsync(await portal.PrincipalAsync("applicant"), salesCase)).Case);

        // The keeper is named in no case and holds no reading role: nothing at all, and 403.
        var keeper = await portal.PrincipalAsync("keeper");
        Assert.False(await Cases.MayListAsync(keeper));
        Assert.Empty(await ListedAsync("keeper"));
        var refused = await Cases.GetAsync(keeper, officeCase);
        Assert.Null(refused.Case);
        Assert.Equal((StatusCodes.Status403Forbidden, ViolationCaseService.NoAccess), (refused.Refusal!.StatusCode, refused.Refusal.Error));
        Assert.Empty(await Cases.DepartmentFilterAsync(keeper));
    }

    [Fact]
    public async Task The_list_filters_by_status_kind_and_department_in_the_database()
    {
        var auditor = await portal.PrincipalAsync("auditor");
        var lost = await portal.OpenCaseAsync("财务部", kind: ViolationKind.LostSeal);
        var tampered = await portal.OpenCaseAsync("财务部", kind: ViolationKind.TamperedRecord);
        Assert.True((await Cases.CloseAsync(auditor, tampered, ViolationOutcome.Referral, "Referred to legal.")).Succeeded);
        var finance = await portal.DepartmentIdAsync("财务部");

        var page = await Cases.PageAsync(auditor, new CaseFilter(ViolationCaseStatus.Open, ViolationKind.LostSeal, finance), new GridPageRequest(PageSize: 100));
        Assert.Contains(lost, page.Items.Select(r => r.Id));
        Assert.DoesNotContain(tampered, page.Items.Select(r => r.Id));
        Assert.All(page.Items, r => Assert.Equal((ViolationCaseStatus.Open, ViolationKind.LostSeal, "财务部"), (r.Status, r.Kind, r.Department)));
        Assert.Equal(page.Items.Count, page.Total);

        var closed = await Cases.PageAsync(auditor, new CaseFilter(ViolationCaseStatus.Closed, DepartmentId: finance), new GridPageRequest(PageSize: 100));
        var row = Assert.Single(closed.Items, r => r.Id == tampered);
        Assert.Equal(ViolationOutcome.Referral, row.Outcome);

        // Paging: one row per page, newest first, the total counts them all.
        var first = await Cases.PageAsync(auditor, new CaseFilter(DepartmentId: finance), new GridPageRequest(Page: 0, PageSize: 1));
        var second = await Cases.PageAsync(auditor, new CaseFilter(DepartmentId: finance), new GridPageRequest(Page: 1, PageSize: 1));
        Assert.True(first.Total >= 2);
        Assert.True(first.Items.Single().Id > second.Items.Single().Id);
    }

    [Fact]
    public async Task An_open_case_is_edited_into_the_audit_trail_a_stale_edit_is_refused_and_a_closed_case_refuses_every_edit()
    {
        var auditor = await portal.PrincipalAsync("auditor");
        var admin = await portal.PrincipalAsync("admin");
        var id = await portal.OpenCaseAsync("销售部", "applicant", facts: "Stamped before approval.");
        var loaded = (await Cases.GetAsync(auditor, id)).Case!;
        var finance = await portal.DepartmentIdAsync("财务部");
        var keeper = await portal.UserIdAsync("keeper");

        var edited = await Cases.EditAsync(admin, id, new CaseEditInput(loaded.Version, ViolationKind.OutsideSealScope, finance, keeper, "  Stamped outside the seal's scope.  "));
        Assert.True(edited.Succeeded, edited.Error);
        var now = (await Cases.GetAsync(auditor, id)).Case!;
        Assert.Equal((ViolationKind.OutsideSealScope, finance, keeper, "Stamped outside the seal's scope."), (now.Kind, now.DepartmentId, now.ResponsibleUserId, now.Facts));
        Assert.NotEqual(loaded.Version, now.Version);
        // The person newly named is told, as when a case is opened.
        Assert.Single(await portal.QueryAsync(db => db.Notifications.Where(n => n.UserId == keeper && n.Subject.Contains(loaded.Number)).ToListAsync()));

        // The auditor's form was loaded before the administrator's edit: refused, nothing written over.
        var stale = await Cases.EditAsync(auditor, id, new CaseEditInput(loaded.Version, ViolationKind.Other, finance, null, "Mine."));
        Assert.Equal((StatusCodes.Status409Conflict, ViolationCaseService.ChangedMeanwhile), (stale.StatusCode, stale.Error));
        Assert.Equal("Stamped outside the seal's scope.", (await Cases.GetAsync(auditor, id)).Case!.Facts);

        // Bad input: the reason, 400, nothing stored.
        foreach (var (input, reason) in new[]
                 {
                     (new CaseEditInput(now.Version, null, finance, keeper, "x"), "Choose the kind of violation."),
                     (new CaseEditInput(now.Version, ViolationKind.Other, finance, keeper, "   "), "Write down the facts."),
                     (new CaseEditInput(now.Version, ViolationKind.Other, finance, keeper, new string('x', ViolationCaseLimits.FactsLength + 1)), "The facts have at most {0} characters."),
                     (new CaseEditInput(now.Version, ViolationKind.Other, null, keeper, "x"), "Choose the responsible department."),
                     (new CaseEditInput(now.Version, ViolationKind.Other, 987654, keeper, "x"), "Department {0} does not exist."),
                     (new CaseEditInput(now.Version, ViolationKind.Other, finance, "nobody", "x"), "The responsible person is not a user of the portal."),
                     (new CaseEditInput(now.Version, now.Kind, now.DepartmentId, now.ResponsibleUserId, now.Facts), "Nothing was changed."),
                 })
        {
            var refused = await Cases.EditAsync(auditor, id, input);
            Assert.Equal((StatusCodes.Status400BadRequest, reason), (refused.StatusCode, refused.Error));
        }
        Assert.Equal(Editable(now), Editable((await Cases.GetAsync(auditor, id)).Case!));

        // Closed: every edit is refused with the reason, even with the current version.
        Assert.True((await Cases.CloseAsync(auditor, id, ViolationOutcome.Warning, "Warned.")).Succeeded);
        var closed = (await Cases.GetAsync(auditor, id)).Case!;
        var afterClose = await Cases.EditAsync(admin, id, new CaseEditInput(closed.Version, ViolationKind.Other, finance, null, "Rewritten."));
        Assert.Equal((StatusCodes.Status409Conflict, ViolationCaseService.IsClosed), (afterClose.StatusCode, afterClose.Error));
        Assert.Equal("Stamped outside the seal's scope.", (await Cases.GetAsync(auditor, id)).Case!.Facts);

        var trail = await portal.QueryAsync(db => db.AuditEvents.Where(e => e.Subject == ViolationCaseService.Subject(loaded.Number)).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal([AuditAction.CaseOpened, AuditAction.CaseEdited, AuditAction.CaseClosed], trail.Select(e => e.Action));
        Assert.Equal("admin", trail[1].Actor);
        Assert.Contains("kind UseWithoutApproval → OutsideSealScope", trail[1].Detail);
        Assert.Contains("facts: Stamped outside the seal's scope.", trail[1].Detail);
        Assert.Contains($"responsible {await portal.UserIdAsync("applicant")} → {keeper}", trail[1].Detail);
    }

    [Theory]
    [InlineData("applicant")]
    [InlineData("depthead")]
    [InlineData("executive")]
    [InlineData("keeper")]
    [InlineData(null)]
    public async Task Only_auditors_and_administrators_edit_a_case(string? userName)
    {
        var id = await portal.OpenCaseAsync("销售部", "applicant", facts: "Not to be edited by " + userName);
        var before = (await Cases.GetAsync(await portal.PrincipalAsync("auditor"), id)).Case!;
        var user = userName is null ? null : await portal.PrincipalAsync(userName);
        var refused = await Cases.EditAsync(user, id, new CaseEditInput(before.Version, ViolationKind.Other, before.DepartmentId, null, "Taken over."));
        Assert.Equal(userName is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden, refused.StatusCode);
        Assert.Equal(Editable(before), Editable((await Cases.GetAsync(await portal.PrincipalAsync("auditor"), id)).Case!));
        Assert.Equal(0, await portal.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.CaseEdited && e.Subject == ViolationCaseService.Subject(before.Number))));
    }

    [Fact]
    public async Task The_list_sorts_by_department_and_opened_time_and_filters_by_the_day_opened_in_the_database()
    {
        var auditor = await portal.PrincipalAsync("auditor");
        var opened = new List<int>();
        foreach (var department in new[] { "财务部", "法务部", "财务部", "总经办", "法务部" })
            opened.Add(await portal.OpenCaseAsync(department));
        var all = new GridPageRequest(PageSize: 100);

        List<string> Departments(ListPage<CaseRow> page) => page.Items.Select(r => r.Department).ToList();
        var ascending = Departments(await Cases.PageAsync(auditor, new CaseFilter(), all with { SortBy = "Department" }));
        var descending = Departments(await Cases.PageAsync(auditor, new CaseFilter(), all with { SortBy = "Department", Descending = true }));
        // Each department's cases together, the departments in one order and then in the other.
        var groups = ascending.Distinct().ToList();
        Assert.True(groups.Count >= 3);
        Assert.Equal(groups.Count, ascending.Select((d, i) => i == 0 || d != ascending[i - 1]).Count(x => x));
        Assert.Equal(Enumerable.Reverse(groups), descending.Distinct());

        var oldest = (await Cases.PageAsync(auditor, new CaseFilter(), all with { SortBy = "OpenedAt" })).Items;
        Assert.Equal(oldest.OrderBy(r => r.OpenedAt).ThenBy(r => r.Id).Select(r => r.Id), oldest.Select(r => r.Id));
        var newest = (await Cases.PageAsync(auditor, new CaseFilter(), all with { SortBy = "OpenedAt", Descending = true })).Items;
        Assert.Equal(oldest.Select(r => r.Id).Reverse(), newest.Select(r => r.Id));

        // The day opened, in company time: today holds the cases just opened, from tomorrow and up to yesterday do not.
        var today = portal.Services.GetRequiredService<CompanyTime>().CurrentDay;
        async Task<List<int>> OpenedIn(CaseFilter filter) => (await Cases.PageAsync(auditor, filter, all)).Items.Select(r => r.Id).ToList();
        Assert.Subset((await OpenedIn(new CaseFilter(OpenedFrom: today, OpenedTo: today))).ToHashSet(), opened.ToHashSet());
        Assert.Empty((await OpenedIn(new CaseFilter(OpenedFrom: today.AddDays(1)))).Intersect(opened));
        Assert.Empty((await OpenedIn(new CaseFilter(OpenedTo: today.AddDays(-1)))).Intersect(opened));
    }

    private static (ViolationKind, int, string?, string, Guid, ViolationCaseStatus) Editable(CaseDetail c) =>
        (c.Kind, c.DepartmentId, c.ResponsibleUserId, c.Facts, c.Version, c.Status);

    [Fact]
    public async Task The_assessment_counts_a_departments_cases_of_a_period_leaving_out_no_violation()
    {
        var auditor = await portal.PrincipalAsync("auditor");
        var legal = await portal.DepartmentIdAsync("法务部");
        var from = DateTimeOffset.UtcNow.AddMinutes(-5);
        async Task<int> CountAsync(DateTimeOffset f, DateTimeOffset t) => await portal.QueryAsync(db => ViolationCases.CountForDepartmentAsync(db, legal, f, t));
        var before = await CountAsync(from, from.AddHours(1));

        await portal.OpenCaseAsync("法务部");                                            // open: counts
        var penalty = await portal.OpenCaseAsync("法务部");
        Assert.True((await Cases.CloseAsync(auditor, penalty, ViolationOutcome.Penalty, "Fine.")).Succeeded);  // counts
        var cleared = await portal.OpenCaseAsync("法务部");
        Assert.True((await Cases.CloseAsync(auditor, cleared, ViolationOutcome.NoViolation, "Approved in time after all.")).Succeeded); // does not
        await portal.OpenCaseAsync("销售部");                                            // another department

        Assert.Equal(before + 2, await CountAsync(from, from.AddHours(1)));
        Assert.Equal(0, await CountAsync(from.AddDays(-30), from.AddDays(-29)));
        Assert.Equal(0, await CountAsync(from.AddHours(1), from.AddHours(2)));
    }
}
