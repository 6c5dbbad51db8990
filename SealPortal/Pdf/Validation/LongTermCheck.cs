using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;

namespace SealPortal.Pdf.Validation;

/// <summary>What revocation data says about one certificate of a signature's chains.</summary>
public sealed record CertificateRevocationReport
{
    public required string Subject { get; init; }
    /// <summary>"signer", "issuer" or "time-stamp authority".</summary>
    public required string Role { get; init; }
    public required RevocationState State { get; init; }
    /// <summary>"DSS OCSP", "DSS CRL", "online OCSP", "online CRL", or null when nothing was found.</summary>
    public string? Source { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    /// <summary>When the OCSP response or CRL was issued.</summary>
    public DateTimeOffset? StatusTime { get; init; }
}

/// <summary>
/// The long-term part of verifying one signature: revocation of its certificates (from the
/// document's /DSS first, online only when the caller gave a source), the PAdES level the
/// signature reaches, and until when it stays verifiable.
/// </summary>
internal static class LongTermCheck
{
    private const int MaxDssItems = 10_000;
    private const long MaxDssItemBytes = 4L * 1024 * 1024;

    /// <summary>Certificates and revocation data of the newest /DSS.</summary>
    public sealed record Dss(List<X509Certificate2> Certificates, List<byte[]> Ocsps, List<byte[]> Crls)
    {
        public static readonly Dss Empty = new([], [], []);
    }

    public sealed record Outcome(string? Level, DateTimeOffset? VerifiableUntil, IReadOnlyList<CertificateRevocationReport> Revocation,
        bool RevokedBeforeSigning, IReadOnlyList<string> Problems);

    public static Dss ReadDss(PdfFile file)
    {
        try
        {
            if (file.Get(file.Catalog, "DSS") is not PdfDictObj dss) return Dss.Empty;
            List<byte[]> Streams(string key) => file.Get(dss, key) is PdfArrayObj arr
                ? arr.Items.Take(MaxDssItems).Select(i => file.Resolve(i) as PdfStreamObj).OfType<PdfStreamObj>()
                    .Select(s => file.DecodeStream(s, MaxDssItemBytes)).ToList()
                : [];
            var certs = new List<X509Certificate2>();
            foreach (var der in Streams("Certs"))
            {
                try { certs.Add(CertificateCache.Load(der)); }
                catch (System.Security.Cryptography.CryptographicException) { }
            }
            return new Dss(certs, Streams("OCSPs"), Streams("CRLs"));
        }
        catch (PdfFormatException)
        {
            // A damaged DSS only means there is no usable validation data; the diff reports the damage.
            return Dss.Empty;
        }
    }

    /// <param name="der">The signature's CMS, or the document time-stamp's token.</param>
    /// <param name="provenTime">The time proven by a valid signature time-stamp (or the document time-stamp's own time).</param>
    /// <param name="parsed">The signature's CMS as the CMS check already parsed it (null: parsed here).</param>
    public static Outcome Evaluate(byte[]? der, SignatureKind kind, DateTimeOffset? provenTime, bool timestampValid, Dss dss,
        VerifyOptions options, CancellationToken ct, ParsedCms? parsed = null)
    {
        if (der is null) return new Outcome(null, null, [], false, []);
        // Certificates loaded here (not those of a CMS the caller parsed) are freed on the way out.
        var owned = new List<X509Certificate2>();
        try
        {
            return Evaluate(der, kind, provenTime, timestampValid, dss, options, ct, parsed, owned);
        }
        finally
        {
            foreach (var c in owned) c.Dispose();
        }
    }

