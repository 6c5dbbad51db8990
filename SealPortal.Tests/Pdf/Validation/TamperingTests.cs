using SealPortal.Cli;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;
using Xunit.Abstractions;

namespace SealPortal.Tests.Pdf.Validation;

/// <summary>
/// One changed byte anywhere in the signed ranges is tampering, whatever it hits: page content,
/// a dictionary, the cross-reference table or stream, the trailer, startxref. The verifier must
/// then say "invalid" (exit 1), never "valid" (0) and never "unreadable" (2): when the structure
/// no longer parses, the signatures are found by scanning the bytes.
/// </summary>
[Collection(SignedPdfCollection.Name)]
[Trait("Category", "Integration")]
public class TamperingTests(SignedPdfFiles files, ITestOutputHelper output)
{
    private const int Seed = 20261206;
    /// <summary>Flips spread uniformly over the signed bytes, per file.</summary>
    private const int UniformFlips = 150;
    /// <summary>Flips in the last bytes of the file (newest xref section or stream, trailer, startxref), per file.</summary>
    private const int TailFlips = 100;
    private const int TailBytes = 1200;

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private async Task<string> SealAsync(string input, string name)
    {
        using var identity = SigningIdentity.LoadPkcs12(files.Pfx("rsa"), SignedPdfFiles.Password, TimeProvider.System);
        var path = files.PathIn(name);
        await new PdfSigner(TimeProvider.System).SignFileAsync(input, path, await PdfSignatureContent.FromCadesAsync(identity, null),
            new PdfSignOptions { SignerName = "SAMPLE rsa", Reason = "tampering test" });
        return path;
    }

    /// <summary>Signed files of several producers and layouts, each valid before the flips.</summary>
    private async Task<IReadOnlyList<(string Name, byte[] Bytes)>> ProducersAsync()
    {
        var pdfsharp = files.PathIn("tamper-pdfsharp.pdf");
        PdfTestKit.PdfSharpPdf(pdfsharp, 2);
        var objectStreams = files.PathIn("tamper-objstm.pdf");
        // From the PDFsharp file: qpdf copies the fixture base's trailer, which lacks /Size, into an unreadable xref stream.
        PdfTestKit.RunOk("qpdf", "--object-streams=generate", pdfsharp, objectStreams);
        var list = new List<(string, byte[])>
        {
            ("own seal, classic xref", File.ReadAllBytes(await SealAsync(files.Unsigned, "tamper-own.pdf"))),
            ("own seal on PDFsharp 6.2.4", File.ReadAllBytes(await SealAsync(pdfsharp, "tamper-pdfsharp-sealed.pdf"))),
            ("own seal, xref and object streams", File.ReadAllBytes(await SealAsync(objectStreams, "tamper-objstm-sealed.pdf"))),
            ("mutool + mutool + own seal, four revisions", File.ReadAllBytes(await SealAsync(files.TwoSeals, "tamper-three.pdf"))),
            ("mutool + pdfsig", File.ReadAllBytes(files.MixedTools)),
        };
        foreach (var (name, bytes) in list)
            Assert.True(VerifyCommand.ExitCode(Verify(bytes).Verdict) == 0, $"{name} must verify valid before tampering");
        return list;
    }

    private VerificationReport Verify(byte[] pdf) =>
        PdfSignatureVerifier.Verify(new MemoryStream(pdf, writable: false), new VerifyOptions { TrustAnchors = [files.Root, files.Intermediate], Now = Now });

    [Fact]
    public async Task Every_flipped_byte_in_the_signed_ranges_gives_invalid_never_valid_or_unreadable()
    {
        var rng = new Random(Seed);
        var failures = new List<string>();
        var scanned = 0;
        var total = 0;
        foreach (var (name, original) in await ProducersAsync())
        {
            var newest = Verify(original).Signatures.Last(s => s.Kind == SignatureKind.Signature).ByteRange.Values;
            var positions = Enumerable.Range(0, UniformFlips).Select(_ => SignedPosition(rng, newest))
                .Concat(Enumerable.Range(0, TailFlips).Select(_ => original.Length - 1 - rng.NextInt64(Math.Min(TailBytes, newest[3]))))
                .ToList();
            foreach (var at in positions)
            {
                var tampered = (byte[])original.Clone();
                var mask = (byte)rng.Next(1, 256);
                tampered[at] ^= mask;
                var report = Verify(tampered);
                total++;
                if (report.StructureDamage is not null || report.Signatures.Any(s => s.FoundByScanning)) scanned++;
                if (VerifyCommand.ExitCode(report.Verdict) != 1)
                    failures.Add($"{name}: byte {at} ^ 0x{mask:x2} gave {report.Verdict} ({report.Error ?? report.Summary})");
            }
        }
        output.WriteLine($"{total} flips, {scanned} needed the byte scan, {failures.Count} not invalid");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
        // The tail flips must have broken the structure often enough to exercise the scan.
        Assert.True(scanned > 0, "no flip damaged the structure; the test does not reach the scan");
    }

    [Fact]
    public async Task The_verify_verb_exits_1_for_a_damaged_cross_reference_table_and_names_the_damage()
    {
        var path = await SealAsync(files.Unsigned, "tamper-xref.pdf");
        var bytes = File.ReadAllBytes(path);
        // Cut the newest startxref number: the parser can no longer find any cross-reference section.
        var at = LastIndexOf(bytes, "startxref"u8) + "startxref\n".Length;
        bytes[at] = (byte)'x';
        var tampered = files.Write("tamper-xref-broken.pdf", bytes);

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = VerifyCommand.Run(tampered, [Path.Combine(files.CertsDir, "sample-root-ca.crt")], json: false, stdout, stderr, TimeProvider.System);

        Assert.Equal(1, code);
        Assert.Contains("Verdict: INVALID", stdout.ToString());
        Assert.Contains("Structure: DAMAGED", stdout.ToString());
        Assert.Contains("DOES NOT MATCH", stdout.ToString());
        // pdfsig agrees the signed bytes changed.
        Assert.DoesNotContain("Signature is Valid.", files.PdfsigOutput(tampered));
    }

    [Fact]
    public void A_file_without_any_signature_and_a_broken_structure_stays_unreadable()
    {
        var bytes = File.ReadAllBytes(files.Unsigned);
        var at = LastIndexOf(bytes, "startxref"u8) + "startxref\n".Length;
        bytes[at] = (byte)'x';
        var report = Verify(bytes);
        Assert.Equal(Verdict.Unreadable, report.Verdict);
        Assert.Equal(2, VerifyCommand.ExitCode(report.Verdict));
    }

    private static long SignedPosition(Random rng, IReadOnlyList<long> br)
    {
        var i = rng.NextInt64(br[1] + br[3]);
        return i < br[1] ? i : br[2] + (i - br[1]);
    }

    private static int LastIndexOf(byte[] bytes, ReadOnlySpan<byte> needle) => bytes.AsSpan().LastIndexOf(needle);
}
