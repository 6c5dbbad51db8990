using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Ocsp;

namespace SealPortal.Pdf.Signing;

/// <summary>
/// A small RFC 6960 OCSP responder for the certificates of one issuer: "good" unless the serial
/// is in the revoked list, "unknown" for another issuer's certificates. Its answers are signed by
/// a delegated responder certificate (id-kp-OCSPSigning, issued by that issuer). Meant for tests,
/// the demo and closed networks, like <see cref="TimestampAuthority"/>.
/// </summary>
public sealed class OcspResponder
{
    private readonly SigningIdentity _responder;
    private readonly Org.BouncyCastle.X509.X509Certificate _issuer;
    private readonly IReadOnlyDictionary<string, DateTimeOffset> _revoked;
    private readonly TimeProvider _time;

    /// <param name="revoked">Revoked serial numbers (hex, any case) and when they were revoked.</param>
    public OcspResponder(SigningIdentity responder, X509Certificate2 issuer, IReadOnlyDictionary<string, DateTimeOffset> revoked, TimeProvider time)
    {
        _responder = responder ?? throw new ArgumentNullException(nameof(responder));
        _issuer = OcspProtocol.ToBouncyCastle(issuer ?? throw new ArgumentNullException(nameof(issuer)));
        _revoked = (revoked ?? throw new ArgumentNullException(nameof(revoked)))
            .ToDictionary(kv => kv.Key.TrimStart('0').ToUpperInvariant(), kv => kv.Value);
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>
    /// Reads a revoked list: one "SERIAL-HEX REVOCATION-TIME" per line (ISO 8601, UTC), '#' starts
    /// a comment. certs-sample/sample-revoked.txt is one.
    /// </summary>
    /// <exception cref="FormatException">A line is not in that form; the message names it.</exception>
    public static Dictionary<string, DateTimeOffset> ParseRevokedList(string text)
    {
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !parts[0].All(Uri.IsHexDigit)
                || !DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
                throw new FormatException($"line {lineNo}: expected 'SERIAL-HEX REVOCATION-TIME', not '{line}'");
            result[parts[0]] = when;
        }
        return result;
    }

    /// <summary>Answers one DER OCSPRequest with a DER OCSPResponse; bad requests get an error status, never an exception.</summary>
    public byte[] Respond(ReadOnlySpan<byte> requestDer)
    {
        OcspReq request;
        Req[] items;
        try
        {
            request = new OcspReq(requestDer.ToArray());
            items = request.GetRequestList();
            if (items.Length == 0) throw new OcspException("no request");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new OCSPRespGenerator().Generate(OCSPRespGenerator.MalformedRequest, null).GetEncoded();
        }

        var now = _time.GetUtcNow().UtcDateTime;
        var gen = new BasicOcspRespGenerator(new RespID(OcspProtocol.ToBouncyCastle(_responder.Certificate).SubjectDN));
        foreach (var item in items)
        {
            var id = item.GetCertID();
            CertificateStatus? status;
            if (!id.MatchesIssuer(_issuer))
                status = new UnknownStatus();
            else if (_revoked.TryGetValue(id.SerialNumber.ToString(16).ToUpperInvariant(), out var when))
                status = new RevokedStatus(when.UtcDateTime, CrlReason.KeyCompromise);
            else
                status = CertificateStatus.Good;
            gen.AddResponse(id, status, now, now.AddDays(1), null);
        }
        // RFC 6960 4.4.1 / RFC 8954: echo the client's nonce so it can tell a fresh answer from a replay.
        if (request.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce) is { } nonce)
        {
            var ext = new X509ExtensionsGenerator();
            ext.AddExtension(OcspObjectIdentifiers.PkixOcspNonce, false, nonce.GetOctets());
            gen.SetResponseExtensions(ext.Generate());
        }
        var chain = new[] { OcspProtocol.ToBouncyCastle(_responder.Certificate) };
        var basic = gen.Generate(new IdentitySignatureFactory(_responder), chain, now);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
    }

    /// <summary>Lets BouncyCastle sign with a <see cref="SigningIdentity"/>, whose key may not be exportable.</summary>
    private sealed class IdentitySignatureFactory(SigningIdentity identity) : ISignatureFactory
    {
        public object AlgorithmDetails { get; } = new AlgorithmIdentifier(new DerObjectIdentifier(
            identity.KeyAlgorithm == "ECDSA" ? CmsOids.EcdsaWithSha256 : CmsOids.Sha256WithRsa),
            identity.KeyAlgorithm == "ECDSA" ? null : DerNull.Instance);

        public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(identity);

        private sealed class Calculator(SigningIdentity identity) : IStreamCalculator<IBlockResult>
        {
            private readonly MemoryStream _data = new();
            public Stream Stream => _data;
            public IBlockResult GetResult() => new SimpleBlockResult(identity.SignSha256(_data.ToArray()));
        }
    }
}
