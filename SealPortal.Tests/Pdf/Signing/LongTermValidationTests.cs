using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Cli;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;

namespace SealPortal.Tests.Pdf.Signing;

/// <summary>
/// PAdES B-LT and B-LTA with the sample PKI, a real TSA and a real OCSP responder on loopback and
/// the sample CRL: what the signer writes, what pdfsig / qpdf make of it, and what our verifier reports.
/// </summary>
public sealed class LongTermValidationTests : IAsyncLifetime
{
    private readonly string _dir = PdfTestKit.NewTempDir("ltv");
    private readonly HttpClient _http = new();
    private SigningIdentity _tsaIdentity = null!;
    private SigningIdentity _ocspIdentity = null!;
    private X509Certificate2 _intermediate = null!;
    private TimestampServer _tsa = null!;
    private OcspServer _ocsp = null!;

    public async Task InitializeAsync()
    {
        _tsaIdentity = SamplePki.Load("tsa");
        _ocspIdentity = SamplePki.Load("ocsp");
        _intermediate = X509CertificateLoader.LoadCertificateFromFile(SamplePki.Path_("sample-intermediate-ca.crt"));
        var revoked = OcspResponder.ParseRevokedList(File.ReadAllText(SamplePki.Path_("sample-revoked.txt")));
        _tsa = await TimestampServer.StartAsync(new TimestampAuthority(_tsaIdentity, TimeProvider.System), 0);
        _ocsp = await OcspServer.StartAsync(new OcspResponder(_ocspIdentity, _intermediate, revoked, TimeProvider.System), 0);
    }

    public async Task DisposeAsync()
    {
        await _tsa.DisposeAsync();
        await _ocsp.DisposeAsync();
        _tsaIdentity.Dispose();
        _ocspIdentity.Dispose();
        _intermediate.Dispose();
        _http.Dispose();
        Directory.Delete(_dir, true);
    }

    private string F(string name) => Path.Combine(_dir, name);

    private IReadOnlyList<IRevocationSource> Sources() =>
        [new HttpOcspClient(_http, _ocsp.Url), new CrlFileSource([SamplePki.Path_("sample-root-ca.crl")])];

