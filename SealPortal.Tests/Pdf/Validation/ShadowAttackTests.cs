using System.Text;
using SealPortal.Cli;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;

namespace SealPortal.Tests.Pdf.Validation;

/// <summary>
/// The shadow attacks of Mainka, Mladenov and Schwenk (hide, replace, hide-and-replace): the
/// signer signs a document whose later, innocent-looking incremental update changes what a
/// reader sees. Each attack is written here as a hand-made revision over a file sealed by our
/// signer; the seal's digest stays correct (pdfsig says so), so only the change analysis can
/// catch it. Certification (DocMDP) and field locks (FieldMDP) narrow what may follow.
/// </summary>
[Collection(SignedPdfCollection.Name)]
[Trait("Category", "Integration")]
public class ShadowAttackTests(SignedPdfFiles files)
{
    // Objects of the base document (hand-written below, offsets rebuilt by qpdf):
    private const int Page = 3, Overlay = 6, Amount = 7, OverlayLook = 8, AmountLook = 9, Comment = 10, Logo = 11;

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    /// <summary>
    /// One page saying "Pay 100 EUR", with "Pay 1000000 EUR" drawn beneath a white overlay
    /// annotation, a filled text field "Amount" (100), an empty text field "Comment", and a logo
    /// drawn from a form XObject. Written with its own xref table so the object numbers stay put.
    /// </summary>
    private string Base(string name)
    {
        var content = "BT /F1 24 Tf 72 720 Td (Pay 100 EUR) Tj ET BT /F1 24 Tf 72 600 Td (Pay 1000000 EUR) Tj ET q /X1 Do Q";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [7 0 R 10 0 R] /DA (/F1 12 Tf 0 g) /DR << /Font << /F1 5 0 R >> >> >> >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /X1 11 0 R >> >> /Annots [6 0 R 7 0 R 10 0 R] >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Type /Annot /Subtype /Square /Rect [60 590 400 640] /F 4 /C [1 1 1] /IC [1 1 1] /AP << /N 8 0 R >> >>",
            "<< /FT /Tx /T (Amount) /V (100) /DA (/F1 12 Tf 0 g) /Type /Annot /Subtype /Widget /Rect [72 500 300 530] /F 4 /P 3 0 R /AP << /N 9 0 R >> >>",
            FormBody("1 1 1 rg 0 0 340 50 re f", 340, 50),
            FormBody("BT /F1 12 Tf 2 10 Td (100) Tj ET", 228, 30, Helvetica),
            "<< /FT /Tx /T (Comment) /DA (/F1 12 Tf 0 g) /Type /Annot /Subtype /Widget /Rect [72 400 300 430] /F 4 /P 3 0 R >>",
            FormBody("0 0 1 rg 400 750 100 50 re f", 595, 842),
        ];
        var sb = new StringBuilder("%PDF-1.7\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(sb.Length);
            sb.Append(i + 1).Append(" 0 obj\n").Append(objects[i]).Append("\nendobj\n");
        }
        var xref = sb.Length;
        sb.Append("xref\n0 ").Append(objects.Length + 1).Append("\n0000000000 65535 f \n");
        foreach (var o in offsets) sb.Append(o.ToString("D10", System.Globalization.CultureInfo.InvariantCulture)).Append(" 00000 n \n");
        sb.Append("trailer\n<< /Size ").Append(objects.Length + 1).Append(" /Root 1 0 R >>\nstartxref\n").Append(xref).Append("\n%%EOF\n");
        return files.Write(name, Encoding.Latin1.GetBytes(sb.ToString()));
    }

    private const string Helvetica = " /Resources << /Font << /F1 5 0 R >> >>";

    private static string FormBody(string drawing, int w, int h, string resources = "") =>
        $"<< /Type /XObject /Subtype /Form /BBox [0 0 {w} {h}]{resources} /Length {drawing.Length} >>\nstream\n{drawing}\nendstream";

    private async Task<byte[]> SealAsync(string input, string name, int? certify = null)
    {
        using var identity = SigningIdentity.LoadPkcs12(files.Pfx("rsa"), SignedPdfFiles.Password, TimeProvider.System);
        var output = files.PathIn(name);
        await new PdfSigner(TimeProvider.System).SignFileAsync(input, output, await PdfSignatureContent.FromCadesAsync(identity, null),
            new PdfSignOptions { SignerName = "SAMPLE rsa", Reason = "shadow attack test", Certify = certify });
        return File.ReadAllBytes(output);
    }

    private VerificationReport Verify(string path)
    {
        using var s = File.OpenRead(path);
        return PdfSignatureVerifier.Verify(s, new VerifyOptions { TrustAnchors = [files.Root], Now = Now });
    }

    /// <summary>Writes the attacked file, checks pdfsig still finds the seal's digest correct, and returns our report.</summary>
    private VerificationReport Attack(byte[] sealedPdf, string name, params (int Number, string Body)[] revision)
    {
        var path = files.Write(name, AppendRevision.Append(sealedPdf, revision));
        Assert.Equal([true], files.PdfsigVerdicts(path));
        return Verify(path);
    }

    private static void AssertCaught(VerificationReport r, ChangeKind kind)
    {
        Assert.Equal(Verdict.Invalid, r.Verdict);
        Assert.Equal(1, VerifyCommand.ExitCode(r.Verdict));
        var seal = Assert.Single(r.Signatures);
        Assert.True(seal.DigestValid && seal.SignatureValid);
        Assert.Equal(SignatureStatus.ModifiedAfterSigning, seal.Status);
        Assert.Contains(seal.ChangesAfterSigning.Changes, c => c.Kind == kind && !c.Allowed);
        Assert.Equal(ModificationLevel.Other, seal.ChangesAfterSigning.Level);
    }

    [Fact]
    public async Task Hiding_the_overlay_annotation_that_covered_signed_content_is_caught()
    {
        var sealedPdf = await SealAsync(Base("shadow-hide.pdf"), "shadow-hide-sealed.pdf");
        Assert.Equal(Verdict.Valid, Verify(files.PathIn("shadow-hide-sealed.pdf")).Verdict);
        var overlay = AppendRevision.LastBody(sealedPdf, Overlay);

        var r = Attack(sealedPdf, "shadow-hide-attacked.pdf", (Overlay, overlay.Replace("/F 4", "/F 6")));

        AssertCaught(r, ChangeKind.VisibleSignedContentChanged);
        Assert.Contains(r.Signatures[0].ChangesAfterSigning.Changes, c => c.Description.Contains("hidden"));
    }

    [Fact]
    public async Task Emptying_an_annotation_appearance_is_caught_whether_repointed_or_rewritten()
    {
        var sealedPdf = await SealAsync(Base("shadow-empty.pdf"), "shadow-empty-sealed.pdf");
        var overlay = AppendRevision.LastBody(sealedPdf, Overlay);

        var repointed = Attack(sealedPdf, "shadow-empty-repointed.pdf",
            (Overlay, overlay.Replace("/N 8 0 R", "/N 101 0 R")),
            (101, FormBody(" ", 340, 50)));
        AssertCaught(repointed, ChangeKind.VisibleSignedContentChanged);

        var rewritten = Attack(sealedPdf, "shadow-empty-rewritten.pdf", (OverlayLook, FormBody(" ", 340, 50)));
        AssertCaught(rewritten, ChangeKind.VisibleSignedContentChanged);
    }

    [Fact]
    public async Task Replacing_a_form_value_shown_when_signed_is_caught()
    {
        var sealedPdf = await SealAsync(Base("shadow-replace.pdf"), "shadow-replace-sealed.pdf");
        var amount = AppendRevision.LastBody(sealedPdf, Amount);

        var newLook = Attack(sealedPdf, "shadow-replace-new-look.pdf",
            (Amount, amount.Replace("/V (100)", "/V (1000000)").Replace("/N 9 0 R", "/N 100 0 R")),
            (100, FormBody("BT /F1 12 Tf 2 10 Td (1000000) Tj ET", 228, 30, Helvetica)));
        AssertCaught(newLook, ChangeKind.VisibleSignedContentChanged);
        Assert.Contains(newLook.Signatures[0].ChangesAfterSigning.Changes, c => c.Description.Contains("\"Amount\"") && c.Description.Contains("replaced"));

        var sameLookObject = Attack(sealedPdf, "shadow-replace-in-place.pdf",
            (Amount, amount.Replace("/V (100)", "/V (1000000)")),
            (AmountLook, FormBody("BT /F1 12 Tf 2 10 Td (1000000) Tj ET", 228, 30, Helvetica)));
        AssertCaught(sameLookObject, ChangeKind.VisibleSignedContentChanged);
    }

    [Fact]
    public async Task Hide_and_replace_through_a_redrawn_xobject_is_caught()
    {
        var sealedPdf = await SealAsync(Base("shadow-xobject.pdf"), "shadow-xobject-sealed.pdf");

        var r = Attack(sealedPdf, "shadow-xobject-attacked.pdf", (Logo, FormBody("1 0 0 rg 400 750 100 50 re f", 595, 842)));

        Assert.Equal(Verdict.Invalid, r.Verdict);
        Assert.False(r.Signatures[0].ChangesAfterSigning.AllAllowed);
    }

    [Fact]
    public async Task Filling_an_empty_field_or_adding_a_comment_stays_valid_and_is_classified()
    {
        var sealedPdf = await SealAsync(Base("shadow-allowed.pdf"), "shadow-allowed-sealed.pdf");
        var comment = AppendRevision.LastBody(sealedPdf, Comment);

        var filled = Attack(sealedPdf, "shadow-allowed-filled.pdf",
            (Comment, comment.Replace("/FT /Tx", "/FT /Tx /V (approved) /AP << /N 100 0 R >>")),
            (100, FormBody("BT /F1 12 Tf 2 10 Td (approved) Tj ET", 228, 30, Helvetica)));
        Assert.Equal(Verdict.Valid, filled.Verdict);
        Assert.Equal(ModificationLevel.FormFilling, filled.Signatures[0].ChangesAfterSigning.Level);
        Assert.Contains(filled.Signatures[0].ChangesAfterSigning.Changes, c => c.Kind == ChangeKind.FormFieldFilled);

        var page = AppendRevision.LastBody(sealedPdf, Page);
        var annotated = Attack(sealedPdf, "shadow-allowed-comment.pdf",
            (Page, page.Replace("10 0 R", "10 0 R 100 0 R")),
            (100, "<</Type/Annot/Subtype/Text/Rect[500 800 520 820]/Contents(looks fine)>>"));
        Assert.Equal(Verdict.Valid, annotated.Verdict);
        Assert.Equal(ModificationLevel.Annotations, annotated.Signatures[0].ChangesAfterSigning.Level);
    }

    [Fact]
    public async Task Sealing_a_document_certified_with_P2_is_valid_here_and_in_pdfsig()
    {
        var certified = files.Write("certified-p2.pdf", await SealAsync(Base("certified-p2-base.pdf"), "certified-p2.pdf", certify: 2));
        var resealed = files.Write("certified-p2-sealed.pdf", await SealAsync(certified, "certified-p2-sealed.pdf"));

        var r = Verify(resealed);

        Assert.Equal(Verdict.Valid, r.Verdict);
        Assert.Equal(0, VerifyCommand.ExitCode(r.Verdict));
        Assert.Equal([true, true], files.PdfsigVerdicts(resealed));
        var certification = r.Signatures[0];
        Assert.True(certification.ChangesAfterSigning.AllAllowed, string.Join("; ", certification.Problems));
        Assert.Equal(ModificationLevel.FormFilling, certification.ChangesAfterSigning.Level);
        Assert.DoesNotContain(certification.ChangesAfterSigning.Changes, c => c.Kind == ChangeKind.AnnotationAdded);
    }

    [Fact]
    public async Task Certification_levels_decide_what_may_follow()
    {
        var p2 = await SealAsync(Base("certified-levels-2.pdf"), "certified-levels-2-sealed.pdf", certify: 2);
        var p3 = await SealAsync(Base("certified-levels-3.pdf"), "certified-levels-3-sealed.pdf", certify: 3);
        var p1 = await SealAsync(Base("certified-levels-1.pdf"), "certified-levels-1-sealed.pdf", certify: 1);
        (int, string)[] Note(byte[] pdf) =>
        [
            (Page, AppendRevision.LastBody(pdf, Page).Replace("10 0 R", "10 0 R 102 0 R")),
            (102, "<</Type/Annot/Subtype/Text/Rect[500 800 520 820]/Contents(note)>>"),
        ];

        var commentedP2 = Attack(p2, "certified-levels-2-comment.pdf", Note(p2));
        Assert.Equal(Verdict.Invalid, commentedP2.Verdict);
        Assert.Contains(commentedP2.Signatures[0].ChangesAfterSigning.Changes, c => c.Kind == ChangeKind.ForbiddenByCertification);
        Assert.Equal(Verdict.Valid, Attack(p3, "certified-levels-3-comment.pdf", Note(p3)).Verdict);

        var fill = AppendRevision.LastBody(p2, Comment).Replace("/FT /Tx", "/FT /Tx /V (ok)");
        Assert.Equal(Verdict.Valid, Attack(p2, "certified-levels-2-fill.pdf", (Comment, fill)).Verdict);
        var fillP1 = Attack(p1, "certified-levels-1-fill.pdf", (Comment, AppendRevision.LastBody(p1, Comment).Replace("/FT /Tx", "/FT /Tx /V (ok)")));
        Assert.Equal(Verdict.Invalid, fillP1.Verdict);

        // P=1: no new seal, but a document time-stamp (validation data) is still allowed.
        var p1Path = files.PathIn("certified-levels-1-sealed.pdf");
        await Assert.ThrowsAsync<PdfSigningException>(() => SealAsync(p1Path, "certified-levels-1-again.pdf"));
        var stamped = files.Write("certified-levels-1-ts.pdf", await DocumentTimestamp.AppendAsync(p1, new OwnSignerVerifyTests.InProcessTsa(files)));
        var r = Verify(stamped);
        Assert.Equal(Verdict.Valid, r.Verdict);
        Assert.Equal(ModificationLevel.ValidationData, r.Signatures[0].ChangesAfterSigning.Level);
    }

    [Fact]
    public async Task The_seal_locks_its_own_field_and_only_a_first_signature_certifies()
    {
        var sealedPdf = await SealAsync(Base("lock.pdf"), "lock-sealed.pdf", certify: 2);
        var text = Encoding.Latin1.GetString(sealedPdf);
        Assert.Contains("/TransformMethod /FieldMDP", text);
        Assert.Contains("/Lock <</Type /SigFieldLock/Action /Include/Fields [(Seal1)]>>", text);
        Assert.Contains("/Perms <</DocMDP", text);

        await Assert.ThrowsAsync<PdfSigningException>(() => SealAsync(files.PathIn("lock-sealed.pdf"), "lock-twice.pdf", certify: 2));
        await Assert.ThrowsAsync<PdfSigningException>(() => SealAsync(Base("lock-level.pdf"), "lock-level-sealed.pdf", certify: 4));
    }
}
