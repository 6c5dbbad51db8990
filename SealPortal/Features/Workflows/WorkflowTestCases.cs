using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Workflow;

namespace SealPortal.Features.Workflows;

/// <summary>A test case as the form fills it in; null fields are missing ones, refused with a message.</summary>
public sealed record TestCaseInput(
    string TemplateKey, string? Name, int? DepartmentId, int? SealId, string? DocumentType, decimal? Amount, bool Urgent,
    string? ApplicantUserId, IReadOnlyList<string> ExpectedPath, string? ExpectedTemplateKey = null);

/// <summary>What the test-case form offers: departments, seals in use, applicants who can sign in, the template's nodes and every template key.</summary>
public sealed record TestCaseChoices(
    IReadOnlyList<(int Id, string Name)> Departments, IReadOnlyList<(int Id, string Name)> Seals,
    IReadOnlyList<(string Id, string Name, int? DepartmentId)> Applicants, IReadOnlyList<(string Id, string Name)> Nodes, IReadOnlyList<string> TemplateKeys);

/// <summary>A stored test case with the names of what it refers to (null when that no longer exists).</summary>
public sealed record TestCaseRow(
    int Id, string TemplateKey, string Name, int DepartmentId, string? DepartmentName, int SealId, string? SealName,
    string DocumentType, decimal? Amount, bool Urgent, string ApplicantUserId, string? ApplicantName,
    IReadOnlyList<string> ExpectedPath, string? ExpectedTemplateKey, Guid Version);

/// <summary>
/// Why a case failed or was refused: a resource key of the portal with its arguments (arguments that are
/// resource keys themselves are translated too, see <see cref="WorkflowText.Problem"/>).
/// </summary>
public sealed record TestProblem(string Key, params object[] Args)
{
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, Key, Args);
}

/// <summary>An approver a node resolves to now, with the deputies whose delegation from them is in effect now.</summary>
public sealed record DryRunApprover(string UserId, string Name, IReadOnlyList<string> DeputyNames);

/// <summary>A node the sample request passes, as the engine enters it: its approvers and the deadline it would get.</summary>
public sealed record DryRunNode(string NodeId, string NodeName, ApprovalMode Mode, IReadOnlyList<DryRunApprover> Approvers, DateTimeOffset? DueAt);

/// <summary>One case run against a catalog: the template the rules chose, the nodes passed and whether that is what was expected.</summary>
public sealed record TestCaseRun(
    TestCaseRow Case, string? TemplateKey, int? TemplateVersion, string? TemplateName,
    IReadOnlyList<DryRunNode> Nodes, IReadOnlyList<string> SkippedNodes, TestProblem? Problem)
{
    public bool Passed => Problem is null;

    public IReadOnlyList<string> ActualPath => Nodes.Select(n => n.NodeId).ToList();

    /// <summary>Expected nodes the request did not pass.</summary>
    public IReadOnlyList<string> Missing => Case.ExpectedPath.Where(n => !ActualPath.Contains(n)).ToList();

    /// <summary>Nodes the request passed that were not expected.</summary>
    public IReadOnlyList<string> Unexpected => ActualPath.Where(n => !Case.ExpectedPath.Contains(n)).ToList();
}

/// <summary>A saved case whose path differs between the current version and the one about to be published.</summary>
public sealed record PathChange(TestCaseRow Case, IReadOnlyList<string> Before, IReadOnlyList<string> After, bool PassesAfter);

