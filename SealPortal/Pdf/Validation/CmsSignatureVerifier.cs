using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Signing;

namespace SealPortal.Pdf.Validation;

/// <summary>
/// Checks a detached CMS signature (PDF adbe.pkcs7.detached and ETSI.CAdES.detached) against the
/// digest of the signed bytes. Reads the CMS itself rather than through SignedCms because
/// SignedCms wants the content, and the PDF's signed bytes should be hashed as a stream.
/// Never throws for bad input: every failure becomes a problem in the result.
/// </summary>
public static class CmsSignatureVerifier
{
    private const string CannotDecode = "the signature container cannot be decoded: ";

    /// <param name="cmsDer">The /Contents bytes (trailing zero padding is ignored).</param>
    /// <param name="digestOfSignedBytes">Given the digest algorithm named in the CMS, returns the digest of the /ByteRange bytes.</param>
    public static CmsVerification Verify(ReadOnlySpan<byte> cmsDer, Func<HashAlgorithmName, byte[]> digestOfSignedBytes, CmsTrustOptions trust)
        => Verify(cmsDer, digestOfSignedBytes, trust, out _);

    /// <summary>As the public overload, and hands out the parsed CMS (null when it could not be parsed) so a caller need not parse it again.</summary>
    internal static CmsVerification Verify(ReadOnlySpan<byte> cmsDer, Func<HashAlgorithmName, byte[]> digestOfSignedBytes, CmsTrustOptions trust, out ParsedCms? parsedCms)
    {
        ArgumentNullException.ThrowIfNull(digestOfSignedBytes);
        ArgumentNullException.ThrowIfNull(trust);
        parsedCms = null;
        ParsedCms parsed;
        try
        {
            parsed = ParsedCms.Parse(cmsDer);
            parsedCms = parsed;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever malformed bytes make the decoder throw, the caller gets a report, not an exception.
            return new CmsVerification
            {
                Decoded = false,
                VerificationTime = trust.Now,
                VerificationTimeSource = VerificationTimeSource.Now,
                Problems = [CannotDecode + ex.Message],
            };
        }

        try
        {
            return Check(parsed, digestOfSignedBytes, trust);
        }
        catch (CallerDigestException ex)
        {
            // The caller's own callback failed: that is not a property of the signature, so it is the caller's to handle.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException!);
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Parsing succeeded but a nested structure (an attribute value, a key) is malformed.
            return new CmsVerification
            {
                Decoded = false,
                Certificates = parsed.Certificates,
                SignerCertificate = parsed.SignerCertificate,
                SignerSubject = parsed.SignerCertificate?.Subject,
                VerificationTime = trust.Now,
                VerificationTimeSource = VerificationTimeSource.Now,
                Problems = [CannotDecode + ex.Message],
            };
        }
    }

