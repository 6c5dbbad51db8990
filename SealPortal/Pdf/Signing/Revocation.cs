using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using SealPortal.Pdf.Validation;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace SealPortal.Pdf.Signing;

/// <summary>Which kind of revocation statement a piece of evidence is.</summary>
public enum RevocationEvidenceKind
{
    /// <summary>A DER OCSPResponse (RFC 6960 4.2.1).</summary>
    Ocsp,
    /// <summary>A DER CertificateList (RFC 5280 5.1).</summary>
    Crl,
}

/// <summary>One OCSP response or CRL, as it goes into a PDF's /DSS.</summary>
public sealed record RevocationEvidence(RevocationEvidenceKind Kind, byte[] Der);

/// <summary>Somewhere to learn whether a certificate is revoked: an OCSP responder, CRL files, ...</summary>
public interface IRevocationSource
{
    /// <returns>Evidence about <paramref name="certificate"/>, or null when this source has none.</returns>
    /// <exception cref="RevocationException">The source should know but could not answer usably.</exception>
    Task<RevocationEvidence?> FindAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken ct);
}

/// <summary>Revocation data could not be obtained; the message says why in plain words.</summary>
public sealed class RevocationException : Exception
{
    public RevocationException(string message) : base(message) { }
    public RevocationException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// Asks an OCSP responder (RFC 6960, HTTP POST as in appendix A.1): the configured one, else the
/// one named in the certificate's Authority Information Access. Certificates that name none and
/// with no configured responder, or that the responder does not speak for, get null, so a CRL
/// source can answer instead.
/// </summary>
public sealed class HttpOcspClient(HttpClient http, Uri? responder = null) : IRevocationSource
{
    private const int MaxResponseBytes = 256 * 1024;

    public async Task<RevocationEvidence?> FindAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        var url = responder ?? certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>()
            .SelectMany(a => a.EnumerateOcspUris()).Select(u => Uri.TryCreate(u, UriKind.Absolute, out var x) ? x : null)
            .FirstOrDefault(u => u is { Scheme: "http" or "https" });
        if (url is null) return null;

        var nonce = RandomNumberGenerator.GetBytes(16);
        var request = OcspProtocol.EncodeRequest(certificate, issuer, nonce);
        byte[] body;
        try
        {
            using var content = new ByteArrayContent(request);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
            using var response = await http.PostAsync(url, content, ct);
            if (!response.IsSuccessStatusCode)
                throw new RevocationException($"The OCSP responder at {url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxResponseBytes)
                    throw new RevocationException($"The OCSP responder at {url} sent an answer too large to be an OCSP response.");
                buffer.Write(chunk, 0, read);
            }
            body = buffer.ToArray();
        }
        catch (HttpRequestException ex)
        {
            throw new RevocationException($"The OCSP responder at {url} cannot be reached: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new RevocationException($"The OCSP responder at {url} did not answer in time.", ex);
        }

        // The full check (responder's authority and signature) is the verifier's; here the answer
        // only has to be a successful response about this certificate to this request.
        // A responder that does not speak for this certificate's issuer (not authorised, or
        // "unknown") is no evidence either way: the next source (a CRL) may know.
        if (RevocationChecker.FromOcsp(body, certificate, issuer) is not { State: not RevocationState.Unknown })
            return null;
        if (!OcspProtocol.NonceMatches(body, nonce))
            throw new RevocationException($"The OCSP answer from {url} does not answer this request (nonce mismatch); it may be a replayed old answer.");
        return new RevocationEvidence(RevocationEvidenceKind.Ocsp, body);
    }
}

/// <summary>CRLs held in files (DER or PEM), e.g. the sample CA's, or ones fetched by a scheduled job.</summary>
public sealed class CrlFileSource : IRevocationSource
{
    private readonly IReadOnlyList<byte[]> _crls;

    /// <exception cref="RevocationException">A file cannot be read or is not a CRL.</exception>
    public CrlFileSource(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var crls = new List<byte[]>();
        foreach (var path in paths)
        {
            byte[] bytes;
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new RevocationException($"The CRL file '{path}' cannot be read: {ex.Message}", ex);
            }
            var der = PemOrDer(bytes, "X509 CRL");
            try { new Org.BouncyCastle.X509.X509CrlParser().ReadCrl(der); }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new RevocationException($"The file '{path}' is not a certificate revocation list (CRL).", ex);
            }
            crls.Add(der);
        }
        _crls = crls;
    }

    public Task<RevocationEvidence?> FindAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken ct)
    {
        var crl = _crls.FirstOrDefault(c => RevocationChecker.FromCrl(c, certificate, issuer) is not null);
        return Task.FromResult(crl is null ? null : new RevocationEvidence(RevocationEvidenceKind.Crl, crl));
    }

    private static byte[] PemOrDer(byte[] bytes, string label)
    {
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        var begin = $"-----BEGIN {label}-----";
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        if (start < 0) return bytes;
        var end = text.IndexOf($"-----END {label}-----", start, StringComparison.Ordinal);
        if (end < 0) return bytes;
        return Convert.FromBase64String(text[(start + begin.Length)..end]);
    }
}

/// <summary>The RFC 6960 encodings both the client and the sample responder need.</summary>
internal static class OcspProtocol
{
    public static BcCertificate ToBouncyCastle(X509Certificate2 cert) => new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(cert.RawData);

    /// <summary>CertID (RFC 6960 4.1.1) with SHA-1, the hash every responder must understand.</summary>
    public static CertificateID CertificateId(X509Certificate2 certificate, X509Certificate2 issuer) =>
        new(new CertID(new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1, DerNull.Instance),
            new DerOctetString(SHA1.HashData(issuer.SubjectName.RawData)),
            new DerOctetString(SHA1.HashData(issuer.PublicKey.EncodedKeyValue.RawData)),
            new DerInteger(new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.Span))));

    public static byte[] EncodeRequest(X509Certificate2 certificate, X509Certificate2 issuer, byte[] nonce)
    {
        var gen = new OcspReqGenerator();
        gen.AddRequest(CertificateId(certificate, issuer));
        var ext = new X509ExtensionsGenerator();
        ext.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false, new DerOctetString(nonce));
        gen.SetRequestExtensions(ext.Generate());
        return gen.Generate().GetEncoded();
    }

    /// <summary>True when the response echoes the nonce; a responder that ignores nonces (allowed by RFC 6960) is accepted.</summary>
    public static bool NonceMatches(byte[] ocspResponse, byte[] nonce)
    {
        var basic = new OcspResp(ocspResponse).GetResponseObject() as BasicOcspResp;
        var value = basic?.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce);
        if (value is null) return true;
        var inner = value.GetOctets();
        // Responders differ on whether the nonce is wrapped in a further OCTET STRING.
        return inner.AsSpan().SequenceEqual(nonce)
            || (Asn1Object.FromByteArray(inner) is Asn1OctetString o && o.GetOctets().AsSpan().SequenceEqual(nonce));
    }
}