/// <summary>What publishing a version would do to the saved cases: each case run against it, the changed paths, the failures.</summary>
public sealed record PublishPreview(IReadOnlyList<TestCaseRun> Runs, IReadOnlyList<PathChange> Changes)
{
    /// <summary>Node id to name, from the nodes the cases passed before and after, for showing paths by name.</summary>
    public IReadOnlyDictionary<string, string> NodeNames { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<TestCaseRun> Failing => Runs.Where(r => !r.Passed).ToList();
}

/// <summary>
/// Test cases of approval templates (流程测试): stored per template, and run as a dry run of the engine: the
/// portal's template choice at submission, then every node entered with the approvers it resolves to today and
/// the deadline it gets, each node approved at once. Nothing is written while running: no request, decision,
/// notification or pending approval. Each method uses a context of its own.
/// </summary>
public sealed class WorkflowTestCases(
    IDbContextFactory<SealPortalDbContext> contexts, WorkingCalendar calendar, TimeProvider clock, IHttpContextAccessor http, ILogger<WorkflowTestCases> logger)
{
    public const int MaxNameLength = 200;

    public async Task<IReadOnlyList<TestCaseRow>> ListAsync(string templateKey, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var cases = await db.WorkflowTestCases.AsNoTracking().Where(c => c.TemplateKey == templateKey).OrderBy(c => c.Id).ToListAsync(ct);
        var world = await World.LoadAsync(db, cases, clock.GetUtcNow(), ct);
        return cases.Select(world.Row).ToList();
    }

    public async Task<TestCaseChoices> ChoicesAsync(string templateKey, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(ct);
        var seals = await db.Seals.AsNoTracking().Where(s => s.Status == SealStatus.Active).OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToListAsync(ct);
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.DisplayName, u.UserName, u.DepartmentId, u.LockoutEnd }).ToListAsync(ct);
        var template = await db.WorkflowTemplateVersions.AsNoTracking().Where(t => t.Key == templateKey).OrderByDescending(t => t.Version)
            .Select(t => t.TemplateJson).FirstOrDefaultAsync(ct);
        var nodes = template is null ? [] : WorkflowJson.Deserialize<WorkflowTemplate>(template).Nodes.Select(n => (n.Id, n.Name)).ToList();
        var keys = await db.WorkflowTemplateVersions.AsNoTracking().Select(t => t.Key).Distinct().ToListAsync(ct);
        return new TestCaseChoices(
            departments.Select(d => (d.Id, d.Name)).ToList(),
            seals.Select(s => (s.Id, s.Name)).ToList(),
            users.Where(u => u.LockoutEnd is not { } l || l <= now).OrderBy(u => u.UserName, StringComparer.Ordinal)
                .Select(u => (u.Id, $"{u.DisplayName} ({u.UserName})", u.DepartmentId)).ToList(),
            nodes,
            keys.Order(StringComparer.Ordinal).ToList());
    }

    public const string SessionEnded = SealPortal.Components.Interactive.CircuitUser.SessionEnded;
    public const string AdminsOnly = "Only administrators may keep the test cases of approval templates.";
    public const string NoSuchCase = "This test case no longer exists.";
    public const string ChangedMeanwhile = "Another administrator changed the test case {0} meanwhile. It is shown as it is now; make your change again.";
    public const string DuplicateName = "The template already has a test case named {0}.";

    /// <summary>Why <paramref name="user"/> may not change test cases (signed out, not an administrator); null when they may.</summary>
    private static TestProblem? Refuse(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated != true ? new TestProblem(SessionEnded)
        : !user.IsInRole(Roles.Admin) ? new TestProblem(AdminsOnly)
        : null;

    /// <summary>Stores a case after checking the user and every field; the id on success, else why not.</summary>
    public async Task<(int? Id, TestProblem? Problem)> CreateAsync(TestCaseInput input, ClaimsPrincipal? user, CancellationToken ct)
    {
        if (Refuse(user) is { } refused)
            return (null, refused);
        if (Check(input) is { } bad)
            return (null, bad);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = new WorkflowTestCase
        {
            TemplateKey = input.TemplateKey,
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = user!.Identity!.Name!,
        };
        if (await FillAsync(db, row, input, ct) is { } problem)
            return (null, problem);
        db.WorkflowTestCases.Add(row);
        using (AuditTrail.AuditTrail.ActingAs(user))
            AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.WorkflowTestCaseChanged, $"test case created: {row.Name}", Subject(row.TemplateKey));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} added test case {Id} to workflow template {Key}", row.CreatedBy, row.Id, row.TemplateKey);
        return (row.Id, null);
    }

    /// <summary>
    /// Changes a case as the form loaded it (<paramref name="version"/>, see <see cref="TestCaseRow.Version"/>): every field
    /// is checked as for a new case, and a case another administrator changed or deleted meanwhile is refused, not overwritten.
    /// The template a case belongs to does not change.
    /// </summary>
    public async Task<(int? Id, TestProblem? Problem)> UpdateAsync(int id, Guid version, TestCaseInput input, ClaimsPrincipal? user, CancellationToken ct)
    {
        if (Refuse(user) is { } refused)
            return (null, refused);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.WorkflowTestCases.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (row is null)
            return (null, new TestProblem(NoSuchCase));
        if (row.Version != version)
            return (null, new TestProblem(ChangedMeanwhile, row.Name));
        if (Check(input with { TemplateKey = row.TemplateKey }) is { } bad)
            return (null, bad);
        var before = row.Name;
        if (await FillAsync(db, row, input with { TemplateKey = row.TemplateKey }, ct) is { } problem)
            return (null, problem);
        using (AuditTrail.AuditTrail.ActingAs(user!))
            AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.WorkflowTestCaseChanged,
                before == row.Name ? $"test case edited: {row.Name}" : $"test case edited: {before} → {row.Name}", Subject(row.TemplateKey));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Saved by another administrator between reading and writing: the same answer as a stale form.
            return (null, new TestProblem(ChangedMeanwhile, row.Name));
        }
        logger.LogInformation("{Actor} edited test case {Id} of workflow template {Key}", user!.Identity!.Name, row.Id, row.TemplateKey);
        return (row.Id, null);
    }

    /// <summary>Deletes a case; null on success, else why not (signed out, not an administrator, no such case).</summary>
    public async Task<TestProblem?> DeleteAsync(int id, ClaimsPrincipal? user, CancellationToken ct)
    {
        if (Refuse(user) is { } refused)
            return refused;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.WorkflowTestCases.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (row is null)
            return new TestProblem(NoSuchCase);
        db.WorkflowTestCases.Remove(row);
        using (AuditTrail.AuditTrail.ActingAs(user!))
            AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.WorkflowTestCaseChanged, $"test case deleted: {row.Name}", Subject(row.TemplateKey));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new TestProblem(NoSuchCase);
        }
        logger.LogInformation("{Actor} deleted workflow test case {Id}", user!.Identity!.Name, id);
        return null;
    }

    /// <summary>The audit trail's subject for the test cases of a template (the template's own changes use the same).</summary>
    public static string Subject(string templateKey) => $"workflow:{templateKey}";

    /// <summary>The checks that need no database: every field present and within its limits.</summary>
    private static TestProblem? Check(TestCaseInput input)
    {
        if (!WorkflowTemplateStore.IsValidKey(input.TemplateKey))
            return new TestProblem("There is no template with this key.");
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > MaxNameLength)
            return new TestProblem("A test case needs a name of at most {0} characters.", MaxNameLength);
        if (input.DepartmentId is null)
            return new TestProblem("Choose the department of the sample request.");
        if (input.SealId is null)
            return new TestProblem("Choose the seal of the sample request.");
        if (string.IsNullOrEmpty(input.DocumentType))
            return new TestProblem("Choose a document type.");
        if (string.IsNullOrEmpty(input.ApplicantUserId))
            return new TestProblem("Choose the applicant of the sample request.");
        if (input.Amount is < 0 or > 1_000_000_000_000m)
            return new TestProblem("The amount must be between 0 and 1 000 000 000 000.");
        var path = ExpectedPath(input);
        if (path.Count == 0)
            return new TestProblem("Give the expected path: the nodes the request should pass, in order.");
        if (path.Any(n => n.Contains(WorkflowTestCase.PathSeparator)) || string.Join(WorkflowTestCase.PathSeparator, path).Length > 2000)
            return new TestProblem("The expected path is too long or names an invalid node.");
        if (input.ExpectedTemplateKey is { Length: > 0 } expectedKey && !WorkflowTemplateStore.IsValidKey(expectedKey))
            return new TestProblem("There is no template with this key.");
        return null;
    }

    private static List<string> ExpectedPath(TestCaseInput input) =>
        input.ExpectedPath.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToList();

    /// <summary>
    /// Copies a checked input onto <paramref name="row"/> after the checks that read the database: the templates exist, the
    /// name is not another case's of the same template, and what the case names exists and is in use now (a case that goes
    /// stale later fails with the reason when run). Turns the row's version.
    /// </summary>
    private async Task<TestProblem?> FillAsync(SealPortalDbContext db, WorkflowTestCase row, TestCaseInput input, CancellationToken ct)
    {
        if (!await db.WorkflowTemplateVersions.AnyAsync(t => t.Key == input.TemplateKey, ct))
            return new TestProblem("There is no template with this key.");
        if (input.ExpectedTemplateKey is { Length: > 0 } k && !await db.WorkflowTemplateVersions.AnyAsync(t => t.Key == k, ct))
            return new TestProblem("There is no template with this key.");
        var name = input.Name!.Trim();
        var others = await db.WorkflowTestCases.AsNoTracking().Where(c => c.TemplateKey == input.TemplateKey && c.Id != row.Id).Select(c => c.Name).ToListAsync(ct);
        if (others.Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
            return new TestProblem(DuplicateName, name);
        row.Name = name;
        row.DepartmentId = input.DepartmentId!.Value;
        row.SealId = input.SealId!.Value;
        row.DocumentType = input.DocumentType!;
        row.Amount = input.Amount;
        row.Urgent = input.Urgent;
        row.ApplicantUserId = input.ApplicantUserId!;
        row.ExpectedPath = string.Join(WorkflowTestCase.PathSeparator, ExpectedPath(input));
        row.ExpectedTemplateKey = string.IsNullOrEmpty(input.ExpectedTemplateKey) ? null : input.ExpectedTemplateKey;
        row.Version = Guid.NewGuid();
        var world = await World.LoadAsync(db, [row], clock.GetUtcNow(), ct);
        return world.StaleReason(row);
    }

    /// <summary>Runs the cases of a template (or only <paramref name="caseId"/>) against the templates and rules in force now.</summary>
    public async Task<IReadOnlyList<TestCaseRun>> RunAsync(string templateKey, int? caseId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var cases = await db.WorkflowTestCases.AsNoTracking()
            .Where(c => c.TemplateKey == templateKey && (caseId == null || c.Id == caseId)).OrderBy(c => c.Id).ToListAsync(ct);
        var catalog = await WorkflowTemplateStore.LoadCatalogAsync(db, ct);
        var now = clock.GetUtcNow();
        var world = await World.LoadAsync(db, cases, now, ct);
        return cases.Select(c => Run(c, world, catalog, calendar, now)).ToList();
    }

    /// <summary>What publishing <paramref name="candidate"/> would do to the saved cases (see <see cref="PreviewAsync(SealPortalDbContext, WorkflowTemplate, WorkingCalendar, DateTimeOffset, CancellationToken)"/>).</summary>
    public async Task<PublishPreview> PreviewAsync(WorkflowTemplate candidate, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await PreviewAsync(db, candidate, calendar, clock.GetUtcNow(), ct);
    }

    /// <summary>
    /// Runs the saved cases that concern <paramref name="candidate"/>'s key (cases of that template, and cases whose
    /// request the rules send to it now or would with the candidate) against the catalog in force and against the
    /// catalog with the candidate as its newest version: the failures after, and the paths that change.
    /// </summary>
    public static async Task<PublishPreview> PreviewAsync(SealPortalDbContext db, WorkflowTemplate candidate, WorkingCalendar calendar, DateTimeOffset now, CancellationToken ct)
    {
        var cases = await db.WorkflowTestCases.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        if (cases.Count == 0)
            return new PublishPreview([], []);
        var current = await WorkflowTemplateStore.LoadCatalogAsync(db, ct);
        var latestVersion = current.Templates.Where(t => t.Key == candidate.Key).Select(t => (int?)t.Version).Max() ?? 0;
        var next = current with
        {
            Templates = [.. current.Templates.Where(t => t.Key != candidate.Key), candidate with { Version = latestVersion + 1 }],
        };
        var world = await World.LoadAsync(db, cases, now, ct);
        var runs = new List<TestCaseRun>();
        var changes = new List<PathChange>();
        var names = new Dictionary<string, string>();
        foreach (var c in cases)
        {
            var before = Run(c, world, current, calendar, now);
            var after = Run(c, world, next, calendar, now);
            if (c.TemplateKey != candidate.Key && before.TemplateKey != candidate.Key && after.TemplateKey != candidate.Key)
                continue;
            runs.Add(after);
            foreach (var node in after.Nodes.Concat(before.Nodes))
                names.TryAdd(node.NodeId, node.NodeName);
            if (!before.ActualPath.SequenceEqual(after.ActualPath) || before.TemplateKey != after.TemplateKey)
                changes.Add(new PathChange(after.Case, before.ActualPath, after.ActualPath, after.Passed));
        }
        return new PublishPreview(runs, changes) { NodeNames = names };
    }

    private static TestCaseRun Run(WorkflowTestCase c, World world, WorkflowCatalog catalog, WorkingCalendar calendar, DateTimeOffset now)
    {
        var row = world.Row(c);
        TestCaseRun Fail(TestProblem problem, WorkflowTemplate? template = null, IReadOnlyList<DryRunNode>? nodes = null, IReadOnlyList<string>? skipped = null) =>
            new(row, template?.Key, template?.Version, template?.Name, nodes ?? [], skipped ?? [], problem);

        if (world.StaleReason(c) is { } stale)
            return Fail(stale);
        var seal = world.Seals[c.SealId];
        var facts = new SealRequestFacts(
            $"test-{c.Id}", c.ApplicantUserId, c.DepartmentId.ToString(CultureInfo.InvariantCulture),
            [new RequestedSeal(c.SealId.ToString(CultureInfo.InvariantCulture), seal.Type.ToString())],
            c.DocumentType, c.Amount, c.Urgent);

        // The same choice as at submission (SubmitRequestHandler): the rules' template, its newest version.
        var template = catalog.Select(facts);
        if (template is null)
            return Fail(new TestProblem("The rules chose template {0}, which does not exist.", catalog.SelectKey(facts)));
        var engine = new WorkflowEngine(world.Directory, calendar);
        var started = engine.Start(facts, template, now);
        var nodes = new List<DryRunNode>();
        var skipped = new List<string>();
        if (started.Outcome != WorkflowOutcome.Applied)
            return Fail(Refusal(started.Refusal!, template), template);
        var state = started.State!;
        skipped.AddRange(started.Events.OfType<NodeSkipped>().Select(e => e.NodeName));

        // Each node is approved the moment it is entered, so every deadline is the one a node entered now would get.
        for (var guard = 0; state.Status == RequestStatus.InApproval && state.Current is { } current && guard <= template.Nodes.Count; guard++)
        {
            var node = state.Template.Nodes[current.NodeIndex];
            var pending = current.PendingApprovers.ToList();
            nodes.Add(new DryRunNode(node.Id, node.Name, node.Mode,
                pending.Select(u => new DryRunApprover(u, world.UserName(u),
                    world.Directory.DelegationsFrom(u).Where(d => d.IsActiveAt(now)).Select(d => world.UserName(d.DeputyUserId)).Distinct().ToList())).ToList(),
                current.DueAt));
            foreach (var approver in node.Mode == ApprovalMode.AnySign ? pending.Take(1) : pending)
            {
                var decided = engine.Decide(state, new DecisionCommand(approver, DecisionKind.Approve, null, state.Version), now);
                if (decided.Outcome != WorkflowOutcome.Applied)
                    return Fail(Refusal(decided.Refusal ?? new Refusal(RefusalCode.InvalidCommand, decided.Notice?.Message ?? ""), template), template, nodes, skipped);
                skipped.AddRange(decided.Events.OfType<NodeSkipped>().Select(e => e.NodeName));
                state = decided.State!;
            }
        }

        var actual = nodes.Select(n => n.NodeId).ToList();
        var expected = row.ExpectedPath;
        TestProblem? problem = null;
        if (row.ExpectedTemplateKey is { } expectedKey && expectedKey != template.Key)
            problem = new TestProblem("The rules chose template {0}, not the expected {1}.", template.Key, expectedKey);
        else if (!actual.SequenceEqual(expected))
            problem = new TestProblem("The path differs from the expected one.");
        return new TestCaseRun(row, template.Key, template.Version, template.Name, nodes, skipped, problem);
    }

    private static TestProblem Refusal(Refusal refusal, WorkflowTemplate template)
    {
        switch (refusal.Code)
        {
            case RefusalCode.NoApprovers:
                var step = Regex.Match(refusal.Message, "^Step '(.*?)' has no approver");
                return new TestProblem("Node {0} resolves to nobody other than the applicant: nobody could approve it.", step.Success ? step.Groups[1].Value : "?");
            case RefusalCode.NoApplicableNode:
                return new TestProblem("No node of template {0} applies to this request, so nobody would approve it.", template.Name);
            case RefusalCode.InvalidTemplate:
                return new TestProblem("Template {0} is invalid.", template.Name);
            default:
                return new TestProblem("The engine refused the sample request: {0}", refusal.Message);
        }
    }

    /// <summary>What a run reads once: names and states of departments, seals and users, and the approver directory.</summary>
    private sealed class World
    {
        public Dictionary<int, string> Departments { get; private init; } = [];
        public Dictionary<int, (string Name, SealType Type, SealStatus Status)> Seals { get; private init; } = [];
        public Dictionary<string, (string Name, bool Disabled)> Users { get; private init; } = [];
        public ApproverDirectorySnapshot Directory { get; private init; } = new();

        public static async Task<World> LoadAsync(SealPortalDbContext db, IReadOnlyList<WorkflowTestCase> cases, DateTimeOffset now, CancellationToken ct)
        {
            var departments = await db.Departments.AsNoTracking().Select(d => new { d.Id, d.Name }).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
            var sealIds = cases.Select(c => c.SealId).Distinct().ToList();
            var seals = await db.Seals.AsNoTracking().Where(s => sealIds.Contains(s.Id)).Select(s => new { s.Id, s.Name, s.Type, s.Status }).ToListAsync(ct);
            var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.DisplayName, u.UserName, u.LockoutEnd }).ToListAsync(ct);
            return new World
            {
                Departments = departments,
                Seals = seals.ToDictionary(s => s.Id, s => (s.Name, s.Type, s.Status)),
                Users = users.ToDictionary(u => u.Id, u => (string.IsNullOrEmpty(u.DisplayName) ? u.UserName ?? u.Id : u.DisplayName, u.LockoutEnd is { } l && l > now)),
                Directory = cases.Count == 0 ? new ApproverDirectorySnapshot() : await ApproverDirectoryLoader.LoadAsync(db, ct),
            };
        }

        public string UserName(string id) => Users.TryGetValue(id, out var u) ? u.Name : id;

        public TestCaseRow Row(WorkflowTestCase c) => new(
            c.Id, c.TemplateKey, c.Name, c.DepartmentId, Departments.GetValueOrDefault(c.DepartmentId), c.SealId,
            Seals.TryGetValue(c.SealId, out var s) ? s.Name : null, c.DocumentType, c.Amount, c.Urgent, c.ApplicantUserId,
            Users.TryGetValue(c.ApplicantUserId, out var u) ? u.Name : null,
            c.ExpectedPath.Split(WorkflowTestCase.PathSeparator, StringSplitOptions.RemoveEmptyEntries), c.ExpectedTemplateKey, c.Version);

        /// <summary>Why the case cannot run as a request now: what it names no longer exists or is out of use.</summary>
        public TestProblem? StaleReason(WorkflowTestCase c)
        {
            if (!Departments.ContainsKey(c.DepartmentId))
                return new TestProblem("The department of this test case (id {0}) no longer exists.", c.DepartmentId);
            if (!Users.TryGetValue(c.ApplicantUserId, out var applicant))
                return new TestProblem("The applicant of this test case no longer exists.");
            if (applicant.Disabled)
                return new TestProblem("The applicant of this test case, {0}, is disabled.", applicant.Name);
            if (!Seals.TryGetValue(c.SealId, out var seal))
                return new TestProblem("The seal of this test case (id {0}) no longer exists.", c.SealId);
            if (seal.Status != SealStatus.Active)
                return new TestProblem("The seal of this test case, {0}, is not in use ({1}).", seal.Name, $"SealStatus.{seal.Status}");
            if (!DocumentTypes.IsKnown(c.DocumentType))
                return new TestProblem("The document type of this test case ({0}) no longer exists.", c.DocumentType);
            return null;
        }
    }
}
