using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Ledger;
using SealPortal.Features.Requests;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;
using SealPortal.Resources;
using SealPortal.Workflow;
using AuditTrailService = SealPortal.Features.AuditTrail.AuditTrail;

namespace SealPortal.Features.Sealing;

/// <summary>
/// The outcome of a sealing command. <see cref="Message"/> is already localized;
/// <see cref="StatusCode"/> is what a page or endpoint answers with.
/// </summary>
public sealed record SealingResult(int StatusCode, string Message)
{
    public bool Succeeded => StatusCode < 400;
}

/// <summary>
/// What happens after the last approval (issue 4 items 7-9): every electronic seal of the request is
/// applied to every document (<see cref="DocumentSealer"/>), the sealed files go to the archive, and
/// the ledger gets one entry per document and seal, in the same save as the status change. A failure
/// leaves the request in <see cref="SealRequestStatus.SealingFailed"/> with the reason, for a keeper to
/// retry. Physical seals wait for their custodian to record the stamping. When nothing is pending the
/// request is Completed and its decision record (JSON) is archived.
/// </summary>
public sealed class RequestSealing(
    SealPortalDbContext db,
    DocumentSealer sealer,
    ArchiveStore archive,
    SealLedger ledger,
    AuditTrailService audit,
    TimeProvider clock,
    SealingQueue queue,
    IOptions<SealPortalOptions> portal,
    IStringLocalizer<SharedResource> localizer,
    ILogger<RequestSealing> logger,
    CompanyTime time) : IRequestApprovedHandler
{
    /// <summary>Shown as the executor of electronic seals applied right after the last approval.</summary>
    public const string SystemExecutor = "SealPortal";

    private static readonly JsonSerializerOptions RecordJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Called by <see cref="DecideHandler"/> after the final approval is committed. The committed
    /// status (approved, documents unsealed) is what makes sealing durable: this queues the job, and if
    /// the portal stops before or during it, <see cref="SealingQueue.ResumeAsync"/> queues it again.
    /// No request's cancellation reaches sealing: a browser closed after "approve" changes nothing.
    /// </summary>
    public async Task HandleAsync(int sealRequestId, CancellationToken ct) =>
        await queue.EnqueueAsync(sealRequestId, executor: null);

    /// <summary>
    /// The keeper of one of the request's electronic seals, or an administrator, tries again after a
    /// failure: the request goes back to approved (so a second click finds nothing to retry) and the
    /// sealing is queued. A request that has nothing left to seal is left as it is, and the answer says so.
    /// </summary>
    public async Task<SealingResult> RetryAsync(int sealRequestId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var exists = await db.SealRequests.AsNoTracking().AnyAsync(r => r.Id == sealRequestId, ct);
        if (!exists || userId is null)
            return new(StatusCodes.Status404NotFound, localizer["No such request."]);
        if (!await MayRetryAsync(sealRequestId, user, ct))
            return new(StatusCodes.Status403Forbidden, localizer["Only the keeper of a seal of this request or an administrator may retry sealing."]);
        var name = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
        using (await RequestGate.EnterAsync(sealRequestId, ct))
        {
            db.ChangeTracker.Clear();
            var request = await LoadAsync(sealRequestId, ct);
            if (request is null || request.Status != SealRequestStatus.SealingFailed || !Waiting(request))
                return new(StatusCodes.Status409Conflict, localizer["Nothing is waiting to be sealed on this request; nothing was done."]);
            request.Status = SealRequestStatus.Approved;
            request.SealingError = null;
            if (!await SaveAsync(request, ct))
                return new(StatusCodes.Status409Conflict, localizer["Nothing is waiting to be sealed on this request; nothing was done."]);
        }
        return await queue.EnqueueAsync(sealRequestId, (userId, string.IsNullOrWhiteSpace(name) ? user.Identity?.Name ?? userId : name));
    }

    public async Task<bool> MayRetryAsync(int sealRequestId, ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (user.IsInRole(Roles.Admin))
            return true;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return userId is not null && user.IsInRole(Roles.SealKeeper) &&
            await db.SealRequestSeals.AnyAsync(s => s.SealRequestId == sealRequestId && s.Seal!.Kind == SealKind.Electronic && s.Seal.CustodianUserId == userId, ct);
    }

    /// <summary>An electronic seal is on the request and a document is not sealed yet.</summary>
    private static bool Waiting(SealRequest request) =>
        request.Seals.Any(s => s.Seal!.Kind == SealKind.Electronic) && request.Documents.Any(d => d.SealedSha256 is null);

    /// <summary>
    /// The sealing job: seals every unsealed document with all electronic seals of the request, all
    /// documents or none. <paramref name="executor"/> is the user who retried, or null right after the
    /// approval. A transient failure is thrown (the job is tried again) unless this is the
    /// <paramref name="lastAttempt"/>, which records "sealing failed" with the reason.
    /// </summary>
    public async Task<SealingResult> RunAsync(int sealRequestId, (string Id, string Name)? executor, bool lastAttempt, CancellationToken ct)
    {
        using var gate = await RequestGate.EnterAsync(sealRequestId, ct);
        Forget();
        var request = await LoadAsync(sealRequestId, ct);
        if (request is null)
            return new(StatusCodes.Status404NotFound, localizer["No such request."]);
        // Whatever a run before this one staged is either committed (and goes to the archive now) or not
        // (and goes away): one sealed set per request, however often the run is repeated.
        var stage = SealingStage.For(archive, DataFolder, request.Id);
        await stage.RecoverAsync(CommittedFiles(request), ct);
        var electronic = request.Seals.Where(s => s.Seal!.Kind == SealKind.Electronic).OrderBy(s => s.Id).ToList();
        var unsealed = request.Documents.Where(d => d.SealedSha256 is null).OrderBy(d => d.Id).ToList();
        if (request.Status is not (SealRequestStatus.Approved or SealRequestStatus.SealingFailed) || electronic.Count == 0 || unsealed.Count == 0)
            return new(StatusCodes.Status409Conflict, localizer["Nothing is waiting to be sealed on this request; nothing was done."]);

        var sealedFiles = new List<(SealRequestDocument Document, string Sha256, IReadOnlyList<AppliedSeal> Seals)>();
        try
        {
            using var prepared = await sealer.PrepareAsync(electronic.Select(s => s.SealId), ct);
            foreach (var document in unsealed)
            {
                var applications = Applications(request, document, electronic);
                await using var original = archive.OpenRead(document.OriginalSha256);
                using var sealedDocument = await sealer.SealAsync(original, applications, prepared, ct);
                var sha = await stage.AddAsync(sealedDocument.Path, sealedDocument.Sha256, ct);
                sealedFiles.Add((document, sha, sealedDocument.Seals));
            }
        }
        catch (SealingException ex) when (ex.Transient && !lastAttempt)
        {
            stage.Discard();
            logger.LogWarning("Seal request {Number}: sealing will be tried again: {Reason}", request.Number, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is SealingException or FileNotFoundException or PdfFormatException)
        {
            stage.Discard();
            var reason = ex switch
            {
                SealingException s => s.Message,
                FileNotFoundException => localizer["An original document is missing from the archive."],
                _ => localizer["A document cannot be read: {0}", ex.Message],
            };
            return await FailAsync(request, reason, ct);
        }
        catch
        {
            stage.Discard();
            throw;
        }

        var now = clock.GetUtcNow();
        var facts = await LedgerFactsAsync(request, ct);
        foreach (var (document, sha, applied) in sealedFiles)
        {
            document.SealedSha256 = sha;
            foreach (var seal in applied)
            {
                ledger.Append(facts with
                {
                    SealId = seal.SealId,
                    SealName = seal.SealName,
                    Kind = SealKind.Electronic,
                    ExecutorUserId = executor?.Id,
                    ExecutorName = executor?.Name ?? SystemExecutor,
                    ExecutedAt = now,
                    DocumentId = document.Id,
                    DocumentName = document.FileName,
                    DocumentSha256 = sha,
                    Copies = 1,
                });
            }
            audit.Add(AuditAction.SealApplied,
                $"{document.FileName}: {string.Join(", ", applied.Select(a => $"{a.SealName} ({a.FieldName}{(a.Timestamped ? ", time-stamped" : "")})"))}; SHA-256 {sha}",
                Subject(request));
        }
        request.SealingError = null;
        request.Status = SealRequestStatus.Approved;
        await CompleteIfDoneAsync(request, now, stage, ct);
        bool saved;
        try
        {
            saved = await SaveAsync(request, ct);
        }
        catch
        {
            stage.Discard();
            throw;
        }
        if (!saved)
        {
            stage.Discard();
            return new(StatusCodes.Status409Conflict, localizer["Nothing is waiting to be sealed on this request; nothing was done."]);
        }
        await stage.PublishAsync(ct);
        logger.LogInformation("Seal request {Number}: {Documents} document(s) sealed; status {Status}", request.Number, sealedFiles.Count, request.Status);
        return new(StatusCodes.Status200OK, request.Status == SealRequestStatus.Completed
            ? localizer["The documents are sealed and the request is completed."]
            : localizer["The documents are sealed; the physical seals are waiting for their keepers."]);
    }

    private string DataFolder => portal.Value.DataFolder;

    /// <summary>The archive names the request's committed rows point at.</summary>
    private static IReadOnlySet<string> CommittedFiles(SealRequest request)
    {
        var names = request.Documents.Where(d => d.SealedSha256 is not null).Select(d => d.SealedSha256!).ToHashSet();
        if (request.DecisionRecordSha256 is { } record)
            names.Add(record);
        return names;
    }

    private async Task<SealingResult> FailAsync(SealRequest request, string reason, CancellationToken ct)
    {
        logger.LogWarning("Seal request {Number}: sealing failed: {Reason}", request.Number, reason);
        request.Status = SealRequestStatus.SealingFailed;
        request.SealingError = reason.Length > 2000 ? reason[..2000] : reason;
        audit.Add(AuditAction.SealingFailed, reason, Subject(request));
        await SaveAsync(request, ct);
        return new(StatusCodes.Status422UnprocessableEntity, localizer["Sealing failed: {0}", reason]);
    }

    /// <summary>
    /// Each placement the request has on this document, then every electronic seal with no placement
    /// on it at the default spot: bottom right of the last page, side by side from the right.
    /// </summary>
    private IReadOnlyList<SealApplication> Applications(SealRequest request, SealRequestDocument document, IReadOnlyList<SealRequestSeal> electronic)
    {
        var reason = localizer["Seal request {0}: {1}", request.Number, request.Purpose].Value;
        if (reason.Length > 200)
            reason = reason[..200];
        var list = new List<SealApplication>();
        foreach (var row in electronic.Where(s => s.DocumentId == document.Id && (s.CrossPage || s.Page is not null)))
        {
            var rect = row is { X: { } x, Y: { } y, Width: { } w, Height: { } h } && w > 0 && h > 0 ? new PdfSealRect(x, y, w, h) : null;
            list.Add(new SealApplication(row.SealId, row.Page ?? 1, rect, row.CrossPage, reason));
        }
        var placed = list.Select(a => a.SealId).ToHashSet();
        var unplaced = electronic.Select(s => s.SealId).Distinct().Where(id => !placed.Contains(id)).ToList();
        if (unplaced.Count > 0)
        {
            var (page, width) = LastPage(document);
            for (var i = 0; i < unplaced.Count; i++)
            {
                // Side by side leftwards from the engine's default spot (110 pt, 36 pt from the edges).
                var x = width - 36 - DefaultSize - i * (DefaultSize + 12);
                var rect = x >= 0 ? new PdfSealRect(x, 36, DefaultSize, DefaultSize) : null;
                list.Add(new SealApplication(unplaced[i], page, rect, false, reason));
            }
        }
        return list;
    }

    private const double DefaultSize = 110;

    private (int Page, double Width) LastPage(SealRequestDocument document)
    {
        using var stream = archive.OpenRead(document.OriginalSha256);
        using var pdf = PdfFile.Open(stream, leaveOpen: true);
        var pages = pdf.GetPages(-1);
        var last = pages[^1];
        var box = last.CropBox;
        var width = Math.Abs(box[2] - box[0]);
        var height = Math.Abs(box[3] - box[1]);
        return (pages.Count, last.Rotate is 90 or 270 ? height : width);
    }

    // ---------------------------------------------------------------- physical seals

    /// <summary>
    /// The custodian of a physical seal of an approved request records that it was stamped. A second
    /// record for the same seal changes nothing and says so.
    /// </summary>
    public async Task<SealingResult> RecordStampingAsync(int sealRequestId, ClaimsPrincipal user, StampingInput input, CancellationToken ct = default)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var gate = await RequestGate.EnterAsync(sealRequestId, ct);
        try
        {
            Forget();
            var request = await LoadAsync(sealRequestId, ct);
            if (request is null || userId is null)
                return new(StatusCodes.Status404NotFound, localizer["No such request."]);
            var row = request.Seals.FirstOrDefault(s => s.SealId == input.SealId && s.Seal!.Kind == SealKind.Physical);
            if (row is null)
                return new(StatusCodes.Status400BadRequest, localizer["This seal is not a physical seal of this request."]);
            if (!user.IsInRole(Roles.SealKeeper) || row.Seal!.CustodianUserId != userId)
                return new(StatusCodes.Status403Forbidden, localizer["Only the custodian of the seal {0} may record its stamping.", row.Seal!.Name]);
            if (await db.PhysicalStampings.AnyAsync(p => p.SealRequestId == sealRequestId && p.SealId == input.SealId, ct))
                return new(StatusCodes.Status409Conflict, localizer["The stamping of {0} is already recorded; nothing was changed.", row.Seal.Name]);
            if (request.Status is not (SealRequestStatus.Approved or SealRequestStatus.SealingFailed))
                return new(StatusCodes.Status409Conflict, localizer["Only an approved request can be stamped."]);

            var now = clock.GetUtcNow();
            if (input.Copies is < 1 or > 1000)
                return new(StatusCodes.Status400BadRequest, localizer["Copies must be between 1 and 1000."]);
            if (input.StampedAt > now.AddMinutes(5))
                return new(StatusCodes.Status400BadRequest, localizer["The stamping time cannot be in the future."]);
            if (request.ApprovedAt is { } approved && input.StampedAt < approved.AddMinutes(-1))
                return new(StatusCodes.Status400BadRequest, localizer["The stamping time cannot be before the approval ({0}).", time.DateTime(approved)]);
            var executorId = string.IsNullOrWhiteSpace(input.ExecutorUserId) ? userId : input.ExecutorUserId;
            var executor = await db.Users.AsNoTracking().Where(u => u.Id == executorId)
                .Select(u => new { u.Id, u.UserName, u.DisplayName }).SingleOrDefaultAsync(ct);
            if (executor is null)
                return new(StatusCodes.Status400BadRequest, localizer["Choose who stamped the document."]);

            var stamping = new PhysicalStamping
            {
                SealRequestId = request.Id, SealId = row.SealId, StampedAt = input.StampedAt.ToUniversalTime(), Copies = input.Copies,
                ExecutorUserId = executor.Id, RecordedByUserId = userId, RecordedAt = now,
            };
            if (input.Scan is { } scan)
            {
                var stored = await archive.StoreAsync(scan.Content, ct);
                stamping.ScanSha256 = stored.Sha256;
                stamping.ScanFileName = Path.GetFileName(scan.FileName) is { Length: > 0 and <= 255 } name ? name : "scan";
                stamping.ScanContentType = scan.ContentType;
            }
            db.PhysicalStampings.Add(stamping);

            var facts = await LedgerFactsAsync(request, ct);
            var firstDocument = request.Documents.OrderBy(d => d.Id).First();
            var documentName = request.Documents.Count == 1
                ? firstDocument.FileName
                : string.Join(", ", request.Documents.OrderBy(d => d.Id).Select(d => d.FileName));
            ledger.Append(facts with
            {
                SealId = row.SealId,
                SealName = row.Seal.Name,
                Kind = SealKind.Physical,
                ExecutorUserId = executor.Id,
                ExecutorName = string.IsNullOrWhiteSpace(executor.DisplayName) ? executor.UserName ?? executor.Id : executor.DisplayName,
                ExecutedAt = stamping.StampedAt,
                DocumentId = stamping.ScanSha256 is null ? firstDocument.Id : null,
                DocumentName = stamping.ScanFileName ?? (documentName.Length > 255 ? documentName[..255] : documentName),
                DocumentSha256 = stamping.ScanSha256 ?? firstDocument.OriginalSha256,
                Copies = input.Copies,
            });
            audit.Add(AuditAction.PhysicalStampRecorded,
                $"{row.Seal.Name}: {input.Copies} copies at {time.Iso(stamping.StampedAt)} by {executor.UserName}" +
                (stamping.ScanSha256 is null ? "" : $"; scan SHA-256 {stamping.ScanSha256}"),
                Subject(request));
            var stage = SealingStage.For(archive, DataFolder, request.Id);
            await CompleteIfDoneAsync(request, now, stage, ct, pendingStamping: stamping);
            try
            {
                if (!await SaveAsync(request, ct))
                {
                    stage.Discard();
                    return new(StatusCodes.Status409Conflict, localizer["Someone else changed this request meanwhile. Reload the page to see the current state."]);
                }
            }
            catch (DbUpdateException)
            {
                // The unique (request, seal) index: another keeper recorded the same seal at the same moment.
                stage.Discard();
                db.ChangeTracker.Clear();
                return new(StatusCodes.Status409Conflict, localizer["The stamping of {0} is already recorded; nothing was changed.", row.Seal.Name]);
            }
            await stage.PublishAsync(ct);
            logger.LogInformation("Seal request {Number}: stamping of seal {SealId} recorded by {User}", request.Number, row.SealId, user.Identity?.Name);
            return new(StatusCodes.Status200OK, request.Status == SealRequestStatus.Completed
                ? localizer["Stamping recorded; the request is completed."]
                : localizer["Stamping recorded."]);
        }
        finally
        {
            gate.Dispose();
        }
    }

    // ---------------------------------------------------------------- completion and records

    /// <summary>Completes the request when every electronic seal is applied and every physical seal stamped.</summary>
    private async Task CompleteIfDoneAsync(SealRequest request, DateTimeOffset now, SealingStage stage, CancellationToken ct, PhysicalStamping? pendingStamping = null)
    {
        if (request.Status != SealRequestStatus.Approved)
            return;
        var hasElectronic = request.Seals.Any(s => s.Seal!.Kind == SealKind.Electronic);
        if (hasElectronic && request.Documents.Any(d => d.SealedSha256 is null))
            return;
        // Only a physical seal of the request can be stamped (RecordStampingAsync), so a request without one has no stampings to read.
        var stampings = request.Seals.Any(s => s.Seal!.Kind == SealKind.Physical)
            ? await db.PhysicalStampings.AsNoTracking().Where(p => p.SealRequestId == request.Id).ToListAsync(ct)
            : [];
        if (pendingStamping is not null)
            stampings.Add(pendingStamping);
        var stamped = stampings.Select(p => p.SealId).ToHashSet();
        if (request.Seals.Where(s => s.Seal!.Kind == SealKind.Physical).Any(s => !stamped.Contains(s.SealId)))
            return;
        request.Status = SealRequestStatus.Completed;
        request.CompletedAt = now;
        var record = await DecisionRecordAsync(request, stampings, now, ct);
        request.DecisionRecordSha256 = await stage.AddAsync(record, ct);
    }

    /// <summary>
    /// The decision record kept in the archive: the request's fields, every decision with actor and
    /// time, and each document's hashes before and after sealing, so the archive alone tells the story.
    /// </summary>
    private async Task<byte[]> DecisionRecordAsync(SealRequest request, IReadOnlyList<PhysicalStamping> stampings, DateTimeOffset now, CancellationToken ct)
    {
        var state = State(request);
        var userIds = new HashSet<string> { request.ApplicantUserId };
        foreach (var d in state?.Decisions ?? [])
        {
            userIds.Add(d.ActorUserId);
            if (d.OnBehalfOfUserId is not null)
                userIds.Add(d.OnBehalfOfUserId);
        }
        foreach (var s in stampings)
        {
            userIds.Add(s.ExecutorUserId);
            userIds.Add(s.RecordedByUserId);
        }
        var names = await UserNamesAsync(userIds, ct);
        var nodes = state?.Template.Nodes.ToDictionary(n => n.Id, n => n.Name) ?? [];
        var department = await DepartmentNameAsync(request.DepartmentId, ct);
        var record = new
        {
            format = "sealportal.decision-record/1",
            recordedAt = now,
            request = new
            {
                request.Id, request.Number, applicant = Person(request.ApplicantUserId), department, request.Purpose, request.DocumentType,
                request.Copies, request.Amount, request.Counterparty, request.Urgent, request.CreatedAt, request.SubmittedAt,
                request.ApprovedAt, request.CompletedAt, workflow = state is null ? null : new { state.Template.Key, state.Template.Version, state.Template.Name },
            },
            seals = request.Seals.OrderBy(s => s.Id).Select(s => new
            {
                s.SealId, s.Seal!.Name, kind = s.Seal.Kind.ToString(), type = s.Seal.Type.ToString(), s.DocumentId, s.Page, s.X, s.Y, s.Width, s.Height, s.CrossPage,
            }),
            decisions = (state?.Decisions ?? []).Select(d => new
            {
                d.Round, node = nodes.GetValueOrDefault(d.NodeId, d.NodeId), actor = Person(d.ActorUserId),
                onBehalfOf = d.OnBehalfOfUserId is null ? null : Person(d.OnBehalfOfUserId), kind = d.Kind.ToString(), d.Comment, d.At,
            }),
            documents = request.Documents.OrderBy(d => d.Id).Select(d => new
            {
                d.Id, d.FileName, d.Length, d.PageCount, d.OriginalSha256, d.SealedSha256,
            }),
            physicalStampings = stampings.OrderBy(s => s.SealId).Select(s => new
            {
                s.SealId, s.StampedAt, s.Copies, executor = Person(s.ExecutorUserId), recordedBy = Person(s.RecordedByUserId), s.RecordedAt, s.ScanSha256, s.ScanFileName,
            }),
        };
        return JsonSerializer.SerializeToUtf8Bytes(record, RecordJson);

        object Person(string id) => new { id, name = names.GetValueOrDefault(id, id) };
    }

    /// <summary>Request-wide ledger facts; each use fills in seal, executor and document.</summary>
    private async Task<LedgerEntryDraft> LedgerFactsAsync(SealRequest request, CancellationToken ct)
    {
        var state = State(request);
        var approvals = (state?.Decisions ?? []).Where(d => d.Kind == DecisionKind.Approve && d.Round == state!.Round).ToList();
        var names = await UserNamesAsync(approvals.Select(a => a.ActorUserId).Append(request.ApplicantUserId).ToHashSet(), ct);
        var department = await DepartmentNameAsync(request.DepartmentId, ct)
            ?? throw new InvalidOperationException($"request {request.Number} names department {request.DepartmentId}, which does not exist");
        return new LedgerEntryDraft
        {
            SealRequestId = request.Id,
            RequestNumber = request.Number,
            SealId = 0,
            SealName = "",
            Kind = SealKind.Electronic,
            ApplicantUserId = request.ApplicantUserId,
            ApplicantName = names.GetValueOrDefault(request.ApplicantUserId, request.ApplicantUserId),
            DepartmentId = request.DepartmentId,
            DepartmentName = department,
            AppliedAt = request.SubmittedAt ?? request.CreatedAt,
            Approvers = approvals.Select(a => new LedgerApproval(a.ActorUserId, names.GetValueOrDefault(a.ActorUserId, a.ActorUserId), a.At)).ToList(),
            ApprovedAt = request.ApprovedAt,
            ExecutorName = SystemExecutor,
            ExecutedAt = clock.GetUtcNow(),
            DocumentName = "",
            DocumentSha256 = "",
        };
    }

    /// <summary>
    /// Display names of users (user name when blank), each read once per run: the ledger entries and the decision
    /// record name the same people, and every name read again was one more round trip per sealed request.
    /// </summary>
    private async Task<Dictionary<string, string>> UserNamesAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var missing = ids.Where(id => !_names.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            var users = await db.Users.AsNoTracking().Where(u => missing.Contains(u.Id))
                .Select(u => new { u.Id, u.UserName, u.DisplayName }).ToListAsync(ct);
            foreach (var u in users)
                _names[u.Id] = string.IsNullOrWhiteSpace(u.DisplayName) ? u.UserName ?? u.Id : u.DisplayName;
        }
        return ids.Where(_names.ContainsKey).ToDictionary(id => id, id => _names[id]);
    }

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>Each run starts from the database: nothing tracked and no name remembered from an earlier run in this scope.</summary>
    private void Forget()
    {
        db.ChangeTracker.Clear();
        _names.Clear();
        _departments.Clear();
    }

    private readonly Dictionary<int, string?> _departments = [];

    /// <summary>The department's name, read once per run (the ledger entries and the decision record both name it).</summary>
    private async Task<string?> DepartmentNameAsync(int departmentId, CancellationToken ct)
    {
        if (!_departments.TryGetValue(departmentId, out var name))
            _departments[departmentId] = name = await db.Departments.AsNoTracking().Where(d => d.Id == departmentId).Select(d => d.Name).SingleOrDefaultAsync(ct);
        return name;
    }

    private static WorkflowState? State(SealRequest request) => RequestWorkflowStore.State(request);

    private static string Subject(SealRequest request) => $"request {request.Number}";

    private Task<SealRequest?> LoadAsync(int id, CancellationToken ct) =>
        db.SealRequests.Include(r => r.Documents).Include(r => r.Seals).ThenInclude(s => s.Seal)
            .AsSplitQuery().SingleOrDefaultAsync(r => r.Id == id, ct);

    /// <summary>Saves with a fresh concurrency stamp; false when another change to the request won.</summary>
    private async Task<bool> SaveAsync(SealRequest request, CancellationToken ct)
    {
        request.ConcurrencyStamp = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            logger.LogInformation("Seal request {Number}: a concurrent change won; this sealing result was not stored", request.Number);
            return false;
        }
    }
}