    private static CmsVerification Check(ParsedCms cms, Func<HashAlgorithmName, byte[]> digestOfSignedBytes, CmsTrustOptions trust)
    {
        var problems = new List<string>();
        var signer = cms.SignerCertificate;
        if (signer is null)
            problems.Add("the signer's certificate is not included in the signature, so nobody can tell who signed");

        var digestAlg = CmsOids.DigestFromOid(cms.DigestAlgorithmOid);
        if (digestAlg is null)
            problems.Add($"the digest algorithm {cms.DigestAlgorithmOid} is not supported");
        else if (digestAlg == HashAlgorithmName.SHA1)
            problems.Add("the signature uses SHA-1, which is no longer considered secure");

        // The digest of the signed content: the PDF bytes, or for adbe.pkcs7.sha1-style CMS the encapsulated content.
        byte[]? contentDigest = null;
        if (digestAlg is { } alg)
        {
            try
            {
                contentDigest = cms.EncapsulatedContent is { } econtent
                    ? CryptographicOperations.HashData(alg, econtent)
                    : CallDigest(digestOfSignedBytes, alg);
            }
            catch (IOException ex)
            {
                problems.Add($"the signed bytes cannot be read: {ex.Message}");
            }
            if (cms.EncapsulatedContent is { } inner)
            {
                // adbe.pkcs7.sha1: the CMS signs the SHA-1 digest of the byte range as its content.
                var sha1 = CallDigest(digestOfSignedBytes, HashAlgorithmName.SHA1);
                if (!inner.AsSpan().SequenceEqual(sha1))
                {
                    problems.Add("the document was changed after it was signed (the embedded digest does not match the signed bytes)");
                    contentDigest = null;
                }
            }
        }

        DateTimeOffset? claimed = cms.SigningTime ?? trust.ClaimedSigningTime;
        bool digestValid = false, signatureValid = false;
        string? sigAlgName = null;
        if (signer is not null && digestAlg is { } hashAlg)
        {
            if (cms.SignedAttributes is { } attrs)
            {
                // The signature covers the signed attributes, so it can be checked even when the content cannot.
                if (cms.MessageDigest is null)
                    problems.Add("the signature has signed attributes but no message-digest attribute");
                else if (contentDigest is not null && CryptographicOperations.FixedTimeEquals(cms.MessageDigest, contentDigest))
                    digestValid = true;
                else if (contentDigest is not null)
                    problems.Add("the document was changed after it was signed (the message digest does not match the signed bytes)");
                if (cms.ContentType is { } ct && ct != cms.EncapsulatedContentType)
                    problems.Add("the content-type attribute does not match the signed content type");
                var explained = problems.Count;
                signatureValid = VerifySignature(cms, signer, hashAlg, attrs, prehashed: null, problems, out sigAlgName);
                // An unsupported algorithm is already explained; only a failed check means corruption.
                if (!signatureValid && problems.Count == explained)
                    problems.Add("the signature value does not verify with the signer's certificate (the signature is corrupted or forged)");
            }
            else if (contentDigest is not null)
            {
                // Without signed attributes the signature is over the content digest itself (RFC 5652 5.4).
                signatureValid = VerifySignature(cms, signer, hashAlg, null, contentDigest, problems, out sigAlgName);
                digestValid = signatureValid;
                if (!signatureValid)
                    problems.Add("the document was changed after it was signed, or the signature is corrupted");
            }
            CheckSigningCertificateAttribute(cms, signer, problems);
        }

        var timestamp = cms.TimestampToken is not null ? CheckTimestamp(cms, trust) : null;
        if (timestamp is not null)
            problems.AddRange(timestamp.Problems);

        DateTimeOffset vt;
        VerificationTimeSource vtSource;
        if (timestamp is { IsValid: true, Time: { } tsTime })
            (vt, vtSource) = (tsTime, VerificationTimeSource.Timestamp);
        else if (claimed is { } c)
            (vt, vtSource) = (c, VerificationTimeSource.ClaimedSigningTime);
        else
            (vt, vtSource) = (trust.Now, VerificationTimeSource.Now);

        bool chainTrusted = false, validAtTime = false, keyUsageOk = false;
        IReadOnlyList<X509Certificate2> chain = [];
        if (signer is not null)
        {
            (chainTrusted, validAtTime, chain) = CheckChain(signer, cms.Certificates, trust.TrustAnchors, vt, applicationPolicy: null, "signer's", problems);
            keyUsageOk = KeyUsageAllowsSigning(signer);
            if (!keyUsageOk)
                problems.Add("the signer's certificate is not allowed to make signatures (its key usage has neither digitalSignature nor nonRepudiation)");
        }

        return new CmsVerification
        {
            Decoded = true,
            SignerSubject = signer?.Subject,
            SignerCertificate = signer,
            Certificates = cms.Certificates,
            DigestAlgorithm = digestAlg,
            SignatureAlgorithm = sigAlgName,
            HasSignedAttributes = cms.SignedAttributes is not null,
            DigestValid = digestValid,
            SignatureValid = signatureValid,
            ClaimedSigningTime = claimed,
            Timestamp = timestamp,
            ChainTrusted = chainTrusted,
            Chain = chain,
            VerificationTime = vt,
            VerificationTimeSource = vtSource,
            KeyUsageOk = keyUsageOk,
            ValidAtSigningTime = validAtTime,
            Problems = problems,
        };
    }

