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
            var serial = new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.Span);
            var single = basic.Responses.FirstOrDefault(r => r.GetCertID().SerialNumber.Equals(serial) && IssuedBy(r.GetCertID(), issuer));
            if (single is null || !SignedByAuthorisedResponder(basic, issuer)) return null;
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
            if (!X509Signatures.Verify(der, issuer)) return null;
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

    /// <summary>CertID's issuer name and key hashes (RFC 6960 4.1.1), with whatever hash it names.</summary>
    private static bool IssuedBy(CertificateID id, X509Certificate2 issuer)
    {
        var certId = id.ToAsn1Object();
        var hash = CmsOids.DigestFromOid(certId.HashAlgorithm.Algorithm.Id);
        if (hash is null) return false;
        return System.Security.Cryptography.CryptographicOperations.HashData(hash.Value, issuer.SubjectName.RawData).AsSpan().SequenceEqual(certId.IssuerNameHash.GetOctets())
            && System.Security.Cryptography.CryptographicOperations.HashData(hash.Value, issuer.PublicKey.EncodedKeyValue.RawData).AsSpan().SequenceEqual(certId.IssuerKeyHash.GetOctets());
    }

    private static bool SignedByAuthorisedResponder(BasicOcspResp basic, X509Certificate2 issuer)
    {
        var signed = basic.GetEncoded();
        if (X509Signatures.Verify(signed, issuer)) return true;
        foreach (var responder in basic.GetCerts() ?? [])
        {
            var der = responder.GetEncoded();
            if (!responder.IssuerDN.GetEncoded().AsSpan().SequenceEqual(issuer.SubjectName.RawData) || !X509Signatures.Verify(der, issuer)) continue;
            if (responder.GetExtendedKeyUsage()?.Any(k => k.Id == KpOcspSigning) != true) continue;
            using var cert = CertificateCache.Load(der);
            if (X509Signatures.Verify(signed, cert)) return true;
        }
        return false;
    }
}