/// <summary>A scan of the stamped paper, already checked to be a PDF, PNG or JPEG.</summary>
public sealed record StampingScan(string FileName, string ContentType, byte[] Content);

/// <summary>What the keeper fills in for a physical stamping.</summary>
public sealed record StampingInput(int SealId, DateTimeOffset StampedAt, int Copies, string? ExecutorUserId, StampingScan? Scan);

/// <summary>
/// One in-process lock per seal request, so a retry and a stamping on the same request take turns
/// in this portal (the concurrency stamp still settles races between portals). An entry lives only
/// while someone holds or waits for it, so the table does not grow with every request ever sealed.
/// </summary>
internal static class RequestGate
{
    private static readonly Dictionary<int, (SemaphoreSlim Gate, int Users)> Gates = new();

    /// <summary>Whether anyone holds or waits for this request's gate (for tests).</summary>
    internal static bool InUse(int requestId)
    {
        lock (Gates)
            return Gates.ContainsKey(requestId);
    }

    public static async Task<IDisposable> EnterAsync(int requestId, CancellationToken ct)
    {
        SemaphoreSlim gate;
        lock (Gates)
        {
            var (existing, users) = Gates.GetValueOrDefault(requestId);
            gate = existing ?? new SemaphoreSlim(1, 1);
            Gates[requestId] = (gate, users + 1);
        }
        try
        {
            await gate.WaitAsync(ct);
        }
        catch
        {
            Leave(requestId, gate, held: false);
            throw;
        }
        return new Held(requestId, gate);
    }

    private static void Leave(int requestId, SemaphoreSlim gate, bool held)
    {
        lock (Gates)
        {
            if (held)
                gate.Release();
            var users = Gates[requestId].Users - 1;
            if (users == 0)
            {
                Gates.Remove(requestId);
                gate.Dispose();
            }
            else
            {
                Gates[requestId] = (gate, users);
            }
        }
    }

    private sealed class Held(int requestId, SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                Leave(requestId, gate, held: true);
        }
    }
}
