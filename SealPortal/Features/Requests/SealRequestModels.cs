using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Requests;

/// <summary>What an applicant fills in for a request (everything except the PDFs).</summary>
public sealed record SealRequestInput(
    string? Purpose,
    string? DocumentType,
    int Copies,
    decimal? Amount,
    string? Counterparty,
    bool Urgent,
    IReadOnlyList<int> SealIds);

/// <summary>An uploaded PDF as the service sees it; <see cref="OpenReadStream"/> may be called once.</summary>
public sealed record UploadedPdf(string FileName, long Length, Func<Stream> OpenReadStream);

/// <summary>
/// Where one seal goes on one document: <see cref="Page"/> is 1-based; the rectangle is in PDF points of
/// the page as shown (origin bottom-left, rotation already applied). <see cref="CrossPage"/> asks for a
/// seal split across the page edges (骑缝章), in which case page and rectangle give its size and height.
/// </summary>
public sealed record SealPlacementInput(int SealId, int DocumentId, int Page, double X, double Y, double Width, double Height, bool CrossPage);

/// <summary>A line of "my requests".</summary>
public sealed record SealRequestRow(int Id, string Number, string Purpose, string DocumentType, SealRequestStatus Status,
    bool Urgent, DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, IReadOnlyList<string> SealNames);

/// <summary>
/// A line of the inbox: a request waiting for the user, possibly as deputy for <see cref="OnBehalfOf"/>.
/// <see cref="NodeKey"/> names the step (template and node) so that items at the same step can be decided
/// together; <see cref="Version"/> is the workflow version a decision is based on.
/// </summary>
public sealed record InboxItem(int Id, string Number, string Purpose, string DocumentType, string Applicant, string Department,
    bool Urgent, string NodeName, DateTimeOffset EnteredAt, DateTimeOffset? DueAt, bool Overdue, string? OnBehalfOf,
    IReadOnlyList<string> SealNames, string? Counterparty = null, string NodeKey = "", long Version = 0);

/// <summary>Inbox filters; null or false means "any".</summary>
public sealed record InboxFilter(int? SealId = null, string? DocumentType = null, bool UrgentOnly = false, bool OverdueOnly = false);

/// <param name="ActiveContent">Active content found at upload ("JavaScript,OpenAction"), null when none: shown to approvers as a warning.</param>
public sealed record SealRequestDocumentView(int Id, string FileName, string OriginalSha256, long Length, int PageCount, string? SealedSha256, string? ActiveContent = null);

public sealed record SealRequestSealView(int Id, int SealId, string SealName, SealType SealType, SealKind SealKind,
    int? DocumentId, int? Page, double? X, double? Y, double? Width, double? Height, bool CrossPage);

/// <summary>One decision as shown on the request page.</summary>
public sealed record DecisionView(int Round, string NodeName, string Actor, string? OnBehalfOf, DecisionKind Kind, string? Comment, DateTimeOffset At);

/// <summary>Everything the request page shows, with what the viewing user may do.</summary>
public sealed record SealRequestView(
    int Id,
    string Number,
    string ApplicantUserId,
    string Applicant,
    int DepartmentId,
    string Department,
    string Purpose,
    string DocumentType,
    int Copies,
    decimal? Amount,
    string? Counterparty,
    bool Urgent,
    SealRequestStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? ApprovedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<SealRequestDocumentView> Documents,
    IReadOnlyList<SealRequestSealView> Seals,
    IReadOnlyList<DecisionView> Decisions,
    string? CurrentNodeName,
    DateTimeOffset? DueAt,
    bool Overdue,
    IReadOnlyList<string> PendingApprovers,
    long Version,
    SealRequestPermissions Can,
    // Changes with every save of the request: a live update with another stamp means someone changed it since.
    Guid Stamp);

/// <summary>What the viewing user may do on a request page now.</summary>
public sealed record SealRequestPermissions(
    bool Edit,
    bool Submit,
    bool Resubmit,
    bool Withdraw,
    bool Place,
    IReadOnlyList<DecideRight> Decide,
    // What sealing produced (the sealed PDFs, a stamping's scan): the applicant, the keepers of its seals, auditors and
    // administrators, as SealingQueries.DownloadAccessAsync answers, read here with the page's own query.
    bool Download = false);

/// <summary>A right to decide: for oneself (<see cref="OnBehalfOfUserId"/> null) or as the deputy of someone.</summary>
public sealed record DecideRight(string? OnBehalfOfUserId, string? OnBehalfOfName);
