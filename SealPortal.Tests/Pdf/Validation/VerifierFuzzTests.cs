using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;
using Xunit.Abstractions;

namespace SealPortal.Tests.Pdf.Validation;

/// <summary>
/// Seeded mutations of small signed PDFs through the verifier, the parser and the signer. Each
/// step of each input must stay within <see cref="PerStepAllocationLimit"/> of allocations (work that
/// does not depend on the machine's load, so a runaway parse fails on a busy machine as on an idle one),
/// must not hang (<see cref="HangGuard"/>, a wall-clock bound far above any real step), and may only end in the documented
/// outcomes: the verifier returns a report (never throws), the parser throws only
/// <see cref="PdfFormatException"/>, the signer succeeds or throws <see cref="PdfFormatException"/> /
/// <see cref="PdfSigningException"/> and leaves no output file behind. A failure names the seed;
/// <see cref="Mutate"/> with that seed rebuilds the input.
/// </summary>
[Collection(SignedPdfCollection.Name)]
[Trait("Category", "Integration")]
public class VerifierFuzzTests(SignedPdfFiles files, ITestOutputHelper output)
{
    private const int BaseSeed = 20261123;
    private const int Inputs = 5000;
    private const int SignEvery = 10;

    /// <summary>
    /// Bytes one step may allocate on its thread: about 30 times the most any step of the 5,000 inputs allocated
    /// (2.2 MB verify, 0.2 MB parse, 0.1 MB sign, measured 2026-12-07; printed at the end of every run). A parse
    /// that goes round a loop of references, re-reads the file per object or decodes a bomb runs far past it,
    /// whatever the machine's load.
    /// </summary>
    private const long PerStepAllocationLimit = 64L * 1024 * 1024;

    /// <summary>Only for a step that never ends (a loop that allocates nothing); any real step ends in well under a second.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, long> mostAllocated = [];

    [Fact]
    public async Task Mutated_signed_pdfs_never_crash_hang_or_escape_the_documented_exceptions()
    {
        var withDocumentTimestamp = await DocumentTimestamp.AppendAsync(File.ReadAllBytes(files.TwoSeals), new OwnSignerVerifyTests.InProcessTsa(files));
        var bases = new[] { File.ReadAllBytes(files.MutoolRsa), File.ReadAllBytes(files.TwoSeals), File.ReadAllBytes(files.MutoolEcdsa), withDocumentTimestamp };
        var options = new VerifyOptions { TrustAnchors = [files.Root, files.Intermediate], Now = DateTimeOffset.UtcNow };
        using var identity = SigningIdentity.LoadPkcs12(files.Pfx("ecdsa"), SignedPdfFiles.Password, TimeProvider.System);
        var signature = await PdfSignatureContent.FromCadesAsync(identity, null);
        var signDir = Directory.CreateDirectory(files.PathIn("fuzz-sign")).FullName;
        var outcomes = new Dictionary<string, int>();
        var (signed, refused) = (0, 0);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < Inputs; i++)
        {
            var seed = BaseSeed + i;
            var (input, mutation) = Mutate(bases[i % bases.Length], seed);
            var what = $"seed {seed} ({mutation}, base {i % bases.Length})";

            // The fixtures are signed afresh each run, so a seed alone does not rebuild a failing
            // input; Bounded saves it next to the message.
            currentInput = input;
            var verdict = Bounded(what, "verify", ct =>
                PdfSignatureVerifier.Verify(new MemoryStream(input, writable: false), options, ct).Verdict.ToString());
            outcomes[verdict] = outcomes.GetValueOrDefault(verdict) + 1;
            if (verdict == nameof(Verdict.Valid) && Environment.GetEnvironmentVariable("SEALPORTAL_FUZZ_LIST_VALID") == "1")
                output.WriteLine($"valid after mutation: {what}");

            Bounded(what, "parse", ct =>
            {
                try
                {
                    using var pdf = PdfFile.Open(new MemoryStream(input, writable: false));
                    pdf.GetPages();
                    for (var n = 1; n <= Math.Min(pdf.MaxObjectNumber, 2000); n++)
                    {
                        ct.ThrowIfCancellationRequested();
                        if (pdf.GetObject(n) is PdfStreamObj s) pdf.DecodeStream(s, 1 << 20);
                    }
                }
                catch (PdfFormatException) { }
                return "";
            });

            if (i % SignEvery == 0)
                Bounded(what, "sign", ct =>
                {
                    var inPath = Path.Combine(signDir, $"in-{seed}.pdf");
                    var outPath = Path.Combine(signDir, $"out-{seed}.pdf");
                    File.WriteAllBytes(inPath, input);
                    try
                    {
                        new PdfSigner(TimeProvider.System).SignFileAsync(inPath, outPath, signature, new PdfSignOptions(), ct).GetAwaiter().GetResult();
                        Assert.True(File.Exists(outPath), $"{what}: signing reported success but wrote no file");
                        File.Delete(outPath);
                        signed++;
                    }
                    catch (Exception ex) when (ex is PdfFormatException or PdfSigningException)
                    {
                        Assert.False(File.Exists(outPath), $"{what}: signing failed ({ex.Message}) but left {outPath}");
                        refused++;
                    }
                    File.Delete(inPath);
                    Assert.Empty(Directory.GetFiles(signDir));
                    return "";
                });
        }