    private static byte[] CallDigest(Func<HashAlgorithmName, byte[]> digest, HashAlgorithmName alg)
    {
        try
        {
            return digest(alg) ?? throw new InvalidOperationException("the digest callback returned null");
        }
        catch (IOException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new CallerDigestException(ex);
        }
    }

    private sealed class CallerDigestException(Exception inner) : Exception(inner.Message, inner);

    private static bool VerifySignature(ParsedCms cms, X509Certificate2 signer, HashAlgorithmName digestAlg, byte[]? signedAttrs,
        byte[]? prehashed, List<string> problems, out string? algorithmName)
    {
        algorithmName = null;
        var sigOid = cms.SignatureAlgorithmOid;
        HashAlgorithmName hash = digestAlg;
        switch (sigOid)
        {
            case CmsOids.RsaEncryption:
            case CmsOids.Sha1WithRsa or CmsOids.Sha256WithRsa or CmsOids.Sha384WithRsa or CmsOids.Sha512WithRsa:
            {
                hash = sigOid switch
                {
                    CmsOids.Sha1WithRsa => HashAlgorithmName.SHA1,
                    CmsOids.Sha256WithRsa => HashAlgorithmName.SHA256,
                    CmsOids.Sha384WithRsa => HashAlgorithmName.SHA384,
                    CmsOids.Sha512WithRsa => HashAlgorithmName.SHA512,
                    _ => digestAlg,
                };
                algorithmName = $"RSA PKCS#1 v1.5 with {hash.Name}";
                // Without signed attributes the content digest was made with the digest algorithm, so that is the hash the signature wraps.
                return VerifyRsa(signer, prehashed is null ? hash : digestAlg, RSASignaturePadding.Pkcs1, cms.Signature, signedAttrs, prehashed, problems);
            }
            case CmsOids.RsaPss:
            {
                if (!TryReadPssParameters(cms.SignatureAlgorithmParameters, out hash, out var mgfHash, out var salt))
                {
                    problems.Add("the RSA-PSS parameters of the signature cannot be read");
                    return false;
                }
                algorithmName = $"RSA-PSS with {hash.Name}";
                // .NET verifies PSS only with MGF1 over the same hash and a salt as long as the hash.
                if (mgfHash != hash || salt != CmsOids.DigestLength(hash))
                {
                    problems.Add($"the RSA-PSS parameters (MGF1 with {mgfHash.Name}, salt {salt} bytes) are not supported by this verifier");
                    return false;
                }
                return VerifyRsa(signer, prehashed is null ? hash : digestAlg, RSASignaturePadding.Pss, cms.Signature, signedAttrs, prehashed, problems);
            }
            case CmsOids.EcPublicKey or CmsOids.EcdsaWithSha1 or CmsOids.EcdsaWithSha256 or CmsOids.EcdsaWithSha384 or CmsOids.EcdsaWithSha512:
            {
                hash = sigOid switch
                {
                    CmsOids.EcdsaWithSha1 => HashAlgorithmName.SHA1,
                    CmsOids.EcdsaWithSha256 => HashAlgorithmName.SHA256,
                    CmsOids.EcdsaWithSha384 => HashAlgorithmName.SHA384,
                    CmsOids.EcdsaWithSha512 => HashAlgorithmName.SHA512,
                    _ => digestAlg,
                };
                algorithmName = $"ECDSA with {hash.Name}";
                using var ec = signer.GetECDsaPublicKey();
                if (ec is null)
                {
                    problems.Add("the signature is ECDSA but the signer's certificate does not hold an EC key");
                    return false;
                }
                return signedAttrs is not null
                    ? ec.VerifyData(signedAttrs, cms.Signature, hash, DSASignatureFormat.Rfc3279DerSequence)
                    : ec.VerifyHash(prehashed!, cms.Signature, DSASignatureFormat.Rfc3279DerSequence);
            }
            default:
                problems.Add($"the signature algorithm {sigOid} is not supported");
                return false;
        }
    }

