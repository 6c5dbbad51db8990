using SealPortal.Data;

namespace SealPortal.Features.Cases;

/// <summary>
/// The outcome of a case command: <see cref="Error"/> is a resource key (English) with <see cref="Args"/>, and
/// <see cref="StatusCode"/> the HTTP status it stands for (400 bad input, 401 signed out, 403 wrong role,
/// 404 no such case, 409 closed or changed meanwhile).
/// </summary>
public sealed record CaseResult(bool Succeeded, string? Error = null, object[]? Args = null, int StatusCode = StatusCodes.Status200OK, int? CaseId = null)
{
    public static CaseResult Ok(int caseId) => new(true, CaseId: caseId);

    public static CaseResult Invalid(string error, params object[] args) => new(false, error, args, StatusCodes.Status400BadRequest);

    public static CaseResult Fail(int statusCode, string error, params object[] args) => new(false, error, args, statusCode);
}

/// <summary>One row of the case list.</summary>
public sealed record CaseRow(int Id, string Number, ViolationKind Kind, ViolationCaseStatus Status, ViolationOutcome? Outcome,
    string Department, string? Responsible, DateTime OpenedAt, string OpenedBy);

/// <summary>The list's filters; null means any.</summary>
public sealed record CaseFilter(ViolationCaseStatus? Status = null, ViolationKind? Kind = null, int? DepartmentId = null,
    DateOnly? OpenedFrom = null, DateOnly? OpenedTo = null);

/// <summary>A piece of evidence as the case page shows it; <see cref="Href"/> opens the item, when it has a page.</summary>
public sealed record EvidenceView(long Id, EvidenceKind Kind, long ReferenceId, string Summary, string? Href, DateTime AddedAt, string AddedBy);

public sealed record StepView(int Ordinal, DateTime At, string Actor, string Text);

public sealed record CaseDetail(
    int Id, string Number, ViolationKind Kind, ViolationCaseStatus Status, ViolationOutcome? Outcome, string? OutcomeNote,
    int DepartmentId, string Department, string? ResponsibleUserId, string? Responsible, string Facts,
    DateTime OpenedAt, string OpenedBy, DateTime? ClosedAt, string? ClosedBy,
    IReadOnlyList<EvidenceView> Evidence, IReadOnlyList<StepView> Steps, Guid Version)
{
    public bool IsClosed => Status == ViolationCaseStatus.Closed;
}

/// <summary>
/// What an item of evidence says, checked to exist, and what it suggests for a new case: the kind of
/// violation, the department and the person (the ledger entry's applicant, the seal's custodian, …).
/// </summary>
public sealed record EvidencePreview(EvidenceKind Kind, long ReferenceId, string Summary, ViolationKind SuggestedKind,
    int? DepartmentId, string? ResponsibleUserId);

/// <summary>What the new-case form sends; everything is checked by the service.</summary>
public sealed record NewCaseInput(ViolationKind? Kind, int? DepartmentId, string? ResponsibleUserId, string? Facts,
    EvidenceKind? EvidenceKind = null, string? EvidenceReference = null);

/// <summary>What the edit form sends for an open case, with the version the form was loaded at; everything is checked by the service.</summary>
public sealed record CaseEditInput(Guid Version, ViolationKind? Kind, int? DepartmentId, string? ResponsibleUserId, string? Facts);

public sealed record Choice<TKey>(TKey Id, string Name);

/// <summary>A person who can be named responsible, with their department (to suggest it).</summary>
public sealed record PersonChoice(string Id, string Name, int? DepartmentId);

/// <summary>What the current user may do with cases, as the database has them now.</summary>
public sealed record CaseAccess(string UserId, string UserName, bool Handle, bool ReadAll, int? HeadOf)
{
    /// <summary>Neither a role that reads cases nor (maybe) a responsible person: the list asks the database whether they have cases of their own.</summary>
    public bool ByRole => ReadAll || HeadOf is not null;
}
