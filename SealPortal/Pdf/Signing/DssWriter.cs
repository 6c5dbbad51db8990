using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Validation;

namespace SealPortal.Pdf.Signing;

/// <summary>The validation data of one signature, kept under its /VRI key.</summary>
/// <param name="Key">Upper-case hex SHA-1 of the signature's /Contents string (ETSI EN 319 142-1, 5.4.2.2).</param>
public sealed record VriEntry(string Key, IReadOnlyList<byte[]> Certificates, IReadOnlyList<byte[]> Ocsps, IReadOnlyList<byte[]> Crls);

/// <summary>A signature (or document time-stamp) found in a PDF, as the DSS needs it.</summary>
/// <param name="Contents">The whole /Contents string, zero padding included.</param>
public sealed record PdfSignatureValue(string FieldName, bool IsDocumentTimestamp, byte[] Contents)
{
    /// <summary>The /VRI key of this signature.</summary>
    public string VriKey => Convert.ToHexString(SHA1.HashData(Contents));

    /// <summary>The CMS (or time-stamp token) without the padding.</summary>
    public byte[] Der
    {
        get
        {
            var reader = new System.Formats.Asn1.AsnReader(Contents, System.Formats.Asn1.AsnEncodingRules.BER);
            return reader.ReadEncodedValue().ToArray();
        }
    }
}

/// <summary>
/// PAdES B-LT (ETSI EN 319 142-1, 5.4): gathers certificates and revocation data for every
/// certificate a verifier must check (signer chains and time-stamp authority chains) and writes
/// them as a Document Security Store (/DSS with /Certs, /OCSPs, /CRLs and /VRI) in a new
/// incremental update, after the signatures, so none of them is touched.
/// </summary>
public static class DssWriter
{
    private const int MaxFieldNodes = 100_000;

    /// <summary>The signatures and document time-stamps of the newest revision, in form order.</summary>
    public static IReadOnlyList<PdfSignatureValue> FindSignatures(PdfFile pdf)
    {
        var result = new List<PdfSignatureValue>();
        if (pdf.Get(pdf.Catalog, "AcroForm") is not PdfDictObj form || pdf.Get(form, "Fields") is not PdfArrayObj fields) return result;
        var stack = new Stack<(PdfObj Node, int Depth)>(fields.Items.AsEnumerable().Reverse().Select(i => (i, 0)));
        var seen = new HashSet<int>();
        for (var visited = 0; stack.Count > 0 && visited < MaxFieldNodes; visited++)
        {
            var (node, depth) = stack.Pop();
            if (node is PdfRefObj r && !seen.Add(r.Number)) continue;
            if (pdf.Resolve(node) is not PdfDictObj field || depth > 32) continue;
            if (pdf.Get(field, "Kids") is PdfArrayObj kids)
                foreach (var k in kids.Items.AsEnumerable().Reverse()) stack.Push((k, depth + 1));
            if (pdf.Get(field, "V") is not PdfDictObj sig || pdf.Get(sig, "Contents") is not PdfStringObj contents) continue;
            if (field.GetName("FT") is not (null or "Sig")) continue;
            var name = (pdf.Get(field, "T") as PdfStringObj)?.ToText() ?? "";
            var isTimestamp = sig.GetName("SubFilter") == "ETSI.RFC3161";
            if (result.All(x => !x.Contents.AsSpan().SequenceEqual(contents.Bytes)))
                result.Add(new PdfSignatureValue(name, isTimestamp, contents.Bytes));
        }
        return result;
    }

