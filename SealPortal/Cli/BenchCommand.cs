using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;

namespace SealPortal.Cli;

/// <summary>
/// <c>bench</c>: prints PDF engine figures (medians over many runs) on inputs generated on the
/// fly in a temporary folder that is deleted afterwards. Figures are printed, never asserted.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "fewer runs and a 100 MB file instead of 500 MB" };
        var bigMb = new Option<int?>("--big-mb") { HelpName = "MB", Description = "size of the large PDF signed in a child process to measure its peak memory" };
        // The memory figure is taken in a child process that signs one file; it is this verb again. Program.cs
        // runs that exact command line before the verbs are built (BenchCommand.IsMemoryChild); this option keeps
        // it a valid command line for the parser too.
        var childSign = new Option<string[]>("--child-sign") { Hidden = true, Arity = new ArgumentArity(2, 2), AllowMultipleArgumentsPerToken = true };
        // For a profiler (dotnet-trace, perf): N signatures of one generated PDF in a loop, nothing else.
        var loop = new Option<int?>("--loop") { Hidden = true };
        var loopPages = new Option<int>("--loop-pages") { Hidden = true, DefaultValueFactory = _ => 1 };
        var loopNoFsync = new Option<bool>("--loop-no-fsync") { Hidden = true };
        // B-B (default), B-T with an in-process TSA, or B-LT with the OCSP responses at hand too.
        var loopLevel = new Option<string>("--loop-level") { Hidden = true, DefaultValueFactory = _ => "B-B" };
        var command = new Command("bench", "Print PDF engine figures (signing and verifying speed, memory) measured on generated PDFs.")
        {
            quick, bigMb, childSign, loop, loopPages, loopNoFsync, loopLevel,
        };
        command.SetAction(async p =>
        {
            if (p.GetValue(childSign) is [var input, var output])
                return await ChildSignAsync(input, output);
            if (p.GetValue(loop) is int loops)
            {
                if (!PadesLevels.TryParse(p.GetValue(loopLevel), out var level) || level == PadesLevel.BLTA)
                    throw new CliUsageException($"--loop-level must be B-B, B-T or B-LT, not {p.GetValue(loopLevel)}");
                return await LoopAsync(loops, Math.Max(1, p.GetValue(loopPages)), !p.GetValue(loopNoFsync), level);
            }
            var isQuick = p.GetValue(quick);
            var mb = p.GetValue(bigMb) ?? (isQuick ? 100 : 500);
            if (mb < 1)
                throw new CliUsageException($"--big-mb must be at least 1, not {mb}");
            return await RunAsync(isQuick, mb);
        });
        return command;
    }

    private static async Task<int> RunAsync(bool quick, int bigMb)
    {
        var runs1 = quick ? 30 : 200;
        var runs300 = quick ? 5 : 25;
        var seconds = quick ? 2.0 : 6.0;

        var dir = Path.Combine(Path.GetTempPath(), $"sealportal-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            Console.WriteLine($"SealPortal PDF engine bench ({(quick ? "quick" : "full")}): {Environment.ProcessorCount} cores, .NET {Environment.Version}, {RuntimeConfiguration()}, load average {LoadAverage()}");
            using var identity = BenchIdentity();
            var content = await PdfSignatureContent.FromCadesAsync(identity, null);
            var signer = new PdfSigner(TimeProvider.System);
            var options = new PdfSignOptions { SignerName = "Bench Seal", Reason = "bench" };

            var one = Path.Combine(dir, "one-page.pdf");
            WriteSyntheticPdf(one, pages: 1, bytesPerPage: 0);
            var big300 = Path.Combine(dir, "300-pages.pdf");
            WriteSyntheticPdf(big300, pages: 300, bytesPerPage: 100_000);

            for (var i = 0; i < 5; i++) await signer.SignFileAsync(one, Path.Combine(dir, "warm.pdf"), content, options);

            // The reference for the one-page figure: the RSA-3072 private-key operation no signer can skip.
            var refDigest = SHA256.HashData("reference"u8);
            using var signingKey = identity.Certificate.GetRSAPrivateKey()!;
            var tRsaSign = await Median(runs1, () => { signingKey.SignHash(refDigest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1); return Task.CompletedTask; });
            var (t1, phases1, fast1) = await MedianSign(runs1, () => signer.SignFileAsync(one, Path.Combine(dir, "one-signed.pdf"), content, options));
            Console.WriteLine($"sign 1-page PDF, RSA-3072, no TSA:        median {t1:F2} ms over {runs1} runs (target <= 2.5 ms: {Met(t1 <= 2.5)}; reference: the RSA-3072 signature alone {tRsaSign:F2} ms; fastest tenth of the seals {fast1:F2} ms) [load {LoadAverage()}]");
            Console.WriteLine($"  where it went (median of each phase):    {Breakdown(phases1, "F2")}");
            // Issue #12 set 2.5 ms on a machine whose RSA-3072 signature took about 1.9 ms, which leaves 0.6 ms for
            // everything else; on a slower machine the key operation alone can exceed 2.5 ms. So the same budget over
            // this run's own RSA reference is printed too, as context for the absolute figure, not instead of it.
            Console.WriteLine($"  the 2.5 ms target leaves 0.6 ms beside a 1.9 ms RSA-3072 signature; beside this run's {tRsaSign:F2} ms that is {tRsaSign + 0.6:F2} ms: {Met(t1 <= tRsaSign + 0.6)} (the seal took {t1 - tRsaSign:F2} ms beside the RSA signature)");

            // The portal's seals carry a picture: the same one-page seal with a 400 x 400 seal image (RGB and alpha).
            // The bitmap is kept, as the portal keeps one per seal, so its compressed planes are made once.
            var imageOptions = new PdfSignOptions { SignerName = options.SignerName, Reason = options.Reason, SealImage = SyntheticSealImage(400) };
            var (t1i, phases1i, _) = await MedianSign(runs1, () => signer.SignFileAsync(one, Path.Combine(dir, "one-image-signed.pdf"), content, imageOptions));
            Console.WriteLine($"  the same with a 400 x 400 seal image:    median {t1i:F2} ms ({Breakdown(phases1i, "F2")})");

            var (t300, phases300, _) = await MedianSign(runs300, () => signer.SignFileAsync(big300, Path.Combine(dir, "300-signed.pdf"), content, options));
            var sha300 = await Median(runs300, () => { Sha256OfFile(big300); return Task.CompletedTask; });
            Console.WriteLine($"sign 300-page {new FileInfo(big300).Length / 1e6:F0} MB PDF:                median {t300:F1} ms over {runs300} runs (target <= 40 ms: {Met(t300 <= 40)}; reference: SHA-256 of the file {sha300:F1} ms) [load {LoadAverage()}]");
            Console.WriteLine($"  where it went (median of each phase):    {Breakdown(phases300, "F1")}");

            // The same two figures without fsync separate the engine's cost from the disk's, and the
            // disk's share is measured alone: a file of the output's size written, fsynced and
            // renamed over an existing one, exactly as a seal's output is.
            var noSync = new PdfSigner(TimeProvider.System) { FlushToDisk = false };
            var t1n = await Median(runs1, () => noSync.SignFileAsync(one, Path.Combine(dir, "one-signed-nosync.pdf"), content, options));
            var t300n = await Median(runs300, () => noSync.SignFileAsync(big300, Path.Combine(dir, "300-signed-nosync.pdf"), content, options));
            Console.WriteLine($"  same without fsync (engine only):        1-page {t1n:F2} ms ({Met(t1n <= 2.5)}), 300-page {t300n:F1} ms ({Met(t300n <= 40)}) [load {LoadAverage()}]");
            var d1 = await Median(runs1, () => DurableWrite(dir, new FileInfo(Path.Combine(dir, "one-signed.pdf")).Length));
            var d300 = await Median(runs300, () => DurableWrite(dir, new FileInfo(Path.Combine(dir, "300-signed.pdf")).Length));
            Console.WriteLine($"  the disk alone (write, fsync, rename):   1-page {d1:F2} ms, 300-page {d300:F1} ms: the durability every seal keeps [load {LoadAverage()}]");
            var digest = SHA256.HashData("bench"u8);
            var tCms = await Median(runs1, () => content.BuildAsync(digest, CancellationToken.None));
            Console.WriteLine($"  of which the CMS (RSA-3072 signature):   {tCms:F2} ms");

            var big = Path.Combine(dir, "big.pdf");
            WriteSyntheticPdf(big, pages: 50, bytesPerPage: bigMb * 1_000_000L / 50);
            var (peak, baseline, ms) = await PeakMemoryInChild(big, Path.Combine(dir, "big-signed.pdf"));
            var shaBig = Stopwatch.StartNew();
            Sha256OfFile(big);
            var shaBigMs = shaBig.Elapsed.TotalMilliseconds;
            // The disk's floor for the same output: writing as many bytes, fsync and rename, as the signer does.
            var diskBig = Stopwatch.StartNew();
            await DurableWrite(dir, new FileInfo(big).Length);
            var diskBigMs = diskBig.Elapsed.TotalMilliseconds;
            Console.WriteLine($"sign {new FileInfo(big).Length / 1e6:F0} MB PDF in a child process:   peak RSS {peak / 1048576.0:F1} MiB (VmHWM; {baseline / 1048576.0:F1} MiB after start-up and key load; target < 64 MiB: {Met(peak < 64 * 1048576L)}), " +
                $"{ms:F0} ms = {ms / shaBigMs:F2}x the SHA-256 of the file ({shaBigMs:F0} ms; target <= 2x: {Met(ms <= 2 * shaBigMs)}) [load {LoadAverage()}]");
            Console.WriteLine($"  the disk alone (write {new FileInfo(big).Length / 1e6:F0} MB, fsync, rename): {diskBigMs:F0} ms = {diskBigMs / shaBigMs:F2}x the SHA-256; the seal took {ms / diskBigMs:F2}x the disk alone");
            File.Delete(Path.Combine(dir, "disk-reference.bin"));
            File.Delete(big);
            File.Delete(Path.Combine(dir, "big-signed.pdf"));

            // Each signature waits on its fsyncs, during which its thread uses no CPU: with only as many
            // signers as cores the cores idle for those waits. The portal's job server runs more workers
            // than cores (Jobs:WorkerCount, dedicated threads), so the signers here are dedicated threads
            // too, as many as cores, as the portal's default, and four per core.
            // openssl speed divides by its own CPU time unless told -elapsed, so on a loaded machine its default
            // figure leaves out the time it waited for a core, which the signatures/s here include. The
            // reference under equal conditions is therefore -elapsed (signatures per wall-clock second, measured
            // just before and just after); the default figure is printed too.
            var opensslCpuTime = OpensslRsa3072SignsPerSecond(Environment.ProcessorCount, elapsed: false);
            foreach (var workers in new[] { Environment.ProcessorCount, new SealPortal.Jobs.JobsOptions().WorkerCount, Environment.ProcessorCount * 4 }.Distinct())
            {
                var before = OpensslRsa3072SignsPerSecond(Environment.ProcessorCount, elapsed: true);
                var cpu0 = ProcessCpu();
                var (count, elapsed) = Sustained(workers, seconds, w =>
                    signer.SignFileAsync(one, Path.Combine(dir, $"sustained-{w}.pdf"), content, options));
                var cpuPerSign = (ProcessCpu() - cpu0) / count;
                var after = OpensslRsa3072SignsPerSecond(Environment.ProcessorCount, elapsed: true);
                var openssl = before is { } b && after is { } a ? (b + a) / 2 : before ?? after;
                var rate = count / elapsed;
                var share = openssl is { } o
                    ? $"{rate / o:P0} of `openssl speed -elapsed -multi {Environment.ProcessorCount} rsa3072` = {o:F0} signs/s (mean of before and after); target >= 80%: {Met(rate >= 0.8 * o)}"
                    : "openssl speed not available";
                if (opensslCpuTime is { } oc)
                    share += $"; {rate / oc:P0} of openssl's default figure {oc:F0} signs/s per CPU-second";
                Console.WriteLine($"sustained 1-page signatures, {workers,2} signer threads on {Environment.ProcessorCount} cores: {rate:F0} signatures/s ({count} in {elapsed:F1} s, {cpuPerSign:F2} ms process CPU each; {share}) [load {LoadAverage()}]");
            }
            // CPU time and allocations per signature vary far less with the machine's load than wall
            // time; measured here, once every method of the signing path has been compiled at full
            // optimization (background compilation would otherwise count).
            var (rsaCpu, _, _) = await CostPerCall(runs1 * 2, () => { signingKey.SignHash(refDigest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1); return Task.CompletedTask; });
            var (cpu1, alloc1, _) = await CostPerCall(runs1 * 2, () => signer.SignFileAsync(one, Path.Combine(dir, "one-signed.pdf"), content, options));
            Console.WriteLine($"CPU per 1-page signature:                 {cpu1:F2} ms of process CPU (the RSA-3072 signature alone {rsaCpu:F2} ms), {alloc1 / 1024:F0} KiB allocated [load {LoadAverage()}]");
            // With the cores saturated, throughput is cores / CPU per signature, and openssl's is cores / its
            // CPU per signature; the ratio is the most the sustained figure can reach on any load. CPU time
            // hardly depends on the machine's load, unlike signatures per second.
            Console.WriteLine($"  so with the cores saturated a seal loop reaches at most {rsaCpu / cpu1:P0} of an RSA-only loop's signatures/s (the kernel's own disk work, e.g. its journal thread, comes on top)");
            var verifyOptions = new VerifyOptions { TrustAnchors = [identity.Certificate], Now = DateTimeOffset.UtcNow };
            var one1 = Path.Combine(dir, "one-signed.pdf");
            var verdict = Verify(one1, verifyOptions);
            var v1 = await Median(runs1, () => { Verify(one1, verifyOptions); return Task.CompletedTask; });
            var v300 = await Median(runs300, () => { Verify(Path.Combine(dir, "300-signed.pdf"), verifyOptions); return Task.CompletedTask; });
            // The reference: the one public-key operation no verifier can skip.
            using var publicKey = identity.Certificate.GetRSAPublicKey()!;
            using var privateKey = identity.Certificate.GetRSAPrivateKey()!;
            var signatureValue = privateKey.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var tRsa = await Median(runs1, () => { publicKey.VerifyHash(digest, signatureValue, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1); return Task.CompletedTask; });
            Console.WriteLine($"verify signed 1-page PDF:                 median {v1:F2} ms over {runs1} runs (verdict {verdict}; target <= 1 ms: {Met(v1 <= 1)}; the RSA-3072 verification alone {tRsa:F3} ms) [load {LoadAverage()}]");
            // The figure above is a portal's usual case: the seal's, its CA's and the TSA's certificates were seen
            // before (CertificateCache). A file whose certificates are all new pays their loading and issuer checks.
            var vCold = await Median(runs1, () => { CertificateCache.Clear(); Verify(one1, verifyOptions); return Task.CompletedTask; });
            Console.WriteLine($"  the same with no certificate seen before: median {vCold:F2} ms (the certificate cache emptied before each run)");
            Console.WriteLine($"verify signed 300-page PDF:               median {v300:F1} ms over {runs300} runs");
            await LongTermFigures(dir, one, runs1 / 2, runs300);
            Console.WriteLine("all timings include open, parse, copy, SHA-256, CMS, fsync and rename of the output");
            return 0;
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// B-LT against B-T on the 1-page PDF, with an in-process TSA and the revocation data at hand
    /// (OCSP responses made once up front), so the figure is the engine's DSS cost, not a network's.
    /// </summary>
    private static async Task LongTermFigures(string dir, string one, int runs, int verifyRuns)
    {
        using var lt = await LongTermSetup.CreateAsync();
        var (signer, options, content, validation, atHand, caCert) = (new PdfSigner(TimeProvider.System), lt.Options, lt.Content, lt.Validation, lt.AtHand, lt.CaCert);

        var bt = Path.Combine(dir, "one-bt.pdf");
        var blt = Path.Combine(dir, "one-blt.pdf");
        var twoPass = Path.Combine(dir, "one-blt-two-pass.pdf");
        for (var i = 0; i < 3; i++)
            await signer.SignFileAsync(one, blt, content, options, validation, CancellationToken.None);
        var tBt = await Median(runs, () => signer.SignFileAsync(one, bt, content, options));
        // B-LT as the portal writes it: the DSS appended in the signing pass, one flush and rename.
        var tBlt = await Median(runs, () => signer.SignFileAsync(one, blt, content, options, validation, CancellationToken.None));
        // The earlier way, for comparison: sign, then a second pass that copies the file and fsyncs again.
        var tTwoPass = await Median(runs, async () =>
        {
            await signer.SignFileAsync(one, twoPass, content, options);
            await LongTermValidation.AddValidationDataAsync(twoPass, [atHand], null, CancellationToken.None);
        });
        Console.WriteLine($"sign 1-page PDF at B-T (in-process TSA):  median {tBt:F2} ms over {runs} runs [load {LoadAverage()}]");
        Console.WriteLine($"sign 1-page PDF at B-LT, data at hand:    median {tBlt:F2} ms: B-LT adds {tBlt - tBt:F2} ms to B-T (target <= 5 ms: {Met(tBlt - tBt <= 5)}); " +
            $"signing then a separate DSS pass took {tTwoPass:F2} ms (+{tTwoPass - tBt:F2} ms) [load {LoadAverage()}]");

        var verifyOptions = new VerifyOptions { TrustAnchors = [caCert], Now = DateTimeOffset.UtcNow };
        var vBt = await Median(verifyRuns * 4, () => { Verify(bt, verifyOptions); return Task.CompletedTask; });
        var verdict = Verify(blt, verifyOptions);
        var vBlt = await Median(verifyRuns * 4, () => { Verify(blt, verifyOptions); return Task.CompletedTask; });
        Console.WriteLine($"verify 1-page B-LT PDF (revocation from the DSS): median {vBlt:F2} ms, {vBlt - vBt:F2} ms more than B-T without DSS (verdict {verdict}) [load {LoadAverage()}]");
    }

    /// <summary>
    /// A CA, a seal and a time-stamp authority it issued, an in-process TSA and OCSP responses made
    /// up front: what B-T and B-LT signing need, with nothing on a network.
    /// </summary>
    private sealed class LongTermSetup : IDisposable
    {
        private readonly RSA _caKey;
        private readonly SigningIdentity _ca, _seal, _tsa;
        public required X509Certificate2 CaCert { get; init; }
        public required PdfSignatureContent Content { get; init; }
        public required AtHandRevocation AtHand { get; init; }
        public ValidationDataOptions Validation => new([AtHand]);
        public PdfSignOptions Options { get; } = new() { SignerName = "Bench Seal", Reason = "bench" };

        private LongTermSetup(RSA caKey, SigningIdentity ca, SigningIdentity seal, SigningIdentity tsa) => (_caKey, _ca, _seal, _tsa) = (caKey, ca, seal, tsa);

        public static async Task<LongTermSetup> CreateAsync()
        {
            var now = DateTimeOffset.UtcNow;
            var caKey = RSA.Create(3072);
            var caReq = new CertificateRequest("CN=Bench CA, O=SealPortal bench", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
            var caCert = caReq.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
            var ca = Issued(caCert, null, "CN=Bench CA", null, now);
            var seal = Issued(caCert, caKey, "CN=Bench Seal", null, now);
            var tsaId = Issued(caCert, caKey, "CN=Bench TSA", "1.3.6.1.5.5.7.3.8", now);
            var responder = new OcspResponder(ca, caCert, new Dictionary<string, DateTimeOffset>(), TimeProvider.System);
            var tsa = new InProcessTsa(new TimestampAuthority(tsaId, TimeProvider.System));
            return new LongTermSetup(caKey, ca, seal, tsaId)
            {
                CaCert = caCert,
                AtHand = new AtHandRevocation(responder, [seal.Certificate, tsaId.Certificate], caCert),
                Content = await PdfSignatureContent.FromCadesAsync(seal, tsa),
            };
        }

        public void Dispose()
        {
            _seal.Dispose();
            _tsa.Dispose();
            _ca.Dispose();
            CaCert.Dispose();
            _caKey.Dispose();
        }
    }

    /// <summary>A certificate issued by the bench CA (or the CA itself when <paramref name="caKey"/> is null), with its key.</summary>
    private static SigningIdentity Issued(X509Certificate2 caCert, RSA? caKey, string subject, string? eku, DateTimeOffset now)
    {
        if (caKey is null)
        {
            var self = X509CertificateLoader.LoadPkcs12(caCert.Export(X509ContentType.Pkcs12, "bench"), "bench", X509KeyStorageFlags.EphemeralKeySet);
            return SigningIdentity.FromCertificate(self, []);
        }
        using var key = RSA.Create(3072);
        var req = new CertificateRequest($"{subject}, O=SealPortal bench", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        if (eku is not null) req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], true));
        using var cert = req.Create(caCert, now.AddDays(-1), now.AddYears(1), RandomNumberGenerator.GetBytes(16));
        using var withKey = cert.CopyWithPrivateKey(key);
        var loaded = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12, "bench"), "bench", X509KeyStorageFlags.EphemeralKeySet);
        return SigningIdentity.FromCertificate(loaded, [caCert]);
    }

    private sealed class InProcessTsa(TimestampAuthority authority) : ITimestampClient
    {
        public Task<byte[]> RequestTokenAsync(byte[] sha256Imprint, CancellationToken ct)
        {
            var request = System.Security.Cryptography.Pkcs.Rfc3161TimestampRequest.CreateFromHash(sha256Imprint, HashAlgorithmName.SHA256, requestSignerCertificates: true);
            return Task.FromResult(request.ProcessResponse(authority.Respond(request.Encode()), out _).AsSignedCms().Encode());
        }
    }

    /// <summary>OCSP responses made once, as a cache or a pre-fetch job would hold them.</summary>
    private sealed class AtHandRevocation : IRevocationSource
    {
        private readonly Dictionary<string, byte[]> _responses = [];

        public AtHandRevocation(OcspResponder responder, IEnumerable<X509Certificate2> certificates, X509Certificate2 issuer)
        {
            foreach (var c in certificates)
                _responses[c.Thumbprint] = responder.Respond(OcspProtocol.EncodeRequest(c, issuer, RandomNumberGenerator.GetBytes(16)));
        }

        public Task<RevocationEvidence?> FindAsync(X509Certificate2 certificate, X509Certificate2 issuer, CancellationToken ct) =>
            Task.FromResult(_responses.TryGetValue(certificate.Thumbprint, out var der) ? new RevocationEvidence(RevocationEvidenceKind.Ocsp, der) : null);
    }

    private static string Met(bool met) => met ? "met" : "NOT met";

    /// <summary>What a seal's output costs the disk alone: write a file of <paramref name="length"/> bytes, fsync it, rename it over an existing file (freeing the replaced one afterwards) and fsync the folder, as the signer does.</summary>
    private static Task DurableWrite(string dir, long length)
    {
        var temp = Path.Combine(dir, $".disk-{Guid.NewGuid():N}.tmp");
        var buffer = new byte[(int)Math.Min(length, 256 << 10)];
        using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            for (var left = length; left > 0; left -= buffer.Length)
                fs.Write(buffer, 0, (int)Math.Min(left, buffer.Length));
            fs.Flush(flushToDisk: true);
        }
        var target = Path.Combine(dir, "disk-reference.bin");
        // As the signer does: the replaced version is held open over the rename and freed on the freeing thread afterwards.
        var previous = PdfSigner.OpenPrevious(target);
        File.Move(temp, target, overwrite: true);
        SealPortal.Pdf.Incremental.DurableFolder.Sync(dir);
        if (previous is not null) ReplacedFiles.Free(previous);
        return Task.CompletedTask;
    }

    private static void Sha256OfFile(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = fs.Read(buffer)) > 0)
            sha.AppendData(buffer, 0, read);
        sha.GetHashAndReset();
    }

    /// <summary>
    /// The reference for the sustained figure, measured now: RSA-3072 signatures per second of
    /// <c>openssl speed -seconds 2 -multi N rsa3072</c>, per wall-clock second with <paramref name="elapsed"/>,
    /// else per second of its CPU time (openssl's default). Null when openssl is not on the PATH.
    /// </summary>
    private static double? OpensslRsa3072SignsPerSecond(int processes, bool elapsed)
    {
        try
        {
            var psi = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("speed");
            if (elapsed) psi.ArgumentList.Add("-elapsed");
            foreach (var a in new[] { "-seconds", "2", "-multi", processes.ToString(CultureInfo.InvariantCulture), "rsa3072" })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var errors = p.StandardError.ReadToEndAsync();
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            _ = errors.Result;
            // "rsa 3072 bits 0.000939s 0.000027s   1065.1  36885.3": the third number after "bits" is sign/s.
            var line = text.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith("rsa", StringComparison.Ordinal) && l.Contains("3072", StringComparison.Ordinal));
            var numbers = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w != "bits").Skip(1).ToList();
            return numbers is { Count: >= 3 } && double.TryParse(numbers[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static double ProcessCpu()
    {
        using var me = Process.GetCurrentProcess();
        return me.TotalProcessorTime.TotalMilliseconds;
    }

    /// <summary>
    /// Median wall time of <paramref name="runs"/> signatures, the median of each of their phases, and the
    /// time the fastest tenth stayed under (on a shared machine: what a seal costs when nothing preempts it).
    /// </summary>
    private static async Task<(double Median, PdfSignTimings Phases, double FastestTenth)> MedianSign(int runs, Func<Task<PdfSignResult>> sign)
    {
        var times = new double[runs];
        var phases = new PdfSignTimings[runs];
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            var r = await sign();
            times[i] = sw.Elapsed.TotalMilliseconds;
            phases[i] = r.Timings!;
        }
        double M(Func<PdfSignTimings, double> f) => phases.Select(f).Order().ElementAt(runs / 2);
        Array.Sort(times);
        return (times[runs / 2], new PdfSignTimings(M(p => p.Prepare), M(p => p.CopyAndHash), M(p => p.Cms), M(p => p.Write),
            M(p => p.ValidationData), M(p => p.FileSync), M(p => p.Rename), M(p => p.FolderSync), M(p => p.Total)), times[runs / 10]);
    }

    private static string Breakdown(PdfSignTimings p, string format)
    {
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        var cpu = p.Prepare + p.CopyAndHash + p.Cms + p.Write;
        var disk = p.FileSync + p.Rename + p.FolderSync;
        return $"open+parse+update {F(p.Prepare)}, copy+hash {F(p.CopyAndHash)}, CMS (RSA) {F(p.Cms)}, write {F(p.Write)} = {F(cpu)} ms before the disk; " +
            $"then fsync file {F(p.FileSync)}, rename {F(p.Rename)}, fsync folder {F(p.FolderSync)} = {F(disk)} ms waiting for durability";
    }

    /// <summary>The 1-minute load average: figures on a machine shared with other jobs vary with it.</summary>
    internal static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "n/a"; }
    }

    private static string RuntimeConfiguration()
    {
#if DEBUG
        return "Debug build (use -c Release for real figures)";
#else
        return "Release build";
#endif
    }

    /// <summary>A throw-away RSA-3072 identity so the bench needs no files.</summary>
    private static SigningIdentity BenchIdentity()
    {
        using var rsa = RSA.Create(3072);
        var req = new CertificateRequest("CN=Bench Seal, O=SealPortal bench", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        var now = DateTimeOffset.UtcNow;
        using var cert = req.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        // Export/import gives a key that stays valid after the RSA instance above is disposed.
        var pfx = cert.Export(X509ContentType.Pkcs12, "bench");
        var withKey = X509CertificateLoader.LoadPkcs12(pfx, "bench", X509KeyStorageFlags.EphemeralKeySet);
        return SigningIdentity.FromCertificate(withKey, []);
    }

    private static Verdict Verify(string path, VerifyOptions options)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        return PdfSignatureVerifier.Verify(fs, options).Verdict;
    }

    private static async Task<double> Median(int runs, Func<Task> action)
    {
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await action();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[runs / 2];
    }

    /// <summary>
    /// <paramref name="workers"/> dedicated threads, as a job server's workers, each signing in a loop
    /// (waiting on each signature as a job does) until <paramref name="seconds"/> have passed.
    /// </summary>
    private static (long Count, double Seconds) Sustained(int workers, double seconds, Func<int, Task> action)
    {
        long count = 0;
        Exception? failure = null;
        var sw = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            try
            {
                while (sw.Elapsed.TotalSeconds < seconds)
                {
                    action(w).GetAwaiter().GetResult();
                    Interlocked.Increment(ref count);
                }
            }
            catch (Exception e)
            {
                failure ??= e;
            }
        }) { IsBackground = true, Name = $"bench signer {w}" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failure is not null) throw new InvalidOperationException("a sustained signer failed", failure);
        return (count, sw.Elapsed.TotalSeconds);
    }

    private static async Task<(long Peak, long Baseline, double Ms)> PeakMemoryInChild(string input, string output)
    {
        var exe = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") psi.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
        foreach (var s in new[] { "bench", "--child-sign", input, output }) psi.ArgumentList.Add(s);
        using var p = Process.Start(psi)!;
        var text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        var parts = text.Trim().Split(' ');
        if (p.ExitCode != 0 || parts.Length != 3) throw new InvalidOperationException($"bench child failed ({p.ExitCode}): {text}");
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The memory child's arguments (<c>bench --child-sign INPUT OUTPUT</c>). Program.cs runs the child before the
    /// command line is built, so the child's memory is the runtime, the engine and the key, not the other verbs:
    /// building every verb's options compiled and touched several MB of code that no seal needs.
    /// </summary>
    public static bool IsMemoryChild(string[] args) => args is ["bench", "--child-sign", _, _];

    /// <summary>Child side of the memory figure: sign once and print "peak baseline ms" (bytes, bytes, ms).</summary>
    public static async Task<int> ChildSignAsync(string input, string output)
    {
        using var identity = BenchIdentity();
        var content = await PdfSignatureContent.FromCadesAsync(identity, null);
        var signer = new PdfSigner(TimeProvider.System);
        var baseline = PeakRss();
        var sw = Stopwatch.StartNew();
        await signer.SignFileAsync(input, output, content, new PdfSignOptions { SignerName = "Bench Seal" });
        var ms = sw.Elapsed.TotalMilliseconds;
        Console.WriteLine($"{PeakRss()} {baseline} {ms.ToString("F1", CultureInfo.InvariantCulture)}");
        return 0;
    }

    /// <summary>For a profiler: <paramref name="loops"/> signatures of a generated PDF, then CPU and allocation per signature.</summary>
    private static async Task<int> LoopAsync(int loops, int pages, bool fsync, PadesLevel level)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"sealportal-loop-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            using var identity = BenchIdentity();
            using var longTerm = level == PadesLevel.BB ? null : await LongTermSetup.CreateAsync();
            var content = longTerm?.Content ?? await PdfSignatureContent.FromCadesAsync(identity, null);
            var validation = level == PadesLevel.BLT ? longTerm!.Validation : null;
            var signer = new PdfSigner(TimeProvider.System) { FlushToDisk = fsync };
            var options = new PdfSignOptions { SignerName = "Bench Seal", Reason = "bench" };
            var one = Path.Combine(dir, "one-page.pdf");
            WriteSyntheticPdf(one, pages: pages, bytesPerPage: pages > 1 ? 100_000 : 0);
            var output = Path.Combine(dir, "one-signed.pdf");
            if (pages > 1)
            {
                var (shaCpu, _, shaWall) = await CostPerCall(loops, () => { Sha256OfFile(one); return Task.CompletedTask; });
                Console.WriteLine($"SHA-256 of the {pages}-page file: {shaWall:F2} ms wall, {shaCpu:F2} ms CPU");
            }
            for (var i = 0; i < (pages > 1 ? 10 : 200); i++) await signer.SignFileAsync(one, output, content, options, validation, CancellationToken.None);
            // The seals first, so that a profiler attached a few seconds after the start sees only them.
            var (cpu, alloc, wall) = await CostPerCall(loops, () => signer.SignFileAsync(one, output, content, options, validation, CancellationToken.None));
            using var key = identity.Certificate.GetRSAPrivateKey()!;
            var digest = SHA256.HashData("reference"u8);
            var (rsaCpu, _, rsaWall) = await CostPerCall(loops, () => { key.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1); return Task.CompletedTask; });
            var (median, phases, _) = await MedianSign(loops, () => signer.SignFileAsync(one, output, content, options, validation, CancellationToken.None));
            Console.WriteLine($"median {median:F2} ms: {Breakdown(phases, "F2")}");
            Console.WriteLine($"{loops} {level.Name()} signatures of a {pages}-page PDF{(fsync ? "" : " without fsync")}: {wall:F2} ms wall, {cpu:F2} ms CPU, {alloc / 1024.0:F1} KiB allocated per signature; " +
                $"the RSA-3072 operation alone {rsaWall:F2} ms wall, {rsaCpu:F2} ms CPU [load {LoadAverage()}]");
            return 0;
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    /// <summary>Mean process CPU time (ms), bytes allocated and wall time (ms) per call over <paramref name="runs"/> sequential calls.</summary>
    private static async Task<(double CpuMs, double Bytes, double WallMs)> CostPerCall(int runs, Func<Task> action)
    {
        var cpu0 = ProcessCpu();
        var alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++) await action();
        var wall = sw.Elapsed.TotalMilliseconds;
        var alloc = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
        var cpu = ProcessCpu() - cpu0;
        return (cpu / runs, (double)alloc / runs, wall / runs);
    }

    /// <summary>Peak resident set size of this process (Linux VmHWM), else the peak working set.</summary>
    private static long PeakRss()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        using var me = Process.GetCurrentProcess();
        return me.PeakWorkingSet64;
    }

    /// <summary>A red ring on a transparent square, <paramref name="side"/> pixels wide: a seal picture with an alpha plane.</summary>
    internal static SealBitmap SyntheticSealImage(int side)
    {
        var rgb = new byte[side * side * 3];
        var alpha = new byte[side * side];
        var c = side / 2.0;
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                var d = Math.Sqrt((x - c) * (x - c) + (y - c) * (y - c));
                var on = d < c - 2 && (d > c * 0.85 || (x + y) % 7 == 0 && d < c * 0.6);
                var i = y * side + x;
                rgb[3 * i] = 210;
                rgb[3 * i + 1] = (byte)(20 + x % 9);
                rgb[3 * i + 2] = (byte)(20 + y % 7);
                alpha[i] = on ? (byte)255 : (byte)0;
            }
        }
        return new SealBitmap(side, side, rgb, alpha);
    }

    /// <summary>
    /// Writes a classic-xref PDF whose pages each show a gray image of random (incompressible)
    /// bytes, streamed to disk so that generating a 500 MB input needs little memory.
    /// </summary>
    public static void WriteSyntheticPdf(string path, int pages, long bytesPerPage)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var offsets = new List<long>();
        void Obj(string body, Action? writeStream = null)
        {
            offsets.Add(fs.Position);
            var head = Encoding.ASCII.GetBytes($"{offsets.Count} 0 obj\n{body}\n");
            fs.Write(head);
            if (writeStream is not null)
            {
                fs.Write("stream\n"u8);
                writeStream();
                fs.Write("\nendstream\n"u8);
            }
            fs.Write("endobj\n"u8);
        }
        fs.Write("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"u8);
        var random = new byte[1 << 22];
        new Random(42).NextBytes(random);
        // Object numbers: 1 catalog, 2 pages, then per page: page, content, image.
        var kids = string.Join(' ', Enumerable.Range(0, pages).Select(i => $"{3 + 3 * i} 0 R"));
        Obj("<< /Type /Catalog /Pages 2 0 R >>");
        Obj($"<< /Type /Pages /Count {pages} /Kids [{kids}] >>");
        for (var i = 0; i < pages; i++)
        {
            var n = 3 + 3 * i;
            var imgSide = bytesPerPage > 0 ? (long)Math.Sqrt(bytesPerPage) : 0;
            var res = imgSide > 0 ? $"/Resources << /XObject << /Im0 {n + 2} 0 R >> >> " : "";
            Obj($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {res}/Contents {n + 1} 0 R >>");
            var content = imgSide > 0 ? "q 400 0 0 400 98 300 cm /Im0 Do Q" : $"0.2 0.3 0.8 rg 72 700 200 60 re f";
            Obj($"<< /Length {content.Length} >>", writeStream: () => fs.Write(Encoding.ASCII.GetBytes(content)));
            if (imgSide > 0)
            {
                var len = imgSide * imgSide;
                Obj($"<< /Type /XObject /Subtype /Image /Width {imgSide} /Height {imgSide} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {len} >>",
                    writeStream: () =>
                    {
                        for (long left = len, k = i; left > 0; k++)
                        {
                            var take = (int)Math.Min(left, random.Length - 4096);
                            fs.Write(random, (int)(k * 4099 % 4096), take);
                            left -= take;
                        }
                    });
            }
            else Obj("null");
        }
        var xref = fs.Position;
        var sb = new StringBuilder($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets) sb.Append(o.ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n \n");
        sb.Append($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        fs.Write(Encoding.ASCII.GetBytes(sb.ToString()));
    }
}
