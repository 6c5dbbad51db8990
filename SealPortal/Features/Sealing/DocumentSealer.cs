using System.Security.Cryptography;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Seals;
using SealPortal.Features.Seals.Imaging;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;
using SealPortal.Resources;
using SealPortal.Hosting;

namespace SealPortal.Features.Sealing;

/// <summary>
/// One electronic seal to apply to a document.
/// </summary>
/// <param name="SealId">The seal in the registry; it must be electronic, 启用 and have a valid certificate.</param>
/// <param name="Page">1-based page (ignored for a cross-page seal).</param>
/// <param name="Rect">Where the seal goes in points on the page as displayed; null is the engine's default (bottom right).</param>
/// <param name="CrossPage">骑缝章: a slice of the seal on the right edge of every page.</param>
/// <param name="Reason">The signature's /Reason (e.g. the request number and purpose).</param>
/// <param name="Location">The signature's /Location; null takes Signing:Location.</param>
public sealed record SealApplication(int SealId, int Page, PdfSealRect? Rect, bool CrossPage, string? Reason = null, string? Location = null);

/// <summary>What one seal application produced inside a sealed document.</summary>
/// <param name="FieldName">The signature field the engine created (e.g. "Seal2").</param>
/// <param name="CertificateThumbprint">SHA-1 thumbprint of the certificate that signed.</param>
/// <param name="Timestamped">True when the signature carries an RFC 3161 time-stamp (PAdES B-T).</param>
public sealed record AppliedSeal(int SealId, string SealName, string FieldName, string CertificateThumbprint, bool Timestamped);

/// <summary>
/// The finished sealed file, still in a private temporary folder: read it (e.g. into the archive)
/// and dispose it, which deletes the folder.
/// </summary>
public sealed class SealedDocument : IDisposable
{
    private readonly string _folder;

    internal SealedDocument(string folder, string path, string sha256, long length, IReadOnlyList<AppliedSeal> seals, PadesLevel level)
    {
        Level = level;
        _folder = folder;
        Path = path;
        Sha256 = sha256;
        Length = length;
        Seals = seals;
    }

    /// <summary>The sealed PDF on disk; gone after <see cref="Dispose"/>.</summary>
    public string Path { get; }

    /// <summary>Lower-case hex SHA-256 of the sealed file.</summary>
    public string Sha256 { get; }

    public long Length { get; }

    /// <summary>The PAdES level the document was sealed at.</summary>
    public PadesLevel Level { get; }

    /// <summary>The seals in the order they were applied (one revision each).</summary>
    public IReadOnlyList<AppliedSeal> Seals { get; }

    public Stream OpenRead() => new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);

    public void Dispose() => DocumentSealer.DeleteFolder(_folder);
}

/// <summary>Sealing could not be completed; the message is for the applicant and the keeper, in the UI language of the moment.</summary>
public sealed class SealingException(string message, int? sealId = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The seal that could not be applied, when the failure belongs to one.</summary>
    public int? SealId { get; } = sealId;

    /// <summary>Trying again later may succeed (the time-stamp authority did not answer); a job retries these.</summary>
    public bool Transient { get; init; }
}

/// <summary>A seal checked and ready to sign: its name, decoded image and unlocked certificate.</summary>
public sealed record PreparedSeal(string Name, SealBitmap? Image, SigningIdentity Identity);

/// <summary>
/// The seals of one sealing run, checked and prepared; disposing lets go of their material (the
/// <see cref="SealMaterialCache"/> forgets an unlocked key once no run holds it and it is idle or replaced).
/// </summary>
public sealed class PreparedSeals : IDisposable
{
    private readonly Dictionary<int, PreparedSeal> _seals = [];
    private readonly List<IDisposable> _leases = [];

    internal void Add(int sealId, PreparedSeal seal, IDisposable lease)
    {
        _leases.Add(lease);
        _seals.Add(sealId, seal);
    }

    public PreparedSeal Get(int sealId) =>
        _seals.TryGetValue(sealId, out var seal) ? seal : throw new ArgumentException($"seal {sealId} was not prepared", nameof(sealId));

    public void Dispose()
    {
        foreach (var lease in _leases)
            lease.Dispose();
        _leases.Clear();
        _seals.Clear();
    }
}

