using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
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
