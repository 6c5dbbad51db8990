using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SealPortal.Pdf.Signing;

/// <summary>
/// A small RFC 3161 time-stamp authority: answers a TimeStampReq with a TimeStampResp whose token
/// is signed by <c>tsaIdentity</c>. Meant for tests, the demo and closed networks without a
/// commercial TSA; its time is only as trustworthy as the machine's clock.
/// </summary>
public sealed class TimestampAuthority
{
    /// <summary>The policy this TSA issues under: a UUID-based OID (ITU-T X.667), so it needs no registration.</summary>
    public const string PolicyOid = "2.25.226430652209206810509673136353291670880";

    private readonly SigningIdentity _identity;
    private readonly TimeProvider _time;
    private readonly Func<byte[]> _serialSource;

    /// <param name="serialSource">Bytes of the next serial number (unsigned big-endian); random 16 bytes by default.</param>
    public TimestampAuthority(SigningIdentity tsaIdentity, TimeProvider time, Func<byte[]>? serialSource = null)
    {
        _identity = tsaIdentity ?? throw new ArgumentNullException(nameof(tsaIdentity));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _serialSource = serialSource ?? (() => RandomNumberGenerator.GetBytes(16));
    }

    /// <summary>Answers one request. A request we cannot serve gets a "rejection" status with a reason, never an exception.</summary>
    public byte[] Respond(ReadOnlySpan<byte> timeStampReqDer)
    {
        Request req;
        try
        {
            req = Request.Parse(timeStampReqDer);
        }
        catch (Exception ex) when (ex is AsnContentException or ArgumentException or OverflowException)
        {
            return Rejection(FailureInfo.BadDataFormat, "the request is not a valid RFC 3161 TimeStampReq: " + ex.Message);
        }

        if (req.Version != 1)
            return Rejection(FailureInfo.BadRequest, $"unsupported request version {req.Version}");
        var hash = CmsOids.DigestFromOid(req.HashOid);
        if (hash is null || hash == HashAlgorithmName.SHA1)
            return Rejection(FailureInfo.BadAlg, $"unsupported hash algorithm {req.HashOid}; use SHA-256, SHA-384 or SHA-512");
        if (req.HashedMessage.Length != CmsOids.DigestLength(hash.Value))
            return Rejection(FailureInfo.BadDataFormat, "the message imprint's length does not fit its hash algorithm");
        if (req.Policy is { } p && p != PolicyOid)
            return Rejection(FailureInfo.UnacceptedPolicy, $"policy {p} is not offered; this TSA issues under {PolicyOid}");
        if (req.HasExtensions)
            return Rejection(FailureInfo.UnacceptedExtension, "request extensions are not supported");

        try
        {
            var tstInfo = EncodeTstInfo(req);
            var (attrs, signature) = CmsWriter.Sign(CmsOids.TstInfo, SHA256.HashData(tstInfo), _identity);
            var token = CmsWriter.Assemble(CmsOids.TstInfo, tstInfo, _identity, includeCertificates: req.CertReq, attrs, signature, []);
            var w = new AsnWriter(AsnEncodingRules.DER);
            using (w.PushSequence())
            {
                using (w.PushSequence())
                    w.WriteInteger(0);
                w.WriteEncodedValue(token);
            }
            return w.Encode();
        }
        catch (CryptographicException ex)
        {
            return Rejection(FailureInfo.SystemFailure, "the time-stamp could not be signed: " + ex.Message);
        }
    }

    private byte[] EncodeTstInfo(Request req)
    {
        var serialBytes = _serialSource();
        var serial = new System.Numerics.BigInteger(serialBytes, isUnsigned: true, isBigEndian: true);
        // RFC 3161 2.4.2: a positive integer of at most 160 bits.
        if (serial.IsZero || serialBytes.Length > 20)
            throw new CryptographicException("the serial number source must give 1 to 20 bytes, not all zero");
        // RFC 3161 2.4.2: genTime in UTC; DER GeneralizedTime drops trailing fractional zeros.
        var now = _time.GetUtcNow();
        var genTime = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(1);
            w.WriteObjectIdentifier(PolicyOid);
            w.WriteEncodedValue(req.MessageImprint.Span);
            w.WriteInteger(serial);
            w.WriteGeneralizedTime(genTime, omitFractionalSeconds: false);
            if (req.Nonce is { } nonce)
                w.WriteInteger(nonce);
            // tsa [0] GeneralName (a CHOICE, so the tag is explicit): directoryName [4] of our subject.
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4)))
                w.WriteEncodedValue(_identity.Certificate.SubjectName.RawData);
        }
        return w.Encode();
    }

    private static byte[] Rejection(FailureInfo failure, string text)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        using (w.PushSequence())
        {
            w.WriteInteger(2); // rejection
            using (w.PushSequence())
                w.WriteCharacterString(UniversalTagNumber.UTF8String, text);
            w.WriteNamedBitList(failure);
        }
        return w.Encode();
    }

    /// <summary>PKIFailureInfo bits (RFC 3161 2.4.2), numbered as .NET's named bit lists count them.</summary>
    [Flags]
    private enum FailureInfo
    {
        BadAlg = 1 << 0,
        BadRequest = 1 << 2,
        BadDataFormat = 1 << 5,
        UnacceptedPolicy = 1 << 15,
        UnacceptedExtension = 1 << 16,
        SystemFailure = 1 << 25,
    }

    private sealed record Request(int Version, ReadOnlyMemory<byte> MessageImprint, string HashOid, byte[] HashedMessage,
        string? Policy, byte[]? Nonce, bool CertReq, bool HasExtensions)
    {
        public static Request Parse(ReadOnlySpan<byte> der)
        {
            var outer = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var seq = outer.ReadSequence();
            if (outer.HasData)
                throw new ArgumentException("trailing data after the request");
            if (!seq.TryReadInt32(out var version) || version != 1)
                return new Request(version, default, "", [], null, null, false, false);
            var imprint = seq.ReadEncodedValue();
            var imprintReader = new AsnReader(imprint, AsnEncodingRules.DER).ReadSequence();
            var alg = imprintReader.ReadSequence();
            var hashOid = alg.ReadObjectIdentifier();
            var hashed = imprintReader.ReadOctetString();

            string? policy = null;
            byte[]? nonce = null;
            var certReq = false;
            var hasExtensions = false;
            if (seq.HasData && seq.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
                policy = seq.ReadObjectIdentifier();
            if (seq.HasData && seq.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
                nonce = seq.ReadIntegerBytes().ToArray();
            if (seq.HasData && seq.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                certReq = seq.ReadBoolean();
            if (seq.HasData && seq.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                seq.ReadEncodedValue();
                hasExtensions = true;
            }
            seq.ThrowIfNotEmpty();
            return new Request(1, imprint, hashOid, hashed, policy, nonce, certReq, hasExtensions);
        }
    }
}