/// <summary>
/// Applies electronic seals to a PDF: each seal is one PAdES signature with the seal's image, in
/// its own incremental update, so every earlier signature (also a counterparty's) stays valid.
/// All seals are checked before the first is applied; the work happens in a private folder under
/// the data folder, and on any failure that folder is deleted, so no partial result remains.
/// </summary>
public sealed class DocumentSealer(
    SealRegistry registry,
    SealMaterialCache materials,
    IHttpClientFactory httpClients,
    IOptions<SigningOptions> options,
    IOptions<SealPortalOptions> portal,
    TimeProvider clock,
    IStringLocalizer<SharedResource> localizer,
    ILogger<DocumentSealer> logger)
{
    /// <summary>The named HttpClient the time-stamp requests go through.</summary>
    public const string TsaHttpClient = "tsa";

    /// <summary>The named HttpClient OCSP requests go through.</summary>
    public const string RevocationHttpClient = "revocation";

    /// <summary>
    /// Seals <paramref name="original"/> with <paramref name="seals"/> in the given order. The
    /// original stream is read once and not disposed.
    /// </summary>
    /// <exception cref="SealingException">A seal cannot be used, the document cannot be sealed, or the time-stamp authority failed.</exception>
    public async Task<SealedDocument> SealAsync(Stream original, IReadOnlyList<SealApplication> seals, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(seals);
        using var prepared = await PrepareAsync(seals.Select(s => s.SealId), ct);
        return await SealAsync(original, seals, prepared, ct);
    }

    /// <summary>
    /// Seals with seals already prepared by <see cref="PrepareAsync"/>: a job sealing many documents
    /// checks each seal, unlocks its certificate and reads its image once, not once per document.
    /// </summary>
    public async Task<SealedDocument> SealAsync(Stream original, IReadOnlyList<SealApplication> seals, PreparedSeals prepared, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(seals);
        if (seals.Count == 0)
            throw new ArgumentException("at least one seal is needed", nameof(seals));

        var level = options.Value.EffectiveLevel();
        var tsa = level >= PadesLevel.BT ? TimestampClient() : null;
        var folder = System.IO.Path.Combine(portal.Value.DataFolder, "tmp", $"{WorkFolderPrefix}{Guid.NewGuid():N}");
        PrivateFiles.CreateFolder(folder);
        try
        {
            var path = System.IO.Path.Combine(folder, "sealed.pdf");
            await using (var copy = new FileStream(path, PrivateFiles.NewFile(FileMode.CreateNew, FileAccess.Write, FileOptions.None, 81920)))
                await original.CopyToAsync(copy, ct);

            var signer = new PdfSigner(clock);
            var applied = new List<AppliedSeal>();
            // B-LT: the last seal's signing pass also appends the DSS for every seal applied here.
            var sources = level >= PadesLevel.BLT ? RevocationSources() : null;
            for (var i = 0; i < seals.Count; i++)
            {
                var validation = sources is not null && i == seals.Count - 1
                    ? new ValidationDataOptions(sources, applied.Select(a => a.FieldName).ToList())
                    : null;
                applied.Add(await ApplyAsync(signer, path, seals[i], prepared.Get(seals[i].SealId), tsa, validation, level, ct));
            }
            if (level == PadesLevel.BLTA)
                await ExtendAsync(path, level, tsa!, ct);

            string sha;
            long length;
            await using (var read = File.OpenRead(path))
            {
                sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct));
                length = read.Length;
            }
            // Debug: the request's own line (RequestSealing) says at Information what was sealed, once per request.
            logger.LogDebug("Sealed a document with {Count} seal(s) ({Seals}); SHA-256 {Sha}", applied.Count,
                string.Join(", ", applied.Select(a => a.SealId)), sha);
            return new SealedDocument(folder, path, sha, length, applied, level);
        }
        catch
        {
            DeleteFolder(folder);
            throw;
        }
    }

    /// <summary>The start of the name of every work folder under &lt;DataFolder&gt;/tmp; what a killed run left is removed at the next start.</summary>
    public const string WorkFolderPrefix = "sealing-";

    /// <summary>
    /// Checks every seal (it exists, is electronic, 启用, its certificate valid now) and gets its unlocked
    /// certificate and decoded image, refusing the whole run before any signing when one seal cannot be
    /// used, so no time-stamp is wasted. The checks read the database every time; the certificate and
    /// image come from <see cref="SealMaterialCache"/> while the seal's certificate file and image are
    /// the ones they were prepared from.
    /// </summary>
    public async Task<PreparedSeals> PrepareAsync(IEnumerable<int> sealIds, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var prepared = new PreparedSeals();
        try
        {
            foreach (var sealId in sealIds.Distinct())
            {
                var state = await registry.SigningStateAsync(sealId, now, ct)
                    ?? throw new SealingException(localizer["No such seal."], sealId);
                if (state.Kind != SealKind.Electronic)
                    throw new SealingException(localizer["The seal {0} is a physical seal and cannot be applied electronically.", state.Name], sealId);
                if (state.Unusable is { } reason)
                    throw new SealingException(reason, sealId);
                if (state.Fingerprint is not { } fingerprint)
                    throw new SealingException(localizer["The electronic seal {0} has no signing certificate.", state.Name], sealId);
                var lease = await materials.AcquireAsync(sealId, fingerprint, () => LoadMaterialAsync(sealId, state.Name, ct), ct);
                prepared.Add(sealId, new PreparedSeal(state.Name, lease.Image, lease.Identity), lease);
            }
            return prepared;
        }
        catch
        {
            prepared.Dispose();
            throw;
        }
    }

    private async Task<(SealBitmap? Image, SigningIdentity Identity)> LoadMaterialAsync(int sealId, string name, CancellationToken ct)
    {
        var image = await registry.GetImageAsync(sealId, ct);
        SealBitmap? bitmap;
        try
        {
            bitmap = image is null ? null : SealPng.Decode(image.Value.Png);
        }
        catch (SealImageException ex)
        {
            throw new SealingException(localizer["The seal {0} could not be applied: {1}", name, ex.Message], sealId, ex);
        }
        try
        {
            return (bitmap, await registry.LoadSigningIdentityAsync(sealId, ct));
        }
        catch (SealNotUsableException ex)
        {
            throw new SealingException(ex.Message, sealId, ex);
        }
        catch (SigningIdentityException ex)
        {
            throw new SealingException(localizer["The seal {0} could not be applied: {1}", name, ex.Message], sealId, ex);
        }
    }

    private async Task<AppliedSeal> ApplyAsync(PdfSigner signer, string path, SealApplication application, PreparedSeal seal,
        ITimestampClient? tsa, ValidationDataOptions? validation, PadesLevel level, CancellationToken ct)
    {
        try
        {
            var location = application.Location ?? options.Value.Location;
            var result = await signer.SignFileAsync(path, path, await PdfSignatureContent.FromCadesAsync(seal.Identity, tsa, ct), new PdfSignOptions
            {
                Page = application.Page,
                Rect = application.Rect,
                CrossPage = application.CrossPage,
                Reason = string.IsNullOrWhiteSpace(application.Reason) ? null : application.Reason,
                Location = string.IsNullOrWhiteSpace(location) ? null : location,
                SignerName = seal.Name,
                SealImage = seal.Image,
            }, validation, ct);
            return new AppliedSeal(application.SealId, seal.Name, result.FieldName, seal.Identity.Certificate.Thumbprint, tsa is not null);
        }
        catch (RevocationException ex)
        {
            logger.LogWarning("The sealed document could not be made {Level}: {Reason}", level.Name(), ex.Message);
            throw new SealingException(localizer["The sealed document could not be made long-term verifiable ({0}): {1}", level.Name(), ex.Message], null, ex);
        }
        catch (TimestampException ex)
        {
            logger.LogWarning("Seal {SealId} could not be time-stamped: {Reason}", application.SealId, ex.Message);
            throw new SealingException(localizer["The seal {0} could not be applied: {1}", seal.Name, ex.Message], application.SealId, ex)
            {
                Transient = true,
            };
        }
        catch (Exception ex) when (ex is PdfFormatException or PdfSigningException)
        {
            logger.LogWarning("Seal {SealId} could not be applied: {Reason}", application.SealId, ex.Message);
            throw new SealingException(localizer["The seal {0} could not be applied: {1}", seal.Name, ex.Message], application.SealId, ex);
        }
    }

    /// <summary>B-LTA: a document time-stamp over the seals and their DSS (written in the last seal's signing pass).</summary>
    private async Task ExtendAsync(string path, PadesLevel level, ITimestampClient tsa, CancellationToken ct)
    {
        try
        {
            await LongTermValidation.AddDocumentTimestampAsync(path, tsa, ct);
        }
        catch (Exception ex) when (ex is RevocationException or TimestampException or PdfFormatException or PdfSigningException)
        {
            logger.LogWarning("The sealed document could not be made {Level}: {Reason}", level.Name(), ex.Message);
            throw new SealingException(localizer["The sealed document could not be made long-term verifiable ({0}): {1}", level.Name(), ex.Message], null, ex);
        }
    }

    /// <summary>The configured revocation sources, OCSP first (fresher), then CRL files.</summary>
    public IReadOnlyList<IRevocationSource> RevocationSources()
    {
        var o = options.Value;
        var sources = new List<IRevocationSource>();
        Uri? ocsp = null;
        if (!string.IsNullOrWhiteSpace(o.OcspUrl) && (!Uri.TryCreate(o.OcspUrl, UriKind.Absolute, out ocsp) || ocsp.Scheme is not ("http" or "https")))
            throw new SealingException(localizer["The OCSP responder address {0} is not an http(s) URL.", o.OcspUrl]);
        if (ocsp is not null || o.UseCertificateOcsp)
        {
            var http = httpClients.CreateClient(RevocationHttpClient);
            http.Timeout = TimeSpan.FromSeconds(Math.Max(1, o.TsaTimeoutSeconds));
            sources.Add(new HttpOcspClient(http, ocsp));
        }
        if (o.CrlFiles.Length > 0)
        {
            try
            {
                sources.Add(new CrlFileSource(o.CrlFiles.Select(System.IO.Path.GetFullPath)));
            }
            catch (RevocationException ex)
            {
                throw new SealingException(ex.Message, null, ex);
            }
        }
        return sources;
    }

    /// <summary>The configured time-stamp authority, null when none is.</summary>
    public HttpTimestampClient? TimestampClient()
    {
        var url = options.Value.TsaUrl;
        if (string.IsNullOrWhiteSpace(url))
            return null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new SealingException(localizer["The time-stamp authority address {0} is not an http(s) URL.", url]);
        var http = httpClients.CreateClient(TsaHttpClient);
        http.Timeout = TimeSpan.FromSeconds(Math.Max(1, options.Value.TsaTimeoutSeconds));
        return new HttpTimestampClient(http, uri);
    }

    internal static void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A reader still holding the file (Windows) must not turn a finished sealing into a failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
