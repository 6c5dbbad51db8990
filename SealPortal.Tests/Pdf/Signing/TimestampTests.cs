using System.Formats.Asn1;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SealPortal.Cli;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;

namespace SealPortal.Tests.Pdf.Signing;

public sealed class TimestampTests : IDisposable
{
    private static readonly DateTimeOffset TsaTime = new(2027, 5, 4, 3, 2, 1, 789, TimeSpan.Zero);
    private readonly SigningIdentity _tsaIdentity = SamplePki.Load("tsa");
    private readonly TimestampAuthority _tsa;

    public TimestampTests() => _tsa = new TimestampAuthority(_tsaIdentity, new FixedClock(TsaTime));

    public void Dispose() => _tsaIdentity.Dispose();

    [Fact]
    public async Task Token_over_http_on_an_ephemeral_port_is_accepted_by_dotnet()
    {
        await using var server = await TimestampServer.StartAsync(_tsa, 0);
        Assert.Equal("127.0.0.1", server.Url.Host);
        Assert.NotEqual(0, server.Url.Port);
        using var http = new HttpClient();
        var imprint = SHA256.HashData("a signature value"u8);

        var tokenDer = await new HttpTimestampClient(http, server.Url).RequestTokenAsync(imprint, CancellationToken.None);

        Assert.True(Rfc3161TimestampToken.TryDecode(tokenDer, out var token, out var consumed));
        Assert.Equal(tokenDer.Length, consumed);
        Assert.True(token!.VerifySignatureForHash(imprint, HashAlgorithmName.SHA256, out var signer, extraCandidates: null));
        Assert.Equal(_tsaIdentity.Certificate.Thumbprint, signer!.Thumbprint);
        Assert.Equal(TsaTime, token.TokenInfo.Timestamp);
        Assert.Equal(TimestampAuthority.PolicyOid, token.TokenInfo.PolicyId.Value);
        Assert.NotNull(token.TokenInfo.GetNonce());
        Assert.False(token.VerifySignatureForHash(SHA256.HashData("other"u8), HashAlgorithmName.SHA256, out _, null));
    }

