using System.Globalization;
using SealPortal.Workflow;

namespace SealPortal.Features.Workflows;

/// <summary>
/// The editable fields of a request condition as the forms hold them (text, so that a wrong entry can be
/// shown back to the user as typed).
/// </summary>
public sealed class ConditionForm
{
    public string AmountAtLeast { get; set; } = "";
    public string AmountBelow { get; set; } = "";
    public List<string> DocumentTypes { get; set; } = [];
    public List<string> SealTypes { get; set; } = [];

    public static ConditionForm From(RequestCondition? c) => new()
    {
        AmountAtLeast = c?.AmountAtLeast?.ToString(CultureInfo.InvariantCulture) ?? "",
        AmountBelow = c?.AmountBelow?.ToString(CultureInfo.InvariantCulture) ?? "",
        DocumentTypes = c?.DocumentTypes?.ToList() ?? [],
        SealTypes = c?.SealTypes?.ToList() ?? [],
    };

    /// <summary>The condition, or null when nothing is set (the node always applies).</summary>
    public RequestCondition? ToCondition(List<FormProblem> problems, string where)
    {
        var atLeast = ParseAmount(AmountAtLeast, where, problems);
        var below = ParseAmount(AmountBelow, where, problems);
        if (atLeast is null && below is null && DocumentTypes.Count == 0 && SealTypes.Count == 0)
            return null;
        if (atLeast is { } a && below is { } b && b <= a)
            problems.Add(new FormProblem("{0}: \"amount below\" must be greater than \"amount at least\".", where));
        return new RequestCondition
        {
            AmountAtLeast = atLeast,
            AmountBelow = below,
            DocumentTypes = DocumentTypes.Count == 0 ? null : DocumentTypes,
            SealTypes = SealTypes.Count == 0 ? null : SealTypes,
        };
    }

    private static decimal? ParseAmount(string text, string where, List<FormProblem> problems)
    {
        if (text.Length == 0)
            return null;
        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0)
            return value;
        problems.Add(new FormProblem("{0}: \"{1}\" is not an amount.", where, text));
        return null;
    }
}

/// <summary>A problem found while reading a form: a resource key and its arguments.</summary>
public sealed record FormProblem(string Key, params object[] Args);

/// <summary>One node of the template editor.</summary>
public sealed class NodeForm
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public ApproverSource Source { get; set; } = ApproverSource.DepartmentRole;
    public string Role { get; set; } = ApproverRoles.DepartmentHead;
    public string Specialty { get; set; } = "";
    public List<string> Users { get; set; } = [];
    public string FallbackRole { get; set; } = "";
    public ApprovalMode Mode { get; set; } = ApprovalMode.AnySign;
    public string NormalAmount { get; set; } = "";
    public WorkingTimeUnit NormalUnit { get; set; } = WorkingTimeUnit.Days;
    public string UrgentAmount { get; set; } = "";
    public WorkingTimeUnit UrgentUnit { get; set; } = WorkingTimeUnit.Hours;
    public OverdueActionKind Overdue { get; set; } = OverdueActionKind.RemindOnly;
    public string OverdueRole { get; set; } = "";
    public string ReminderPercent { get; set; } = "";
    public ConditionForm Condition { get; set; } = new();

    public static NodeForm From(WorkflowNode n) => new()
    {
        Id = n.Id,
        Name = n.Name,
        Source = n.Approvers.Source,
        Role = n.Approvers.Role ?? "",
        Specialty = n.Approvers.Specialty ?? "",
        Users = n.Approvers.UserIds?.ToList() ?? [],
        FallbackRole = n.FallbackApprovers?.Role ?? "",
        Mode = n.Mode,
        NormalAmount = n.Deadline?.Normal.Amount.ToString(CultureInfo.InvariantCulture) ?? "",
        NormalUnit = n.Deadline?.Normal.Unit ?? WorkingTimeUnit.Days,
        UrgentAmount = n.Deadline?.Urgent?.Amount.ToString(CultureInfo.InvariantCulture) ?? "",
        UrgentUnit = n.Deadline?.Urgent?.Unit ?? WorkingTimeUnit.Hours,
        Overdue = n.Deadline?.AfterDeadline.Kind ?? OverdueActionKind.RemindOnly,
        OverdueRole = n.Deadline?.AfterDeadline.Target?.Role ?? "",
        ReminderPercent = n.Reminder?.PercentOfTime?.ToString(CultureInfo.InvariantCulture) ?? "",
        Condition = ConditionForm.From(n.AppliesWhen),
    };

    public WorkflowNode ToNode(List<FormProblem> problems, int position)
    {
        var where = string.IsNullOrEmpty(Name) ? $"#{position}" : Name;
        if (Name.Length is 0 or > 100)
            problems.Add(new FormProblem("Node {0}: a name has 1 to 100 characters.", $"#{position}"));
        var specialty = Specialty.Length == 0 ? null : Specialty;
        var approvers = Source switch
        {
            ApproverSource.DepartmentRole => ApproverSpec.DepartmentRole(Role, specialty),
            ApproverSource.CompanyRole => ApproverSpec.CompanyRole(Role, specialty),
            ApproverSource.SealCustodians => ApproverSpec.SealCustodians(),
            _ => ApproverSpec.Users([.. Users]),
        };
        NodeDeadline? deadline = null;
        var normal = ParseCount(NormalAmount, where, problems);
        var urgent = ParseCount(UrgentAmount, where, problems);
        if (normal is { } n)
        {
            deadline = new NodeDeadline
            {
                Normal = new WorkingDuration(NormalUnit, n),
                Urgent = urgent is { } u ? new WorkingDuration(UrgentUnit, u) : null,
                AfterDeadline = new OverdueAction
                {
                    Kind = Overdue,
                    Target = Overdue is OverdueActionKind.Escalate or OverdueActionKind.TransferToTarget && OverdueRole.Length > 0
                        ? ApproverSpec.CompanyRole(OverdueRole) : null,
                },
            };
        }
        else if (urgent is not null || Overdue != OverdueActionKind.RemindOnly)
        {
            problems.Add(new FormProblem("Node {0}: an urgent deadline or an overdue action needs a normal deadline.", where));
        }
        var percent = ParseCount(ReminderPercent, where, problems);
        return new WorkflowNode
        {
            Id = Id,
            Name = Name,
            Approvers = approvers,
            FallbackApprovers = FallbackRole.Length == 0 ? null : ApproverSpec.CompanyRole(FallbackRole),
            Mode = Mode,
            AppliesWhen = Condition.ToCondition(problems, where),
            Deadline = deadline,
            Reminder = percent is { } p ? new ReminderPolicy { PercentOfTime = p } : null,
        };
    }

    private static int? ParseCount(string text, string where, List<FormProblem> problems)
    {
        if (text.Length == 0)
            return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= 10_000)
            return value;
        problems.Add(new FormProblem("Node {0}: \"{1}\" is not a positive whole number.", where, text));
        return null;
    }
}