    private static bool VerifyRsa(X509Certificate2 signer, HashAlgorithmName hash, RSASignaturePadding padding, byte[] signature,
        byte[]? signedAttrs, byte[]? prehashed, List<string> problems)
    {
        using var rsa = signer.GetRSAPublicKey();
        if (rsa is null)
        {
            problems.Add("the signature is RSA but the signer's certificate does not hold an RSA key");
            return false;
        }
        return signedAttrs is not null
            ? rsa.VerifyData(signedAttrs, signature, hash, padding)
            : rsa.VerifyHash(prehashed!, signature, hash, padding);
    }

    /// <summary>RSASSA-PSS-params (RFC 4055): every field has a SHA-1 based default.</summary>
    private static bool TryReadPssParameters(ReadOnlyMemory<byte>? parameters, out HashAlgorithmName hash, out HashAlgorithmName mgfHash, out int salt)
    {
        hash = HashAlgorithmName.SHA1;
        mgfHash = HashAlgorithmName.SHA1;
        salt = 20;
        if (parameters is null)
            return true;
        var seq = new AsnReader(parameters.Value, AsnEncodingRules.BER).ReadSequence();
        var t0 = new Asn1Tag(TagClass.ContextSpecific, 0);
        var t1 = new Asn1Tag(TagClass.ContextSpecific, 1);
        var t2 = new Asn1Tag(TagClass.ContextSpecific, 2);
        if (seq.HasData && seq.PeekTag().HasSameClassAndValue(t0))
        {
            var h = CmsOids.DigestFromOid(seq.ReadSequence(t0).ReadSequence().ReadObjectIdentifier());
            if (h is null)
                return false;
            hash = h.Value;
        }
        if (seq.HasData && seq.PeekTag().HasSameClassAndValue(t1))
        {
            var mgf = seq.ReadSequence(t1).ReadSequence();
            if (mgf.ReadObjectIdentifier() != CmsOids.Mgf1)
                return false;
            var h = CmsOids.DigestFromOid(mgf.ReadSequence().ReadObjectIdentifier());
            if (h is null)
                return false;
            mgfHash = h.Value;
        }
        if (seq.HasData && seq.PeekTag().HasSameClassAndValue(t2))
        {
            if (!seq.ReadSequence(t2).TryReadInt32(out salt))
                return false;
        }
        return true;
    }

    /// <summary>ESS signing-certificate(-v2): when present, it must name the certificate that verified the signature.</summary>
    private static void CheckSigningCertificateAttribute(ParsedCms cms, X509Certificate2 signer, List<string> problems)
    {
        if (cms.SigningCertificateHash is not { } expected)
            return;
        var actual = CryptographicOperations.HashData(cms.SigningCertificateHashAlgorithm, signer.RawData);
        if (!actual.AsSpan().SequenceEqual(expected))
            problems.Add("the signing-certificate attribute names a different certificate than the one that signed");
    }

    private static CmsTimestampVerification CheckTimestamp(ParsedCms cms, CmsTrustOptions trust) =>
        CheckTimestampDirectly(cms, trust) ?? CheckTimestampAsToken(cms, trust);

