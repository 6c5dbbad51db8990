using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Cli;
using SealPortal.Data;
using SealPortal.Features.AuditTrail;
using SealPortal.Features.Ledger;
using SealPortal.Pdf.Signing;
using SealPortal.Tests.Features.Audits;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Ledger;

/// <summary>A portal whose time-stamp authority is a loopback TSA with the sample certificate, trusting the sample root.</summary>
public sealed class AnchoringPortal : SealPortalFactory
{
    private readonly SigningIdentity _tsaIdentity = SamplePki.Load("tsa");
    private readonly TimestampServer _tsa;

    public AnchoringPortal() =>
        _tsa = TimestampServer.StartAsync(new TimestampAuthority(_tsaIdentity, TimeProvider.System), 0).GetAwaiter().GetResult();

    public Uri TsaUrl => _tsa.Url;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Signing:TsaUrl"] = _tsa.Url.ToString(),
        ["Signing:TrustedRootsPath"] = SamplePki.Path_("sample-root-ca.crt"),
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _tsa.DisposeAsync();
        _tsaIdentity.Dispose();
    }
}

/// <summary>
/// Issue 12 part 4: the chain heads time-stamped outside the database. An administrator who drops
/// the append-only guard and rewrites a chain consistently (the changed entry and every hash after
/// it recomputed, so the walk alone finds nothing) is caught for every entry up to the newest anchor;
/// entries after it are not (the stated limit, until the next anchor).
/// </summary>
public class LedgerAnchorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 8, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task A_consistent_rewrite_of_the_ledger_is_caught_for_every_entry_up_to_the_newest_anchor()
    {
        await using var portal = new AnchoringPortal();
        var seal = await LedgerWorld.SealAsync(portal.Services, "锚定测试章", null);
        async Task Append(int from, int to)
        {
            for (var i = from; i <= to; i++)
                await LedgerWorld.AppendAsync(portal.Services, LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0.AddMinutes(i), i));
        }
        await Append(1, 3);
        Assert.Equal(3, Outcome(await AnchorAsync(portal), IntegrityCheck.LedgerChain).Sequence);
        await Append(4, 5);
        Assert.Equal(5, Outcome(await AnchorAsync(portal), IntegrityCheck.LedgerChain).Sequence);
        // The same head again stores nothing.
        Assert.Contains("already anchored", Outcome(await AnchorAsync(portal), IntegrityCheck.LedgerChain).Skipped);
        await Append(6, 7);

        var intact = (await LedgerWorld.VerifyAsync(portal.Services)).Ledger;
        Assert.True(intact.Intact, intact.Problem);
        Assert.Equal((2, 5L), (intact.Anchors, intact.AnchoredThrough!.Value));
        Assert.Null(intact.AnchorWarning);

        await portal.Database.DropAppendOnlyGuardsAsync();
        var original = await portal.QueryAsync(db => db.LedgerEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        for (var k = 1; k <= 7; k++)
        {
            await RewriteFromAsync<LedgerEntry>(portal, k, e => e.Copies += 10, ChainCanonicalForm.Hash);
            var report = (await LedgerWorld.VerifyAsync(portal.Services)).Ledger;
            if (k <= 5)
            {
                Assert.False(report.Intact, $"a consistent rewrite from entry {k} passed");
                // Found by the anchor at or after the rewritten entry, not by the links (they were all recomputed).
                Assert.Equal(k <= 3 ? 3 : 5, report.BrokenSequence);
                Assert.Contains("rewritten", report.Problem);
                Assert.Contains($"entries {(k <= 3 ? 1 : 4)}–{(k <= 3 ? 3 : 5)}", report.Problem);
            }
            else
            {
                // After the newest anchor, a consistent rewrite is not detectable until the next anchor.
                Assert.True(report.Intact, report.Problem);
            }
            await RestoreAsync(portal, original);
            Assert.True((await LedgerWorld.VerifyAsync(portal.Services)).Ledger.Intact);
        }

        // Cutting the chain below the newest anchor is named, not taken for a shorter intact chain.
        await LedgerWorld.SqlAsync(portal.Services,
            "DELETE FROM \"LedgerParticipants\" WHERE \"Sequence\" >= 5",
            "DELETE FROM \"LedgerEntries\" WHERE \"Sequence\" >= 5");
        var cut = (await LedgerWorld.VerifyAsync(portal.Services)).Ledger;
        Assert.False(cut.Intact);
        Assert.Contains("removed from its end", cut.Problem);
    }

    [Fact]
    public async Task A_rewritten_audit_trail_with_anchors_forged_by_an_untrusted_authority_is_caught()
    {
        await using var portal = new AnchoringPortal();
        async Task Add(int from, int to)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            for (var i = from; i <= to; i++)
                scope.ServiceProvider.GetRequiredService<AuditTrail>().Add(AuditAction.SealApplied, subject: $"anchor test {i}");
            await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().SaveChangesAsync();
        }
        await Add(1, 4);
        var anchored = Outcome(await AnchorAsync(portal), IntegrityCheck.AuditChain).Sequence!.Value;
        await Add(5, 6);
        var before = (await LedgerWorld.VerifyAsync(portal.Services)).AuditTrail;
        Assert.True(before.Intact, before.Problem);
        Assert.Equal(anchored, before.AnchoredThrough);

        await portal.Database.DropAppendOnlyGuardsAsync();
        var original = await portal.QueryAsync(db => db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        for (var k = 1; k <= anchored; k++)
        {
            await RewriteFromAsync<AuditEvent>(portal, k, e => e.Detail = "rewritten by the administrator", ChainCanonicalForm.Hash);
            var report = (await LedgerWorld.VerifyAsync(portal.Services)).AuditTrail;
            Assert.False(report.Intact, $"a consistent rewrite of the audit trail from entry {k} passed");
            Assert.Equal(anchored, report.BrokenSequence);
            Assert.Contains("rewritten", report.Problem);
            await RestoreAsync(portal, original);
        }

        // The administrator rewrites from entry 2 and replaces the anchor with one from a TSA of their own.
        await RewriteFromAsync<AuditEvent>(portal, 2, e => e.Detail = "rewritten by the administrator", ChainCanonicalForm.Hash);
        var head = await portal.QueryAsync(db => db.AuditEvents.SingleAsync(e => e.Sequence == anchored));
        using var forger = OwnTsa();
        var token = await ForgedTokenAsync(forger, Convert.FromHexString(head.Hash));
        await LedgerWorld.SqlAsync(portal.Services, "DELETE FROM \"ChainAnchors\" WHERE \"Chain\" = 'audit-trail'");
        await portal.QueryAsync(async db =>
        {
            db.ChainAnchors.Add(new ChainAnchor
            {
                Chain = IntegrityCheck.AuditChain, Sequence = anchored, HeadHash = head.Hash, Token = token,
                TimestampedAt = DateTime.UtcNow, TriggeredBy = "forger",
            });
            return await db.SaveChangesAsync();
        });
        var forged = (await LedgerWorld.VerifyAsync(portal.Services)).AuditTrail;
        Assert.False(forged.Intact);
        Assert.Contains("not a valid time-stamp", forged.Problem);
        Assert.Contains("not trusted", forged.Problem);
    }

    [Fact]
    public async Task Ledger_anchor_command_anchors_both_heads_and_verify_reports_them_and_without_an_authority_exits_2()
    {
        await using var portal = new AnchoringPortal();
        var seal = await LedgerWorld.SealAsync(portal.Services, "锚定命令章", null);
        for (var i = 1; i <= 2; i++)
            await LedgerWorld.AppendAsync(portal.Services, LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0.AddMinutes(i), i));
        string[] db = ["--Database:Provider", portal.Database.Provider, "--ConnectionStrings:SealPortal", portal.Database.ConnectionString];
        string[] tsa = ["--Signing:TsaUrl", portal.TsaUrl.ToString(), "--Signing:TrustedRootsPath", SamplePki.Path_("sample-root-ca.crt")];

        var (code, output) = await RunAsync(["anchor", .. db, .. tsa]);
        Assert.True(code == 0, output);
        Assert.Contains("ledger: entry 2 time-stamped at", output);
        var (again, againOutput) = await RunAsync(["anchor", .. db, .. tsa]);
        Assert.Equal(0, again);
        Assert.Contains("ledger: not anchored: entry 2 is already anchored", againOutput);

        var (verified, verifyOutput) = await RunAsync(["verify", .. db, .. tsa]);
        Assert.True(verified == 0, verifyOutput);
        Assert.Contains("ledger: intact, 2 entries; time-stamped through entry 2", verifyOutput);
        // Without trusted roots the anchors still match, but the report says what they cannot prove.
        var (untrusted, untrustedOutput) = await RunAsync(["verify", .. db, "--Signing:TrustedRootsPath", ""]);
        Assert.Equal(0, untrusted);
        Assert.Contains("warning: the anchors' time-stamp authority was not checked", untrustedOutput);

        var (none, noneOutput) = await RunAsync(["anchor", .. db, "--Signing:TsaUrl", ""]);
        Assert.Equal(2, none);
        Assert.Contains("no time-stamp authority is configured", noneOutput);
        // A new head and an authority that does not answer: exit 2, nothing stored.
        await LedgerWorld.AppendAsync(portal.Services, LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0.AddMinutes(3), 3));
        var (down, downOutput) = await RunAsync(["anchor", .. db, "--Signing:TsaUrl", "http://127.0.0.1:9/"]);
        Assert.Equal(2, down);
        Assert.Contains("could not be time-stamped", downOutput);
        Assert.Equal(1, await portal.QueryAsync(d => d.ChainAnchors.CountAsync(a => a.Chain == IntegrityCheck.LedgerChain)));
    }

    [Fact]
    public async Task Post_ledger_anchor_anchors_for_an_auditor_with_the_form_token_and_refuses_a_post_without_it()
    {
        await using var portal = new AnchoringPortal();
        var seal = await LedgerWorld.SealAsync(portal.Services, "锚定接口章", null);
        await LedgerWorld.AppendAsync(portal.Services, LedgerWorld.Draft(seal.Id, seal.Name, seal.DepartmentId, T0, 1));
        using var auditor = await portal.SignInAsync("auditor");

        var forged = await auditor.Http.PostAsync("/ledger/anchor", new FormUrlEncodedContent([]));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(0, await portal.QueryAsync(d => d.ChainAnchors.CountAsync()));

        var answer = await auditor.PostHandMadeAsync("/ledger/anchor", null, []);
        var json = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, json);
        Assert.Contains("\"chain\":\"ledger\",\"sequence\":1,", json);
        var stored = await portal.QueryAsync(d => d.ChainAnchors.SingleAsync(a => a.Chain == IntegrityCheck.LedgerChain));
        Assert.Equal(("auditor", 1L), (stored.TriggeredBy, stored.Sequence));

        using var admin = await portal.SignInAsync("admin");
        var again = await (await admin.PostHandMadeAsync("/ledger/anchor", null, [])).Content.ReadAsStringAsync();
        Assert.Contains("already anchored", again);
        Assert.Equal(1, await portal.QueryAsync(d => d.ChainAnchors.CountAsync(a => a.Chain == IntegrityCheck.LedgerChain)));
    }

    private static AnchorOutcome Outcome(IReadOnlyList<AnchorOutcome> outcomes, string chain) => outcomes.Single(o => o.Chain == chain);

    private static async Task<IReadOnlyList<AnchorOutcome>> AnchorAsync(SealPortalFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ChainAnchoring>().AnchorAsync("test", CancellationToken.None);
    }

    /// <summary>Changes entry <paramref name="from"/> and recomputes every link after it, as a careful administrator would.</summary>
    private static async Task RewriteFromAsync<T>(SealPortalFactory portal, long from, Action<T> change, Func<T, string> hash) where T : class, IChainLink
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var rows = await db.Set<T>().Where(e => e.Sequence >= from - 1).OrderBy(e => e.Sequence).ToListAsync();
        var previous = rows[0].Sequence == from ? ChainCanonicalForm.Genesis : rows[0].Hash;
        foreach (var row in rows.Where(r => r.Sequence >= from))
        {
            if (row.Sequence == from)
                change(row);
            row.PreviousHash = previous;
            row.Hash = previous = hash(row);
        }
        await db.SaveChangesAsync();
    }

    private static async Task RestoreAsync<T>(SealPortalFactory portal, List<T> original) where T : class, IChainLink
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        foreach (var row in original)
            db.Set<T>().Update(row);
        await db.SaveChangesAsync();
    }

    /// <summary>A well-formed RFC 3161 token over the imprint, signed by a key the portal does not trust.</summary>
    private static async Task<byte[]> ForgedTokenAsync(SigningIdentity forger, byte[] imprint)
    {
        await using var server = await TimestampServer.StartAsync(new TimestampAuthority(forger, TimeProvider.System), 0);
        using var http = new HttpClient();
        return await new HttpTimestampClient(http, server.Url).RequestTokenAsync(imprint, CancellationToken.None);
    }

    /// <summary>A time-stamping certificate of the administrator's own making, chaining to no trusted root.</summary>
    private static SigningIdentity OwnTsa()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Administrator's own TSA", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension(
            [new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.8")], critical: true));
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509KeyUsageExtension(
            System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.DigitalSignature, critical: true));
        var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return SigningIdentity.FromCertificate(cert, []);
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] args)
    {
        var (code, output, error) = await ConsoleCapture.RunAsync(["ledger", .. args]);
        return (code, output + error);
    }
}