        output.WriteLine($"{Inputs} inputs in {clock.Elapsed.TotalSeconds:F1} s; verdicts: " +
            string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")) + $"; signer: {signed} signed, {refused} refused; " +
            "most allocated by one step: " + string.Join(", ", mostAllocated.OrderBy(m => m.Key).Select(m => $"{m.Key} {m.Value / 1024.0 / 1024:F1} MB")));
        // A fuzzer whose mutations never get past the parser tests nothing beyond it.
        Assert.True(outcomes.GetValueOrDefault(nameof(Verdict.Unreadable)) < Inputs * 9 / 10, "almost every input was unreadable");
        Assert.True(outcomes.Keys.Count(k => k != nameof(Verdict.Unreadable)) >= 2, "mutations never reached signature checks");
        Assert.True(signed > 0 && refused > 0, $"the signer saw only one kind of outcome ({signed} signed, {refused} refused)");
    }

    private static byte[] currentInput = [];

    /// <summary>
    /// Runs one step on the thread pool; fails naming the seed (and a saved copy of the input) when it throws, allocates
    /// more than <see cref="PerStepAllocationLimit"/> on its thread, or does not end within <see cref="HangGuard"/>.
    /// The allocations are counted on the thread that runs the step (other tests run beside this one); the signer's
    /// asynchronous file writes may continue elsewhere, so for it this is a lower bound.
    /// </summary>
    private static string Bounded(string what, string step, Func<CancellationToken, string> run)
    {
        using var cts = new CancellationTokenSource();
        var task = Task.Run(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = run(cts.Token);
            return (Result: result, Allocated: GC.GetAllocatedBytesForCurrentThread() - before);
        });
        try
        {
            if (!task.Wait(HangGuard))
            {
                cts.Cancel();
                Assert.Fail($"{step} of {what} did not end within {HangGuard.TotalSeconds} s (a hang); input saved as {Save(what)}");
            }
            var (result, allocated) = task.Result;
            mostAllocated[step] = Math.Max(mostAllocated.GetValueOrDefault(step), allocated);
            if (allocated > PerStepAllocationLimit)
                Assert.Fail($"{step} of {what} allocated {allocated / 1024 / 1024} MB, over the {PerStepAllocationLimit / 1024 / 1024} MB one step may; input saved as {Save(what)}");
            return result;
        }
        catch (AggregateException ex)
        {
            var inner = ex.InnerException!;
            if (inner is Xunit.Sdk.XunitException) throw inner;
            Assert.Fail($"{step} of {what} threw {inner.GetType().Name}: {inner.Message}; input saved as {Save(what)}\n{inner.StackTrace}");
            return "";
        }
    }

    private static string Save(string what)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sealportal-fuzz-{what.Split(' ')[1]}.pdf");
        File.WriteAllBytes(path, currentInput);
        return path;
    }

    private static readonly string[] Mutations =
    [
        "bitflips", "bytes", "truncate", "startxref", "xref-offset", "huge-length", "deep-nesting",
        "prev-loop", "byterange", "splice", "size", "kids-loop", "contents-hex", "sigdict", "delete-span",
    ];

    /// <summary>One deterministic mutation of <paramref name="pdf"/> chosen and shaped by <paramref name="seed"/>.</summary>
    public static (byte[] Input, string Mutation) Mutate(byte[] pdf, int seed)
    {
        var rnd = new Random(seed);
        var m = Mutations[rnd.Next(Mutations.Length)];
        var b = (byte[])pdf.Clone();
        var text = Encoding.Latin1.GetString(b);
        switch (m)
        {
            case "bitflips":
                for (var k = rnd.Next(1, 9); k > 0; k--) b[rnd.Next(b.Length)] ^= (byte)(1 << rnd.Next(8));
                return (b, m);
            case "bytes":
                byte[] pick = "<>()[]/09 \n%Rendobjstream"u8.ToArray();
                for (var k = rnd.Next(1, 6); k > 0; k--) b[rnd.Next(b.Length)] = rnd.Next(4) == 0 ? (byte)rnd.Next(256) : pick[rnd.Next(pick.Length)];
                return (b, m);
            case "truncate":
                return (b[..rnd.Next(b.Length)], m);
            case "startxref":
                return (ReplaceNumberAfter(text, "startxref", rnd, RandomOffset(rnd, b.Length)), m);
            case "xref-offset":
            {
                var entries = Regex.Matches(text, @"(?m)^\d{10} \d{5} n");
                if (entries.Count == 0) goto case "bitflips";
                var e = entries[rnd.Next(entries.Count)];
                var digits = RandomOffset(rnd, b.Length).ToString("D10", CultureInfo.InvariantCulture);
                if (digits.Length > 10) digits = digits[^10..];
                Encoding.Latin1.GetBytes(digits).CopyTo(b, e.Index);
                return (b, m);
            }
            case "huge-length":
                return (Latin1(Regex.Replace(text, @"/Length \d+", rnd.Next(3) switch
                {
                    0 => "/Length 99999999999",
                    1 => "/Length -5",
                    _ => "/Length 2147483647",
                }, RegexOptions.None, TimeSpan.FromSeconds(1))), m);
            case "deep-nesting":
            {
                var depth = rnd.Next(50, 20000);
                var open = rnd.Next(2) == 0 ? "[" : "<</A ";
                var close = open == "[" ? "]" : ">>";
                var at = text.IndexOf(" obj", rnd.Next(text.Length / 2), StringComparison.Ordinal);
                if (at < 0) at = text.IndexOf(" obj", StringComparison.Ordinal);
                var nest = string.Concat(Enumerable.Repeat(open, depth)) + (rnd.Next(2) == 0 ? string.Concat(Enumerable.Repeat(close, depth)) : "");
                return (Latin1(text.Insert(at + 4, "\n" + nest + "\n")), m);
            }
            case "prev-loop":
            {
                var startxrefs = Regex.Matches(text, @"startxref\s+(\d+)");
                var last = startxrefs[^1].Groups[1].Value;
                // Every /Prev points at the newest section: a loop the reader must notice.
                return (Latin1(Regex.Replace(text, @"/Prev \d+", "/Prev " + last)), m);
            }
            case "byterange":
                return (Latin1(Regex.Replace(text, @"/ByteRange\s*\[[^\]]*\]", _ => rnd.Next(3) switch
                {
                    0 => $"/ByteRange[0 {rnd.Next(b.Length)} {rnd.Next(b.Length)} {rnd.Next(b.Length)}]",
                    1 => "/ByteRange[0 99999999999 -1 5]",
                    _ => "/ByteRange[0 1 2]",
                })), m);
            case "splice":
            {
                var from = rnd.Next(b.Length);
                var len = rnd.Next(1, Math.Min(400, b.Length - from) + 1);
                var at = rnd.Next(b.Length);
                return ([.. b[..at], .. b.AsSpan(from, len).ToArray(), .. b[at..]], m);
            }
            case "size":
                return (Latin1(Regex.Replace(text, @"/Size \d+", rnd.Next(2) == 0 ? "/Size 2147483647" : "/Size 0")), m);
            case "kids-loop":
                return (Latin1(Regex.Replace(text, @"/Kids\s*\[[^\]]*\]", "/Kids [1 0 R 2 0 R 3 0 R 4 0 R]")), m);
            case "contents-hex":
            {
                var i = text.IndexOf("/Contents<", StringComparison.Ordinal);
                if (i < 0) i = text.IndexOf("/Contents <", StringComparison.Ordinal);
                if (i < 0) goto case "bitflips";
                var pos = i + 12 + rnd.Next(200);
                b[pos] = (byte)"0123456789ABCDEFxz>"[rnd.Next(19)];
                return (b, m);
            }
            case "sigdict":
            {
                // Same-length edits inside signature dictionaries keep every offset right, so the
                // damage reaches the signature checks instead of the parser.
                (string From, string To)[] edits =
                [
                    ("/adbe.pkcs7.detached", "/ETSI.RFC3161       "),
                    ("/Type/Sig", "/Type/Xyz"),
                    ("/Type /Sig", "/Type 7 0 R"),
                    ("/M(D:", "/M[D:"),
                    ("/ByteRange[", "/ByteRange("),
                    ("/ByteRange [", "/ByteRange 9"),
                    ("/Contents<", "/Contents("),
                    ("/Contents <", "/Contents 1"),
                    ("/V ", "/X "),
                    ("/FT/Sig", "/FT/Tx "),
                    ("/TransformMethod/FieldMDP", "/TransformMethod/DocMDP  "),
                ];
                var (from, to) = edits[rnd.Next(edits.Length)];
                var hits = Regex.Matches(text, Regex.Escape(from));
                if (hits.Count == 0) goto case "bitflips";
                Encoding.Latin1.GetBytes(to).CopyTo(b, hits[rnd.Next(hits.Count)].Index);
                return (b, m);
            }
            default:
            {
                var from = rnd.Next(b.Length);
                var len = rnd.Next(1, Math.Min(2000, b.Length - from) + 1);
                return ([.. b[..from], .. b[(from + len)..]], "delete-span");
            }
        }
    }

    private static long RandomOffset(Random rnd, int length) => rnd.Next(4) switch
    {
        0 => 0,
        1 => rnd.NextInt64(length + 1000),
        2 => long.MaxValue / 3,
        _ => rnd.Next(length),
    };

    private static byte[] ReplaceNumberAfter(string text, string keyword, Random rnd, long value)
    {
        var hits = Regex.Matches(text, keyword + @"\s+(\d+)");
        if (hits.Count == 0) return Latin1(text);
        var g = hits[rnd.Next(hits.Count)].Groups[1];
        return Latin1(text[..g.Index] + value.ToString(CultureInfo.InvariantCulture) + text[(g.Index + g.Length)..]);
    }

    private static byte[] Latin1(string s) => Encoding.Latin1.GetBytes(s);
}
