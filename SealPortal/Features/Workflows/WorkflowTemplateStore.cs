using Microsoft.EntityFrameworkCore;
using SealPortal.Data;
using SealPortal.Workflow;

namespace SealPortal.Features.Workflows;

public sealed record TemplateVersionInfo(int Version, string Name, DateTimeOffset CreatedAt, string CreatedBy);

public sealed record TemplateSummary(string Key, string Name, int LatestVersion, IReadOnlyList<TemplateVersionInfo> Versions);

/// <summary>The ordered rules and the default template key, as the rules page edits them.</summary>
public sealed record TemplateRuleSet(IReadOnlyList<TemplateRule> Rules, string DefaultTemplateKey);

/// <summary>
/// Outcome of a change to templates or rules. <see cref="Problems"/> holds English texts: resource keys of
/// the portal, or the engine's validation messages (which are shown as they are).
/// </summary>
public sealed record WorkflowChangeResult(bool Succeeded, IReadOnlyList<string> Problems, int? Version = null)
{
    /// <summary>When a version was refused because saved test cases fail against it: those cases, run against it.</summary>
    public IReadOnlyList<TestCaseRun> FailingCases { get; init; } = [];

    public static WorkflowChangeResult Ok(int? version = null) => new(true, [], version);

    public static WorkflowChangeResult Fail(params string[] problems) => new(false, problems);
}

/// <summary>
/// Persists approval templates (one row per version, never updated) and the rules that choose among them.
/// Requests take their template from <see cref="LoadCatalogAsync(CancellationToken)"/> at submission and keep that snapshot.
/// Each method uses a context of its own, so the store can serve an open circuit as well as a request.
/// </summary>
public sealed class WorkflowTemplateStore(IDbContextFactory<SealPortalDbContext> contexts, IHttpContextAccessor http, TimeProvider clock, WorkingCalendar calendar, ILogger<WorkflowTemplateStore> logger)
{
    /// <summary>Keys are short, lower-case and URL-safe because they appear in addresses and rules.</summary>
    public static bool IsValidKey(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= 64 && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>The latest version of every template and the rules, for choosing a template at submission.</summary>
    public async Task<WorkflowCatalog> LoadCatalogAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await LoadCatalogAsync(db, ct);
    }

    /// <summary>The catalog read through <paramref name="db"/> (a caller's own context).</summary>
    public static async Task<WorkflowCatalog> LoadCatalogAsync(SealPortalDbContext db, CancellationToken ct)
    {
        // Only each key's newest row is read: older versions stay in the table for the record, not for this.
        var json = await db.WorkflowTemplateVersions.AsNoTracking()
            .Where(r => r.Version == db.WorkflowTemplateVersions.Where(o => o.Key == r.Key).Max(o => o.Version))
            .Select(r => r.TemplateJson).ToListAsync(ct);
        var latest = json.Select(WorkflowJson.Deserialize<WorkflowTemplate>).ToList();
        var rules = await GetRulesAsync(db, ct);
        return new WorkflowCatalog(rules.Rules, rules.DefaultTemplateKey, latest);
    }

    public async Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.WorkflowTemplateVersions.AsNoTracking()
            .Select(r => new { r.Key, r.Version, r.Name, r.CreatedAt, r.CreatedBy }).ToListAsync(ct);
        return rows.GroupBy(r => r.Key)
            .Select(g =>
            {
                var versions = g.OrderByDescending(r => r.Version).Select(r => new TemplateVersionInfo(r.Version, r.Name, r.CreatedAt, r.CreatedBy)).ToList();
                return new TemplateSummary(g.Key, versions[0].Name, versions[0].Version, versions);
            })
            .OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>One version of a template (the latest when <paramref name="version"/> is null); null when there is none.</summary>
    public async Task<WorkflowTemplate?> GetAsync(string key, int? version, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.WorkflowTemplateVersions.AsNoTracking().Where(r => r.Key == key);
        query = version is { } v ? query.Where(r => r.Version == v) : query.OrderByDescending(r => r.Version);
        var row = await query.FirstOrDefaultAsync(ct);
        return row is null ? null : WorkflowJson.Deserialize<WorkflowTemplate>(row.TemplateJson);
    }

    /// <summary>The newest version number of a template; null when the key has none.</summary>
    public async Task<int?> LatestVersionAsync(string key, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.WorkflowTemplateVersions.Where(r => r.Key == key).MaxAsync(r => (int?)r.Version, ct);
    }