    private static Outcome Evaluate(byte[] der, SignatureKind kind, DateTimeOffset? provenTime, bool timestampValid, Dss dss,
        VerifyOptions options, CancellationToken ct, ParsedCms? parsed, List<X509Certificate2> owned)
    {
        List<X509Certificate2> cmsCerts;
        X509Certificate2? signer;
        X509Certificate2? tsa = null;
        try
        {
            if (kind == SignatureKind.DocumentTimestamp)
            {
                if (!Rfc3161TimestampToken.TryDecode(der, out var token, out _) || token is null) return new Outcome(null, null, [], false, []);
                var signed = token.AsSignedCms();
                cmsCerts = signed.Certificates.Cast<X509Certificate2>().ToList();
                owned.AddRange(cmsCerts);
                signer = signed.SignerInfos.Count > 0 ? signed.SignerInfos[0].Certificate : null;
                if (signer is not null) owned.Add(signer);
            }
            else
            {
                if (parsed is null)
                {
                    parsed = ParsedCms.Parse(der);
                    owned.AddRange(parsed.Certificates);
                    owned.AddRange(parsed.TimestampTokenCertificates);
                    if (parsed.TimestampSignerCertificate() is { } ts) owned.Add(ts);
                }
                cmsCerts = [.. parsed.Certificates];
                signer = parsed.SignerCertificate;
                if (parsed.DecodedTimestampToken() is not null)
                {
                    cmsCerts.AddRange(parsed.TimestampTokenCertificates);
                    tsa = parsed.TimestampSignerCertificate();
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            return new Outcome(null, null, [], false, []);
        }
        if (signer is null) return new Outcome(null, null, [], false, []);

        var pool = cmsCerts.Concat(dss.Certificates).Concat(options.TrustAnchors).ToList();
        var revocation = new List<CertificateRevocationReport>();
        var problems = new List<string>();
        var completeInDss = true;
        var revoked = false;

        var signerChain = Chain(signer, pool);
        for (var i = 0; i < signerChain.Count - 1; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (report, inDss) = Status(signerChain[i], signerChain[i + 1], i == 0 ? (kind == SignatureKind.DocumentTimestamp ? "time-stamp authority" : "signer") : "issuer", dss, options, ct);
            revocation.Add(report);
            completeInDss &= inDss;
            if (report is { State: RevocationState.Revoked, RevokedAt: { } at })
            {
                var name = signerChain[i].GetNameInfo(X509NameType.SimpleName, false);
                if (provenTime is { } t && at > t)
                    problems.Add($"note: the certificate '{name}' was revoked on {at:yyyy-MM-dd HH:mm} UTC, after the time-stamp proves the signature existed ({t:yyyy-MM-dd HH:mm} UTC), so the signature stays valid");
                else
                {
                    revoked = true;
                    problems.Add(provenTime is null
                        ? $"the certificate '{name}' was revoked on {at:yyyy-MM-dd HH:mm} UTC and no time-stamp proves the signature was made before that"
                        : $"the certificate '{name}' was revoked on {at:yyyy-MM-dd HH:mm} UTC, before the time-stamped signing time {provenTime:yyyy-MM-dd HH:mm} UTC");
                }
            }
        }
        if (signerChain.Count < 2 || !NamesItself(signerChain[^1])) completeInDss = false;

        var tsaChain = tsa is null ? [] : Chain(tsa, pool);
        for (var i = 0; i < tsaChain.Count - 1; i++)
        {
            var (report, inDss) = Status(tsaChain[i], tsaChain[i + 1], i == 0 ? "time-stamp authority" : "issuer", dss, options, ct);
            revocation.Add(report);
            completeInDss &= inDss;
        }

        string? level;
        DateTimeOffset? until;
        if (kind == SignatureKind.DocumentTimestamp)
        {
            level = null;
            until = EarliestExpiry(signerChain);
        }
        else if (tsa is not null && timestampValid)
        {
            level = completeInDss && tsaChain.Count >= 2 ? "B-LT" : "B-T";
            until = EarliestExpiry(tsaChain);
        }
        else
        {
            level = "B-B";
            until = EarliestExpiry(signerChain);
        }
        return new Outcome(level, until, revocation, revoked, problems);
    }

    /// <summary>
    /// B-LT signatures followed by a valid document time-stamp over a revision that holds the DSS
    /// reach B-LTA; they then stay verifiable as long as the newest such time-stamp's chain.
    /// </summary>
    public static List<SignatureReport> ApplyArchiveTimestamps(PdfFile file, List<SignatureReport> reports)
    {
        var archives = reports.Where(r => r.Kind == SignatureKind.DocumentTimestamp
                && r.Status is SignatureStatus.Valid or SignatureStatus.ValidTrustNotChecked
                && r.RevisionNumber is int n && HasDss(file, n - 1))
            .OrderBy(r => r.RevisionNumber).ToList();
        return reports.Select(r =>
        {
            if (r.Level != "B-LT") return r;
            var last = archives.LastOrDefault(a => a.RevisionNumber > r.RevisionNumber);
            return last is null ? r : r with { Level = "B-LTA", VerifiableUntil = last.VerifiableUntil };
        }).ToList();
    }

    private static bool HasDss(PdfFile file, int revision)
    {
        try { return revision >= 0 && revision < file.Revisions.Count && file.GetCatalog(revision).ContainsKey("DSS"); }
        catch (PdfFormatException) { return false; }
    }

    private static bool NamesItself(X509Certificate2 cert) => cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData);

    internal static DateTimeOffset? EarliestExpiry(IReadOnlyList<X509Certificate2> chain) =>
        chain.Count == 0 ? null : chain.Min(c => new DateTimeOffset(c.NotAfter.ToUniversalTime()));

    /// <summary>
    /// The certificate, then its issuers by name as far as the pool reaches. Names suffice: trust
    /// is the chain check's business, and revocation evidence only counts when the issuer's key
    /// verifies it (CRL) or its key hash matches (OCSP), so a look-alike issuer yields "unknown".
    /// </summary>
    internal static List<X509Certificate2> Chain(X509Certificate2 leaf, List<X509Certificate2> pool)
    {
        var chain = new List<X509Certificate2> { leaf };
        var current = leaf;
        for (var guard = 0; guard < 16 && !NamesItself(current); guard++)
        {
            var issuer = pool.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData)
                && !chain.Any(x => x.RawDataMemory.Span.SequenceEqual(c.RawDataMemory.Span)));
            if (issuer is null) break;
            chain.Add(issuer);
            current = issuer;
        }
        return chain;
    }

