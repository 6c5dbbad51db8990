using Microsoft.Extensions.Localization;
using SealPortal.Resources;
using SealPortal.Workflow;

namespace SealPortal.Features.Workflows;

/// <summary>Plain-language descriptions of templates and conditions in the user's language.</summary>
public static class WorkflowText
{
    public static string Condition(IStringLocalizer<SharedResource> L, RequestCondition? c)
    {
        if (c is null)
            return L["always"];
        var parts = new List<string>();
        if (c.AmountAtLeast is { } min) parts.Add(L["amount ≥ {0:N0}", min]);
        if (c.AmountBelow is { } max) parts.Add(L["amount < {0:N0}", max]);
        if (c.DocumentTypes is { } types) parts.Add(L["document type: {0}", string.Join(", ", types.Select(t => L[$"DocumentType.{t}"].Value))]);
        if (c.SealTypes is { } seals) parts.Add(L["seal type: {0}", string.Join(", ", seals.Select(t => L[$"SealType.{t}"].Value))]);
        return parts.Count == 0 ? L["always"] : string.Join(L[" and "], parts);
    }

    public static string Approvers(IStringLocalizer<SharedResource> L, ApproverSpec spec, IReadOnlyDictionary<string, string> userNames) => spec.Source switch
    {
        ApproverSource.DepartmentRole => L["{0} of the applicant's department", L[$"Role.{spec.Role}"].Value],
        ApproverSource.CompanyRole => L["{0} (company-wide)", L[$"Role.{spec.Role}"].Value],
        ApproverSource.SealCustodians => L["Custodians of the requested seals"],
        _ => string.Join(", ", (spec.UserIds ?? []).Select(u => userNames.TryGetValue(u, out var n) ? n : u)),
    };

    public static string Duration(IStringLocalizer<SharedResource> L, WorkingDuration? d) =>
        d is null ? "—" : L[$"{{0}} working {d.Unit.ToString().ToLowerInvariant()}", d.Amount];

    /// <summary>
    /// The engine validates in English sentences ("Node 'X': ..."); the node name is split off so the rest can be
    /// looked up in the resources like any other text.
    /// </summary>
    public static string EngineProblem(IStringLocalizer<SharedResource> L, string problem)
    {
        var node = System.Text.RegularExpressions.Regex.Match(problem, "^Node '(.*)': (.+)$");
        if (node.Success)
            return L["Node {0}: {1}", node.Groups[1].Value, L[node.Groups[2].Value].Value];
        var empty = System.Text.RegularExpressions.Regex.Match(problem, "^Template '(.*)' has no node\\.$");
        if (empty.Success)
            return L["A template needs at least one node."];
        return L[problem];
    }

    /// <summary>Localizes a form problem; string arguments that are resource keys are translated too.</summary>
    public static string Problem(IStringLocalizer<SharedResource> L, FormProblem p) =>
        L[p.Key, p.Args.Select(a => a is string s ? (object)L[s].Value : a).ToArray()];

    /// <summary>Localizes why a test case failed or was refused.</summary>
    public static string CaseProblem(IStringLocalizer<SharedResource> L, TestProblem p) =>
        L[p.Key, p.Args.Select(a => a is string s ? (object)L[s].Value : a).ToArray()];

    /// <summary>A node path as the user reads it: node names where the template knows them, else the ids; "—" when empty.</summary>
    public static string Path(IReadOnlyList<string> path, IReadOnlyDictionary<string, string>? names = null) =>
        path.Count == 0 ? "—" : string.Join(" → ", path.Select(id => names is not null && names.TryGetValue(id, out var n) ? n : id));

    /// <summary>Why a template change was refused, localized; a refusal for failing test cases names each case and its reason.</summary>
    public static List<string> ChangeProblems(IStringLocalizer<SharedResource> L, WorkflowChangeResult result) =>
        result.FailingCases.Count > 0
            ? [L["This version cannot be published while saved test cases fail against it: {0}", string.Join("; ", result.FailingCases.Select(f => $"{f.Case.Name} ({CaseProblem(L, f.Problem!)})"))]]
            : result.Problems.Select(p => EngineProblem(L, p)).ToList();
}
