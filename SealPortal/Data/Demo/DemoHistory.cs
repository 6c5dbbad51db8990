using System.Diagnostics;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SealPortal.Features.Audits;
using SealPortal.Features.Requests;
using SealPortal.Features.Sealing;
using SealPortal.Workflow;

namespace SealPortal.Data.Demo;

/// <summary>
/// A few months of the demo company's seal use, written on first start through the portal's own
/// services (request, workflow, sealing, stamping, audit) so the archive, ledger and audit trail are
/// exactly what real use leaves: drafts, requests waiting at each approval node, returned, rejected
/// and withdrawn ones, electronically sealed and physically stamped ones, one closed audit and one
/// open. The services run in a container of their own over a <see cref="HistoryClock"/> that walks
/// from about thirteen weeks ago to a few minutes ago. Everything follows from the start time and
/// the fixed plan below, so two portals started at the same moment get the same history.
/// </summary>
public sealed class DemoHistory(
    SealPortalDbContext db,
    DatabaseInitializer initializer,
    CreateDraftHandler createDraft,
    SubmitRequestHandler submit,
    DecideHandler decide,
    WithdrawRequestHandler withdraw,
    ResubmitRequestHandler resubmit,
    RequestQueries requests,
    RequestSealing sealing,
    SealAuditService audits,
    UserManager<ApplicationUser> users,
    IUserClaimsPrincipalFactory<ApplicationUser> principals,
    HistoryClock clock,
    ILogger<DemoHistory> logger)
{
    /// <summary>How far back the history begins.</summary>
    public const int Weeks = 13;

    /// <summary>Builds the portal's services over a history clock and writes the demo company with its history.</summary>
    public static async Task SeedAsync(PortalServiceCollection portal, TimeProvider realClock, ILogger logger, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        // CPU time beside wall time: on a machine busy with other work the first says what the seed costs.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var now = realClock.GetUtcNow();
        var clock = new HistoryClock(Monday(now, Weeks).AddHours(1), realClock.LocalTimeZone);
        IServiceCollection services = new ServiceCollection();
        foreach (var descriptor in portal.Services.Where(d => d.ServiceType != typeof(TimeProvider)))
            services.Add(descriptor);
        services.AddSingleton(clock);
        services.AddSingleton<TimeProvider>(clock);
        services.AddScoped<DemoHistory>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var counts = await scope.ServiceProvider.GetRequiredService<DemoHistory>().WriteAsync(now, ct);
        logger.LogInformation("Seeded the demo company with its history in {Seconds:0.0} s ({CpuSeconds:0.0} s CPU): {Counts}",
            Stopwatch.GetElapsedTime(started).TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, counts);
    }

    private Dictionary<string, ApplicationUser> _users = [];
    private readonly Dictionary<string, ClaimsPrincipal> _principals = [];
    private Dictionary<string, int> _seals = [];

    private async Task<string> WriteAsync(DateTimeOffset now, CancellationToken ct)
    {
        await initializer.SeedWorkflowsAsync(ct);
        await initializer.SeedDemoCompanyAsync(ct);
        // The company's rules, acknowledged by every demo user, before the history's first request.
        await SealPortal.Features.Rules.DemoRules.SeedAsync(db, clock, ct);
        // Test cases of the demo templates, all passing, for the flow-tests page.
        await DemoWorkflowTests.SeedAsync(db, clock, ct);
        // Keeper training attended by the demo keepers (a seal is given only to a trained keeper), and a general training.
        await SealPortal.Features.Training.DemoTraining.SeedAsync(db, clock, now, ct);
        await initializer.SeedSealImagesAsync(ct);
        try
        {
            await WriteHistoryAsync(now, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The company and its users exist and their passwords are printed: a history cut short must not stop the portal.
            logger.LogError(ex, "The demo history stopped early; the portal starts with the part written so far");
        }

        var byStatus = await db.SealRequests.AsNoTracking().GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var ledger = await db.LedgerEntries.CountAsync(ct);
        return $"{byStatus.Sum(s => s.Count)} requests ({string.Join(", ", byStatus.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Count}"))}), " +
               $"{ledger} ledger entries, {await db.PhysicalStampings.CountAsync(ct)} stampings, {await db.SealAudits.CountAsync(ct)} audits";
    }

    private async Task WriteHistoryAsync(DateTimeOffset now, CancellationToken ct)
    {
        _users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.UserName!, ct);
        _seals = await db.Seals.AsNoTracking().ToDictionaryAsync(s => s.Name, s => s.Id, ct);

        // The electronic seals can be used only once their certificates are valid; before that the
        // company stamps with its physical seal. The sample certificates may be younger than the history.
        var electronicFrom = ElectronicFrom();
        var bound = false;
        async Task<bool> ElectronicAtAsync(DateTimeOffset at)
        {
            if (electronicFrom is not { } from || at < from || at > now)
                return false;
            if (!bound)
            {
                clock.MoveTo(from);
                await initializer.BindDemoCertificatesAsync(ct);
                bound = true;
            }
            return await db.Seals.AsNoTracking().AnyAsync(s => s.Kind == SealKind.Electronic && s.CertificateThumbprint != null, ct);
        }

        // Two stories a week, on Tuesday and Thursday, in a fixed rotation; the closed audit, a month ago, between them.
        var story = 0;
        var audited = false;
        for (var week = Weeks; week >= 1; week--)
        {
            foreach (var day in new[] { Monday(now, week).AddDays(1), Monday(now, week).AddDays(3) })
            {
                if (day.AddDays(2) > now)
                    continue;
                if (!audited && day > now.AddDays(-28))
                {
                    await ClosedAuditAsync(day, ct);
                    audited = true;
                }
                var electronic = await ElectronicAtAsync(day);
                await PastStoryAsync(story++, day, electronic, ct);
            }
        }

        // Today's open work: everything here starts within the last few hours and waits for someone.
        var recent = now.AddHours(-6);
        var electronicNow = await ElectronicAtAsync(recent);
        await DraftAsync(recent, "Quotation for Huadong Logistics", DocumentTypes.Letter, "公司公章", 0, null, ct);
        var returned = await SubmittedAsync(recent.AddMinutes(20), "Framework agreement with Beifang Retail", DocumentTypes.Agreement, "公司公章", 200_000m, "北方零售有限公司", ct);
        await DecideAsync(returned, "depthead", DecisionKind.Return, "Please attach the signed price annex before this goes to legal.", recent.AddMinutes(50), ct);
        var atLegal = await SubmittedAsync(recent.AddHours(1.5), "Service contract with Xinyu Software", DocumentTypes.Contract, electronicNow ? "合同专用章" : "公司公章", 380_000m, "新宇软件有限公司", ct);
        await DecideAsync(atLegal, "depthead", DecisionKind.Approve, null, recent.AddHours(2), ct);
        var atExecutive = await SubmittedAsync(recent.AddHours(2.5), "Certificate of employment for a visa application", DocumentTypes.Certificate, "公司公章", 0, null, ct, urgent: true);
        await DecideAsync(atExecutive, "depthead", DecisionKind.Approve, null, recent.AddHours(3), ct);
        var toStamp = await SubmittedAsync(recent.AddHours(3.5), "Letter of authorization for the Shenzhen office", DocumentTypes.Letter, "公司公章", 0, null, ct);
        await DecideAsync(toStamp, "depthead", DecisionKind.Approve, null, recent.AddHours(4), ct);
        await DecideAsync(toStamp, "executive", DecisionKind.Approve, "Agreed.", recent.AddHours(4.5), ct);
        // Last, so that it is still inside the department head's one working day when the deadline job first runs.
        await SubmittedAsync(recent.AddHours(5), "Bid bond letter for the Pudong tender", DocumentTypes.Letter, electronicNow ? "公司电子公章" : "公司公章", 0, null, ct);

        await OpenAuditAsync(now, ct);
    }

    /// <summary>The moment both sample certificates are valid, or null when there are none.</summary>
    private DateTimeOffset? ElectronicFrom()
    {
        var (files, password) = initializer.DemoCertificates();
        DateTimeOffset? from = null;
        foreach (var (_, path) in files)
        {
            if (!File.Exists(path))
                return null;
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero).AddHours(1);
            if (from is null || notBefore > from)
                from = notBefore;
        }
        return from;
    }

    private static readonly string[] Counterparties = ["华东物流有限公司", "星辰电子有限公司", "北方零售有限公司", "新宇软件有限公司", "远航贸易有限公司"];

    /// <summary>One finished request of the rotation, starting on <paramref name="day"/> and done within two days.</summary>
    private async Task PastStoryAsync(int n, DateTimeOffset day, bool electronic, CancellationToken ct)
    {
        var counterparty = Counterparties[n % Counterparties.Length];
        var amount = 20_000m + (n * 37_000m % 400_000m);
        var at = day.AddHours(1 + n % 3);
        switch (n % 6)
        {
            case 0 or 3:
            {
                // A letter with the company seal: department head, then executive, then sealed or stamped.
                // Every other one is stamped on paper even when the electronic seal exists: some counterparties want ink.
                electronic &= n % 6 == 0;
                var seal = electronic ? "公司电子公章" : "公司公章";
                var id = await SubmittedAsync(at, n % 2 == 0 ? $"Payment confirmation to {Latin(counterparty)}" : $"Letter of introduction for {Latin(counterparty)}",
                    DocumentTypes.Letter, seal, 0, null, ct);
                await DecideAsync(id, "depthead", DecisionKind.Approve, null, at.AddHours(2), ct);
                await DecideAsync(id, "executive", DecisionKind.Approve, null, at.AddHours(5), ct);
                if (!electronic)
                    await StampAsync(id, "公司公章", at.AddDays(1), 2, ct);
                break;
            }
            case 1 or 4:
            {
                // A contract: department head, legal, then the contract seal (or the company seal before it existed).
                var seal = electronic ? "合同专用章" : "公司公章";
                var id = await SubmittedAsync(at, $"Sales contract with {Latin(counterparty)}", DocumentTypes.Contract, seal, amount, counterparty, ct);
                await DecideAsync(id, "depthead", DecisionKind.Approve, null, at.AddHours(1), ct);
                await DecideAsync(id, "reviewer", DecisionKind.Approve, "Terms checked against the template.", at.AddHours(4), ct);
                if (!electronic)
                {
                    await DecideAsync(id, "executive", DecisionKind.Approve, null, at.AddHours(6), ct);
                    await StampAsync(id, "公司公章", at.AddDays(1), 3, ct);
                }
                break;
            }
            case 2:
            {
                // Legal refuses a contract with an open liability clause.
                var id = await SubmittedAsync(at, $"Supply agreement with {Latin(counterparty)}", DocumentTypes.Contract, electronic ? "合同专用章" : "公司公章", amount, counterparty, ct);
                await DecideAsync(id, "depthead", DecisionKind.Approve, null, at.AddHours(1), ct);
                await DecideAsync(id, "reviewer", DecisionKind.Reject, "Unlimited liability in clause 9; renegotiate before asking again.", at.AddHours(5), ct);
                break;
            }
            default:
            {
                // Returned for a missing annex, corrected and approved the next day; or withdrawn by the applicant.
                if (n % 12 == 5)
                {
                    var id = await SubmittedAsync(at, $"Withdrawn: quotation for {Latin(counterparty)}", DocumentTypes.Letter, "公司公章", 0, null, ct);
                    await WithdrawAsync(id, at.AddMinutes(30), ct);
                    break;
                }
                var seal = electronic ? "公司电子公章" : "公司公章";
                var returned = await SubmittedAsync(at, $"Cooperation agreement with {Latin(counterparty)}", DocumentTypes.Agreement, seal, amount, counterparty, ct);
                await DecideAsync(returned, "depthead", DecisionKind.Return, "The counterparty's company name is misspelt on page 1.", at.AddHours(1), ct);
                await ResubmitAsync(returned, at.AddHours(20), ct);
                await DecideAsync(returned, "depthead", DecisionKind.Approve, null, at.AddHours(21), ct);
                await DecideAsync(returned, "reviewer", DecisionKind.Approve, null, at.AddHours(23), ct);
                await DecideAsync(returned, "executive", DecisionKind.Approve, null, at.AddHours(25), ct);
                if (!electronic)
                    await StampAsync(returned, "公司公章", at.AddHours(27), 2, ct);
                break;
            }
        }
    }

    /// <summary>The auditor samples the two months before the week before <paramref name="day"/>, records a finding for each entry and closes the audit.</summary>
    private async Task ClosedAuditAsync(DateTimeOffset day, CancellationToken ct)
    {
        clock.MoveTo(day.AddMinutes(10));
        var from = DateOnly.FromDateTime(Monday(day, Weeks - 4).UtcDateTime);
        var closed = Check(await audits.OpenAsync(from, DateOnly.FromDateTime(day.UtcDateTime.AddDays(-7)), "5", "auditor", ct)).AuditId!.Value;
        foreach (var item in (await audits.GetAsync(closed, ct))!.Items)
        {
            var issue = item.Ordinal == 2;
            Check(await audits.RecordFindingAsync(closed, item.Id, issue ? SealAuditFinding.Issue : SealAuditFinding.Ok,
                issue ? "Stamped copy count differs from the scan; confirmed with the keeper, recorded correctly." : null, "auditor", ct));
        }
        clock.MoveTo(day.AddMinutes(40));
        Check(await audits.CloseAsync(closed, "Seal use matches the approvals; one copy-count note, no further action.", "auditor", ct));
    }

    /// <summary>An audit of the last month, opened a few minutes ago, with the first finding recorded.</summary>
    private async Task OpenAuditAsync(DateTimeOffset now, CancellationToken ct)
    {
        clock.MoveTo(now.AddMinutes(-20));
        var open = Check(await audits.OpenAsync(DateOnly.FromDateTime(now.UtcDateTime.AddDays(-30)), DateOnly.FromDateTime(now.UtcDateTime), "25%", "auditor", ct));
        var items = (await audits.GetAsync(open.AuditId!.Value, ct))!.Items;
        if (items.Count > 0)
            Check(await audits.RecordFindingAsync(open.AuditId.Value, items[0].Id, SealAuditFinding.Ok, null, "auditor", ct));
    }

    // ---------------------------------------------------------------- one step each, through the services

    private async Task<int> DraftAsync(DateTimeOffset at, string purpose, string documentType, string seal, decimal amount, string? counterparty,
        CancellationToken ct, bool urgent = false)
    {
        clock.MoveTo(at);
        var fileName = string.Concat(purpose.Where(c => char.IsAsciiLetterOrDigit(c) || c == ' ')).Trim().Replace(' ', '-').ToLowerInvariant() + ".pdf";
        var pdf = DemoDocuments.Pdf(purpose,
        [
            "Shiyi Technology Co., Ltd.",
            $"Date: {at:yyyy-MM-dd}",
            amount > 0 ? $"Amount: CNY {amount:N0}" : "",
            "",
            "This document is part of the SealPortal demo company's history.",
            "It was uploaded, approved and sealed by the portal's own services.",
        ]);
        var input = new SealRequestInput(purpose, documentType, documentType == DocumentTypes.Contract ? 2 : 1, amount > 0 ? amount : null, counterparty, urgent, [_seals[seal]]);
        var created = Check(await createDraft.HandleAsync(User("applicant").Id, input, [new UploadedPdf(fileName, pdf.Length, () => new MemoryStream(pdf))], ct));
        return created.Id!.Value;
    }

    private async Task<int> SubmittedAsync(DateTimeOffset at, string purpose, string documentType, string seal, decimal amount, string? counterparty,
        CancellationToken ct, bool urgent = false)
    {
        var id = await DraftAsync(at, purpose, documentType, seal, amount, counterparty, ct, urgent);
        clock.MoveTo(at.AddMinutes(10));
        Check(await submit.HandleAsync(id, User("applicant").Id, ct));
        return id;
    }

    private async Task DecideAsync(int id, string userName, DecisionKind kind, string? comment, DateTimeOffset at, CancellationToken ct)
    {
        clock.MoveTo(at);
        var version = await VersionAsync(id, userName, ct);
        Check(await decide.HandleAsync(id, User(userName).Id, kind, comment, version, ct: ct));
    }

    private async Task WithdrawAsync(int id, DateTimeOffset at, CancellationToken ct)
    {
        clock.MoveTo(at);
        Check(await withdraw.HandleAsync(id, User("applicant").Id, await VersionAsync(id, "applicant", ct), ct));
    }

    private async Task ResubmitAsync(int id, DateTimeOffset at, CancellationToken ct)
    {
        clock.MoveTo(at);
        Check(await resubmit.HandleAsync(id, User("applicant").Id, await VersionAsync(id, "applicant", ct), ct));
    }

    private async Task StampAsync(int id, string seal, DateTimeOffset at, int copies, CancellationToken ct)
    {
        clock.MoveTo(at);
        var keeper = await PrincipalAsync("keeper");
        var stamped = await sealing.RecordStampingAsync(id, keeper, new StampingInput(_seals[seal], at, copies, null, null), ct);
        if (!stamped.Succeeded)
            throw new InvalidOperationException($"Demo history: stamping request {id} failed: {stamped.Message}");
    }

    private async Task<long> VersionAsync(int id, string userName, CancellationToken ct)
    {
        var (view, allowed) = await requests.DetailsAsync(id, await PrincipalAsync(userName), ct);
        if (view is null || !allowed)
            throw new InvalidOperationException($"Demo history: {userName} cannot see request {id}");
        return view.Version;
    }

    private ApplicationUser User(string userName) => _users[userName];

    private async Task<ClaimsPrincipal> PrincipalAsync(string userName)
    {
        if (!_principals.TryGetValue(userName, out var principal))
            _principals[userName] = principal = await principals.CreateAsync(await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"no demo user {userName}"));
        return principal;
    }

    private static CommandResult Check(CommandResult result) => result.Succeeded ? result
        : throw new InvalidOperationException($"Demo history: a request step was refused ({result})");

    private static AuditResult Check(AuditResult result) => result.Succeeded ? result
        : throw new InvalidOperationException($"Demo history: an audit step was refused ({result.StatusCode}): {string.Format(result.Error!, result.Args ?? [])}");

    /// <summary>Midnight (UTC) of the Monday <paramref name="weeksBack"/> weeks before the week of <paramref name="at"/>.</summary>
    private static DateTimeOffset Monday(DateTimeOffset at, int weeksBack)
    {
        var date = at.UtcDateTime.Date;
        var sinceMonday = ((int)date.DayOfWeek + 6) % 7;
        return new DateTimeOffset(date.AddDays(-sinceMonday - 7 * weeksBack), TimeSpan.Zero);
    }

    /// <summary>The English name the ASCII demo PDFs print for a counterparty.</summary>
    private static string Latin(string counterparty) => counterparty switch
    {
        "华东物流有限公司" => "Huadong Logistics",
        "星辰电子有限公司" => "Xingchen Electronics",
        "北方零售有限公司" => "Beifang Retail",
        "新宇软件有限公司" => "Xinyu Software",
        _ => "Yuanhang Trading",
    };
}