    /// <summary>
    /// Collects, for each signature, its certificates, the time-stamp authority's, and one OCSP
    /// response or CRL for every certificate that has an issuer (roots and responders marked
    /// id-pkix-ocsp-nocheck need none). Sources are asked in order; the first answer counts.
    /// </summary>
    /// <param name="required">Whose data must be complete; for the others (a counterparty's signature,
    /// an earlier time-stamp) whatever the sources know is added. Null: all are required.</param>
    /// <exception cref="RevocationException">No source has revocation data for a certificate of a required signature, or one failed.</exception>
    public static async Task<IReadOnlyList<VriEntry>> CollectAsync(IReadOnlyList<PdfSignatureValue> signatures,
        IReadOnlyList<IRevocationSource> sources, Func<PdfSignatureValue, bool>? required, CancellationToken ct)
    {
        var entries = new List<VriEntry>();
        foreach (var sig in signatures)
        {
            var mustBeComplete = required?.Invoke(sig) ?? true;
            var pool = CertificatesOf(sig);
            var certs = new List<byte[]>();
            var ocsps = new List<byte[]>();
            var crls = new List<byte[]>();
            var queue = new Queue<X509Certificate2>(pool);
            var done = new HashSet<string>();
            while (queue.Count > 0)
            {
                var cert = queue.Dequeue();
                if (!done.Add(cert.Thumbprint)) continue;
                certs.Add(cert.RawData);
                var issuer = IssuerOf(cert, pool);
                if (issuer is null || IsSelfSigned(cert) || HasOcspNoCheck(cert)) continue;
                RevocationEvidence? evidence = null;
                foreach (var source in sources)
                {
                    try
                    {
                        evidence = await source.FindAsync(cert, issuer, ct);
                    }
                    catch (RevocationException) when (!mustBeComplete)
                    {
                        // Best effort for signatures that are not ours to complete.
                    }
                    if (evidence is not null) break;
                }
                if (evidence is null && !mustBeComplete) continue;
                if (evidence is null)
                    throw new RevocationException($"No OCSP responder or CRL has revocation data for '{cert.GetNameInfo(X509NameType.SimpleName, false)}', so the signature cannot be made long-term verifiable (PAdES B-LT).");
                if (mustBeComplete && Validation.RevocationChecker.Find(cert, issuer, evidence.Kind == RevocationEvidenceKind.Ocsp ? [evidence.Der] : [],
                        evidence.Kind == RevocationEvidenceKind.Crl ? [evidence.Der] : []) is { State: Validation.RevocationState.Revoked, RevokedAt: var at })
                    throw new RevocationException($"The certificate '{cert.GetNameInfo(X509NameType.SimpleName, false)}' was revoked on {at:yyyy-MM-dd HH:mm} UTC; a signature made with it is not valid.");
                (evidence.Kind == RevocationEvidenceKind.Ocsp ? ocsps : crls).Add(evidence.Der);
                // The responder's own certificate must be in the DSS too, so its authority can be checked offline.
                if (evidence.Kind == RevocationEvidenceKind.Ocsp)
                    foreach (var responder in ResponderCertificates(evidence.Der))
                    {
                        pool.Add(responder);
                        queue.Enqueue(responder);
                    }
            }
            entries.Add(new VriEntry(sig.VriKey, certs, ocsps, crls));
        }
        return entries;
    }

    /// <summary>
    /// Adds the DSS as one incremental update: the source's bytes unchanged, then the new
    /// streams, the /DSS dictionary (merged with an existing one) and the catalog that points to it.
    /// </summary>
    public static void Write(PdfFile source, Stream output, IReadOnlyList<VriEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(output);
        Writer(source, entries).WriteTo(output);
    }

    /// <summary>The DSS update alone, to be appended right after the source's last byte (see <see cref="PdfSigner"/>'s single-pass B-LT).</summary>
    public static PdfUpdateBytes BuildUpdate(PdfFile source, IReadOnlyList<VriEntry> entries) => Writer(source, entries).Build();