    [Fact]
    public void Openssl_ts_verifies_a_response_to_its_own_query()
    {
        var dir = Directory.CreateTempSubdirectory("tsa-openssl-");
        try
        {
            string F(string n) => Path.Combine(dir.FullName, n);
            File.WriteAllText(F("data.txt"), "time-stamp me");
            var q = SamplePki.Run("openssl", "ts", "-query", "-data", F("data.txt"), "-sha256", "-cert", "-out", F("req.tsq"));
            Assert.True(q.Code == 0, q.Output);

            File.WriteAllBytes(F("resp.tsr"), _tsa.Respond(File.ReadAllBytes(F("req.tsq"))));

            var v = SamplePki.Run("openssl", "ts", "-verify", "-queryfile", F("req.tsq"), "-in", F("resp.tsr"),
                "-CAfile", SamplePki.Path_("sample-root-ca.crt"), "-untrusted", SamplePki.Path_("sample-intermediate-ca.crt"));
            Assert.True(v.Code == 0, v.Output);
            Assert.Contains("Verification: OK", v.Output);

            // A different query must not be satisfied by that response.
            File.WriteAllText(F("data.txt"), "something else");
            SamplePki.Run("openssl", "ts", "-query", "-data", F("data.txt"), "-sha256", "-cert", "-out", F("req2.tsq"));
            var wrong = SamplePki.Run("openssl", "ts", "-verify", "-queryfile", F("req2.tsq"), "-in", F("resp.tsr"),
                "-CAfile", SamplePki.Path_("sample-root-ca.crt"), "-untrusted", SamplePki.Path_("sample-intermediate-ca.crt"));
            Assert.NotEqual(0, wrong.Code);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, 5)]
    [InlineData(new byte[0], 5)]
    public void Undecodable_requests_get_a_rejection_not_an_exception(byte[] request, int failBit)
    {
        var (status, failInfo, text) = ReadStatus(_tsa.Respond(request));
        Assert.Equal(2, status);
        Assert.True(failInfo[failBit], $"fail bit {failBit} not set");
        Assert.Contains("not a valid", text);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0xFF, 0x01 }, new byte[] { 0x00, 0xFF, 0x01 })] // high bit: stays positive
    [InlineData(new byte[] { 0x00, 0x00, 0x05 }, new byte[] { 0x05 })]             // redundant zeros dropped (DER)
    public void Serial_numbers_come_from_the_injected_source_as_positive_DER_integers(byte[] source, byte[] encoded)
    {
        var tsa = new TimestampAuthority(_tsaIdentity, new FixedClock(TsaTime), () => source);
        var resp = new AsnReader(tsa.Respond(Rfc3161TimestampRequest.CreateFromHash(new byte[32], HashAlgorithmName.SHA256).Encode()), AsnEncodingRules.DER).ReadSequence();
        resp.ReadSequence();
        Assert.True(Rfc3161TimestampToken.TryDecode(resp.ReadEncodedValue(), out var token, out _));
        Assert.Equal(encoded, token!.TokenInfo.GetSerialNumber().ToArray());
    }

    [Fact]
    public void Sha1_imprints_and_foreign_policies_are_rejected()
    {
        var sha1 = Rfc3161TimestampRequest.CreateFromHash(SHA1.HashData("x"u8), HashAlgorithmName.SHA1).Encode();
        var (status, failInfo, _) = ReadStatus(_tsa.Respond(sha1));
        Assert.Equal(2, status);
        Assert.True(failInfo[0]); // badAlg

        var policy = Rfc3161TimestampRequest.CreateFromHash(SHA256.HashData("x"u8), HashAlgorithmName.SHA256, requestedPolicyId: new Oid("1.2.3.4")).Encode();
        (status, failInfo, _) = ReadStatus(_tsa.Respond(policy));
        Assert.Equal(2, status);
        Assert.True(failInfo[15]); // unacceptedPolicy
    }

    [Fact]
    public async Task Signature_with_time_stamp_verifies_and_the_chain_is_checked_at_the_stamped_time()
    {
        // RSA signatures and fixed-length serials keep both tokens the same length for the swap below.
        var serial = (byte)0x10;
        var tsa = new TimestampAuthority(_tsaIdentity, new FixedClock(TsaTime), () => [0x01, serial++]);
        await using var server = await TimestampServer.StartAsync(tsa, 0);
        using var http = new HttpClient();
        using var seal = SamplePki.Load("seal-rsa");
        var content = "pdf bytes"u8.ToArray();

        var cms = await CadesSignatureBuilder.BuildAsync(SHA256.HashData(content), seal, new HttpTimestampClient(http, server.Url), CancellationToken.None);

        Assert.True(cms.Length <= CadesSignatureBuilder.EstimateMaxSize(seal, await TimestampTokenSize.SampleTokenAsync(new HttpTimestampClient(http, server.Url), CancellationToken.None)));
        Assert.True(cms.Length > CadesSignatureBuilder.EstimateMaxSize(seal, null) - 100, "the token must really be inside");
        var r = CmsSignatureVerifier.Verify(cms, a => CryptographicOperations.HashData(a, content),
            new CmsTrustOptions([SamplePki.Root()], DateTimeOffset.UtcNow));
        Assert.True(r.IsValid, string.Join("; ", r.Problems));
        Assert.NotNull(r.Timestamp);
        Assert.True(r.Timestamp!.IsValid);
        Assert.Equal(TsaTime, r.Timestamp.Time);
        Assert.Contains("SAMPLE TSA", r.Timestamp.TsaSubject);
        Assert.Equal(VerificationTimeSource.Timestamp, r.VerificationTimeSource);
        Assert.Equal(TsaTime, r.VerificationTime);

        // The same signature with the time-stamp from another signature: imprint mismatch.
        // A token is a byte shorter now and then (DER drops the leading zero of a serial or signature value),
        // and swapping keeps every outer length valid only when the lengths match, so draw until one does.
        byte[]? swapped = null;
        for (var attempt = 0; swapped is null; attempt++)
        {
            Assert.True(attempt < 20, "no time-stamp token of the same length in 20 tries");
            var other = await CadesSignatureBuilder.BuildAsync(SHA256.HashData(Encoding.UTF8.GetBytes($"other {attempt}")), seal,
                new HttpTimestampClient(http, server.Url), CancellationToken.None);
            swapped = SwapTimestamp(cms, other);
        }
        var bad = CmsSignatureVerifier.Verify(swapped, a => CryptographicOperations.HashData(a, content),
            new CmsTrustOptions([SamplePki.Root()], DateTimeOffset.UtcNow));
        Assert.False(bad.Timestamp!.ImprintValid);
        Assert.False(bad.IsValid);
        Assert.NotEqual(VerificationTimeSource.Timestamp, bad.VerificationTimeSource);
        Assert.Contains(bad.Problems, p => p.Contains("different signature"));
    }

    [Fact]
    public async Task Time_stamp_from_an_untrusted_authority_is_not_valid()
    {
        // A proper TSA certificate (critical timeStamping EKU), but self-signed: nobody trusts it.
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=SAMPLE rogue TSA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], critical: true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var rogueCert = req.CreateSelfSigned(TsaTime.AddDays(-1), TsaTime.AddDays(30));
        using var rogue = SigningIdentity.FromCertificate(rogueCert, []);
        var rogueTsa = new TimestampAuthority(rogue, new FixedClock(TsaTime));
        using var http = new HttpClient(new InProcessTsaHandler(req => rogueTsa.Respond(req)));
        using var seal = SamplePki.Load("seal-rsa");
        var content = "pdf bytes"u8.ToArray();

        var cms = await CadesSignatureBuilder.BuildAsync(SHA256.HashData(content), seal, new HttpTimestampClient(http, new Uri("http://tsa.invalid/")), CancellationToken.None);
        var r = CmsSignatureVerifier.Verify(cms, a => CryptographicOperations.HashData(a, content),
            new CmsTrustOptions([SamplePki.Root()], DateTimeOffset.UtcNow));

        Assert.True(r.Timestamp!.SignatureValid && r.Timestamp.ImprintValid);
        Assert.False(r.Timestamp.ChainTrusted);
        Assert.False(r.IsValid);
        Assert.Contains(r.Problems, p => p.Contains("time-stamp authority's certificate"));
    }

    [Fact]
    public async Task Tsa_that_is_down_gives_a_clear_message()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient();

        var ex = await Assert.ThrowsAsync<TimestampException>(() =>
            new HttpTimestampClient(http, new Uri($"http://127.0.0.1:{port}/")).RequestTokenAsync(new byte[32], CancellationToken.None));
        Assert.Contains("cannot be reached", ex.Message);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
    }

    public static TheoryData<string, string> BadAnswers => new()
    {
        { "garbage", "not an RFC 3161 time-stamp response" },
        { "http500", "answered HTTP 500" },
        { "rejected", "refused the request" },
        { "otherNonce", "nonce mismatch" },
        { "otherImprint", "message imprint mismatch" },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task Unusable_answers_give_a_clear_message(string kind, string expected)
    {
        Func<byte[], byte[]> respond = kind switch
        {
            "garbage" => _ => "<html>proxy error</html>"u8.ToArray(),
            "rejected" => _ => _tsa.Respond([0x30, 0x00]),
            "otherNonce" => req => _tsa.Respond(Rfc3161TimestampRequest.CreateFromHash(
                Decode(req).GetMessageHash(), HashAlgorithmName.SHA256, nonce: new byte[] { 0x01, 0x02 }, requestSignerCertificates: true).Encode()),
            "otherImprint" => req => _tsa.Respond(Rfc3161TimestampRequest.CreateFromHash(
                new byte[32], HashAlgorithmName.SHA256, nonce: Decode(req).GetNonce()!.Value, requestSignerCertificates: true).Encode()),
            _ => _ => [],
        };
        using var http = new HttpClient(new InProcessTsaHandler(respond, kind == "http500" ? HttpStatusCode.InternalServerError : HttpStatusCode.OK));

        var ex = await Assert.ThrowsAsync<TimestampException>(() =>
            new HttpTimestampClient(http, new Uri("http://tsa.example/")).RequestTokenAsync(SHA256.HashData("x"u8), CancellationToken.None));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public async Task Builder_refuses_a_time_stamp_client_that_returns_a_token_for_something_else()
    {
        using var seal = SamplePki.Load("seal-rsa");
        var ex = await Assert.ThrowsAsync<TimestampException>(() =>
            CadesSignatureBuilder.BuildAsync(new byte[32], seal, new WrongImprintClient(_tsa), CancellationToken.None));
        Assert.Contains("does not cover this signature", ex.Message);
    }

    private sealed class WrongImprintClient(TimestampAuthority tsa) : ITimestampClient
    {
        public Task<byte[]> RequestTokenAsync(byte[] sha256Imprint, CancellationToken ct)
        {
            var resp = new AsnReader(tsa.Respond(Rfc3161TimestampRequest.CreateFromHash(new byte[32], HashAlgorithmName.SHA256).Encode()), AsnEncodingRules.DER).ReadSequence();
            resp.ReadSequence();
            return Task.FromResult(resp.ReadEncodedValue().ToArray());
        }
    }

    [Fact]
    public async Task Tsa_verb_refuses_bad_options_with_exit_code_2()
    {
        Assert.Equal(2, await CliRunner.RunAsync(["tsa", "--password", "sample"]));
        Assert.Equal(2, await CliRunner.RunAsync(["tsa", "--cert", SamplePki.Path_("sample-tsa.pfx"), "--password", "wrong"]));
        Assert.Equal(2, await CliRunner.RunAsync(["tsa", "--cert", SamplePki.Path_("sample-tsa.pfx"), "--password", "sample", "--port", "x"]));
    }

    private static (int Status, System.Collections.BitArray FailInfo, string Text) ReadStatus(byte[] response)
    {
        var info = new AsnReader(response, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        var status = (int)info.ReadInteger();
        var texts = info.ReadSequence();
        var text = texts.ReadCharacterString(UniversalTagNumber.UTF8String);
        var bits = info.ReadBitString(out var unused);
        var result = new System.Collections.BitArray(bits.Length * 8);
        for (var i = 0; i < bits.Length * 8 - unused; i++)
            result[i] = (bits[i / 8] & (0x80 >> (i % 8))) != 0;
        return (status, result, text);
    }

    /// <summary>Replaces the unsigned attributes of <paramref name="target"/> with those of <paramref name="source"/>;
    /// null when their lengths differ.</summary>
    private static byte[]? SwapTimestamp(byte[] target, byte[] source)
    {
        static (int Start, int Length) UnsignedAttrs(byte[] cms)
        {
            // ContentInfo > [0] > SignedData > signerInfos (last) > SignerInfo > [1] (last).
            var signedData = new AsnReader(cms, AsnEncodingRules.DER).ReadSequence();
            signedData.ReadObjectIdentifier();
            var sd = signedData.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
            ReadOnlyMemory<byte> last = default;
            while (sd.HasData)
                last = sd.ReadEncodedValue();
            var si = new AsnReader(last, AsnEncodingRules.DER).ReadSetOf().ReadSequence();
            ReadOnlyMemory<byte> attrs = default;
            while (si.HasData)
                attrs = si.ReadEncodedValue();
            var offset = cms.AsSpan().LastIndexOf(attrs.Span);
            return (offset, attrs.Length);
        }
        var (ts, tl) = UnsignedAttrs(target);
        var (ss, sl) = UnsignedAttrs(source);
        if (tl != sl)
            return null;
        var result = (byte[])target.Clone();
        source.AsSpan(ss, sl).CopyTo(result.AsSpan(ts));
        return result;
    }

    private static Rfc3161TimestampRequest Decode(byte[] req)
    {
        Assert.True(Rfc3161TimestampRequest.TryDecode(req, out var decoded, out _));
        return decoded!;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Answers HTTP requests in process, to shape answers a real TSA would not give.</summary>
    private sealed class InProcessTsaHandler(Func<byte[], byte[]> respond, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(ct);
            return new HttpResponseMessage(status) { Content = new ByteArrayContent(status == HttpStatusCode.OK ? respond(body) : []) };
        }
    }
}