/// <summary>
/// The template editor's state: edited in place by the page, changed by the add/remove/move buttons without
/// saving, and turned into a <see cref="WorkflowTemplate"/> on save.
/// </summary>
public sealed class TemplateForm
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string ReminderPercent { get; set; } = "80";
    public string ReminderMinutesBefore { get; set; } = "";
    public List<NodeForm> Nodes { get; set; } = [];

    public static TemplateForm From(WorkflowTemplate t) => new()
    {
        Key = t.Key,
        Name = t.Name,
        ReminderPercent = t.Reminder.PercentOfTime?.ToString(CultureInfo.InvariantCulture) ?? "",
        ReminderMinutesBefore = t.Reminder.MinutesBefore?.ToString(CultureInfo.InvariantCulture) ?? "",
        Nodes = t.Nodes.Select(NodeForm.From).ToList(),
    };

    public static TemplateForm NewTemplate(string key) => new() { Key = key, Name = key, Nodes = [NewNode([])] };

    /// <summary>A node with an id no other node of the template has, so decisions recorded against ids stay unambiguous.</summary>
    public static NodeForm NewNode(IEnumerable<NodeForm> existing)
    {
        var taken = existing.Select(n => n.Id).ToHashSet();
        var i = 1;
        while (taken.Contains($"node-{i}"))
            i++;
        return new NodeForm { Id = $"node-{i}", Name = "" };
    }

    /// <summary>Applies an editing button ("add", "remove:2", "up:1", "down:0"); false when the action is unknown.</summary>
    public bool Apply(string action) => ApplyListEdit(Nodes, action, () => NewNode(Nodes));

    /// <summary>
    /// The list-editing buttons of the editors (template nodes, routing rules): "add",
    /// "remove:i", "up:i", "down:i". False when the action is not one of these or its index is out of range.
    /// </summary>
    public static bool ApplyListEdit<T>(List<T> items, string action, Func<T> add)
    {
        var parts = action.Split(':');
        var index = parts.Length == 2 && int.TryParse(parts[1], out var i) ? i : -1;
        switch (parts[0])
        {
            case "add":
                items.Add(add());
                return true;
            case "remove" when index >= 0 && index < items.Count:
                items.RemoveAt(index);
                return true;
            case "up" when index > 0 && index < items.Count:
                (items[index - 1], items[index]) = (items[index], items[index - 1]);
                return true;
            case "down" when index >= 0 && index < items.Count - 1:
                (items[index + 1], items[index]) = (items[index], items[index + 1]);
                return true;
            default:
                return false;
        }
    }

    public WorkflowTemplate ToTemplate(List<FormProblem> problems)
    {
        int? Count(string text, string label)
        {
            if (text.Length == 0)
                return null;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0)
                return v;
            problems.Add(new FormProblem("{0}: \"{1}\" is not a positive whole number.", label, text));
            return null;
        }
        var percent = Count(ReminderPercent, "Reminder at % of the time");
        var minutes = Count(ReminderMinutesBefore, "Reminder minutes before the deadline");
        return new WorkflowTemplate
        {
            Key = Key,
            Version = 0,
            Name = Name,
            Reminder = new ReminderPolicy { PercentOfTime = percent, MinutesBefore = minutes },
            Nodes = Nodes.Select((n, i) => n.ToNode(problems, i + 1)).ToList(),
        };
    }
}