    private static (CertificateRevocationReport Report, bool InDss) Status(X509Certificate2 cert, X509Certificate2 issuer, string role, Dss dss,
        VerifyOptions options, CancellationToken ct)
    {
        var subject = cert.Subject;
        if (DssWriter.HasOcspNoCheck(cert))
            return (new CertificateRevocationReport { Subject = subject, Role = role, State = RevocationState.Good, Source = "id-pkix-ocsp-nocheck" }, true);
        var found = RevocationChecker.Find(cert, issuer, dss.Ocsps, dss.Crls);
        var source = found is null ? null : found.Kind == RevocationEvidenceKind.Ocsp ? "DSS OCSP" : "DSS CRL";
        var inDss = found is not null;
        if (found is null && options.OnlineRevocation is { } online)
        {
            try
            {
                var evidence = online.FindAsync(cert, issuer, ct).GetAwaiter().GetResult();
                if (evidence is not null)
                {
                    found = evidence.Kind == RevocationEvidenceKind.Ocsp
                        ? RevocationChecker.FromOcsp(evidence.Der, cert, issuer)
                        : RevocationChecker.FromCrl(evidence.Der, cert, issuer);
                    source = evidence.Kind == RevocationEvidenceKind.Ocsp ? "online OCSP" : "online CRL";
                }
            }
            catch (RevocationException)
            {
                // Online checking is a best effort on top of the embedded data; "unknown" says the rest.
            }
        }
        return (new CertificateRevocationReport
        {
            Subject = subject,
            Role = role,
            State = found?.State ?? RevocationState.Unknown,
            Source = found is null ? null : source,
            RevokedAt = found?.RevokedAt,
            StatusTime = found?.ThisUpdate,
        }, inDss);
    }
}
