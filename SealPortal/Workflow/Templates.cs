namespace SealPortal.Workflow;

/// <summary>A seal named in a request, with its type code (e.g. "Official", "Contract", "Finance").</summary>
public sealed record RequestedSeal(string SealId, string SealType);

/// <summary>
/// The facts of a seal request that the workflow needs: who asks, for which department, which seals,
/// document type, amount, urgency. The workflow never looks at the PDFs.
/// </summary>
public sealed record SealRequestFacts(
    string RequestId,
    string ApplicantUserId,
    string DepartmentId,
    IReadOnlyList<RequestedSeal> Seals,
    string DocumentType,
    decimal? Amount,
    bool Urgent);

/// <summary>
/// A condition on a request. All criteria that are set must hold (AND); a criterion left null
/// does not constrain. For OR, write several <see cref="TemplateRule"/>s or several nodes.
/// </summary>
public sealed record RequestCondition
{
    /// <summary>Holds when the request has an amount and it is at least this value.</summary>
    public decimal? AmountAtLeast { get; init; }

    /// <summary>Holds when the request has no amount or its amount is below this value.</summary>
    public decimal? AmountBelow { get; init; }

    /// <summary>Holds when the request's document type is one of these (ordinal comparison).</summary>
    public IReadOnlyList<string>? DocumentTypes { get; init; }

    /// <summary>Holds when at least one requested seal has one of these types.</summary>
    public IReadOnlyList<string>? SealTypes { get; init; }

    public bool Matches(SealRequestFacts facts)
    {
        if (AmountAtLeast is { } min && (facts.Amount is not { } amount || amount < min))
        {
            return false;
        }
        if (AmountBelow is { } max && facts.Amount is { } a && a >= max)
        {
            return false;
        }
        if (DocumentTypes is not null && !DocumentTypes.Contains(facts.DocumentType, StringComparer.Ordinal))
        {
            return false;
        }
        if (SealTypes is not null && !facts.Seals.Any(s => SealTypes.Contains(s.SealType, StringComparer.Ordinal)))
        {
            return false;
        }
        return true;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (AmountAtLeast is { } min) parts.Add($"amount >= {min}");
        if (AmountBelow is { } max) parts.Add($"amount < {max}");
        if (DocumentTypes is not null) parts.Add($"document type in [{string.Join(", ", DocumentTypes)}]");
        if (SealTypes is not null) parts.Add($"seal type in [{string.Join(", ", SealTypes)}]");
        return parts.Count == 0 ? "always" : string.Join(" and ", parts);
    }
}

/// <summary>Role names the portal's directory understands. Plain strings, so administrators can add roles.</summary>
public static class ApproverRoles
{
    public const string DepartmentHead = "DepartmentHead";
    public const string Reviewer = "Reviewer";
    public const string Executive = "Executive";
    public const string SealKeeper = "SealKeeper";
    public const string Archivist = "Archivist";
}

/// <summary>Where a node's approvers come from.</summary>
public enum ApproverSource
{
    /// <summary>Users holding <see cref="ApproverSpec.Role"/> in the applicant's department.</summary>
    DepartmentRole,
    /// <summary>Users holding <see cref="ApproverSpec.Role"/> anywhere in the company.</summary>
    CompanyRole,
    /// <summary>The custodians of the requested seals.</summary>
    SealCustodians,
    /// <summary>Explicitly named users.</summary>
    Users,
}

/// <summary>
/// Names approvers by role (optionally with a specialty such as "legal" or "finance"), by seal
/// custody, or explicitly. Resolved through <see cref="IApproverDirectory"/> when a node is entered.
/// </summary>
public sealed record ApproverSpec
{
    public ApproverSource Source { get; init; }
    public string? Role { get; init; }
    public string? Specialty { get; init; }
    public IReadOnlyList<string>? UserIds { get; init; }

    public static ApproverSpec DepartmentRole(string role, string? specialty = null) =>
        new() { Source = ApproverSource.DepartmentRole, Role = role, Specialty = specialty };

    public static ApproverSpec CompanyRole(string role, string? specialty = null) =>
        new() { Source = ApproverSource.CompanyRole, Role = role, Specialty = specialty };

    public static ApproverSpec SealCustodians() => new() { Source = ApproverSource.SealCustodians };

