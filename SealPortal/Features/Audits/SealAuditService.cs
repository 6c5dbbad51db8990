using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SealPortal.Data;
using SealPortal.Features.Ledger;

namespace SealPortal.Features.Audits;

/// <summary>
/// The outcome of an audit change. <see cref="Error"/> is a resource key (English text) with
/// <see cref="Args"/>; <see cref="StatusCode"/> is what a page answers with.
/// </summary>
public sealed record AuditResult(bool Succeeded, string? Error = null, object[]? Args = null, int StatusCode = StatusCodes.Status200OK, int? AuditId = null)
{
    public static AuditResult Ok(int auditId) => new(true, AuditId: auditId);

    public static AuditResult Fail(string error, params object[] args) => new(false, error, args, StatusCodes.Status400BadRequest);

    public static AuditResult Fail(int statusCode, string error, params object[] args) => new(false, error, args, statusCode);
}

public sealed record AuditRow(
    int Id, DateOnly PeriodFrom, DateOnly PeriodTo, SealAuditStatus Status, string OpenedBy, DateTimeOffset OpenedAt,
    int SampleSize, int Checked, int Issues, DateTimeOffset? ClosedAt);

/// <summary>A sampled entry as the audit page shows it; <see cref="Entry"/> is null only if the ledger lost it.</summary>
public sealed record AuditItemRow(
    long Id, int Ordinal, long LedgerEntryId, LedgerEntrySummary? Entry, SealAuditFinding Finding, string? Note, string? RecordedBy, DateTimeOffset? RecordedAt);

public sealed record AuditDetail(
    int Id, DateOnly PeriodFrom, DateOnly PeriodTo, SealAuditStatus Status, string OpenedBy, DateTimeOffset OpenedAt,
    string SampleRule, int SampleSize, int PopulationCount, string SamplingSeed,
    string? Conclusion, string? ClosedBy, DateTimeOffset? ClosedAt, IReadOnlyList<AuditItemRow> Items)
{
    public bool IsClosed => Status == SealAuditStatus.Closed;
}