    private async Task<string> SignAsync(string seal, PadesLevel level, ITimestampClient? tsa = null)
    {
        var input = F($"in-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(input, PdfTestKit.ClassicPdf(2));
        var output = F($"{seal}-{level.Name()}-{Guid.NewGuid():N}.pdf");
        tsa ??= new HttpTimestampClient(_http, _tsa.Url);
        using var identity = SamplePki.Load(seal);
        var result = await new PdfSigner(TimeProvider.System).SignFileAsync(input, output,
            await PdfSignatureContent.FromCadesAsync(identity, level >= PadesLevel.BT ? tsa : null),
            new PdfSignOptions { SignerName = "LTV test", Reason = "test" });
        if (level >= PadesLevel.BLT)
            await LongTermValidation.AddValidationDataAsync(output, Sources(), [result.FieldName], CancellationToken.None);
        if (level == PadesLevel.BLTA)
            await LongTermValidation.AddDocumentTimestampAsync(output, tsa, CancellationToken.None);
        return output;
    }

    private static VerificationReport Verify(string path, IRevocationSource? online = null, params X509Certificate2[] anchors)
    {
        using var fs = File.OpenRead(path);
        return PdfSignatureVerifier.Verify(fs, new VerifyOptions
        {
            TrustAnchors = anchors.Length > 0 ? anchors : [SamplePki.Root()],
            Now = DateTimeOffset.UtcNow,
            OnlineRevocation = online,
        });
    }

    private static void AssertToolsAccept(string path)
    {
        var (qExit, qOut, qErr) = PdfTestKit.Run("qpdf", "--check", path);
        Assert.True(qExit == 0, $"qpdf --check: {qExit}\n{qOut}\n{qErr}");
        var (_, sig, _) = PdfTestKit.Run("pdfsig", path);
        Assert.Contains("Signature Field Name: Seal1", sig);
        Assert.Contains("Signature is Valid.", sig);
        Assert.DoesNotContain("Digest Mismatch", sig);
    }

    [Fact]
    public async Task B_LT_embeds_a_DSS_that_the_verifier_uses_offline_and_tools_accept()
    {
        var path = await SignAsync("seal-rsa", PadesLevel.BLT);

        AssertToolsAccept(path);
        using (var pdf = PdfFile.Open(path))
        {
            var dss = Assert.IsType<PdfDictObj>(pdf.Get(pdf.Catalog, "DSS"), exactMatch: false);
            Assert.NotEmpty(Assert.IsType<PdfArrayObj>(pdf.Get(dss, "Certs")).Items);
            Assert.NotEmpty(Assert.IsType<PdfArrayObj>(pdf.Get(dss, "OCSPs")).Items);
            Assert.NotEmpty(Assert.IsType<PdfArrayObj>(pdf.Get(dss, "CRLs")).Items);
            var vri = Assert.IsType<PdfDictObj>(pdf.Get(dss, "VRI"), exactMatch: false);
            var signature = Assert.Single(DssWriter.FindSignatures(pdf));
            Assert.Contains(vri.Entries, e => e.Key == signature.VriKey);
        }

        var report = Verify(path);
        Assert.Equal(Verdict.Valid, report.Verdict);
        var s = Assert.Single(report.Signatures);
        Assert.Equal("B-LT", s.Level);
        Assert.Contains(s.Revocation, r => r.Role == "signer" && r.State == RevocationState.Good && r.Source == "DSS OCSP");
        Assert.Contains(s.Revocation, r => r.Role == "time-stamp authority" && r.State == RevocationState.Good);
        Assert.All(s.Revocation, r => Assert.NotEqual(RevocationState.Unknown, r.State));
        Assert.Equal(_tsaIdentity.Chain.Append(_tsaIdentity.Certificate).Min(c => c.NotAfter.ToUniversalTime()), s.VerifiableUntil?.UtcDateTime);
    }

    [Fact]
    public async Task B_LT_in_the_signing_pass_appends_the_DSS_after_the_signature_and_a_revoked_signer_leaves_no_file()
    {
        var input = F($"in-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(input, PdfTestKit.ClassicPdf(2));
        var output = F("single-pass-blt.pdf");
        var tsa = new HttpTimestampClient(_http, _tsa.Url);
        using (var identity = SamplePki.Load("seal-rsa"))
        {
            var result = await new PdfSigner(TimeProvider.System).SignFileAsync(input, output, await PdfSignatureContent.FromCadesAsync(identity, tsa),
                new PdfSignOptions { SignerName = "LTV test" }, new ValidationDataOptions(Sources()), CancellationToken.None);
            Assert.Equal(new FileInfo(output).Length, result.OutputLength);
        }
        AssertToolsAccept(output);
        using (var pdf = PdfFile.Open(output))
        {
            // Two updates: the signature, then the DSS whose VRI names it.
            Assert.Equal(3, pdf.Revisions.Count);
            var signature = Assert.Single(DssWriter.FindSignatures(pdf));
            var vri = Assert.IsType<PdfDictObj>(pdf.Get(Assert.IsType<PdfDictObj>(pdf.Get(pdf.Catalog, "DSS"), exactMatch: false), "VRI"), exactMatch: false);
            Assert.Contains(vri.Entries, e => e.Key == signature.VriKey);
        }
        var s = Assert.Single(Verify(output).Signatures);
        Assert.Equal(SignatureStatus.Valid, s.Status);
        Assert.Equal("B-LT", s.Level);
        Assert.Contains(s.Revocation, r => r.Role == "signer" && r.State == RevocationState.Good && r.Source == "DSS OCSP");

        var refused = F("single-pass-revoked.pdf");
        using (var revoked = SamplePki.Load("seal-revoked"))
        {
            await Assert.ThrowsAsync<RevocationException>(async () => await new PdfSigner(TimeProvider.System).SignFileAsync(input, refused,
                await PdfSignatureContent.FromCadesAsync(revoked, tsa), new PdfSignOptions(), new ValidationDataOptions(Sources()), CancellationToken.None));
        }
        Assert.False(File.Exists(refused));
        Assert.Empty(Directory.GetFiles(_dir, ".single-pass-revoked*"));
    }

    [Fact]
    public async Task B_T_without_DSS_stays_B_T_and_revocation_is_unknown_offline()
    {
        var path = await SignAsync("seal-rsa", PadesLevel.BT);

        var s = Assert.Single(Verify(path).Signatures);
        Assert.Equal("B-T", s.Level);
        Assert.Equal(SignatureStatus.Valid, s.Status);
        Assert.Contains(s.Revocation, r => r.Role == "signer" && r.State == RevocationState.Unknown);
    }

    [Fact]
    public async Task B_LTA_adds_a_document_time_stamp_and_renewal_adds_another_over_fresh_validation_data()
    {
        var path = await SignAsync("seal-ecdsa", PadesLevel.BLTA);
        AssertToolsAccept(path);

        var report = Verify(path);
        Assert.Equal(Verdict.Valid, report.Verdict);
        var seal = Assert.Single(report.Signatures, r => r.Kind == SignatureKind.Signature);
        Assert.Equal("B-LTA", seal.Level);
        var stamp = Assert.Single(report.Signatures, r => r.Kind == SignatureKind.DocumentTimestamp);
        Assert.Equal(seal.VerifiableUntil, stamp.VerifiableUntil);
        using (var pdf = PdfFile.Open(path))
            Assert.Equal(stamp.VerifiableUntil, LongTermValidation.ArchiveTimestampExpiry(pdf));

        await LongTermValidation.RenewArchiveTimestampAsync(path, Sources(), new HttpTimestampClient(_http, _tsa.Url), CancellationToken.None);

        var renewed = Verify(path);
        Assert.Equal(Verdict.Valid, renewed.Verdict);
        var stamps = renewed.Signatures.Where(r => r.Kind == SignatureKind.DocumentTimestamp).ToList();
        Assert.Equal(2, stamps.Count);
        Assert.Equal("B-LTA", Assert.Single(renewed.Signatures, r => r.Kind == SignatureKind.Signature).Level);
        // The first document time-stamp's authority now has its revocation data in the DSS too.
        Assert.Contains(stamps[0].Revocation, r => r.Role == "time-stamp authority" && r.Source == "DSS OCSP");
        var (qExit, _, qErr) = PdfTestKit.Run("qpdf", "--check", path);
        Assert.True(qExit == 0, qErr);
    }

    [Fact]
    public async Task A_revoked_signer_certificate_is_reported_invalid_and_the_signer_refuses_to_make_it_B_LT()
    {
        var bt = await SignAsync("seal-revoked", PadesLevel.BT);

        // Offline, nothing says it is revoked; asking the responder online does.
        Assert.Equal(Verdict.Valid, Verify(bt).Verdict);
        var report = Verify(bt, new HttpOcspClient(_http, _ocsp.Url));
        Assert.Equal(Verdict.Invalid, report.Verdict);
        var s = Assert.Single(report.Signatures);
        Assert.Contains(s.Revocation, r => r.Role == "signer" && r.State == RevocationState.Revoked && r.Source == "online OCSP");
        Assert.Contains(s.Problems, p => p.Contains("revoked", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<RevocationException>(() => SignAsync("seal-revoked", PadesLevel.BLT));
        Assert.Contains("revoked", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untrusted_time_stamp_authority_makes_the_verdict_untrusted_not_invalid()
    {
        using var rogue = RogueTsa();
        await using var server = await TimestampServer.StartAsync(new TimestampAuthority(rogue, TimeProvider.System), 0);
        var path = await SignAsync("seal-rsa", PadesLevel.BT, new HttpTimestampClient(_http, server.Url));

        var report = Verify(path);
        Assert.Equal(Verdict.Untrusted, report.Verdict);
        var s = Assert.Single(report.Signatures);
        Assert.Equal(SignatureStatus.Untrusted, s.Status);
        Assert.True(s.Timestamp.Valid);
        Assert.False(s.Timestamp.Trusted);
    }

    [Theory]
    [InlineData("seal-rsa", PadesLevel.BB)]
    [InlineData("seal-rsa", PadesLevel.BT)]
    [InlineData("seal-ecdsa", PadesLevel.BT)]
    public async Task Contents_is_reserved_to_fit_with_at_most_ten_percent_unused(string seal, PadesLevel level)
    {
        var path = await SignAsync(seal, level);
        using var pdf = PdfFile.Open(path);
        var contents = Assert.Single(DssWriter.FindSignatures(pdf)).Contents;
        AsnDecoder.ReadEncodedValue(contents, AsnEncodingRules.BER, out _, out _, out var used);
        var unused = 1.0 - (double)used / contents.Length;
        Assert.True(unused <= 0.10, $"{level.Name()}: {used} of {contents.Length} bytes used, {unused:P1} unused");
    }

    [Fact]
    public void The_responder_answers_good_revoked_and_unknown_and_refuses_garbage()
    {
        var revoked = OcspResponder.ParseRevokedList(File.ReadAllText(SamplePki.Path_("sample-revoked.txt")));
        var responder = new OcspResponder(_ocspIdentity, _intermediate, revoked, TimeProvider.System);
        using var good = X509CertificateLoader.LoadCertificateFromFile(SamplePki.Path_("sample-seal-rsa.crt"));
        using var bad = X509CertificateLoader.LoadCertificateFromFile(SamplePki.Path_("sample-seal-revoked.crt"));
        using var root = SamplePki.Root();

        RevocationState? Ask(X509Certificate2 cert, X509Certificate2 issuer) =>
            RevocationChecker.FromOcsp(responder.Respond(OcspProtocol.EncodeRequest(cert, issuer, RandomNumberGenerator.GetBytes(16))), cert, issuer)?.State;

        Assert.Equal(RevocationState.Good, Ask(good, _intermediate));
        Assert.Equal(RevocationState.Revoked, Ask(bad, _intermediate));
        // The responder speaks for the intermediate only: its answer about the intermediate itself is not authorised.
        Assert.Null(Ask(_intermediate, root));
        var garbage = new Org.BouncyCastle.Ocsp.OcspResp(responder.Respond("not a request"u8));
        Assert.Equal(Org.BouncyCastle.Ocsp.OcspRespStatus.MalformedRequest, garbage.Status);
        Assert.Throws<FormatException>(() => OcspResponder.ParseRevokedList("7C65 yesterday"));
    }

    [Fact]
    public void The_sample_CRL_lists_the_revoked_seal_and_not_the_good_one()
    {
        var crl = File.ReadAllBytes(SamplePki.Path_("sample-intermediate-ca.crl"));
        using var good = X509CertificateLoader.LoadCertificateFromFile(SamplePki.Path_("sample-seal-rsa.crt"));
        using var bad = X509CertificateLoader.LoadCertificateFromFile(SamplePki.Path_("sample-seal-revoked.crt"));
        Assert.Equal(RevocationState.Good, RevocationChecker.FromCrl(crl, good, _intermediate)?.State);
        Assert.Equal(RevocationState.Revoked, RevocationChecker.FromCrl(crl, bad, _intermediate)?.State);
        // Signed by the intermediate, so it says nothing when presented as the root's.
        using var root = SamplePki.Root();
        Assert.Null(RevocationChecker.FromCrl(crl, _intermediate, root));
    }

    /// <summary>A self-signed TSA certificate with the right EKU: intact tokens, but nobody vouches for it.</summary>
    private static SigningIdentity RogueTsa()
    {
        using var rsa = RSA.Create(3072);
        var req = new CertificateRequest("CN=Rogue TSA", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], true));
        var now = DateTimeOffset.UtcNow;
        using var cert = req.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var withKey = X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12, "x"), "x", X509KeyStorageFlags.EphemeralKeySet);
        return SigningIdentity.FromCertificate(withKey, []);
    }
}