    public static ApproverSpec Users(params string[] userIds) => new() { Source = ApproverSource.Users, UserIds = userIds };

    public IReadOnlyList<string> Validate()
    {
        return Source switch
        {
            ApproverSource.DepartmentRole or ApproverSource.CompanyRole when string.IsNullOrWhiteSpace(Role) =>
                ["An approver given by role needs the role's name."],
            ApproverSource.Users when UserIds is null || UserIds.Count == 0 || UserIds.Any(string.IsNullOrWhiteSpace) =>
                ["An approver list needs at least one user id and no empty ids."],
            _ => [],
        };
    }

    public override string ToString()
    {
        var specialty = Specialty is null ? "" : $" ({Specialty})";
        return Source switch
        {
            ApproverSource.DepartmentRole => $"{Role}{specialty} of the applicant's department",
            ApproverSource.CompanyRole => $"{Role}{specialty} (company-wide)",
            ApproverSource.SealCustodians => "custodians of the requested seals",
            _ => $"users [{string.Join(", ", UserIds ?? [])}]",
        };
    }
}

/// <summary>How a node's approvers decide together.</summary>
public enum ApprovalMode
{
    /// <summary>会签: every approver must approve.</summary>
    Countersign,
    /// <summary>或签: one approval suffices; the other pending approvals are cancelled.</summary>
    AnySign,
}

/// <summary>
/// When the reminder before a deadline is sent: after a percentage of the working time between entering the node
/// and its deadline (so a reminder does not fall on a Sunday night), and/or a number of wall-clock minutes before
/// the deadline. With both, the earlier wins. A reminder that would fall at or before the moment the node is
/// entered is not sent (entering already notifies).
/// </summary>
public sealed record ReminderPolicy
{
    public int? PercentOfTime { get; init; } = 80;
    public int? MinutesBefore { get; init; }

    public IReadOnlyList<string> Validate() =>
        PercentOfTime is < 1 or > 99 ? ["A reminder percentage must be between 1 and 99."]
        : MinutesBefore is < 1 ? ["Minutes before a deadline must be positive."]
        : [];

    public DateTimeOffset? RemindAt(DateTimeOffset enteredAt, DateTimeOffset dueAt, WorkingCalendar calendar)
    {
        DateTimeOffset? at = null;
        if (PercentOfTime is { } p)
        {
            var working = calendar.WorkingTimeBetween(enteredAt, dueAt);
            var minutes = (int)(working.TotalMinutes * p / 100);
            at = minutes > 0 ? calendar.Add(enteredAt, WorkingDuration.Minutes(minutes)) : null;
        }
        if (MinutesBefore is { } m)
        {
            var before = dueAt - TimeSpan.FromMinutes(m);
            at = at is null || before < at ? before : at;
        }
        return at is { } t && t > enteredAt && t < dueAt ? t : null;
    }
}

/// <summary>What happens when a node's deadline passes.</summary>
public enum OverdueActionKind
{
    /// <summary>Only tell the pending approvers (and whoever the caller adds) that the deadline passed.</summary>
    RemindOnly,
    /// <summary>Tell <see cref="OverdueAction.Target"/> (e.g. an executive) that the node is overdue; who decides does not change.</summary>
    Escalate,
    /// <summary>Hand each pending approval to the approver's deputy (active delegation first, then standing deputy).</summary>
    TransferToDeputy,
    /// <summary>Hand all pending approvals to <see cref="OverdueAction.Target"/>.</summary>
    TransferToTarget,
}

public sealed record OverdueAction
{
    public OverdueActionKind Kind { get; init; } = OverdueActionKind.RemindOnly;
    public ApproverSpec? Target { get; init; }

    public static OverdueAction RemindOnly() => new();
    public static OverdueAction EscalateTo(ApproverSpec target) => new() { Kind = OverdueActionKind.Escalate, Target = target };
    public static OverdueAction TransferToDeputy() => new() { Kind = OverdueActionKind.TransferToDeputy };
    public static OverdueAction TransferTo(ApproverSpec target) => new() { Kind = OverdueActionKind.TransferToTarget, Target = target };

    public IReadOnlyList<string> Validate()
    {
        if (Kind is OverdueActionKind.Escalate or OverdueActionKind.TransferToTarget)
        {
            return Target is null ? [$"{Kind} needs a target."] : Target.Validate();
        }
        return [];
    }
}