/// <summary>
/// Periodic audits (定期检查): opens an audit over a period with a reproducible sample of the
/// period's ledger entries, records a finding per sampled entry, and closes the audit with a
/// conclusion once every entry has one. A closed audit refuses every change with 409.
/// </summary>
public sealed class SealAuditService(
    SealPortalDbContext db,
    LedgerLookup ledger,
    AuditTrail.AuditTrail trail,
    TimeProvider clock,
    CompanyTime time,
    ILogger<SealAuditService> logger)
{
    public const int MaxNote = 2000;
    public const int MaxConclusion = 4000;

    public async Task<IReadOnlyList<AuditRow>> ListAsync(CancellationToken ct = default) =>
        await db.SealAudits.AsNoTracking()
            .OrderByDescending(a => a.Id)
            .Select(a => new AuditRow(a.Id, a.PeriodFrom, a.PeriodTo, a.Status, a.OpenedBy, a.OpenedAt, a.SampleSize,
                a.Items.Count(i => i.Finding != SealAuditFinding.NotChecked),
                a.Items.Count(i => i.Finding == SealAuditFinding.Issue),
                a.ClosedAt))
            .ToListAsync(ct);

    public async Task<AuditDetail?> GetAsync(int id, CancellationToken ct = default)
    {
        var a = await db.SealAudits.AsNoTracking().Include(x => x.Items).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
            return null;
        var items = a.Items.OrderBy(i => i.Ordinal).ToList();
        var entries = (await ledger.GetAsync(items.Select(i => i.LedgerEntryId).ToList(), ct)).ToDictionary(e => e.Id);
        return new AuditDetail(a.Id, a.PeriodFrom, a.PeriodTo, a.Status, a.OpenedBy, a.OpenedAt, a.SampleRule, a.SampleSize,
            a.PopulationCount, a.SamplingSeed, a.Conclusion, a.ClosedBy, a.ClosedAt,
            items.Select(i => new AuditItemRow(i.Id, i.Ordinal, i.LedgerEntryId, entries.GetValueOrDefault(i.LedgerEntryId),
                i.Finding, i.Note, i.RecordedBy, i.RecordedAt)).ToList());
    }

    /// <summary>The period's bounds as instants: the company's days from the first through the last.</summary>
    public (DateTimeOffset From, DateTimeOffset ToExclusive) Bounds(DateOnly from, DateOnly to) => (time.StartOf(from), time.EndOf(to));

    public async Task<AuditResult> OpenAsync(DateOnly? from, DateOnly? to, string? sampleRule, string actor, CancellationToken ct = default)
    {
        if (from is null || to is null)
            return AuditResult.Fail("Enter the first and the last day of the period.");
        if (from > to)
            return AuditResult.Fail("The period ends before it starts.");
        if (SampleRule.Parse(sampleRule) is not { } rule)
            return AuditResult.Fail("The sample size must be a number from 1 to {0} or a percentage from 1% to 100%.", SampleRule.MaxCount);

        var (start, end) = Bounds(from.Value, to.Value);
        var population = await ledger.EntryIdsAsync(start, end, ct);
        if (population.Count == 0)
            return AuditResult.Fail("The ledger has no entries from {0} to {1}, so there is nothing to sample.", from.Value, to.Value);

        var now = clock.GetUtcNow();
        var audit = new SealAudit
        {
            PeriodFrom = from.Value,
            PeriodTo = to.Value,
            OpenedBy = actor,
            OpenedAt = now,
            SampleRule = rule.ToString(),
            SampleSize = rule.SizeFor(population.Count),
            PopulationCount = population.Count,
            // The seed needs the audit's id, which exists only after the first save; both saves share one transaction.
            SamplingSeed = "",
            Version = Guid.NewGuid(),
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.SealAudits.Add(audit);
        await db.SaveChangesAsync(ct);
        audit.SamplingSeed = AuditSampler.SeedFor(audit.Id);
        var ordinal = 0;
        foreach (var entryId in AuditSampler.Draw(population, audit.SamplingSeed, audit.SampleSize))
            audit.Items.Add(new SealAuditItem { Ordinal = ++ordinal, LedgerEntryId = entryId });
        trail.Add(AuditAction.AuditOpened, $"{audit.PeriodFrom:yyyy-MM-dd}..{audit.PeriodTo:yyyy-MM-dd}: {audit.SampleSize} of {audit.PopulationCount} entries ({audit.SampleRule}, seed {audit.SamplingSeed})",
            Subject(audit.Id));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Audit {AuditId} opened by {Actor} for {From}..{To}: {SampleSize} of {Population} entries ({Rule}, seed {Seed})",
            audit.Id, actor, audit.PeriodFrom, audit.PeriodTo, audit.SampleSize, audit.PopulationCount, audit.SampleRule, audit.SamplingSeed);
        return AuditResult.Ok(audit.Id);
    }

    public async Task<AuditResult> RecordFindingAsync(int auditId, long itemId, SealAuditFinding? finding, string? note, string actor, CancellationToken ct = default)
    {
        var audit = await db.SealAudits.SingleOrDefaultAsync(a => a.Id == auditId, ct);
        if (audit is null)
            return AuditResult.Fail(StatusCodes.Status404NotFound, "No such audit.");
        if (audit.Status == SealAuditStatus.Closed)
            return Closed(audit);
        var item = await db.SealAuditItems.SingleOrDefaultAsync(i => i.Id == itemId && i.SealAuditId == auditId, ct);
        if (item is null)
            return AuditResult.Fail("This entry is not in the audit's sample.");
        if (finding is not (SealAuditFinding.Ok or SealAuditFinding.Issue))
            return AuditResult.Fail("Choose a finding: in order, or an issue.");
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (finding == SealAuditFinding.Issue && note is null)
            return AuditResult.Fail("Describe the issue in the note.");
        if (note?.Length > MaxNote)
            return AuditResult.Fail("The note is longer than {0} characters.", MaxNote);

        item.Finding = finding.Value;
        item.Note = note;
        item.RecordedBy = actor;
        item.RecordedAt = clock.GetUtcNow();
        audit.Version = Guid.NewGuid();
        return await SaveAsync(audit, () => logger.LogInformation("Audit {AuditId}: {Actor} recorded {Finding} for ledger entry {EntryId}",
            auditId, actor, finding, item.LedgerEntryId), ct);
    }

    public async Task<AuditResult> CloseAsync(int auditId, string? conclusion, string actor, CancellationToken ct = default)
    {
        var audit = await db.SealAudits.SingleOrDefaultAsync(a => a.Id == auditId, ct);
        if (audit is null)
            return AuditResult.Fail(StatusCodes.Status404NotFound, "No such audit.");
        if (audit.Status == SealAuditStatus.Closed)
            return Closed(audit);
        conclusion = conclusion?.Trim();
        if (string.IsNullOrEmpty(conclusion))
            return AuditResult.Fail("Write the audit's conclusion.");
        if (conclusion.Length > MaxConclusion)
            return AuditResult.Fail("The conclusion is longer than {0} characters.", MaxConclusion);
        var open = await db.SealAuditItems.CountAsync(i => i.SealAuditId == auditId && i.Finding == SealAuditFinding.NotChecked, ct);
        if (open > 0)
            return AuditResult.Fail("{0} sampled entries have no finding yet; record a finding for every entry before closing.", open);

        audit.Status = SealAuditStatus.Closed;
        audit.Conclusion = conclusion;
        audit.ClosedBy = actor;
        audit.ClosedAt = clock.GetUtcNow();
        audit.Version = Guid.NewGuid();
        var issues = await db.SealAuditItems.CountAsync(i => i.SealAuditId == auditId && i.Finding == SealAuditFinding.Issue, ct);
        trail.Add(AuditAction.AuditClosed, $"{issues} issue(s): {conclusion}", Subject(audit.Id));
        return await SaveAsync(audit, () => logger.LogInformation("Audit {AuditId} closed by {Actor}", auditId, actor), ct);
    }

    /// <summary>How the audit trail names an audit.</summary>
    public static string Subject(int auditId) => $"SealAudit #{auditId}";

    private static AuditResult Closed(SealAudit audit) =>
        AuditResult.Fail(StatusCodes.Status409Conflict, "This audit was closed on {0} by {1} and can no longer be changed.", audit.ClosedAt!.Value, audit.ClosedBy!);

    private async Task<AuditResult> SaveAsync(SealAudit audit, Action log, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return AuditResult.Fail(StatusCodes.Status409Conflict, "Someone else changed this audit at the same time; reload the page and try again.");
        }
        log();
        return AuditResult.Ok(audit.Id);
    }
}

public static class AuditServiceExtensions
{
    /// <summary>Auditors run audits; administrators may read them.</summary>
    public const string ViewRoles = Roles.Auditor + "," + Roles.Admin;

    public static WebApplicationBuilder AddSealPortalAudits(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SealAuditService>();
        builder.Services.AddSingleton<AuditCommands>();
        return builder;
    }
}
