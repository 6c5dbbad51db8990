using System.Formats.Asn1;
using System.Net.Http.Headers;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace SealPortal.Pdf.Signing;

/// <summary>Gets an RFC 3161 time-stamp token for a SHA-256 digest.</summary>
public interface ITimestampClient
{
    /// <returns>The DER TimeStampToken (a CMS ContentInfo).</returns>
    /// <exception cref="TimestampException">The authority could not be reached or gave an unusable answer.</exception>
    Task<byte[]> RequestTokenAsync(byte[] sha256Imprint, CancellationToken ct);
}

/// <summary>A time-stamp could not be obtained; the message says why in plain words.</summary>
public sealed class TimestampException : Exception
{
    public TimestampException(string message) : base(message) { }
    public TimestampException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>RFC 3161 over HTTP (RFC 3161 3.4): POST application/timestamp-query, answer application/timestamp-reply.</summary>
public sealed class HttpTimestampClient : ITimestampClient
{
    private const int MaxResponseBytes = 1024 * 1024;
    private readonly HttpClient _http;
    private readonly Uri _url;

    public HttpTimestampClient(HttpClient http, Uri url)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _url = url ?? throw new ArgumentNullException(nameof(url));
    }

    public async Task<byte[]> RequestTokenAsync(byte[] sha256Imprint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sha256Imprint);
        if (sha256Imprint.Length != 32)
            throw new ArgumentException("a SHA-256 imprint is 32 bytes", nameof(sha256Imprint));

        // A fresh random nonce ties the answer to this request, so a replayed old response is refused.
        var nonce = RandomNumberGenerator.GetBytes(8);
        nonce[0] &= 0x7F;
        var request = Rfc3161TimestampRequest.CreateFromHash(sha256Imprint, HashAlgorithmName.SHA256, nonce: nonce, requestSignerCertificates: true);

        byte[] body;
        try
        {
            using var content = new ByteArrayContent(request.Encode());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
            using var response = await _http.PostAsync(_url, content, ct);
            if (!response.IsSuccessStatusCode)
                throw new TimestampException($"The time-stamp authority at {_url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            if (response.Content.Headers.ContentLength > MaxResponseBytes)
                throw new TimestampException($"The time-stamp authority at {_url} sent an answer too large to be a time-stamp.");
            body = await ReadLimitedAsync(response.Content, ct)
                ?? throw new TimestampException($"The time-stamp authority at {_url} sent an answer too large to be a time-stamp.");
        }
        catch (HttpRequestException ex)
        {
            throw new TimestampException($"The time-stamp authority at {_url} cannot be reached: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new TimestampException($"The time-stamp authority at {_url} did not answer in time.", ex);
        }

        return CheckResponse(body, sha256Imprint, nonce, _url);
    }

    private static async Task<byte[]?> ReadLimitedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a TimeStampResp and returns its token after checking status, imprint, nonce and signature.</summary>
    internal static byte[] CheckResponse(byte[] body, byte[] sha256Imprint, byte[] nonce, Uri source)
    {
        ReadOnlyMemory<byte> tokenDer;
        try
        {
            var resp = new AsnReader(body, AsnEncodingRules.BER).ReadSequence();
            var statusInfo = resp.ReadSequence();
            var status = (int)statusInfo.ReadInteger();
            var texts = new List<string>();
            if (statusInfo.HasData && statusInfo.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var freeText = statusInfo.ReadSequence();
                while (freeText.HasData)
                    texts.Add(freeText.ReadCharacterString(UniversalTagNumber.UTF8String));
            }
            // RFC 3161 2.4.2: 0 granted, 1 grantedWithMods; anything else carries no token.
            if (status is not (0 or 1))
            {
                var detail = texts.Count > 0 ? $": {string.Join("; ", texts)}" : "";
                throw new TimestampException($"The time-stamp authority at {source} refused the request (status {status}{detail}).");
            }
            if (!resp.HasData)
                throw new TimestampException($"The time-stamp authority at {source} granted the request but sent no time-stamp.");
            tokenDer = resp.ReadEncodedValue();
        }
        catch (AsnContentException ex)
        {
            throw new TimestampException($"The time-stamp authority at {source} sent an answer that is not an RFC 3161 time-stamp response.", ex);
        }

        if (!Rfc3161TimestampToken.TryDecode(tokenDer, out var token, out _) || token is null)
            throw new TimestampException($"The time-stamp authority at {source} sent a time-stamp that cannot be decoded.");
        var info = token.TokenInfo;
        var tokenNonce = info.GetNonce();
        if (tokenNonce is null || new BigInteger(tokenNonce.Value.Span, isUnsigned: false, isBigEndian: true) != new BigInteger(nonce, isUnsigned: false, isBigEndian: true))
            throw new TimestampException($"The time-stamp from {source} does not answer this request (nonce mismatch); it may be a replayed old answer.");
        if (info.HashAlgorithmId.Value != CmsOids.Sha256 || !info.GetMessageHash().Span.SequenceEqual(sha256Imprint))
            throw new TimestampException($"The time-stamp from {source} is for different data than requested (message imprint mismatch).");
        if (!token.VerifySignatureForHash(sha256Imprint, HashAlgorithmName.SHA256, out var tsaCert, extraCandidates: null))
            throw new TimestampException($"The time-stamp from {source} has an invalid signature.");
        tsaCert?.Dispose();
        return tokenDer.ToArray();
    }
}
