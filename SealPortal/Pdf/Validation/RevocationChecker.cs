using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using SealPortal.Pdf.Signing;

namespace SealPortal.Pdf.Validation;

/// <summary>What revocation data says about one certificate.</summary>
public enum RevocationState
{
    Good,
    Revoked,
    /// <summary>No usable OCSP response or CRL covers the certificate.</summary>
    Unknown,
}

/// <summary>
/// Reads OCSP responses and CRLs and says what they state about a certificate, after checking
/// that they come from someone entitled to say it: a CRL signed by the issuer; an OCSP response
/// signed by the issuer or by a responder the issuer certified with id-kp-OCSPSigning (RFC 6960
/// 4.2.2.2). Evidence that is about another certificate or fails these checks gives null.
/// </summary>
internal static class RevocationChecker
{
    private const string KpOcspSigning = "1.3.6.1.5.5.7.3.9";

    /// <param name="ThisUpdate">When the statement was made (OCSP thisUpdate, CRL thisUpdate).</param>
    public sealed record Status(RevocationState State, DateTimeOffset? RevokedAt, DateTimeOffset ThisUpdate, RevocationEvidenceKind Kind);

    public static Status? FromOcsp(byte[] der, X509Certificate2 certificate, X509Certificate2 issuer)
    {
        try
        {
            var resp = new OcspResp(der);
            if (resp.Status != OcspRespStatus.Successful || resp.GetResponseObject() is not BasicOcspResp basic) return null;
            var bcIssuer = OcspProtocol.ToBouncyCastle(issuer);
            var serial = new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.Span);
            var single = basic.Responses.FirstOrDefault(r => r.GetCertID().SerialNumber.Equals(serial) && r.GetCertID().MatchesIssuer(bcIssuer));
            if (single is null || !SignedByAuthorisedResponder(basic, bcIssuer)) return null;
            var thisUpdate = new DateTimeOffset(DateTime.SpecifyKind(single.ThisUpdate, DateTimeKind.Utc));
            return single.GetCertStatus() switch
            {
                null => new Status(RevocationState.Good, null, thisUpdate, RevocationEvidenceKind.Ocsp),
                RevokedStatus r => new Status(RevocationState.Revoked, new DateTimeOffset(DateTime.SpecifyKind(r.RevocationTime, DateTimeKind.Utc)), thisUpdate, RevocationEvidenceKind.Ocsp),
                _ => new Status(RevocationState.Unknown, null, thisUpdate, RevocationEvidenceKind.Ocsp),
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Hostile or damaged bytes are simply no evidence.
            return null;
        }
    }

    public static Status? FromCrl(byte[] der, X509Certificate2 certificate, X509Certificate2 issuer)
    {
        try
        {
            var crl = new X509CrlParser().ReadCrl(der);
            if (crl is null || !crl.IssuerDN.GetEncoded().AsSpan().SequenceEqual(issuer.SubjectName.RawData)) return null;
            if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData)) return null;
            crl.Verify(OcspProtocol.ToBouncyCastle(issuer).GetPublicKey());
            var thisUpdate = new DateTimeOffset(DateTime.SpecifyKind(crl.ThisUpdate, DateTimeKind.Utc));
            var entry = crl.GetRevokedCertificate(new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.Span));
            return entry is null
                ? new Status(RevocationState.Good, null, thisUpdate, RevocationEvidenceKind.Crl)
                : new Status(RevocationState.Revoked, new DateTimeOffset(DateTime.SpecifyKind(entry.RevocationDate, DateTimeKind.Utc)), thisUpdate, RevocationEvidenceKind.Crl);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>The first statement about the certificate found in the evidence, OCSP before CRL.</summary>
    public static Status? Find(X509Certificate2 certificate, X509Certificate2 issuer, IEnumerable<byte[]> ocsps, IEnumerable<byte[]> crls)
    {
        foreach (var o in ocsps)
            if (FromOcsp(o, certificate, issuer) is { } s) return s;
        foreach (var c in crls)
            if (FromCrl(c, certificate, issuer) is { } s) return s;
        return null;
    }

    private static bool SignedByAuthorisedResponder(BasicOcspResp basic, Org.BouncyCastle.X509.X509Certificate bcIssuer)
    {
        if (basic.Verify(bcIssuer.GetPublicKey())) return true;
        foreach (var responder in basic.GetCerts() ?? [])
        {
            try
            {
                if (!responder.IssuerDN.Equivalent(bcIssuer.SubjectDN)) continue;
                responder.Verify(bcIssuer.GetPublicKey());
                if (responder.GetExtendedKeyUsage()?.Any(k => k.Id == KpOcspSigning) != true) continue;
                if (basic.Verify(responder.GetPublicKey())) return true;
            }
            catch (Exception ex) when (ex is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.Certificates.CertificateException
                                          or Org.BouncyCastle.Security.SignatureException)
            {
                // Not signed by the issuer: not an authorised responder; try the next certificate.
            }
        }
        return false;
    }
}