/// <summary>A node's deadline: normal and urgent durations in working time and the action after it passes.</summary>
public sealed record NodeDeadline
{
    public required WorkingDuration Normal { get; init; }
    /// <summary>Used for urgent requests; null means the normal duration applies.</summary>
    public WorkingDuration? Urgent { get; init; }
    public OverdueAction AfterDeadline { get; init; } = new();

    public WorkingDuration For(bool urgent) => urgent && Urgent is not null ? Urgent : Normal;
}

/// <summary>
/// One step of a template. <see cref="FallbackApprovers"/> is asked when <see cref="Approvers"/> resolves to
/// nobody other than the applicant (e.g. the applicant is the department head: fall back to an executive).
/// </summary>
public sealed record WorkflowNode
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required ApproverSpec Approvers { get; init; }
    public ApproverSpec? FallbackApprovers { get; init; }
    public ApprovalMode Mode { get; init; } = ApprovalMode.AnySign;
    /// <summary>The node applies only when this holds; null means always. A node that does not apply is skipped.</summary>
    public RequestCondition? AppliesWhen { get; init; }
    public NodeDeadline? Deadline { get; init; }
    /// <summary>Overrides the template's reminder policy for this node.</summary>
    public ReminderPolicy? Reminder { get; init; }
}

/// <summary>
/// A versioned approval template. Editing a template means saving a new record with a higher
/// <see cref="Version"/> under the same <see cref="Key"/>; running requests keep the snapshot they started with.
/// </summary>
public sealed record WorkflowTemplate
{
    public required string Key { get; init; }
    public required int Version { get; init; }
    public required string Name { get; init; }
    public required IReadOnlyList<WorkflowNode> Nodes { get; init; }
    public ReminderPolicy Reminder { get; init; } = new();

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Key)) problems.Add("A template needs a key.");
        if (Nodes.Count == 0) problems.Add($"Template '{Key}' has no node.");
        problems.AddRange(Reminder.Validate());
        foreach (var dup in Nodes.GroupBy(n => n.Id).Where(g => g.Count() > 1))
        {
            problems.Add($"Template '{Key}' has more than one node with id '{dup.Key}'.");
        }
        foreach (var node in Nodes)
        {
            var prefix = $"Node '{node.Name}': ";
            if (string.IsNullOrWhiteSpace(node.Id)) problems.Add(prefix + "needs an id.");
            problems.AddRange(node.Approvers.Validate().Select(p => prefix + p));
            if (node.FallbackApprovers is not null) problems.AddRange(node.FallbackApprovers.Validate().Select(p => prefix + p));
            if (node.Reminder is not null) problems.AddRange(node.Reminder.Validate().Select(p => prefix + p));
            if (node.Deadline is { } d)
            {
                if (d.Normal.Amount <= 0 || d.Urgent is { Amount: <= 0 }) problems.Add(prefix + "a deadline must be positive.");
                problems.AddRange(d.AfterDeadline.Validate().Select(p => prefix + p));
            }
        }
        return problems;
    }
}

/// <summary>Ordered rule: when <see cref="When"/> holds, the request uses the template <see cref="TemplateKey"/>.</summary>
public sealed record TemplateRule(RequestCondition When, string TemplateKey);

/// <summary>
/// The current templates and the rules that choose among them. The first matching rule wins; otherwise
/// the default template. When several versions of a key are present, the highest version is used.
/// </summary>
public sealed record WorkflowCatalog(
    IReadOnlyList<TemplateRule> Rules,
    string DefaultTemplateKey,
    IReadOnlyList<WorkflowTemplate> Templates)
{
    /// <summary>The template for these facts, or null when the chosen key names no template.</summary>
    public WorkflowTemplate? Select(SealRequestFacts facts)
    {
        var key = SelectKey(facts);
        return Templates.Where(t => t.Key == key).MaxBy(t => t.Version);
    }

    /// <summary>The key of the template the rules choose for these facts.</summary>
    public string SelectKey(SealRequestFacts facts) =>
        Rules.FirstOrDefault(r => r.When.Matches(facts))?.TemplateKey ?? DefaultTemplateKey;
}
