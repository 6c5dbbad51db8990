using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;

namespace SealPortal.Tests.Pdf.Validation;

/// <summary>
/// Files sealed by our own <see cref="PdfSigner"/> (PAdES, with and without a time-stamp from the
/// sample TSA) must verify valid here and in poppler's pdfsig alike.
/// </summary>
[Collection(SignedPdfCollection.Name)]
[Trait("Category", "Integration")]
public class OwnSignerVerifyTests(SignedPdfFiles files)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private VerifyOptions Trusting() => new() { TrustAnchors = [files.Root], Now = Now };

    private async Task<string> SealAsync(string input, string kind, string name, bool timestamp = false)
    {
        using var identity = SigningIdentity.LoadPkcs12(files.Pfx(kind), SignedPdfFiles.Password, TimeProvider.System);
        var tsa = timestamp ? new InProcessTsa(files) : null;
        var output = files.PathIn(name);
        await new PdfSigner(TimeProvider.System).SignFileAsync(input, output, await PdfSignatureContent.FromCadesAsync(identity, tsa),
            new PdfSignOptions { SignerName = "SAMPLE " + kind, Reason = "verifier test" });
        return output;
    }

    private static VerificationReport Verify(string path, VerifyOptions o)
    {
        using var s = File.OpenRead(path);
        return PdfSignatureVerifier.Verify(s, o);
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ecdsa")]
    public async Task A_seal_made_by_our_signer_is_valid_and_pdfsig_agrees(string kind)
    {
        var path = await SealAsync(files.Unsigned, kind, $"own-{kind}.pdf");

        var r = Verify(path, Trusting());

        Assert.Equal(Verdict.Valid, r.Verdict);
        var sealed_ = r.Signatures.Single();
        Assert.Equal("ETSI.CAdES.detached", sealed_.SubFilter);
        Assert.Contains(kind.ToUpperInvariant(), sealed_.SignerSubject);
        Assert.True(sealed_.ByteRange.Valid && sealed_.CoversWholeDocument);
        Assert.Equal(r.RevisionCount, sealed_.RevisionNumber);
        Assert.Equal([true], files.PdfsigVerdicts(path));
    }

    [Fact]
    public async Task Two_seals_by_our_signer_over_a_mutool_signature_are_all_valid()
    {
        var first = await SealAsync(files.MutoolEcdsa, "rsa", "own-over-mutool-1.pdf");
        var second = await SealAsync(first, "ecdsa", "own-over-mutool-2.pdf");

        var r = Verify(second, new VerifyOptions { TrustAnchors = [files.Root, files.Intermediate], Now = Now });

        Assert.Equal(Verdict.Valid, r.Verdict);
        Assert.Equal(3, r.Signatures.Count);
        Assert.Equal([2, 3, 4], r.Signatures.Select(s => s.RevisionNumber));
        Assert.All(r.Signatures.SkipLast(1), s => Assert.Contains(s.ChangesAfterSigning.Changes, c => c.Kind == ChangeKind.SignatureAdded));
        Assert.All(r.Signatures, s => Assert.True(s.ChangesAfterSigning.AllAllowed));
        Assert.Equal([true, true, true], files.PdfsigVerdicts(second));
    }

    [Fact]
    public async Task A_cross_page_seal_after_a_normal_one_is_one_valid_signature()
    {
        var threePages = files.Write("three-pages.pdf", SealPortal.Tests.Pdf.PdfTestKit.ClassicPdf(3));
        var first = await SealAsync(threePages, "rsa", "three-pages-1.pdf");
        using var identity = SigningIdentity.LoadPkcs12(files.Pfx("ecdsa"), SignedPdfFiles.Password, TimeProvider.System);
        var path = files.PathIn("three-pages-cross.pdf");
        await new PdfSigner(TimeProvider.System).SignFileAsync(first, path, await PdfSignatureContent.FromCadesAsync(identity, null),
            new PdfSignOptions { CrossPage = true });

        var r = Verify(path, Trusting());

        Assert.Equal(Verdict.Valid, r.Verdict);
        Assert.Equal(2, r.Signatures.Count);
        var changes = r.Signatures[0].ChangesAfterSigning.Changes;
        // The widgets are a signature's, so adding them is signing (form filling), not annotating.
        Assert.Contains(changes, c => c.Kind == ChangeKind.SignatureAdded && c.Description.Contains("page 3"));
        Assert.Equal(ModificationLevel.FormFilling, r.Signatures[0].ChangesAfterSigning.Level);
        Assert.All(changes, c => Assert.True(c.Allowed));
    }

    [Fact]
    public async Task A_timestamped_seal_reports_the_time_and_the_authority()
    {
        var path = await SealAsync(files.Unsigned, "rsa", "own-rsa-t.pdf", timestamp: true);

        var r = Verify(path, Trusting());

        Assert.Equal(Verdict.Valid, r.Verdict);
        var ts = r.Signatures.Single().Timestamp;
        Assert.True(ts.Present);
        Assert.True(ts.Valid);
        Assert.Contains("TSA", ts.Authority, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(ts.Time!.Value, Now.AddMinutes(-5), Now.AddMinutes(5));
    }

    [Fact]
    public async Task A_document_timestamp_is_reported_as_such()
    {
        var sealedPath = await SealAsync(files.Unsigned, "rsa", "own-before-doc-ts.pdf");
        var path = files.Write("own-doc-ts.pdf", await DocumentTimestamp.AppendAsync(File.ReadAllBytes(sealedPath), new InProcessTsa(files)));

        var r = Verify(path, Trusting());

        Assert.Equal(2, r.Signatures.Count);
        var dts = r.Signatures[1];
        Assert.Equal(SignatureKind.DocumentTimestamp, dts.Kind);
        Assert.Equal("ETSI.RFC3161", dts.SubFilter);
        Assert.True(dts.DigestValid && dts.SignatureValid && dts.ByteRange.Valid, string.Join("; ", dts.Problems));
        Assert.True(dts.Timestamp.Valid);
        Assert.Equal(SignatureStatus.Valid, dts.Status);
        // A document time-stamp is validation data (PAdES B-LTA), allowed even under DocMDP P=1.
        Assert.Contains(r.Signatures[0].ChangesAfterSigning.Changes, c => c.Kind == ChangeKind.ValidationDataAdded && c.Description.Contains("time-stamp"));
        Assert.Equal(ModificationLevel.ValidationData, r.Signatures[0].ChangesAfterSigning.Level);
        Assert.Equal(Verdict.Valid, r.Verdict);
    }

    [Fact]
    public async Task A_document_timestamp_from_a_TSA_outside_the_trust_anchors_is_untrusted()
    {
        var sealedPath = await SealAsync(files.Unsigned, "rsa", "own-before-doc-ts-untrusted.pdf");
        var path = files.Write("own-doc-ts-untrusted.pdf", await DocumentTimestamp.AppendAsync(File.ReadAllBytes(sealedPath), new InProcessTsa(files)));
        using var stranger = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(files.CertsDir, "sample-seal-untrusted.crt"));

        var r = Verify(path, new VerifyOptions { TrustAnchors = [stranger], Now = Now });

        var dts = r.Signatures[1];
        Assert.Equal(SignatureKind.DocumentTimestamp, dts.Kind);
        Assert.True(dts.DigestValid && dts.SignatureValid, string.Join("; ", dts.Problems));
        Assert.False(dts.ChainTrusted);
        Assert.Contains(dts.Problems, p => p.Contains("does not chain to any of the given trust anchors", StringComparison.Ordinal));
        // Intact but vouched for by nobody the caller trusts: untrusted, not invalid (issue 12).
        Assert.True(dts.Timestamp.Valid);
        Assert.False(dts.Timestamp.Trusted);
        Assert.Equal(SignatureStatus.Untrusted, dts.Status);
        Assert.NotEqual(Verdict.Valid, r.Verdict);
    }

    /// <summary>Answers time-stamp requests with the sample TSA certificate, without a network.</summary>
    internal sealed class InProcessTsa(SignedPdfFiles files) : ITimestampClient
    {
        public Task<byte[]> RequestTokenAsync(byte[] sha256Imprint, CancellationToken ct)
        {
            using var identity = SigningIdentity.LoadPkcs12(Path.Combine(files.CertsDir, "sample-tsa.pfx"), SignedPdfFiles.Password, TimeProvider.System);
            var request = Rfc3161TimestampRequest.CreateFromHash(sha256Imprint, HashAlgorithmName.SHA256, requestSignerCertificates: true);
            var response = new TimestampAuthority(identity, TimeProvider.System).Respond(request.Encode());
            var token = request.ProcessResponse(response, out _);
            return Task.FromResult(token.AsSignedCms().Encode());
        }
    }
}
