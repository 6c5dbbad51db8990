using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Features.Sealing;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>The request page's read: one request, the columns it shows, never a seal's image or certificate.</summary>
public sealed partial class RequestQueries
{
    /// <summary>
    /// The request page's content, or null. <c>Allowed</c> is false when the request exists and the user may not
    /// see it (only its applicant, its approvers past and present and their deputies, the custodians of its
    /// seals, auditors and administrators may): a 403. Null with <c>Allowed</c> true means there is no such
    /// request: a 404, which tells the reader nothing beyond that.
    /// </summary>
    public async Task<(SealRequestView? View, bool Allowed)> DetailsAsync(int requestId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var read = await ReadAsync(db, requestId, user, ct);
        return (read.View, read.Allowed);
    }

    /// <summary>
    /// The request page's whole read on one context: <see cref="DetailsAsync"/>, then (only when the user may see the
    /// request) its history and its sealing panel, built from the rows and names the details already read, so neither
    /// reads the request, its seals, its documents or its deciders' names a second time.
    /// </summary>
    public async Task<(SealRequestView? View, bool Allowed, RequestHistory? History, SealingPanelRead? Panel)> PageAsync(
        int requestId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var read = await ReadAsync(db, requestId, user, ct);
        if (read.View is not { } view || read.Row is not { } r)
            return (null, read.Allowed, null, null);
        var history = await RequestTimelines.BuildAsync(db, requestId,
            new TimelineFacts(r.Number, r.CreatedAt, r.ApprovedAt, r.CompletedAt, r.Applicant ?? "", read.State), read.Names, ct);
        var panel = !SealingQueries.ShowsPanel(r.Status) ? new SealingPanelRead(null) : new SealingPanelRead(await SealingQueries.PanelAsync(db,
            new SealingPanelRequest(r.Id, r.Status, r.SealingError, r.Copies, r.DecisionRecordSha256, r.ApplicantUserId),
            read.Seals,
            view.Documents.Select(d => new SealingDocumentRow(d.Id, d.FileName, d.Length, d.OriginalSha256, d.SealedSha256)).ToList(),
            user, ct));
        return (view, true, history, panel);
    }

    /// <summary>The request's row as the details read it.</summary>
    private sealed record DetailsRow(int Id, string Number, string ApplicantUserId, string? Applicant, int DepartmentId, string? Department,
        string Purpose, string DocumentType, int Copies, decimal? Amount, string? Counterparty, bool Urgent, SealRequestStatus Status,
        DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? ApprovedAt, DateTimeOffset? CompletedAt, string? WorkflowStateJson,
        string ApproverUserIds, Guid ConcurrencyStamp, string? SealingError, string? DecisionRecordSha256);

    private sealed record DetailsRead(SealRequestView? View, bool Allowed, DetailsRow? Row = null, WorkflowState? State = null,
        IReadOnlyDictionary<string, string>? NamesRead = null, IReadOnlyList<SealingPanelSeal>? SealsRead = null)
    {
        public IReadOnlyDictionary<string, string> Names => NamesRead ?? new Dictionary<string, string>();
        public IReadOnlyList<SealingPanelSeal> Seals => SealsRead ?? [];
    }

    private async Task<DetailsRead> ReadAsync(SealPortalDbContext db, int requestId, ClaimsPrincipal user, CancellationToken ct)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        // Three small reads by key, not one query with nested collections: SQLite plans those as joins over
        // every request's seal rows, which grows with the whole table (2 s at 12,000 requests).
        var request = await db.SealRequests.AsNoTracking().Where(r => r.Id == requestId)
            .Select(r => new DetailsRow(
                r.Id, r.Number, r.ApplicantUserId, r.Applicant!.DisplayName, r.DepartmentId, r.Department!.Name,
                r.Purpose, r.DocumentType, r.Copies, r.Amount, r.Counterparty, r.Urgent, r.Status,
                r.CreatedAt, r.SubmittedAt, r.ApprovedAt, r.CompletedAt, r.WorkflowStateJson, r.ApproverUserIds, r.ConcurrencyStamp,
                r.SealingError, r.DecisionRecordSha256))
            .SingleOrDefaultAsync(ct);
        if (request is null)
            return new(null, true);
        var documents = await db.SealRequestDocuments.AsNoTracking().Where(d => d.SealRequestId == requestId).OrderBy(d => d.Id)
            .Select(d => new SealRequestDocumentView(d.Id, d.FileName, d.OriginalSha256, d.Length, d.PageCount, d.SealedSha256, d.ActiveContent))
            .ToListAsync(ct);
        var seals = await db.SealRequestSeals.AsNoTracking().Where(s => s.SealRequestId == requestId).OrderBy(s => s.Id)
            .Select(s => new
            {
                View = new SealRequestSealView(s.Id, s.SealId, s.Seal!.Name, s.Seal.Type, s.Seal.Kind,
                    s.DocumentId, s.Page, s.X, s.Y, s.Width, s.Height, s.CrossPage),
                s.Seal.CustodianUserId,
                Custodian = s.Seal.Custodian!.DisplayName,
            })
            .ToListAsync(ct);
        var state = request.WorkflowStateJson is null ? null : RequestWorkflowStore.Deserialize(request.WorkflowStateJson);
        var now = clock.GetUtcNow();
        // A draft has no workflow yet, and a request that waits for no one gives no one a right: no directory to read then.
        // The engine's rights ask the directory only whether an assignee delegates to this user, so only this user's
        // delegations are read (one query, not the company's roles, custodians and every delegation).
        var rights = state is not { Status: RequestStatus.InApproval, Current: not null } || userId == state.Facts.ApplicantUserId
            ? (IReadOnlyList<DecisionRight>)[]
            : new WorkflowEngine(await ApproverDirectoryLoader.DelegationsToAsync(db, userId, ct), calendar).RightsOf(state, userId, now);
        var isCustodian = seals.Any(s => s.CustodianUserId == userId);
        if (!RequestRules.MayView(request.ApplicantUserId, request.ApproverUserIds, isCustodian, state, rights.Count > 0, user, userId))
            return new(null, false);