    private static PdfIncrementalWriter Writer(PdfFile source, IReadOnlyList<VriEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(source);
        var writer = new PdfIncrementalWriter(source);
        var catalog = source.Catalog.Clone();
        var rootRef = source.Trailer.Get("Root") as PdfRefObj ?? throw new PdfFormatException("the PDF trailer has no /Root reference");
        var dss = (source.Get(catalog, "DSS") as PdfDictObj)?.Clone() ?? new PdfDictObj();

        // Data already in the DSS is referenced, not written again: each stream once, by content.
        var known = new Dictionary<string, PdfRefObj>();
        foreach (var key in new[] { "Certs", "OCSPs", "CRLs" })
            if (source.Get(dss, key) is PdfArrayObj arr)
                foreach (var item in arr.Items.OfType<PdfRefObj>())
                    if (source.Resolve(item) is PdfStreamObj s)
                        known.TryAdd(Convert.ToHexString(SHA256.HashData(source.DecodeStream(s))), item);

        PdfArrayObj Array(string key) => (source.Get(dss, key) as PdfArrayObj)?.Clone() ?? new PdfArrayObj();
        var all = new Dictionary<string, PdfArrayObj> { ["Certs"] = Array("Certs"), ["OCSPs"] = Array("OCSPs"), ["CRLs"] = Array("CRLs") };
        PdfArrayObj Refs(string key, IEnumerable<byte[]> items)
        {
            var refs = new PdfArrayObj();
            foreach (var der in items)
            {
                var hash = Convert.ToHexString(SHA256.HashData(der));
                if (!known.TryGetValue(hash, out var r))
                {
                    r = writer.Add(new PdfStreamObj(new PdfDictObj(), der));
                    known[hash] = r;
                }
                if (!all[key].Items.Contains(r)) all[key].Items.Add(r);
                if (!refs.Items.Contains(r)) refs.Items.Add(r);
            }
            return refs;
        }

        var vri = (source.Get(dss, "VRI") as PdfDictObj)?.Clone() ?? new PdfDictObj();
        foreach (var e in entries)
        {
            var v = new PdfDictObj().Set("Cert", Refs("Certs", e.Certificates));
            if (e.Ocsps.Count > 0) v.Set("OCSP", Refs("OCSPs", e.Ocsps));
            if (e.Crls.Count > 0) v.Set("CRL", Refs("CRLs", e.Crls));
            vri.Set(e.Key, v);
        }
        foreach (var (key, arr) in all)
            dss.Set(key, arr.Count > 0 ? arr : null);
        dss.Set("VRI", vri);
        catalog.Set("DSS", writer.Add(dss));
        writer.Set(rootRef, catalog);
        return writer;
    }

    private static List<X509Certificate2> CertificatesOf(PdfSignatureValue sig)
    {
        var der = sig.Der;
        var certs = new List<X509Certificate2>();
        if (sig.IsDocumentTimestamp)
        {
            certs.AddRange(TokenCertificates(der));
            return certs;
        }
        var parsed = ParsedCms.Parse(der);
        certs.AddRange(parsed.Certificates);
        certs.AddRange(parsed.TimestampTokenCertificates);
        return certs;
    }

    /// <summary>
    /// The certificates a document time-stamp carries. A token is a CMS SignedData too, so it is read
    /// as one (<see cref="ParsedCms.ParseToken"/>, as a signature's token is); decoding it as a token
    /// loads each certificate twice more. Only a token that is not readable so falls back to that.
    /// </summary>
    private static IEnumerable<X509Certificate2> TokenCertificates(byte[] token) =>
        ParsedCms.ParseToken(token)?.Certificates
        ?? (Rfc3161TimestampToken.TryDecode(token, out var decoded, out _) && decoded is not null
            ? decoded.AsSignedCms().Certificates.Cast<X509Certificate2>()
            : []);

    private static X509Certificate2? IssuerOf(X509Certificate2 cert, IEnumerable<X509Certificate2> pool) =>
        pool.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData) && SignedBy(cert, c));

    internal static bool SignedBy(X509Certificate2 cert, X509Certificate2 issuer) => X509Signatures.Verify(cert.RawData, issuer);

    internal static bool IsSelfSigned(X509Certificate2 cert) =>
        cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData) && SignedBy(cert, cert);

    /// <summary>id-pkix-ocsp-nocheck (RFC 6960 4.2.2.2.1): the responder's own status is not to be checked.</summary>
    internal static bool HasOcspNoCheck(X509Certificate2 cert) => cert.Extensions["1.3.6.1.5.5.7.48.1.5"] is not null;

    private static IEnumerable<X509Certificate2> ResponderCertificates(byte[] ocspResponse)
    {
        if (new Org.BouncyCastle.Ocsp.OcspResp(ocspResponse).GetResponseObject() is not Org.BouncyCastle.Ocsp.BasicOcspResp basic) yield break;
        foreach (var c in basic.GetCerts() ?? [])
            yield return CertificateCache.Load(c.GetEncoded());
    }
}
