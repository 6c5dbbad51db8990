using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using Microsoft.Extensions.Localization;
using SealPortal.Features.Archive;
using SealPortal.Features.Authorizations;
using SealPortal.Features.Workflows;
using SealPortal.Resources;
using SealPortal.Features.Seals;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>
/// Seal-use requests (用印申请) from draft to approval: drafts with their PDFs, submission into the
/// workflow engine, decisions, withdrawal and resubmission, placements, deadlines, and the read side
/// for "my requests", the inbox and the request page. The workflow state is stored as JSON on the
/// request row, guarded by its concurrency token, so two decisions based on the same state cannot both be stored.
/// </summary>
public sealed class SealRequestService(
    SealPortalDbContext db,
    RequestNumberSource numbers,
    ArchiveStore archive,
    SealRegistry seals,
    WorkflowTemplateStore templates,
    SealAuthorizationService authorizations,
    AuditTrail.AuditTrail audit,
    IStringLocalizer<SharedResource> localizer,
    ApproverDirectoryLoader directories,
    WorkingCalendar calendar,
    IEnumerable<IRequestApprovedHandler> approvedHandlers,
    IOptions<RequestsOptions> options,
    TimeProvider clock,
    ILogger<SealRequestService> logger)
{
    /// <summary>Roles that may ask to use a seal. Auditors only read.</summary>
    public const string ApplyingRolesText =
        Roles.Applicant + "," + Roles.DepartmentHead + "," + Roles.Reviewer + "," + Roles.Executive + "," + Roles.SealKeeper + "," + Roles.Admin;

    public static readonly IReadOnlyList<string> ApplyingRoles = ApplyingRolesText.Split(',');

    /// <summary>Roles that see every request (read only).</summary>
    public static readonly IReadOnlyList<string> ReadAllRoles = [Roles.Auditor, Roles.Admin];


    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public static bool MayApply(ClaimsPrincipal user) => ApplyingRoles.Any(user.IsInRole);

    // ---------------------------------------------------------------- drafts

    /// <summary>Creates a draft with its PDFs. Every PDF is checked by parsing before anything is stored.</summary>
    public async Task<RequestResult> CreateDraftAsync(string userId, SealRequestInput input, IReadOnlyList<UploadedPdf> files, CancellationToken ct = default)
    {
        var applicant = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.DepartmentId }).SingleOrDefaultAsync(ct);
        if (applicant is null)
            return RequestResult.Fail(StatusCodes.Status403Forbidden, "Your account is unknown.");
        if (applicant.DepartmentId is not { } departmentId)
            return RequestResult.Fail("Your account has no department; ask an administrator to set one.");
        if (files.Count == 0)
            return RequestResult.Fail("Upload at least one PDF.");
        if (await CheckInputAsync(userId, input, ct) is { } invalid)
            return invalid;

        var documents = await AcceptPdfsAsync(files, ct);
        if (documents.Error is not null)
            return documents.Error;

        var now = clock.GetUtcNow();
        var request = new SealRequest
        {
            ApplicantUserId = userId,
            DepartmentId = departmentId,
            CreatedAt = now,
            Status = SealRequestStatus.Draft,
        };
        Apply(request, input);
        request.Documents.AddRange(documents.Accepted);
        db.SealRequests.Add(request);
        var created = audit.Add(AuditAction.RequestCreated, $"{request.Documents.Count} PDF(s): {string.Join(", ", request.Documents.Select(d => d.FileName))}");
        await SaveWithNumberAsync(request, now, number => created.Subject = number, ct);
        logger.LogInformation("Seal request {Number} created by {User} with {Count} PDF(s)", request.Number, userId, request.Documents.Count);
        return RequestResult.Ok(request.Id);
    }

    /// <summary>
    /// Changes a draft, or a request returned for revision. New PDFs, when given, replace the request's
    /// documents (the old files stay in the archive).
    /// </summary>
    public async Task<RequestResult> UpdateDraftAsync(int requestId, string userId, SealRequestInput input, IReadOnlyList<UploadedPdf> replacementFiles, CancellationToken ct = default)
    {
        var request = await db.SealRequests.Include(r => r.Documents).Include(r => r.Seals)
            .SingleOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null)
            return RequestResult.Fail(StatusCodes.Status404NotFound, "No such request.");
        if (request.ApplicantUserId != userId)
            return RequestResult.Fail(StatusCodes.Status403Forbidden, "Only the applicant may change this request.");
        if (request.Status is not (SealRequestStatus.Draft or SealRequestStatus.Returned))
            return RequestResult.Fail(StatusCodes.Status409Conflict, "Only a draft or a request returned for revision can be changed.");
        if (await CheckInputAsync(userId, input, ct) is { } invalid)
            return invalid;

        if (replacementFiles.Count > 0)
        {
            var documents = await AcceptPdfsAsync(replacementFiles, ct);
            if (documents.Error is not null)
                return documents.Error;
            db.SealRequestDocuments.RemoveRange(request.Documents);
            request.Documents.Clear();
            request.Documents.AddRange(documents.Accepted);
            // Placements pointed at the replaced documents.
            foreach (var s in request.Seals)
                ClearPlacement(s);
        }
        Apply(request, input);
        request.ConcurrencyStamp = Guid.NewGuid();
        return await SaveCommandAsync(request, ct);
    }

    // ---------------------------------------------------------------- workflow commands

    /// <summary>Sends a draft into approval: the rules choose a template and the workflow enters its first node.</summary>
    public async Task<RequestResult> SubmitAsync(int requestId, string userId, CancellationToken ct = default)
    {
        var request = await LoadForCommandAsync(requestId, ct);
        if (request is null)
            return RequestResult.Fail(StatusCodes.Status404NotFound, "No such request.");
        if (request.ApplicantUserId != userId)
            return RequestResult.Fail(StatusCodes.Status403Forbidden, "Only the applicant may submit this request.");
        if (request.Status == SealRequestStatus.InApproval && request.WorkflowStateJson is not null)
            return RequestResult.Fail(StatusCodes.Status409Conflict, "This request was already submitted.");
        if (request.Status != SealRequestStatus.Draft)
            return RequestResult.Fail(StatusCodes.Status409Conflict, "Only a draft can be submitted.");
        if (request.Documents.Count == 0)
            return RequestResult.Fail("Upload at least one PDF.");
        if (await CheckSealsAsync(userId, request.Seals.Select(s => s.SealId).Distinct().ToList(), request.DocumentType, ct) is { } refused)
            return refused;

        var now = clock.GetUtcNow();
        var facts = await FactsAsync(request, ct);
        var engine = new WorkflowEngine(await directories.LoadAsync(ct), calendar);
        var result = engine.Start(facts, await templates.LoadCatalogAsync(ct), now);
        if (result.Outcome != WorkflowOutcome.Applied)
            return Refused(result);
        request.SubmittedAt = now;
        var template = result.State!.Template;
        audit.Add(AuditAction.RequestSubmitted, $"template {template.Key} v{template.Version}", request.Number);
        return await StoreAsync(request, result, ct);
    }

    /// <summary>The applicant takes the request back, before the first decision of the current round.</summary>
    public async Task<RequestResult> WithdrawAsync(int requestId, string userId, long basedOnVersion, CancellationToken ct = default)
    {
        var request = await LoadForCommandAsync(requestId, ct);
        if (request is null)
            return RequestResult.Fail(StatusCodes.Status404NotFound, "No such request.");
        if (request.ApplicantUserId != userId)
            return RequestResult.Fail(StatusCodes.Status403Forbidden, "Only the applicant may withdraw this request.");
        if (request.Status == SealRequestStatus.Draft)
        {
            request.Status = SealRequestStatus.Withdrawn;
            request.ConcurrencyStamp = Guid.NewGuid();
            audit.Add(AuditAction.RequestWithdrawn, "draft", request.Number);
            return await SaveCommandAsync(request, ct);
        }
        if (State(request) is not { } state)
            return RequestResult.Fail(StatusCodes.Status409Conflict, "This request can no longer be withdrawn.");
        // Said before any version check: a page from before the decision should learn why, not only that it is old.
        if (state.Status == RequestStatus.InApproval && state.Decisions.Any(d => d.Round == state.Round))
            return RequestResult.Fail(StatusCodes.Status409Conflict, "An approver has already decided on this request; it can no longer be withdrawn.");
        var result = Engine(await directories.LoadAsync(ct)).Withdraw(state, userId, basedOnVersion, clock.GetUtcNow());
        if (result.Outcome != WorkflowOutcome.Applied)
            return Refused(result);
        audit.Add(AuditAction.RequestWithdrawn, null, request.Number);
        return await StoreAsync(request, result, ct);
    }

    /// <summary>Sends a request that was returned for revision into approval again, with its current fields and PDFs.</summary>
    public async Task<RequestResult> ResubmitAsync(int requestId, string userId, long basedOnVersion, CancellationToken ct = default)
    {
        var request = await LoadForCommandAsync(requestId, ct);
        if (request is null)
            return RequestResult.Fail(StatusCodes.Status404NotFound, "No such request.");
        if (request.ApplicantUserId != userId)
            return RequestResult.Fail(StatusCodes.Status403Forbidden, "Only the applicant may resubmit this request.");
        if (State(request) is not { } state)
            return RequestResult.Fail(StatusCodes.Status409Conflict, "Only a request returned for revision can be resubmitted.");
        if (request.Documents.Count == 0)
            return RequestResult.Fail("Upload at least one PDF.");
        if (request.Status == SealRequestStatus.Returned
            && await CheckSealsAsync(userId, request.Seals.Select(s => s.SealId).Distinct().ToList(), request.DocumentType, ct) is { } refused)
            return refused;
        var facts = await FactsAsync(request, ct);
        var result = Engine(await directories.LoadAsync(ct)).Resubmit(state, userId, basedOnVersion, facts, clock.GetUtcNow());
        if (result.Outcome != WorkflowOutcome.Applied)
            return Refused(result);
        audit.Add(AuditAction.RequestResubmitted, $"round {result.State!.Round}", request.Number);
        return await StoreAsync(request, result, ct);
    }

    /// <summary>
    /// An approver (or their active deputy) approves, rejects or returns. <paramref name="basedOnVersion"/> is the
    /// version the approver's page showed: a stale page or a second click changes nothing and says why.
    /// After the final approval is committed, every <see cref="IRequestApprovedHandler"/> runs.
    /// </summary>
    public async Task<RequestResult> DecideAsync(int requestId, string userId, DecisionKind kind, string? comment, long basedOnVersion,
        string? onBehalfOfUserId = null, CancellationToken ct = default)
    {
        var request = await LoadForCommandAsync(requestId, ct);
        if (request is null)
            return RequestResult.Fail(StatusCodes.Status404NotFound, "No such request.");
        if (State(request) is not { } state)
            return RequestResult.Fail(StatusCodes.Status409Conflict, "This request is not waiting for a decision.");
        var command = new DecisionCommand(userId, kind, comment, basedOnVersion) { OnBehalfOfUserId = onBehalfOfUserId };
        var result = Engine(await directories.LoadAsync(ct)).Decide(state, command, clock.GetUtcNow());
        if (result.Outcome != WorkflowOutcome.Applied)
            return Refused(result);
        var decision = result.State!.Decisions[^1];
        audit.Add(AuditAction.DecisionMade,
            $"{decision.Kind} at {decision.NodeId}" + (decision.OnBehalfOfUserId is null ? "" : $" on behalf of {decision.OnBehalfOfUserId}")
            + (decision.Comment is null ? "" : $": {(decision.Comment.Length > 2000 ? decision.Comment[..2000] : decision.Comment)}"),
            request.Number);
        var stored = await StoreAsync(request, result, ct);
        if (stored.Succeeded && result.State!.Status == RequestStatus.Approved)
            await RunApprovedHandlersAsync(request.Id, ct);
        return stored;
    }

    /// <summary>
    /// Places the request's seals (the applicant while the request is a draft, returned or in approval;
    /// the custodian of a seal while the request is approved and not yet sealed). Replaces all placements.
    /// </summary>
    public async Task<RequestResult> SetPlacementsAsync(int requestId, string userId, IReadOnlyList<SealPlacementInput> placements, CancellationToken ct = default)
    {
        var request = await db.SealRequests.Include(r => r.Documents).Include(r => r.Seals).ThenInclude(s => s.Seal)
            .SingleOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null)
            return RequestResult.Fail(StatusCodes.Status404NotFound, "No such request.");
        if (!MayPlace(request, userId))
            return RequestResult.Fail(StatusCodes.Status403Forbidden, "You may not place seals on this request now.");

        var requested = request.Seals.Select(s => s.SealId).Distinct().ToHashSet();
        foreach (var p in placements)
        {
            if (!requested.Contains(p.SealId))
                return RequestResult.Fail("The seal {0} is not part of this request.", p.SealId);
            var document = request.Documents.FirstOrDefault(d => d.Id == p.DocumentId);
            if (document is null)
                return RequestResult.Fail("The document {0} is not part of this request.", p.DocumentId);
            if (p.Page < 1 || p.Page > document.PageCount)
                return RequestResult.Fail("Page {0} does not exist; the document has {1} pages.", p.Page, document.PageCount);
            if (!(p.Width > 0 && p.Height > 0) || !double.IsFinite(p.X) || !double.IsFinite(p.Y) || !double.IsFinite(p.Width) || !double.IsFinite(p.Height))
                return RequestResult.Fail("A seal needs a position and a positive width and height.");
        }

        // One row per placement; a seal without placement keeps one unplaced row so the request still names it.
        var rows = request.Seals.ToList();
        db.SealRequestSeals.RemoveRange(rows);
        request.Seals.Clear();
        foreach (var sealId in requested)
        {
            var mine = placements.Where(p => p.SealId == sealId).ToList();
            if (mine.Count == 0)
            {
                request.Seals.Add(new SealRequestSeal { SealId = sealId });
                continue;
            }
            foreach (var p in mine)
            {
                request.Seals.Add(new SealRequestSeal
                {
                    SealId = sealId, DocumentId = p.DocumentId, Page = p.Page, X = p.X, Y = p.Y, Width = p.Width, Height = p.Height, CrossPage = p.CrossPage,
                });
            }
        }
        request.ConcurrencyStamp = Guid.NewGuid();
        return await SaveCommandAsync(request, ct);
    }

    /// <summary>
    /// Runs the workflow's deadline processing over every request in approval and stores what changed.
    /// Returns the events (reminders, missed deadlines, escalations, transfers) for whoever notifies.
    /// A request that an approver changed meanwhile is skipped; the next run picks it up.
    /// </summary>
    public async Task<IReadOnlyList<WorkflowEvent>> TickDeadlinesAsync(CancellationToken ct = default)
    {
        var ids = await db.SealRequests.AsNoTracking().Where(r => r.Status == SealRequestStatus.InApproval).Select(r => r.Id).ToListAsync(ct);
        if (ids.Count == 0)
            return [];
        var engine = Engine(await directories.LoadAsync(ct));
        var now = clock.GetUtcNow();
        var events = new List<WorkflowEvent>();
        foreach (var id in ids)
        {
            var request = await db.SealRequests.SingleAsync(r => r.Id == id, ct);
            if (request.Status != SealRequestStatus.InApproval || State(request) is not { } state)
                continue;
            var result = engine.Tick(state, now);
            if (result.Outcome != WorkflowOutcome.Applied)
                continue;
            var stored = await StoreAsync(request, result, ct);
            if (stored.Succeeded)
                events.AddRange(result.Events);
            db.ChangeTracker.Clear();
        }
        return events;
    }

    // ---------------------------------------------------------------- read side

    /// <summary>Active seals the user may ask for, with the reason for each one they may not.</summary>
    public async Task<IReadOnlyList<(int Id, string Name, SealType Type, SealKind Kind, string? Unusable)>> SealChoicesAsync(string userId, string? documentType, CancellationToken ct = default)
    {
        var all = await db.Seals.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.Name, s.Type, s.Kind }).ToListAsync(ct);
        var now = clock.GetUtcNow();
        // Without a document type the answer is one set for all seals: read it once, not per seal.
        var allowed = documentType is null ? await authorizations.AllowedSealIdsAsync(userId, null, now, ct) : null;
        var choices = new List<(int, string, SealType, SealKind, string?)>();
        foreach (var s in all)
        {
            var reason = await seals.CheckUsableAsync(s.Id, now, ct)
                ?? (allowed is not null ? NotAllowed(allowed, s.Id) : await AuthorizationRefusalAsync(userId, s.Id, documentType, now, ct));
            choices.Add((s.Id, s.Name, s.Type, s.Kind, reason));
        }
        return choices;
    }

    /// <summary>What waits for <paramref name="userId"/>, also as deputy: overdue first, then by deadline, then oldest first.</summary>
    public async Task<IReadOnlyList<InboxItem>> InboxAsync(string userId, InboxFilter filter, CancellationToken ct = default)
    {
        var query = db.SealRequests.AsNoTracking().Where(r => r.Status == SealRequestStatus.InApproval && r.WorkflowStateJson != null);
        if (filter.SealId is { } sealId)
            query = query.Where(r => r.Seals.Any(s => s.SealId == sealId));
        if (!string.IsNullOrEmpty(filter.DocumentType))
            query = query.Where(r => r.DocumentType == filter.DocumentType);
        if (filter.UrgentOnly)
            query = query.Where(r => r.Urgent);
        var candidates = await query
            .Select(r => new
            {
                r.Id, r.Number, r.Purpose, r.DocumentType, r.Urgent, r.WorkflowStateJson, r.Counterparty,
                Applicant = r.Applicant!.DisplayName, Department = r.Department!.Name,
                Seals = r.Seals.Select(s => s.Seal!.Name).ToList(),
            })
            .ToListAsync(ct);
        if (candidates.Count == 0)
            return [];

        var engine = Engine(await directories.LoadAsync(ct));
        var now = clock.GetUtcNow();
        var items = new List<InboxItem>();
        var names = new Dictionary<string, string>();
        foreach (var c in candidates)
        {
            var state = Deserialize(c.WorkflowStateJson!);
            var rights = engine.RightsOf(state, userId, now);
            if (rights.Count == 0 || state.Current is not { } current)
                continue;
            var overdue = WorkflowQueries.IsOverdue(state, now);
            if (filter.OverdueOnly && !overdue)
                continue;
            var deputyFor = rights.FirstOrDefault(r => r.OnBehalfOfUserId is not null && rights.All(x => x.OnBehalfOfUserId is not null))?.OnBehalfOfUserId;
            items.Add(new InboxItem(c.Id, c.Number, c.Purpose, c.DocumentType, c.Applicant, c.Department, c.Urgent,
                state.Template.Nodes[current.NodeIndex].Name, current.EnteredAt, current.DueAt, overdue,
                deputyFor is null ? null : await NameAsync(deputyFor, names, ct), c.Seals.Distinct().ToList(),
                c.Counterparty, $"{state.Template.Key}/{state.Template.Version}#{current.NodeIndex}", state.Version));
        }
        return items
            .OrderByDescending(i => i.Overdue)
            .ThenBy(i => i.DueAt ?? DateTimeOffset.MaxValue)
            .ThenBy(i => i.EnteredAt)
            .ToList();
    }

    /// <summary>
    /// The request page's content, or null. <c>Allowed</c> is false when the request exists and the user may not
    /// see it (only its applicant, its approvers past and present and their deputies, the custodians of its
    /// seals, auditors and administrators may): a 403. Null with <c>Allowed</c> true means there is no such
    /// request: a 404, which tells the reader nothing beyond that.
    /// </summary>
    public async Task<(SealRequestView? View, bool Allowed)> GetAsync(int requestId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        var request = await db.SealRequests.AsNoTracking()
            .Include(r => r.Documents).Include(r => r.Seals).ThenInclude(s => s.Seal)
            .Include(r => r.Applicant).Include(r => r.Department)
            .SingleOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null)
            return (null, true);
        var state = State(request);
        var now = clock.GetUtcNow();
        // A draft has no workflow yet, so no approver directory to read.
        var rights = state is null ? [] : Engine(await directories.LoadAsync(ct)).RightsOf(state, userId, now);
        if (!MayView(request, state, rights, user, userId))
            return (null, false);

        var names = new Dictionary<string, string>();
        var decisions = new List<DecisionView>();
        foreach (var d in state?.Decisions ?? [])
        {
            var node = state!.Template.Nodes.FirstOrDefault(n => n.Id == d.NodeId)?.Name ?? d.NodeId;
            decisions.Add(new DecisionView(d.Round, node, await NameAsync(d.ActorUserId, names, ct),
                d.OnBehalfOfUserId is null ? null : await NameAsync(d.OnBehalfOfUserId, names, ct), d.Kind, d.Comment, d.At));
        }
        var pending = new List<string>();
        foreach (var p in state is null ? [] : WorkflowQueries.PendingApprovers(state))
            pending.Add(await NameAsync(p, names, ct));
        var decide = new List<DecideRight>();
        foreach (var r in rights)
            decide.Add(new DecideRight(r.OnBehalfOfUserId, r.OnBehalfOfUserId is null ? null : await NameAsync(r.OnBehalfOfUserId, names, ct)));

        var isApplicant = request.ApplicantUserId == userId;
        var can = new SealRequestPermissions(
            Edit: isApplicant && request.Status is SealRequestStatus.Draft or SealRequestStatus.Returned,
            Submit: isApplicant && request.Status == SealRequestStatus.Draft,
            Resubmit: isApplicant && request.Status == SealRequestStatus.Returned,
            Withdraw: isApplicant && (request.Status is SealRequestStatus.Draft or SealRequestStatus.Returned
                                      || request.Status == SealRequestStatus.InApproval && state is not null && !state.Decisions.Any(d => d.Round == state.Round)),
            Place: MayPlace(request, userId),
            Decide: decide);

        return (new SealRequestView(
            request.Id, request.Number, request.ApplicantUserId, request.Applicant?.DisplayName ?? "", request.DepartmentId, request.Department?.Name ?? "",
            request.Purpose, request.DocumentType, request.Copies, request.Amount, request.Counterparty, request.Urgent, request.Status,
            request.CreatedAt, request.SubmittedAt, request.ApprovedAt, request.CompletedAt,
            request.Documents.OrderBy(d => d.Id).Select(d => new SealRequestDocumentView(d.Id, d.FileName, d.OriginalSha256, d.Length, d.PageCount, d.SealedSha256, d.ActiveContent)).ToList(),
            request.Seals.OrderBy(s => s.Id).Select(s => new SealRequestSealView(s.Id, s.SealId, s.Seal?.Name ?? "", s.Seal?.Type ?? default, s.Seal?.Kind ?? default,
                s.DocumentId, s.Page, s.X, s.Y, s.Width, s.Height, s.CrossPage)).ToList(),
            decisions,
            state?.Current is { } current && state.Status == RequestStatus.InApproval ? state.Template.Nodes[current.NodeIndex].Name : null,
            state?.Current?.DueAt,
            state is not null && WorkflowQueries.IsOverdue(state, now),
            pending,
            state?.Version ?? 0,
            can), true);
    }

    /// <summary>
    /// The original PDF of a request's document, for people who may see the request. Null with
    /// <c>Allowed</c> false when they may not; null with <c>Allowed</c> true when there is no such document.
    /// </summary>
    public async Task<(Stream? Content, string? FileName, bool Allowed)> OpenOriginalAsync(int requestId, int documentId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var (view, allowed) = await GetAsync(requestId, user, ct);
        if (view is null)
            return (null, null, allowed);
        var document = view.Documents.FirstOrDefault(d => d.Id == documentId);
        return (document is null ? null : OpenOriginal(document), document?.FileName, true);
    }

    /// <summary>
    /// The original of a document from a view the caller already has (and so was allowed to read):
    /// no second authorization pass. Null when the archive lacks the file.
    /// </summary>
    public Stream? OpenOriginal(SealRequestDocumentView document) =>
        archive.Exists(document.OriginalSha256) ? archive.OpenRead(document.OriginalSha256) : null;

    // ---------------------------------------------------------------- helpers

    private WorkflowEngine Engine(IApproverDirectory directory) => new(directory, calendar);

    /// <summary>The request's stored workflow state (null for a draft); the one reader of that column, for sealing and analytics too.</summary>
    internal static WorkflowState? State(SealRequest request) =>
        request.WorkflowStateJson is null ? null : Deserialize(request.WorkflowStateJson);

    internal static WorkflowState Deserialize(string json) =>
        JsonSerializer.Deserialize<WorkflowState>(json, Json) ?? throw new InvalidOperationException("Empty workflow state.");

    private Task<SealRequest?> LoadForCommandAsync(int requestId, CancellationToken ct) =>
        db.SealRequests.Include(r => r.Documents).Include(r => r.Seals).ThenInclude(s => s.Seal)
            .SingleOrDefaultAsync(r => r.Id == requestId, ct);

    /// <summary>Stores the engine's new state with the request's status, in one save guarded by the concurrency token.</summary>
    private async Task<RequestResult> StoreAsync(SealRequest request, WorkflowResult result, CancellationToken ct)
    {
        var state = result.State!;
        request.WorkflowStateJson = JsonSerializer.Serialize(state, Json);
        RememberApprovers(request, state, result.Events);
        request.Status = state.Status switch
        {
            RequestStatus.InApproval => SealRequestStatus.InApproval,
            RequestStatus.Approved => SealRequestStatus.Approved,
            RequestStatus.Rejected => SealRequestStatus.Rejected,
            RequestStatus.Returned => SealRequestStatus.Returned,
            RequestStatus.Withdrawn => SealRequestStatus.Withdrawn,
            _ => request.Status,
        };
        if (state.Status == RequestStatus.Approved)
            request.ApprovedAt = state.ClosedAt ?? clock.GetUtcNow();
        request.ConcurrencyStamp = Guid.NewGuid();
        return await SaveCommandAsync(request, ct);
    }

    private static void RememberApprovers(SealRequest request, WorkflowState state, IReadOnlyList<WorkflowEvent> events)
    {
        var known = request.ApproverUserIds.Split('|', StringSplitOptions.RemoveEmptyEntries).ToList();
        var seen = state.Current?.Slots.Select(s => s.AssigneeUserId) ?? [];
        seen = seen.Concat(events.OfType<NodeEntered>().SelectMany(e => e.Approvers))
            .Concat(events.OfType<ApprovalTransferred>().Select(e => e.ToUserId))
            .Concat(state.Decisions.Select(d => d.ActorUserId));
        foreach (var id in seen.Where(id => !known.Contains(id)))
            known.Add(id);
        request.ApproverUserIds = "|" + string.Concat(known.Select(id => id + "|"));
    }

    private async Task<RequestResult> SaveCommandAsync(SealRequest request, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return RequestResult.Ok(request.Id);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            logger.LogInformation("Seal request {Id}: a concurrent change won; this one was not stored", request.Id);
            return RequestResult.Fail(StatusCodes.Status409Conflict, "Someone else decided on or changed this request meanwhile. Reload the page to see the current state.");
        }
    }

    private async Task RunApprovedHandlersAsync(int requestId, CancellationToken ct)
    {
        foreach (var handler in approvedHandlers)
        {
            try
            {
                await handler.HandleAsync(requestId, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Seal request {Id}: {Handler} failed after approval", requestId, handler.GetType().Name);
            }
        }
    }

    private static RequestResult Refused(WorkflowResult result)
    {
        if (result.Notice is { } notice)
        {
            return notice.Code switch
            {
                NoticeCode.AlreadyDecided => RequestResult.Fail(StatusCodes.Status409Conflict, "You already decided on this request; your first decision stands."),
                NoticeCode.AlreadyWithdrawn => RequestResult.Fail(StatusCodes.Status409Conflict, "You already withdrew this request."),
                NoticeCode.AlreadyResubmitted => RequestResult.Fail(StatusCodes.Status409Conflict, "You already resubmitted this request."),
                _ => RequestResult.Fail(StatusCodes.Status409Conflict, "Nothing changed."),
            };
        }
        var refusal = result.Refusal!;
        return refusal.Code switch
        {
            RefusalCode.StaleVersion => RequestResult.Fail(StatusCodes.Status409Conflict, "This request changed since you opened the page. Reload it and decide again."),
            RefusalCode.NotInApproval => RequestResult.Fail(StatusCodes.Status409Conflict, "This request is not waiting for a decision."),
            RefusalCode.NotAnApprover => RequestResult.Fail(StatusCodes.Status403Forbidden, "You are not an approver of the current step of this request."),
            RefusalCode.OwnRequest => RequestResult.Fail(StatusCodes.Status403Forbidden, "Nobody can decide on their own request."),
            RefusalCode.CommentRequired => RequestResult.Fail("A rejection or a return for revision needs a comment."),
            RefusalCode.AmbiguousDelegation => RequestResult.Fail("You are deputy for several approvers of this step; choose for whom you decide."),
            RefusalCode.NotApplicant => RequestResult.Fail(StatusCodes.Status403Forbidden, "Only the applicant may do this."),
            RefusalCode.AlreadyInDecision => RequestResult.Fail(StatusCodes.Status409Conflict, "An approver has already decided on this request; it can no longer be withdrawn."),
            RefusalCode.NotReturned => RequestResult.Fail(StatusCodes.Status409Conflict, "Only a request returned for revision can be resubmitted."),
            RefusalCode.NoApprovers or RefusalCode.NoApplicableNode or RefusalCode.NoTemplate or RefusalCode.InvalidTemplate =>
                RequestResult.Fail(StatusCodes.Status409Conflict, "The approval flow cannot handle this request: {0} Ask an administrator.", refusal.Message),
            _ => RequestResult.Fail("The request was refused: {0}", refusal.Message),
        };
    }

    private async Task<SealRequestFacts> FactsAsync(SealRequest request, CancellationToken ct)
    {
        var sealIds = request.Seals.Select(s => s.SealId).Distinct().ToList();
        var types = await db.Seals.AsNoTracking().Where(s => sealIds.Contains(s.Id)).Select(s => new { s.Id, s.Type }).ToListAsync(ct);
        return new SealRequestFacts(
            request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            request.ApplicantUserId,
            request.DepartmentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            types.OrderBy(t => t.Id).Select(t => new RequestedSeal(t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Type.ToString())).ToList(),
            request.DocumentType,
            request.Amount,
            request.Urgent);
    }

    private static void Apply(SealRequest request, SealRequestInput input)
    {
        request.Purpose = input.Purpose!.Trim();
        request.DocumentType = input.DocumentType!;
        request.Copies = input.Copies;
        request.Amount = input.Amount;
        request.Counterparty = string.IsNullOrWhiteSpace(input.Counterparty) ? null : input.Counterparty.Trim();
        request.Urgent = input.Urgent;
        var wanted = input.SealIds.Distinct().ToHashSet();
        request.Seals.RemoveAll(s => !wanted.Contains(s.SealId));
        foreach (var id in wanted.Where(id => request.Seals.All(s => s.SealId != id)).Order())
            request.Seals.Add(new SealRequestSeal { SealId = id });
    }

    private static void ClearPlacement(SealRequestSeal s)
    {
        s.DocumentId = null;
        s.Page = null;
        s.X = s.Y = s.Width = s.Height = null;
        s.CrossPage = false;
    }

    private async Task<RequestResult?> CheckInputAsync(string userId, SealRequestInput input, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.Purpose))
            return RequestResult.Fail("Say what the seal is needed for.");
        if (input.Purpose.Trim().Length > 1000)
            return RequestResult.Fail("The purpose is longer than {0} characters.", 1000);
        if (input.DocumentType is null || !DocumentTypes.All.Contains(input.DocumentType))
            return RequestResult.Fail("Choose a document type.");
        if (input.Copies is < 1 or > 1000)
            return RequestResult.Fail("Copies must be between 1 and 1000.");
        if (input.Amount is < 0 or > 1_000_000_000_000m)
            return RequestResult.Fail("The amount must be between 0 and 1 000 000 000 000.");
        if (input.Counterparty is { Length: > 200 })
            return RequestResult.Fail("The counterparty is longer than {0} characters.", 200);
        if (input.SealIds.Count == 0)
            return RequestResult.Fail("Choose at least one seal.");
        return await CheckSealsAsync(userId, input.SealIds.Distinct().ToList(), input.DocumentType, ct);
    }

    private async Task<RequestResult?> CheckSealsAsync(string userId, IReadOnlyList<int> sealIds, string documentType, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var sealId in sealIds)
        {
            if (await seals.CheckUsableAsync(sealId, now, ct) is { } unusable)
                return RequestResult.Fail(StatusCodes.Status409Conflict, "{0}", unusable);
            if (await AuthorizationRefusalAsync(userId, sealId, documentType, now, ct) is { } refused)
                return RequestResult.Fail(StatusCodes.Status403Forbidden, "{0}", refused);
        }
        return null;
    }

    /// <summary>The one place that asks the authorization scopes whether the user may request this seal; null when allowed, else the localized reason.</summary>
    private async Task<string?> AuthorizationRefusalAsync(string userId, int sealId, string? documentType, DateTimeOffset at, CancellationToken ct)
    {
        if (documentType is null)
            return NotAllowed(await authorizations.AllowedSealIdsAsync(userId, null, at, ct), sealId);
        var decision = await authorizations.CheckAsync(userId, sealId, documentType, at, ct);
        return decision.Allowed ? null : decision.Localize(localizer);
    }

    private string? NotAllowed(IReadOnlyList<int> allowedSealIds, int sealId) =>
        allowedSealIds.Contains(sealId) ? null : localizer["You are not authorized to request this seal."].Value;

    private sealed record AcceptedPdfs(List<SealRequestDocument> Accepted, RequestResult? Error);

    /// <summary>
    /// Checks every upload by parsing it (size, PDF structure, no encryption) before any is stored, so a
    /// refusal stores nothing; then stores them all in the archive.
    /// </summary>
    private async Task<AcceptedPdfs> AcceptPdfsAsync(IReadOnlyList<UploadedPdf> files, CancellationToken ct)
    {
        var limits = options.Value;
        if (files.Count > limits.MaxDocuments)
            return new([], RequestResult.Fail("At most {0} PDFs per request.", limits.MaxDocuments));
        if (files.FirstOrDefault(f => f.Length > limits.MaxUploadBytes) is { } big)
            return new([], RequestResult.Fail(StatusCodes.Status413PayloadTooLarge, "{0} is larger than {1} MB.", big.FileName, limits.MaxUploadBytes / (1024 * 1024)));
        if (files.Sum(f => f.Length) > limits.MaxTotalUploadBytes)
            return new([], RequestResult.Fail(StatusCodes.Status413PayloadTooLarge, "The PDFs together are larger than {0} MB.", limits.MaxTotalUploadBytes / (1024 * 1024)));

        var buffers = new List<(UploadedPdf File, FileStream Buffer, PdfPreflightResult? Check)>();
        try
        {
            foreach (var file in files)
            {
                var name = Path.GetFileName(file.FileName);
                if (PdfUploadCheck.BySize(name, file.Length, limits) is { } bySize)
                    return new([], bySize);
                var buffer = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
                    FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                buffers.Add((file, buffer, null));
                await using (var source = file.OpenReadStream())
                    await source.CopyToAsync(buffer, ct);
                buffer.Position = 0;
                // Everything sealing needs is checked now, within bounded memory, not after every approval.
                var (check, refused) = PdfUploadCheck.Check(buffer, name, limits, ct);
                if (refused is not null)
                    return new([], refused);
                buffers[^1] = (file, buffer, check);
            }

            var accepted = new List<SealRequestDocument>();
            foreach (var (file, buffer, check) in buffers)
            {
                buffer.Position = 0;
                var stored = await archive.StoreAsync(buffer, ct);
                accepted.Add(new SealRequestDocument
                {
                    FileName = SafeFileName(file.FileName),
                    OriginalSha256 = stored.Sha256,
                    Length = stored.Length,
                    PageCount = check!.Pages,
                    ActiveContent = check.HasActiveContent ? string.Join(",", check.ActiveContent) : null,
                });
            }
            return new(accepted, null);
        }
        finally
        {
            foreach (var (_, buffer, _) in buffers)
                await buffer.DisposeAsync();
        }
    }

    private static string SafeFileName(string name)
    {
        var file = Path.GetFileName(name.Replace('\\', '/'));
        file = new string(file.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (file.Length == 0)
            file = "document.pdf";
        return file.Length > 255 ? file[^255..] : file;
    }

    /// <summary>
    /// Gives a new request the next number of its year ("YY-NNNNN", the company's calendar year) from the
    /// year's sequence, in the transaction that saves it, so concurrent applicants never collide.
    /// </summary>
    private async Task SaveWithNumberAsync(SealRequest request, DateTimeOffset utcNow, Action<string> numbered, CancellationToken ct)
    {
        // The year of the company's calendar: a request made on 1 January in Beijing belongs to the new year.
        var now = TimeZoneInfo.ConvertTime(utcNow, TimeZoneInfo.FindSystemTimeZoneById(calendar.TimeZoneId));
        await numbers.EnsureAsync(now.Year, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        request.Number = RequestNumbers.Format(now, await numbers.NextAsync(now.Year, ct));
        numbered(request.Number);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private async Task<string> NameAsync(string userId, Dictionary<string, string> cache, CancellationToken ct)
    {
        if (cache.TryGetValue(userId, out var name))
            return name;
        name = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct) ?? userId;
        cache[userId] = name;
        return name;
    }

    private static bool MayView(SealRequest request, WorkflowState? state, IReadOnlyList<DecisionRight> rights, ClaimsPrincipal user, string userId)
    {
        if (request.ApplicantUserId == userId || ReadAllRoles.Any(user.IsInRole) || rights.Count > 0)
            return true;
        if (request.Seals.Any(s => s.Seal?.CustodianUserId == userId))
            return true;
        if (state is null)
            return false;
        return request.ApproverUserIds.Contains($"|{userId}|", StringComparison.Ordinal)
               || state.Decisions.Any(d => d.ActorUserId == userId || d.OnBehalfOfUserId == userId)
               || state.Current?.Slots.Any(s => s.AssigneeUserId == userId || s.TransferredFromUserId == userId) == true;
    }

    private static bool MayPlace(SealRequest request, string userId)
    {
        if (request.ApplicantUserId == userId)
            return request.Status is SealRequestStatus.Draft or SealRequestStatus.Returned or SealRequestStatus.InApproval;
        return request.Status is SealRequestStatus.Approved or SealRequestStatus.SealingFailed
               && request.Seals.Any(s => s.Seal?.CustodianUserId == userId);
    }
}

/// <summary>Request numbers "YY-NNNNN": two-digit year, then the sequence within that year from 00001.</summary>
public static class RequestNumbers
{
    /// <summary>"26-" for any moment of 2026 in the offset <paramref name="at"/> carries (the caller picks the company's time zone).</summary>
    public static string Prefix(DateTimeOffset at) => $"{at.Year % 100:00}-";

    /// <summary>The request number of the <paramref name="sequence"/>-th request of the year of <paramref name="at"/>.</summary>
    public static string Format(DateTimeOffset at, int sequence)
    {
        if (sequence > 99_999)
            throw new InvalidOperationException($"The request numbers of year {Prefix(at)} are used up.");
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return $"{Prefix(at)}{sequence:00000}";
    }
}