    /// <summary>
    /// The usual case, checked on the token read as CMS (<see cref="ParsedCms.TimestampCms"/>): the
    /// content is a TSTInfo whose imprint is the hash of the signature value, the signed attributes
    /// carry its content type and digest, the signer's certificate is in the token, its signature
    /// verifies, and the ESS signing-certificate attribute names it (RFC 3161, 2.4.2). Null unless all
    /// of that holds: any token that fails a check, or is unusual, goes to <see cref="CheckTimestampAsToken"/>,
    /// which says what is wrong with it.
    /// </summary>
    private static CmsTimestampVerification? CheckTimestampDirectly(ParsedCms cms, CmsTrustOptions trust)
    {
        if (cms.TimestampCms() is not { } token || token.SignerCertificate is not { } tsaCert
            || token.EncapsulatedContentType != CmsOids.TstInfo || token.EncapsulatedContent is not { } tstInfo
            || token.SignedAttributes is not { } attrs || token.ContentType != CmsOids.TstInfo
            || token.MessageDigest is not { } messageDigest || token.SigningCertificateHash is not { } essHash
            || CmsOids.DigestFromOid(token.DigestAlgorithmOid) is not { } digestAlg
            || ReadTstInfo(tstInfo) is not { } info
            || CmsOids.DigestFromOid(info.ImprintAlgorithm) is not { } imprintAlg)
            return null;
        var (imprint, time) = (info.Imprint, info.Time);
        if (!CryptographicOperations.HashData(imprintAlg, cms.Signature).AsSpan().SequenceEqual(imprint)
            || !CryptographicOperations.HashData(digestAlg, tstInfo).AsSpan().SequenceEqual(messageDigest)
            || !CryptographicOperations.HashData(token.SigningCertificateHashAlgorithm, tsaCert.RawData).AsSpan().SequenceEqual(essHash))
            return null;
        var problems = new List<string>();
        if (!VerifySignature(token, tsaCert, digestAlg, attrs, prehashed: null, problems, out _) || problems.Count > 0)
            return null;

        return new CmsTimestampVerification
        {
            SignatureValid = true,
            ImprintValid = true,
            ChainTrusted = TsaChainTrusted(cms, tsaCert, trust, time, problems),
            Time = time,
            TsaSubject = tsaCert.Subject,
            TsaCertificate = tsaCert,
            Problems = problems,
        };
    }

    /// <summary>
    /// Whether the time-stamp authority's certificate chains (through the token's and the signature's
    /// certificates) to a trust anchor, allowed to time-stamp and valid at the token's time; problems
    /// are added to <paramref name="problems"/>.
    /// </summary>
    private static bool TsaChainTrusted(ParsedCms cms, X509Certificate2 tsaCert, CmsTrustOptions trust, DateTimeOffset time, List<string> problems)
    {
        var tokenCerts = cms.TimestampTokenCertificates.Concat(cms.Certificates).ToList();
        var (chainTrusted, timeValid, tsaChain) = CheckChain(tsaCert, tokenCerts, trust.TrustAnchors, time, CmsOids.KpTimeStamping, "time-stamp authority's", problems);
        // The chain elements are new certificates the caller owns; nothing keeps this chain.
        foreach (var c in tsaChain) c.Dispose();
        return chainTrusted && timeValid;
    }