        var pendingIds = state is null ? [] : WorkflowQueries.PendingApprovers(state).ToList();
        var names = await NamesAsync(db,
            (state?.Decisions ?? []).SelectMany(d => new[] { d.ActorUserId, d.OnBehalfOfUserId })
                .Concat(pendingIds).Concat(rights.Select(r => r.OnBehalfOfUserId)), ct);
        var decisions = (state?.Decisions ?? []).Select(d => new DecisionView(d.Round,
                state!.Template.Nodes.FirstOrDefault(n => n.Id == d.NodeId)?.Name ?? d.NodeId,
                names[d.ActorUserId], d.OnBehalfOfUserId is null ? null : names[d.OnBehalfOfUserId], d.Kind, d.Comment, d.At))
            .ToList();
        var decide = rights.Select(r => new DecideRight(r.OnBehalfOfUserId, r.OnBehalfOfUserId is null ? null : names[r.OnBehalfOfUserId])).ToList();

        var isApplicant = request.ApplicantUserId == userId;
        var can = new SealRequestPermissions(
            Edit: isApplicant && request.Status is SealRequestStatus.Draft or SealRequestStatus.Returned,
            Submit: isApplicant && request.Status == SealRequestStatus.Draft,
            Resubmit: isApplicant && request.Status == SealRequestStatus.Returned,
            Withdraw: isApplicant && (request.Status is SealRequestStatus.Draft or SealRequestStatus.Returned
                                      || request.Status == SealRequestStatus.InApproval && state is not null && !state.Decisions.Any(d => d.Round == state.Round)),
            Place: RequestRules.MayPlace(request.ApplicantUserId, request.Status, isCustodian, userId),
            Decide: decide,
            Download: isApplicant || isCustodian || user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Auditor));

        return new(new SealRequestView(
            request.Id, request.Number, request.ApplicantUserId, request.Applicant ?? "", request.DepartmentId, request.Department ?? "",
            request.Purpose, request.DocumentType, request.Copies, request.Amount, request.Counterparty, request.Urgent, request.Status,
            request.CreatedAt, request.SubmittedAt, request.ApprovedAt, request.CompletedAt,
            documents,
            seals.Select(s => s.View).ToList(),
            decisions,
            state?.Current is { } current && state.Status == RequestStatus.InApproval ? state.Template.Nodes[current.NodeIndex].Name : null,
            state?.Current?.DueAt,
            state is not null && WorkflowQueries.IsOverdue(state, now),
            pendingIds.Select(p => names[p]).ToList(),
            state?.Version ?? 0,
            can,
            request.ConcurrencyStamp), true, request, state, names,
            seals.Select(s => new SealingPanelSeal(s.View.SealId, s.View.SealName, s.View.SealKind, s.CustodianUserId, s.Custodian)).ToList());
    }

    /// <summary>
    /// The original PDF of a request's document, for people who may see the request. Null with
    /// <c>Allowed</c> false when they may not; null with <c>Allowed</c> true when there is no such document.
    /// </summary>
    public async Task<(Stream? Content, string? FileName, bool Allowed)> OpenOriginalAsync(int requestId, int documentId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var (view, allowed) = await DetailsAsync(requestId, user, ct);
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
}