    /// <summary>
    /// Validates <paramref name="template"/> and stores it as the next version of its key (version 1 for a new key).
    /// The version number on the argument is ignored: the store assigns it. Older versions stay as they were.
    /// </summary>
    public async Task<WorkflowChangeResult> SaveNewVersionAsync(WorkflowTemplate template, string actor, CancellationToken ct)
    {
        if (!IsValidKey(template.Key))
            return WorkflowChangeResult.Fail("A template key has 1 to 64 characters: lower-case letters, digits and hyphens.");
        if (string.IsNullOrWhiteSpace(template.Name) || template.Name.Length > 200)
            return WorkflowChangeResult.Fail("A template name has 1 to 200 characters.");
        var problems = template.Validate();
        if (problems.Count > 0)
            return new WorkflowChangeResult(false, problems);

        await using var db = await contexts.CreateDbContextAsync(ct);
        // A version is not published while a saved test case fails against it (流程测试), whoever asks.
        var preview = await WorkflowTestCases.PreviewAsync(db, template, calendar, clock.GetUtcNow(), ct);
        if (preview.Failing.Count > 0)
        {
            logger.LogInformation("{Actor} was refused a new version of workflow template {Key}: {Count} test cases fail", actor, template.Key, preview.Failing.Count);
            return new WorkflowChangeResult(false,
                [$"This version cannot be published while saved test cases fail against it: {string.Join("; ", preview.Failing.Select(f => $"{f.Case.Name} ({f.Problem})"))}"])
            {
                FailingCases = preview.Failing,
            };
        }
        var current = await db.WorkflowTemplateVersions.Where(r => r.Key == template.Key).MaxAsync(r => (int?)r.Version, ct) ?? 0;
        var saved = template with { Version = current + 1 };
        db.WorkflowTemplateVersions.Add(new WorkflowTemplateVersion
        {
            Key = saved.Key,
            Version = saved.Version,
            Name = saved.Name.Trim(),
            TemplateJson = WorkflowJson.Serialize(saved),
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = actor,
        });
        AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.TemplateChanged, $"{saved.Name} v{saved.Version}: {saved.Nodes.Count} nodes", $"workflow:{saved.Key}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException?.Message is { } m
            && (m.Contains("unique", StringComparison.OrdinalIgnoreCase) || m.Contains("duplicate", StringComparison.OrdinalIgnoreCase)))
        {
            // The unique (Key, Version) index: someone saved the same template a moment earlier.
            return WorkflowChangeResult.Fail("Someone else saved this template at the same time. Reload it and save again.");
        }
        logger.LogInformation("{Actor} saved workflow template {Key} version {Version}", actor, saved.Key, saved.Version);
        return WorkflowChangeResult.Ok(saved.Version);
    }

    public async Task<TemplateRuleSet> GetRulesAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await GetRulesAsync(db, ct);
    }

    private static async Task<TemplateRuleSet> GetRulesAsync(SealPortalDbContext db, CancellationToken ct)
    {
        var rows = await db.WorkflowTemplateRules.AsNoTracking().OrderBy(r => r.Position).ToListAsync(ct);
        var rules = rows.Where(r => !r.IsDefault)
            .Select(r => new TemplateRule(r.ConditionJson is null ? new RequestCondition() : WorkflowJson.Deserialize<RequestCondition>(r.ConditionJson), r.TemplateKey))
            .ToList();
        return new TemplateRuleSet(rules, rows.FirstOrDefault(r => r.IsDefault)?.TemplateKey ?? "");
    }

    /// <summary>Replaces the rules: every key must name a stored template, and a default is required.</summary>
    public async Task<WorkflowChangeResult> SaveRulesAsync(TemplateRuleSet set, string actor, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var keys = await db.WorkflowTemplateVersions.Select(r => r.Key).Distinct().ToListAsync(ct);
        if (string.IsNullOrEmpty(set.DefaultTemplateKey))
            return WorkflowChangeResult.Fail("Choose the default template.");
        var unknown = set.Rules.Select(r => r.TemplateKey).Append(set.DefaultTemplateKey).FirstOrDefault(k => !keys.Contains(k));
        if (unknown is not null)
            return WorkflowChangeResult.Fail("There is no template with this key.");

        db.WorkflowTemplateRules.RemoveRange(await db.WorkflowTemplateRules.ToListAsync(ct));
        var position = 0;
        foreach (var rule in set.Rules)
        {
            db.WorkflowTemplateRules.Add(new WorkflowTemplateRule
            {
                Position = ++position, TemplateKey = rule.TemplateKey, ConditionJson = WorkflowJson.Serialize(rule.When),
            });
        }
        db.WorkflowTemplateRules.Add(new WorkflowTemplateRule { Position = ++position, IsDefault = true, TemplateKey = set.DefaultTemplateKey });
        AuditTrail.AuditTrail.AddTo(db, http, clock, AuditAction.TemplateChanged,
            string.Join("; ", set.Rules.Select(r => $"{r.When} -> {r.TemplateKey}").Append($"default -> {set.DefaultTemplateKey}")), "workflow-rules");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} saved {Count} workflow rules, default {Default}", actor, set.Rules.Count, set.DefaultTemplateKey);
        return WorkflowChangeResult.Ok();
    }
}