    /// <summary>TSTInfo (RFC 3161, 2.4.2): the message imprint's algorithm and hash, and genTime; null when it is not one (version 1, DER).</summary>
    private static (string ImprintAlgorithm, byte[] Imprint, DateTimeOffset Time)? ReadTstInfo(byte[] der)
    {
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var tst = outer.ReadSequence();
            if (outer.HasData || !tst.TryReadInt32(out var version) || version != 1) return null;
            tst.ReadObjectIdentifier(); // policy
            var imprint = tst.ReadSequence();
            var algorithm = imprint.ReadSequence().ReadObjectIdentifier();
            var hashed = imprint.ReadOctetString();
            if (imprint.HasData) return null;
            tst.ReadIntegerBytes(); // serial number
            return (algorithm, hashed, tst.ReadGeneralizedTime());
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>The token decoded by .NET's <see cref="Rfc3161TimestampToken"/>: for tokens the direct check does not vouch for, with a problem for each check that fails.</summary>
    private static CmsTimestampVerification CheckTimestampAsToken(ParsedCms cms, CmsTrustOptions trust)
    {
        var problems = new List<string>();
        if (cms.DecodedTimestampToken() is not { } token)
        {
            problems.Add("the signature time-stamp cannot be decoded, or it is not signed by a time-stamping certificate");
            return new CmsTimestampVerification { Problems = problems };
        }

        var info = token.TokenInfo;
        var time = info.Timestamp;
        var hashAlg = CmsOids.DigestFromOid(info.HashAlgorithmId.Value ?? "");
        var imprintValid = hashAlg is { } ha
            && CryptographicOperations.HashData(ha, cms.Signature).AsSpan().SequenceEqual(info.GetMessageHash().Span);
        if (!imprintValid)
            problems.Add("the signature time-stamp was made for a different signature (its message imprint does not match)");

        var extra = new X509Certificate2Collection();
        extra.AddRange(cms.Certificates.ToArray());
        bool signatureValid = false;
        X509Certificate2? tsaCert = null;
        if (hashAlg is { } h)
        {
            // Passing the token's own imprint isolates the check to the token's signature.
            signatureValid = token.VerifySignatureForHash(info.GetMessageHash().Span, h, out tsaCert, extra);
        }
        if (!signatureValid)
            problems.Add("the signature time-stamp's own signature is invalid");

        tsaCert ??= cms.TimestampSignerCertificate();
        var chainTrusted = false;
        if (tsaCert is not null)
        {
            chainTrusted = TsaChainTrusted(cms, tsaCert, trust, time, problems);
        }
        else
        {
            problems.Add("the time-stamp authority's certificate is not included, so the time-stamp cannot be trusted");
        }

        return new CmsTimestampVerification
        {
            SignatureValid = signatureValid,
            ImprintValid = imprintValid,
            ChainTrusted = chainTrusted,
            Time = time,
            TsaSubject = tsaCert?.Subject,
            TsaCertificate = tsaCert,
            Problems = problems,
        };
    }

    /// <summary>
    /// Builds the chain to the caller's anchors only (never the machine's store), without revocation
    /// (no network here; revocation data would come from the PDF's DSS, which is out of scope).
    /// </summary>
    internal static (bool Trusted, bool TimeValid, IReadOnlyList<X509Certificate2> Chain) CheckChain(
        X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, IReadOnlyList<X509Certificate2> anchors,
        DateTimeOffset at, string? applicationPolicy, string who, List<string> problems)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        foreach (var a in anchors)
            chain.ChainPolicy.CustomTrustStore.Add(a);
        foreach (var c in intermediates)
            chain.ChainPolicy.ExtraStore.Add(c);
        if (applicationPolicy is not null)
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(applicationPolicy));

        var built = chain.Build(leaf);
        var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
        var timeFlags = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested;
        var all = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (f, s) => f | s.Status);
        var timeValid = (all & X509ChainStatusFlags.NotTimeValid) == 0;
        var otherFlags = all & ~timeFlags;
        var trusted = (built || otherFlags == X509ChainStatusFlags.NoError) && otherFlags == X509ChainStatusFlags.NoError
            && elements.Count > 0 && anchors.Any(a => a.RawDataMemory.Span.SequenceEqual(elements[^1].RawDataMemory.Span));

        if (!trusted)
        {
            if (anchors.Count == 0)
                problems.Add($"the {who} certificate cannot be trusted: no trusted root certificates are configured");
            else if ((otherFlags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0 || otherFlags == X509ChainStatusFlags.NoError)
                problems.Add($"the {who} certificate does not chain to a trusted root (issuer: {leaf.Issuer})");
            else
                problems.Add($"the {who} certificate chain is not acceptable: {Describe(chain.ChainStatus.Where(s => (s.Status & ~timeFlags) != 0))}");
        }
        if (!timeValid)
        {
            var expiredOrEarly = chain.ChainElements.FirstOrDefault(e => e.ChainElementStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.NotTimeValid)))?.Certificate ?? leaf;
            problems.Add($"the {who} certificate '{expiredOrEarly.GetNameInfo(X509NameType.SimpleName, false)}' was not valid at {at:yyyy-MM-dd HH:mm} UTC " +
                $"(valid from {expiredOrEarly.NotBefore.ToUniversalTime():yyyy-MM-dd} to {expiredOrEarly.NotAfter.ToUniversalTime():yyyy-MM-dd})");
        }
        return (trusted, timeValid, elements);
    }

    private static string Describe(IEnumerable<X509ChainStatus> statuses) =>
        string.Join("; ", statuses.Select(s => string.IsNullOrWhiteSpace(s.StatusInformation) ? s.Status.ToString() : s.StatusInformation.Trim()).Distinct());

    private static bool KeyUsageAllowsSigning(X509Certificate2 cert)
    {
        var ku = cert.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        return ku is null || (ku.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) != 0;
    }
}
