using System.Text;
using System.Text.Json;
using SealPortal.Cli;
using SealPortal.Pdf.Validation;

namespace SealPortal.Tests.Pdf.Validation;

[Collection(SignedPdfCollection.Name)]
[Trait("Category", "Integration")]
public class PdfSignatureVerifierTests(SignedPdfFiles files)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private VerifyOptions Trusting(bool withIntermediate = false) => new()
    {
        TrustAnchors = withIntermediate ? [files.Root, files.Intermediate] : [files.Root],
        Now = Now,
    };

    private static VerificationReport Verify(string path, VerifyOptions options)
    {
        using var s = File.OpenRead(path);
        return PdfSignatureVerifier.Verify(s, options);
    }

    private static VerificationReport Verify(byte[] pdf, VerifyOptions options) =>
        PdfSignatureVerifier.Verify(new MemoryStream(pdf, writable: false), options);

    [Fact]
    public void Pdfsig_signed_rsa_file_is_valid_and_trusted_and_pdfsig_agrees()
    {
        var r = Verify(files.PdfsigRsa, Trusting());

        Assert.Equal(Verdict.Valid, r.Verdict);
        var s = Assert.Single(r.Signatures);
        Assert.Equal("PopplerSeal", s.FieldName);
        Assert.Equal(SignatureStatus.Valid, s.Status);
        Assert.Contains("SAMPLE Company Seal (RSA)", s.SignerSubject);
        Assert.True(s.DigestValid && s.SignatureValid);
        Assert.True(s.ByteRange.Valid);
        Assert.Equal(2, s.RevisionNumber);
        Assert.Equal(2, r.RevisionCount);
        Assert.True(s.CoversWholeDocument);
        Assert.True(s.ChainTrusted);
        Assert.True(s.CertificateValidAtSigningTime);
        Assert.True(s.KeyUsageOk);
        Assert.NotNull(s.SigningTimeFromDictionary);
        Assert.Empty(s.ChangesAfterSigning.Changes);
        Assert.Equal([true], files.PdfsigVerdicts(files.PdfsigRsa));
    }

    [Fact]
    public void Mutool_signed_ecdsa_file_is_intact_and_trusted_when_the_intermediate_is_an_anchor()
    {
        // mutool embeds only the signer's certificate, so the intermediate must come from the auditor.
        var r = Verify(files.MutoolEcdsa, Trusting(withIntermediate: true));

        var s = Assert.Single(r.Signatures);
        Assert.Contains("ECDSA", s.SignerSubject);
        Assert.True(s.DigestValid && s.SignatureValid && s.ByteRange.Valid);
        Assert.True(s.ChainTrusted);
        Assert.Equal(SignatureStatus.Valid, s.Status);
        Assert.Equal([true], files.PdfsigVerdicts(files.MutoolEcdsa));
    }

    [Fact]
    public void Without_anchors_an_intact_signature_is_valid_but_trust_not_checked()
    {
        var r = Verify(files.MutoolRsa, new VerifyOptions { Now = Now });

        Assert.Equal(Verdict.ValidTrustNotChecked, r.Verdict);
        Assert.Null(r.Signatures[0].ChainTrusted);
        Assert.Equal(0, VerifyCommand.ExitCode(r.Verdict));
    }

    [Theory]
    [InlineData("two-seals")]
    [InlineData("mixed-tools")]
    public void Two_seals_in_two_revisions_are_both_valid(string which)
    {
        var path = which == "two-seals" ? files.TwoSeals : files.MixedTools;
        var r = Verify(path, Trusting(withIntermediate: true));

        Assert.Equal(Verdict.Valid, r.Verdict);
        Assert.Equal(2, r.Signatures.Count);
        var (first, second) = (r.Signatures[0], r.Signatures[1]);
        Assert.Contains("ECDSA", first.SignerSubject);
        Assert.Contains("RSA", second.SignerSubject);
        Assert.Equal(2, first.RevisionNumber);
        Assert.Equal(3, second.RevisionNumber);
        Assert.False(first.CoversWholeDocument);
        Assert.True(second.CoversWholeDocument);
        Assert.True(first.ChangesAfterSigning.AllAllowed);
        Assert.Contains(first.ChangesAfterSigning.Changes, c => c.Kind == ChangeKind.SignatureAdded && c.Revision == 3);
        Assert.Empty(second.ChangesAfterSigning.Changes);
        Assert.Equal([true, true], files.PdfsigVerdicts(path));
    }

    [Fact]
    public void A_byte_flipped_inside_the_signed_range_breaks_the_digest_and_pdfsig_agrees()
    {
        var bytes = File.ReadAllBytes(files.PdfsigRsa);
        // Offset 10 is inside the binary comment on the second line: the file still parses the
        // same way, but the signed bytes differ.
        bytes[10] ^= 0x01;
        var path = files.Write("flipped.pdf", bytes);

        var r = Verify(path, Trusting());

        Assert.Equal(Verdict.Invalid, r.Verdict);
        var s = Assert.Single(r.Signatures);
        Assert.Equal(SignatureStatus.Invalid, s.Status);
        Assert.False(s.DigestValid);
        Assert.True(s.ByteRange.Valid);
        Assert.Equal([false], files.PdfsigVerdicts(path));
    }

    [Fact]
    public void A_revision_that_changes_page_content_is_reported_as_modified_after_signing()
    {
        var signed = File.ReadAllBytes(files.PdfsigRsa);
        var contentObject = ContentStreamObject(signed);
        var text = "BT /F1 24 Tf 72 720 Td (Pay 1,000,000 to Mallory) Tj ET";
        var modified = AppendRevision.Append(signed, (contentObject, $"<</Length {text.Length}>>\nstream\n{text}\nendstream"));
        var path = files.Write("content-changed.pdf", modified);

        var r = Verify(path, Trusting());

        Assert.Equal(Verdict.Invalid, r.Verdict);
        var s = Assert.Single(r.Signatures);
        Assert.True(s.DigestValid && s.SignatureValid && s.ByteRange.Valid);
        Assert.Equal(SignatureStatus.ModifiedAfterSigning, s.Status);
        Assert.Equal(2, s.RevisionNumber);
        Assert.Equal(3, r.RevisionCount);
        Assert.False(s.CoversWholeDocument);
        var change = Assert.Single(s.ChangesAfterSigning.Changes);
        Assert.Equal(ChangeKind.PageContentChanged, change.Kind);
        Assert.False(change.Allowed);
        Assert.Equal(3, change.Revision);
        Assert.Contains("page 1", change.Description);
        // pdfsig checks the signed bytes only: it still calls the signature valid.
        Assert.Equal([true], files.PdfsigVerdicts(path));
    }

    [Fact]
    public void A_revision_that_adds_pages_is_reported_as_modified_after_signing()
    {
        var signed = File.ReadAllBytes(files.PdfsigRsa);
        var pagesObject = ObjectWith(signed, "/Type /Pages");
        var pageObject = ObjectWith(signed, "/Type /Page ");
        var next = NextFreeObject(signed);
        var modified = AppendRevision.Append(signed,
            (pagesObject, $"<</Type/Pages/Kids[{pageObject} 0 R {next} 0 R]/Count 2>>"),
            (next, $"<</Type/Page/Parent {pagesObject} 0 R/MediaBox[0 0 595 842]>>"));

        var r = Verify(modified, Trusting());

        var s = Assert.Single(r.Signatures);
        Assert.Equal(SignatureStatus.ModifiedAfterSigning, s.Status);
        Assert.Contains(s.ChangesAfterSigning.Changes, c => c.Kind == ChangeKind.PagesAddedOrRemoved && !c.Allowed);
    }

    [Fact]
    public void A_revision_that_only_adds_an_annotation_keeps_the_signature_valid()
    {
        var signed = File.ReadAllBytes(files.MutoolRsa);
        var pageObject = ObjectWith(signed, "/Type /Page ");
        var page = AppendRevision.LastBody(signed, pageObject);
        var next = NextFreeObject(signed);
        var newPage = page.Replace("/Annots [ ", $"/Annots [ {next} 0 R ", StringComparison.Ordinal);
        Assert.NotEqual(page, newPage);
        var modified = AppendRevision.Append(signed,
            (pageObject, newPage),
            (next, $"<</Type/Annot/Subtype/Text/Rect[100 100 120 120]/Contents(checked by audit)/P {pageObject} 0 R>>"));

        var r = Verify(modified, Trusting(withIntermediate: true));

        Assert.Equal(Verdict.Valid, r.Verdict);
        var s = Assert.Single(r.Signatures);
        Assert.Equal(3, r.RevisionCount);
        Assert.False(s.CoversWholeDocument);
        Assert.True(s.ChangesAfterSigning.AllAllowed);
        Assert.Contains(s.ChangesAfterSigning.Changes, c => c.Kind == ChangeKind.AnnotationAdded && c.Allowed);
    }

    [Fact]
    public void Rewriting_the_signed_signature_dictionary_in_a_later_revision_is_caught()
    {
        var signed = File.ReadAllBytes(files.MutoolRsa);
        var sigObject = ObjectWith(signed, "/ByteRange");
        var body = AppendRevision.LastBody(signed, sigObject).Replace("/M(D:", "/Reason(approved)/M(D:", StringComparison.Ordinal);
        var modified = AppendRevision.Append(signed, (sigObject, body));

        var r = Verify(modified, Trusting(withIntermediate: true));

        var s = Assert.Single(r.Signatures);
        Assert.NotEqual(SignatureStatus.Valid, s.Status);
        Assert.False(s.ByteRange.CoversRevision);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_byte_range_that_does_not_fit_the_contents_gap_or_the_revision_end_is_invalid(int which)
    {
        var bytes = File.ReadAllBytes(files.MutoolRsa);
        var text = Encoding.Latin1.GetString(bytes);
        var m = System.Text.RegularExpressions.Regex.Match(text, @"/ByteRange\s*\[\s*0 (\d+) (\d+) (\d+)\s*\]");
        var g = m.Groups[which == 1 ? 1 : 3];
        // Change one digit so the file keeps its length and every offset stays right: the start of
        // the gap by one byte, the end of the signed bytes by ten (one or two bytes short of the
        // end are accepted when they are only the end-of-line after %%EOF).
        var at = g.Index + g.Length - which;
        bytes[at] = (byte)(bytes[at] == '0' ? '1' : bytes[at] - 1);

        var r = Verify(bytes, Trusting(withIntermediate: true));

        var s = Assert.Single(r.Signatures);
        Assert.Equal(SignatureStatus.Invalid, s.Status);
        Assert.False(s.ByteRange.Valid);
        if (which == 1) Assert.False(s.ByteRange.GapIsContents);
        else Assert.False(s.ByteRange.CoversRevision && s.ByteRange.WithinFile);
        Assert.NotEmpty(s.Problems);
    }

    [Fact]
    public void A_signature_stripped_by_a_later_revision_is_still_reported()
    {
        var signed = File.ReadAllBytes(files.TwoSeals);
        var field = ObjectWith(signed, "/T(SealA)");
        var body = System.Text.RegularExpressions.Regex.Replace(AppendRevision.LastBody(signed, field), @"/V \d+ 0 R", "");
        var stripped = AppendRevision.Append(signed, (field, body));

        var r = Verify(stripped, Trusting(withIntermediate: true));

        Assert.Equal(Verdict.Invalid, r.Verdict);
        Assert.Equal(2, r.Signatures.Count);
        var a = r.Signatures.Single(s => s.FieldName == "SealA");
        Assert.Equal(SignatureStatus.ModifiedAfterSigning, a.Status);
        Assert.True(a.DigestValid && a.SignatureValid);
        Assert.Contains(a.Problems, p => p.Contains("stripped"));
        var b = r.Signatures.Single(s => s.FieldName == "SealB");
        Assert.Contains(b.ChangesAfterSigning.Changes, c => c.Kind == ChangeKind.SignedSignatureChanged && !c.Allowed);
    }

    [Theory]
    [InlineData("pdfsig-rsa.pdf")]
    [InlineData("mutool-rsa.pdf")]
    [InlineData("mutool-ecdsa.pdf")]
    [InlineData("mutool-two-seals.pdf")]
    [InlineData("mixed-tools.pdf")]
    [InlineData("mutool-expired.pdf")]
    [InlineData("mutool-untrusted.pdf")]
    [InlineData("flipped-in-signed-range")]
    public void Whether_each_signature_is_intact_agrees_with_pdfsig(string name)
    {
        var path = files.PathIn(name);
        if (name == "flipped-in-signed-range")
        {
            var bytes = File.ReadAllBytes(files.TwoSeals);
            bytes[10] ^= 0x20;
            path = files.Write(name + ".pdf", bytes);
        }

        var ours = Verify(path, Trusting(withIntermediate: true)).Signatures;
        var theirs = files.PdfsigVerdictsByField(path);

        Assert.NotEmpty(ours);
        Assert.Equal(theirs.Keys.Order(), ours.Select(s => s.FieldName).Order());
        foreach (var s in ours)
            Assert.True(theirs[s.FieldName] == (s.DigestValid && s.SignatureValid && s.ByteRange.Valid),
                $"{name} field {s.FieldName}: pdfsig says {(theirs[s.FieldName] ? "valid" : "invalid")}, we say digest {s.DigestValid}, signature {s.SignatureValid}, byte range {s.ByteRange.Valid}");
    }

    [Fact]
    public void A_certificate_outside_the_trust_anchors_is_untrusted()
    {
        var r = Verify(files.Untrusted, Trusting(withIntermediate: true));

        Assert.Equal(Verdict.Untrusted, r.Verdict);
        var s = Assert.Single(r.Signatures);
        Assert.Equal(SignatureStatus.Untrusted, s.Status);
        Assert.True(s.DigestValid && s.SignatureValid);
        Assert.False(s.ChainTrusted);
        Assert.Equal(1, VerifyCommand.ExitCode(r.Verdict));
        Assert.Contains("Certificate issuer is unknown", files.PdfsigOutput(files.Untrusted));
    }

    [Fact]
    public void An_expired_certificate_is_invalid_at_signing_time()
    {
        var r = Verify(files.Expired, Trusting(withIntermediate: true));

        Assert.Equal(Verdict.Invalid, r.Verdict);
        var s = Assert.Single(r.Signatures);
        Assert.Equal(SignatureStatus.Invalid, s.Status);
        Assert.True(s.DigestValid && s.SignatureValid);
        Assert.False(s.CertificateValidAtSigningTime);
        Assert.Contains("Certificate has Expired", files.PdfsigOutput(files.Expired));
    }

    [Fact]
    public void A_file_without_signatures_has_no_signatures_and_exit_code_1()
    {
        var r = Verify(files.Unsigned, Trusting());

        Assert.Equal(Verdict.NoSignatures, r.Verdict);
        Assert.Empty(r.Signatures);
        Assert.Equal(1, VerifyCommand.ExitCode(r.Verdict));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("empty")]
    public void Unreadable_input_gives_an_error_report_and_exit_code_2(string kind)
    {
        var signed = File.ReadAllBytes(files.PdfsigRsa);
        var bytes = kind switch
        {
            "truncated" => signed[..(signed.Length / 3)],
            "garbage" => Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray(),
            _ => [],
        };
        var path = files.Write($"unreadable-{kind}.pdf", bytes);

        var r = Verify(path, Trusting());

        Assert.Equal(Verdict.Unreadable, r.Verdict);
        Assert.False(string.IsNullOrWhiteSpace(r.Error));
        var (code, _, err) = RunCli(path);
        Assert.Equal(2, code);
        Assert.Contains(r.Error!, err);
        var (jsonCode, json, _) = RunCli(path, "--json");
        Assert.Equal(2, jsonCode);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("unreadable", doc.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(r.Error, doc.RootElement.GetProperty("error").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("signatures").GetArrayLength());
    }

    [Fact]
    public void An_encrypted_pdf_gets_a_clear_error()
    {
        var path = files.PathIn("encrypted.pdf");
        ExternalTool.Check("qpdf", ["--encrypt", "u", "o", "256", "--", files.PdfsigRsa, path], 3);

        var r = Verify(path, Trusting());

        Assert.Equal(Verdict.Unreadable, r.Verdict);
        Assert.Contains("encrypted", r.Error);
        Assert.Equal(2, RunCli(path).Code);
    }

    [Fact]
    public void Cli_prints_json_with_stable_camel_case_names_and_exit_0_for_a_valid_file()
    {
        var (code, stdout, _) = RunCli(files.TwoSeals, "--trust", Path.Combine(files.CertsDir, "sample-root-ca.crt"),
            "--trust", Path.Combine(files.CertsDir, "sample-intermediate-ca.crt"), "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("valid", root.GetProperty("verdict").GetString());
        Assert.True(root.GetProperty("trustAnchorsGiven").GetBoolean());
        var sigs = root.GetProperty("signatures");
        Assert.Equal(2, sigs.GetArrayLength());
        var first = sigs[0];
        Assert.Equal("SealA", first.GetProperty("fieldName").GetString());
        foreach (var name in new[] { "signerSubject", "signingTimeFromDictionary", "signingTimeFromCms", "digestValid", "signatureValid",
                     "byteRange", "revisionNumber", "coversWholeDocument", "changesAfterSigning", "timestamp", "chainTrusted", "status" })
            Assert.True(first.TryGetProperty(name, out _), name);
        Assert.True(first.GetProperty("byteRange").GetProperty("coversRevision").GetBoolean());
        var kinds = first.GetProperty("changesAfterSigning").GetProperty("changes").EnumerateArray()
            .Select(c => c.GetProperty("kind").GetString()).ToList();
        Assert.Contains("signatureAdded", kinds);
        Assert.False(first.GetProperty("timestamp").GetProperty("present").GetBoolean());

        var back = VerificationReportFormat.FromJson(stdout);
        Assert.NotNull(back);
        Assert.Equal(Verdict.Valid, back!.Verdict);
        Assert.Equal(2, back.Signatures.Count);
    }

    [Fact]
    public void Cli_text_names_the_problem_and_exits_1_for_a_modified_document()
    {
        var signed = File.ReadAllBytes(files.PdfsigRsa);
        var text = "BT /F1 24 Tf 72 720 Td (changed) Tj ET";
        var path = files.Write("cli-modified.pdf", AppendRevision.Append(signed, (ContentStreamObject(signed), $"<</Length {text.Length}>>\nstream\n{text}\nendstream")));

        var (code, stdout, _) = RunCli(path, "--trust", Path.Combine(files.CertsDir, "sample-root-ca.crt"));

        Assert.Equal(1, code);
        Assert.Contains("DOCUMENT MODIFIED AFTER SIGNING", stdout);
        Assert.Contains("page 1", stdout);
    }

    [Fact]
    public void Cli_usage_errors_exit_2()
    {
        var (missing, _, missingErr) = RunCli();
        Assert.Equal(2, missing);
        Assert.Contains("Usage:", missingErr);
        var (badTrust, _, badTrustErr) = RunCli(files.PdfsigRsa, "--trust", files.PathIn("no-such.crt"));
        Assert.Equal(2, badTrust);
        Assert.Contains("verify: --trust", badTrustErr);
        Assert.Equal(2, RunCli(files.PathIn("no-such.pdf")).Code);
    }

    private static (int Code, string Out, string Err) RunCli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        // The verb only writes to the given writers, so the task is complete when it returns.
        var code = CliRunner.RunAsync(["verify", .. args], o, e, new FixedTime(Now)).GetAwaiter().GetResult();
        return (code, o.ToString(), e.ToString());
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static int ContentStreamObject(byte[] pdf)
    {
        var page = AppendRevision.LastBody(pdf, ObjectWith(pdf, "/Type /Page "));
        var m = System.Text.RegularExpressions.Regex.Match(page, @"/Contents (\d+) 0 R");
        return int.Parse(m.Groups[1].Value);
    }

    /// <summary>The number of the last object whose text contains <paramref name="marker"/> (qpdf's spacing).</summary>
    private static int ObjectWith(byte[] pdf, string marker)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var matches = System.Text.RegularExpressions.Regex.Matches(text, @"(\d+) 0 obj\s*(.*?)endobj", System.Text.RegularExpressions.RegexOptions.Singleline);
        return int.Parse(matches.Last(m => m.Groups[2].Value.Contains(marker, StringComparison.Ordinal)).Groups[1].Value);
    }

    private static int NextFreeObject(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        return System.Text.RegularExpressions.Regex.Matches(text, @"/Size (\d+)").Max(m => int.Parse(m.Groups[1].Value));
    }
}
