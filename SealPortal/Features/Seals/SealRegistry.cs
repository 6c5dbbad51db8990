using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Seals.Imaging;
using SealPortal.Pdf.Signing;
using SealPortal.Resources;

namespace SealPortal.Features.Seals;

/// <summary>What an administrator fills in for a seal.</summary>
public sealed record SealInput(string Name, SealType Type, SealKind Kind, int DepartmentId, string? CustodianUserId, string? OrganizationName);

/// <summary>
/// The outcome of a registry change. <see cref="Error"/> is a resource key (English text) with
/// <see cref="Args"/>; <see cref="StatusCode"/> is what a page should answer with.
/// </summary>
public sealed record SealResult(bool Succeeded, string? Error = null, object[]? Args = null, int StatusCode = StatusCodes.Status200OK, int? SealId = null)
{
    public static SealResult Ok(int sealId) => new(true, SealId: sealId);

    public static SealResult Fail(string error, params object[] args) => new(false, error, args, StatusCodes.Status400BadRequest);

    public static SealResult Fail(int statusCode, string error, params object[] args) => new(false, error, args, statusCode);
}

public sealed record SealHistoryRow(DateTimeOffset At, string Actor, SealChange Change, SealStatus? FromStatus, SealStatus? ToStatus, string? Reason, string? Detail)
{
    /// <summary>The field changes of a Created or Edited entry; empty for other entries.</summary>
    public IReadOnlyList<SealFieldChange> FieldChanges =>
        Change is SealChange.Created or SealChange.Edited && Detail is ['[', ..]
            ? System.Text.Json.JsonSerializer.Deserialize<List<SealFieldChange>>(Detail) ?? []
            : [];
}

/// <summary>
/// One field of a seal that changed. <see cref="Field"/> is a resource key ("Name", "Type", ...);
/// Type and Kind values are enum names so each reader sees them in their own language.
/// </summary>
public sealed record SealFieldChange(string Field, string? Before, string? After);

public sealed record SealCertificateInfo(string Subject, string Issuer, string Serial, string Thumbprint, string KeyAlgorithm, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

public sealed record SealDetail(
    int Id, string Name, SealType Type, SealKind Kind, int DepartmentId, string Department, string? CustodianUserId, string? Custodian,
    SealStatus Status, string? OrganizationName, string? ImageSha256, SealCertificateInfo? Certificate, IReadOnlyList<SealHistoryRow> History);

/// <summary>See <see cref="SealRegistry.SigningStateAsync"/>.</summary>
public sealed record SealSigningState(int SealId, string Name, SealKind Kind, string? Unusable, string? Fingerprint);

/// <summary>Thrown by <see cref="SealRegistry.LoadSigningIdentityAsync"/> when a seal cannot sign; the message is localized.</summary>
public sealed class SealNotUsableException(string message) : Exception(message);

/// <summary>
/// The seal registry (印章档案): creates and edits seals, moves them through their status
/// lifecycle, stores their images and certificates, and records every change in the seal's history.
/// </summary>
/// <remarks>
/// Allowed status changes (always with a reason, Admin only):
/// Active → Suspended, Lost, Destroyed; Suspended → Active, Lost, Destroyed;
/// Lost → Active (the seal was found), Destroyed. Destroyed is final, and a destroyed seal
/// cannot be edited or given a new image or certificate.
/// </remarks>
public sealed class SealRegistry(
    SealPortalDbContext db,
    IDataProtectionProvider dataProtection,
    IOptions<SealsOptions> options,
    SealFontCache fonts,
    TimeProvider clock,
    IStringLocalizer<SharedResource> localizer,
    AuditTrail.AuditTrail audit,
    ILogger<SealRegistry> logger,
    CompanyTime time,
    IOptions<SealPortal.Features.Training.TrainingOptions> training)
{
    public const string ProtectorPurpose = "SealPortal.SealCertificates";

    private static readonly Dictionary<SealStatus, SealStatus[]> Transitions = new()
    {
        [SealStatus.Active] = [SealStatus.Suspended, SealStatus.Lost, SealStatus.Destroyed],
        [SealStatus.Suspended] = [SealStatus.Active, SealStatus.Lost, SealStatus.Destroyed],
        [SealStatus.Lost] = [SealStatus.Active, SealStatus.Destroyed],
        [SealStatus.Destroyed] = [],
    };

    public static IReadOnlyList<SealStatus> AllowedTransitions(SealStatus from) => Transitions[from];

    private IDataProtector Protector => dataProtection.CreateProtector(ProtectorPurpose);

    public async Task<SealDetail?> GetAsync(int id, CancellationToken ct = default)
    {
        var s = await db.Seals.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new
            {
                x.Id, x.Name, x.Type, x.Kind, x.DepartmentId, Department = x.Department!.Name, x.CustodianUserId,
                Custodian = x.Custodian!.DisplayName, x.Status, x.OrganizationName, x.ImageSha256,
                x.CertificateSubject, x.CertificateIssuer, x.CertificateSerial, x.CertificateThumbprint, x.CertificateKeyAlgorithm,
                x.CertificateNotBefore, x.CertificateNotAfter,
            })
            .SingleOrDefaultAsync(ct);
        if (s is null)
            return null;
        var history = await db.SealHistory.AsNoTracking().Where(h => h.SealId == id).OrderBy(h => h.Id)
            .Select(h => new SealHistoryRow(h.At, h.Actor, h.Change, h.FromStatus, h.ToStatus, h.Reason, h.Detail))
            .ToListAsync(ct);
        var certificate = s.CertificateSubject is null ? null : new SealCertificateInfo(
            s.CertificateSubject, s.CertificateIssuer!, s.CertificateSerial!, s.CertificateThumbprint!, s.CertificateKeyAlgorithm!,
            s.CertificateNotBefore!.Value, s.CertificateNotAfter!.Value);
        return new SealDetail(s.Id, s.Name, s.Type, s.Kind, s.DepartmentId, s.Department, s.CustodianUserId, s.Custodian,
            s.Status, s.OrganizationName, s.ImageSha256, certificate, history);
    }

    /// <summary>The users who may keep a seal: those with the SealKeeper role.</summary>
    public async Task<IReadOnlyList<(string Id, string DisplayName)>> CustodianCandidatesAsync(CancellationToken ct = default)
    {
        var roleId = await db.Roles.Where(r => r.Name == Roles.SealKeeper).Select(r => r.Id).SingleOrDefaultAsync(ct);
        var users = await db.Users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId))
            .OrderBy(u => u.UserName).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        return users.Select(u => (u.Id, u.DisplayName)).ToList();
    }

    public async Task<IReadOnlyList<(int Id, string Name)>> DepartmentsAsync(CancellationToken ct = default) =>
        (await db.Departments.OrderBy(d => d.Id).Select(d => new { d.Id, d.Name }).ToListAsync(ct)).Select(d => (d.Id, d.Name)).ToList();

    public async Task<SealResult> CreateAsync(SealInput input, string actor, CancellationToken ct = default)
    {
        var (normalized, error) = await ValidateAsync(input, null, ct);
        if (error is not null)
            return error;
        var seal = new Seal
        {
            Name = normalized.Name, Type = normalized.Type, Kind = normalized.Kind, DepartmentId = normalized.DepartmentId,
            CustodianUserId = normalized.CustodianUserId, OrganizationName = normalized.OrganizationName, Status = SealStatus.Active,
        };
        seal.History.Add(Entry(actor, SealChange.Created, detail: FieldChanges([new("Name", null, seal.Name)])));
        db.Seals.Add(seal);
        audit.Add(AuditAction.SealChanged, detail: $"{SealChange.Created}: {seal.Name}", subject: $"seal {seal.Name}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} registered seal {SealId} {Name}", actor, seal.Id, seal.Name);
        return SealResult.Ok(seal.Id);
    }

    public async Task<SealResult> EditAsync(int id, SealInput input, string actor, CancellationToken ct = default)
    {
        var seal = await db.Seals.Include(s => s.Department).Include(s => s.Custodian).SingleOrDefaultAsync(s => s.Id == id, ct);
        if (seal is null)
            return SealResult.Fail(StatusCodes.Status404NotFound, "No such seal.");
        if (seal.Status == SealStatus.Destroyed)
            return SealResult.Fail("A destroyed seal cannot be changed.");
        var (n, error) = await ValidateAsync(input, id, ct);
        if (error is not null)
            return error;
        if (seal.Kind == SealKind.Electronic && n.Kind == SealKind.Physical && seal.CertificateSubject is not null)
            return SealResult.Fail("An electronic seal with a certificate cannot become a physical seal.");

        var changes = new List<SealFieldChange>();
        void Track(string field, string? before, string? after)
        {
            if (before != after)
                changes.Add(new(field, before, after));
        }
        Track("Name", seal.Name, n.Name);
        Track("Type", seal.Type.ToString(), n.Type.ToString());
        Track("Kind", seal.Kind.ToString(), n.Kind.ToString());
        if (seal.DepartmentId != n.DepartmentId)
            Track("Department", seal.Department?.Name, await db.Departments.Where(d => d.Id == n.DepartmentId).Select(d => d.Name).SingleAsync(ct));
        if (seal.CustodianUserId != n.CustodianUserId)
            Track("Custodian", seal.Custodian?.DisplayName,
                n.CustodianUserId is null ? null : await db.Users.Where(u => u.Id == n.CustodianUserId).Select(u => u.DisplayName).SingleAsync(ct));
        Track("Organisation name", seal.OrganizationName, n.OrganizationName);
        if (changes.Count == 0)
            return SealResult.Ok(id);

        seal.Name = n.Name;
        seal.Type = n.Type;
        seal.Kind = n.Kind;
        seal.DepartmentId = n.DepartmentId;
        seal.CustodianUserId = n.CustodianUserId;
        seal.OrganizationName = n.OrganizationName;
        var detail = FieldChanges(changes);
        db.SealHistory.Add(Entry(actor, SealChange.Edited, seal.Id, detail: detail));
        audit.Add(AuditAction.SealChanged, detail: $"{SealChange.Edited}: {detail}", subject: $"seal {seal.Id}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} edited seal {SealId}: {Changes}", actor, id, detail);
        return SealResult.Ok(id);
    }

    public async Task<SealResult> ChangeStatusAsync(int id, SealStatus to, string? reason, string actor, CancellationToken ct = default)
    {
        reason = reason?.Trim();
        var seal = await db.Seals.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (seal is null)
            return SealResult.Fail(StatusCodes.Status404NotFound, "No such seal.");
        if (string.IsNullOrEmpty(reason))
            return SealResult.Fail("A status change needs a reason.");
        if (reason.Length > 500)
            return SealResult.Fail("A reason has at most 500 characters.");
        if (seal.Status == SealStatus.Destroyed)
            return SealResult.Fail(StatusCodes.Status409Conflict, "A destroyed seal stays destroyed.");
        if (!Transitions[seal.Status].Contains(to))
            return SealResult.Fail(StatusCodes.Status409Conflict, "A seal cannot go from {0} to {1}.",
                localizer.Enum(seal.Status), localizer.Enum(to));
        var from = seal.Status;
        seal.Status = to;
        db.SealHistory.Add(Entry(actor, SealChange.StatusChanged, seal.Id, from: from, to: to, reason: reason));
        audit.Add(AuditAction.SealChanged, detail: $"{SealChange.StatusChanged}: {from} → {to}, {reason}", subject: $"seal {seal.Id}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} changed seal {SealId} from {From} to {To}: {Reason}", actor, id, from, to, reason);
        return SealResult.Ok(id);
    }

    /// <summary>Stores an uploaded PNG after decoding it completely; anything else is refused.</summary>
    public async Task<SealResult> SetImageAsync(int id, byte[] png, string actor, CancellationToken ct = default)
    {
        if (png.Length > options.Value.MaxImageBytes)
            return SealResult.Fail(StatusCodes.Status413PayloadTooLarge, "The image is larger than {0} KB.", options.Value.MaxImageBytes / 1024);
        if (png.Length == 0)
            return SealResult.Fail("Choose a PNG file.");
        try
        {
            var decoded = SealPng.Decode(png);
            if (decoded.Width < 16 || decoded.Height < 16)
                return SealResult.Fail("The image is too small to be a seal (at least 16 × 16 pixels).");
        }
        catch (SealImageException ex)
        {
            return SealResult.Fail("The file is not a valid PNG image: {0}", ex.Message);
        }
        return await StoreImageAsync(id, png, actor, "uploaded", ct);
    }

    /// <summary>Draws the standard round seal from the organisation and seal names and stores it.</summary>
    public async Task<SealResult> GenerateImageAsync(int id, string actor, CancellationToken ct = default)
    {
        var seal = await db.Seals.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (seal is null)
            return SealResult.Fail(StatusCodes.Status404NotFound, "No such seal.");
        if (string.IsNullOrWhiteSpace(seal.OrganizationName))
            return SealResult.Fail("Enter the organisation name before generating an image.");
        byte[] png;
        try
        {
            png = fonts.GeneratePng(new SealImageSpec(seal.OrganizationName, seal.Name));
        }
        catch (FontNotFoundException ex)
        {
            return SealResult.Fail(StatusCodes.Status422UnprocessableEntity, "No Chinese font is installed on the server, so no image can be generated: {0}", ex.Message);
        }
        catch (FontFormatException ex)
        {
            return SealResult.Fail(StatusCodes.Status422UnprocessableEntity, "No Chinese font is installed on the server, so no image can be generated: {0}", ex.Message);
        }
        catch (SealImageException ex)
        {
            return SealResult.Fail("The seal image cannot be drawn: {0}", ex.Message);
        }
        return await StoreImageAsync(id, png, actor, "generated", ct);
    }

    private async Task<SealResult> StoreImageAsync(int id, byte[] png, string actor, string how, CancellationToken ct)
    {
        var seal = await db.Seals.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (seal is null)
            return SealResult.Fail(StatusCodes.Status404NotFound, "No such seal.");
        if (seal.Status == SealStatus.Destroyed)
            return SealResult.Fail("A destroyed seal cannot be changed.");
        var sha = Convert.ToHexStringLower(SHA256.HashData(png));
        var before = seal.ImageSha256;
        seal.ImagePng = png;
        seal.ImageSha256 = sha;
        db.SealHistory.Add(Entry(actor, SealChange.ImageChanged, seal.Id,
            detail: $"{how}, SHA-256 {(before is null ? "—" : before[..12])} → {sha[..12]}, {png.Length} bytes"));
        audit.Add(AuditAction.SealChanged, detail: $"{SealChange.ImageChanged}: {how}, SHA-256 {sha}", subject: $"seal {seal.Id}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} set the image of seal {SealId} ({How}, SHA-256 {Sha})", actor, id, how, sha);
        return SealResult.Ok(id);
    }

    public async Task<(byte[] Png, string Sha256)?> GetImageAsync(int id, CancellationToken ct = default)
    {
        var row = await db.Seals.AsNoTracking().Where(s => s.Id == id && s.ImagePng != null)
            .Select(s => new { s.ImagePng, s.ImageSha256 }).SingleOrDefaultAsync(ct);
        return row is null ? null : (row.ImagePng!, row.ImageSha256!);
    }

    /// <summary>
    /// Binds a PKCS#12 file to an electronic seal after checking that it opens with the password,
    /// holds a private key and is valid now. The file and password are stored only encrypted.
    /// </summary>
    public async Task<SealResult> BindCertificateAsync(int id, byte[] pfx, string fileName, string password, string actor, CancellationToken ct = default)
    {
        var seal = await db.Seals.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (seal is null)
            return SealResult.Fail(StatusCodes.Status404NotFound, "No such seal.");
        if (seal.Kind != SealKind.Electronic)
            return SealResult.Fail("Only an electronic seal has a certificate.");
        if (seal.Status == SealStatus.Destroyed)
            return SealResult.Fail("A destroyed seal cannot be changed.");
        if (pfx.Length == 0)
            return SealResult.Fail("Choose a PKCS#12 (.pfx) file.");
        if (pfx.Length > options.Value.MaxCertificateBytes)
            return SealResult.Fail(StatusCodes.Status413PayloadTooLarge, "The certificate file is larger than {0} KB.", options.Value.MaxCertificateBytes / 1024);

        SealCertificateInfo info;
        try
        {
            using var identity = OpenPkcs12(pfx, fileName, password ?? "", clock.GetUtcNow());
            info = Describe(identity.Certificate);
        }
        catch (SigningIdentityException ex)
        {
            return SealResult.Fail("The certificate was refused: {0}", ex.Message);
        }

        seal.CertificatePfxProtected = Protector.Protect(pfx);
        seal.CertificatePasswordProtected = Protector.Protect(password ?? "");
        seal.CertificateSubject = info.Subject;
        seal.CertificateIssuer = info.Issuer;
        seal.CertificateSerial = info.Serial;
        seal.CertificateThumbprint = info.Thumbprint;
        seal.CertificateKeyAlgorithm = info.KeyAlgorithm;
        seal.CertificateNotBefore = info.NotBefore;
        seal.CertificateNotAfter = info.NotAfter;
        db.SealHistory.Add(Entry(actor, SealChange.CertificateBound, seal.Id,
            detail: $"{info.Subject}, serial {info.Serial}, {info.KeyAlgorithm}, valid until {info.NotAfter:yyyy-MM-dd}"));
        audit.Add(AuditAction.CertificateChanged, detail: $"{info.Subject}, serial {info.Serial}, thumbprint {info.Thumbprint}", subject: $"seal {seal.Id}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Actor} bound certificate {Thumbprint} ({Subject}) to seal {SealId}", actor, info.Thumbprint, info.Subject, id);
        return SealResult.Ok(id);
    }

    /// <summary>
    /// Null when the seal may be requested and applied at <paramref name="now"/>, otherwise the
    /// reason in the current UI language: the seal is not Active, or it is electronic and has no
    /// certificate or its certificate is not valid at <paramref name="now"/>.
    /// </summary>
    public async Task<string?> CheckUsableAsync(int sealId, DateTimeOffset now, CancellationToken ct = default) =>
        await SigningStateAsync(sealId, now, ct) is { } state ? state.Unusable : localizer["No such seal."];

    /// <summary>
    /// What sealing checks about a seal before every run, in one read: its name and kind, why it cannot
    /// be used now (null when it can), and a fingerprint of its signing material (certificate file and
    /// image), which changes whenever a new certificate or image is bound, so material prepared from an
    /// older one is never used again. Null when there is no such seal.
    /// </summary>
    public async Task<SealSigningState?> SigningStateAsync(int sealId, DateTimeOffset now, CancellationToken ct = default)
    {
        var s = await db.Seals.AsNoTracking().Where(x => x.Id == sealId)
            .Select(x => new
            {
                x.Name, x.Kind, x.Status, x.CertificateSubject, x.CertificateNotBefore, x.CertificateNotAfter,
                x.CertificateThumbprint, x.ImageSha256, x.CertificatePfxProtected, x.CertificatePasswordProtected,
            })
            .SingleOrDefaultAsync(ct);
        if (s is null)
            return null;
        string? reason = null;
        if (s.Status != SealStatus.Active)
            reason = localizer["The seal {0} is {1}, so it cannot be used.", s.Name, localizer.Enum(s.Status)];
        else if (s.Kind == SealKind.Electronic && s.CertificateSubject is null)
            reason = localizer["The electronic seal {0} has no signing certificate.", s.Name];
        else if (s.Kind == SealKind.Electronic && now > s.CertificateNotAfter)
            reason = localizer["The certificate of seal {0} expired on {1}.", s.Name, time.Date(s.CertificateNotAfter!.Value)];
        else if (s.Kind == SealKind.Electronic && now < s.CertificateNotBefore)
            reason = localizer["The certificate of seal {0} is not valid before {1}.", s.Name, time.Date(s.CertificateNotBefore!.Value)];
        string? fingerprint = null;
        if (s.CertificatePfxProtected is { } pfx)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(pfx);
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(s.CertificatePasswordProtected ?? ""));
            fingerprint = $"{s.CertificateThumbprint}/{s.ImageSha256}/{Convert.ToHexStringLower(hash.GetHashAndReset())}";
        }
        return new SealSigningState(sealId, s.Name, s.Kind, reason, fingerprint);
    }

    /// <summary>
    /// The signing identity of an electronic seal for the sealing step; the caller disposes it.
    /// Throws <see cref="SealNotUsableException"/> when <see cref="CheckUsableAsync"/> refuses the seal.
    /// </summary>
    public async Task<SigningIdentity> LoadSigningIdentityAsync(int sealId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        if (await CheckUsableAsync(sealId, now, ct) is { } reason)
            throw new SealNotUsableException(reason);
        var s = await db.Seals.AsNoTracking().Where(x => x.Id == sealId)
            .Select(x => new { x.Name, x.CertificatePfxProtected, x.CertificatePasswordProtected }).SingleAsync(ct);
        var pfx = Protector.Unprotect(s.CertificatePfxProtected!);
        var password = Protector.Unprotect(s.CertificatePasswordProtected!);
        return OpenPkcs12(pfx, $"seal-{sealId}.pfx", password, now);
    }

    /// <summary>Gives the demo seed and tests the registry's own write path for a certificate file on disk.</summary>
    public async Task<SealResult> BindCertificateFileAsync(int id, string path, string password, string actor, CancellationToken ct = default) =>
        await BindCertificateAsync(id, await File.ReadAllBytesAsync(path, ct), Path.GetFileName(path), password, actor, ct);

    private static SigningIdentity OpenPkcs12(byte[] pfx, string fileName, string password, DateTimeOffset now)
    {
        // The loader reads from a path and names that file in its messages, so the bytes go to a
        // private temporary folder under the uploaded name and are deleted straight after.
        var folder = Directory.CreateTempSubdirectory("sealportal-pfx-");
        try
        {
            var safeName = Path.GetFileName(string.IsNullOrWhiteSpace(fileName) ? "certificate.pfx" : fileName);
            var path = Path.Combine(folder.FullName, safeName);
            File.WriteAllBytes(path, pfx);
            return SigningIdentity.LoadPkcs12(path, password, now);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static SealCertificateInfo Describe(X509Certificate2 c) =>
        new(c.Subject, c.Issuer, c.SerialNumber, c.Thumbprint,
            c.GetKeyAlgorithm() == CmsOids.EcPublicKey ? "ECDSA" : "RSA",
            new DateTimeOffset(c.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(c.NotAfter.ToUniversalTime(), TimeSpan.Zero));

    private async Task<(SealInput Input, SealResult? Error)> ValidateAsync(SealInput input, int? id, CancellationToken ct)
    {
        var name = (input.Name ?? "").Trim();
        var organization = string.IsNullOrWhiteSpace(input.OrganizationName) ? null : input.OrganizationName.Trim();
        var custodian = string.IsNullOrWhiteSpace(input.CustodianUserId) ? null : input.CustodianUserId;
        var normalized = input with { Name = name, OrganizationName = organization, CustodianUserId = custodian };
        if (name.Length is 0 or > 200)
            return (normalized, SealResult.Fail("A seal name has 1 to 200 characters."));
        if (organization is { Length: > 100 })
            return (normalized, SealResult.Fail("An organisation name has at most 100 characters."));
        if (!Enum.IsDefined(input.Type) || !Enum.IsDefined(input.Kind))
            return (normalized, SealResult.Fail("Choose a type and a kind."));
        if (!await db.Departments.AnyAsync(d => d.Id == input.DepartmentId, ct))
            return (normalized, SealResult.Fail("Choose a department."));
        if (custodian is not null && !(await CustodianCandidatesAsync(ct)).Any(c => c.Id == custodian))
            return (normalized, SealResult.Fail("The custodian must be a user with the SealKeeper role."));
        if (custodian is not null && await KeeperTrainingRefusalAsync(custodian, id, ct) is { } untrained)
            return (normalized, untrained);
        if (await db.Seals.AnyAsync(s => s.Name == name && s.Id != id, ct))
            return (normalized, SealResult.Fail("A seal with this name already exists."));
        return (normalized, null);
    }

    /// <summary>
    /// Giving a seal to a keeper (a new seal's custodian, or a changed custodian) needs that keeper's training to be
    /// current; a seal whose custodian stays is edited whatever their training (the lapse job asks for a new session).
    /// </summary>
    private async Task<SealResult?> KeeperTrainingRefusalAsync(string custodian, int? id, CancellationToken ct)
    {
        if (id is { } sealId && await db.Seals.Where(s => s.Id == sealId).Select(s => s.CustodianUserId).SingleOrDefaultAsync(ct) == custodian)
            return null;
        var months = training.Value.KeeperValidityMonths;
        var now = clock.GetUtcNow();
        var status = await SealPortal.Features.Training.KeeperTraining.StatusAsync(db, custodian, now, months, ct);
        if (status.IsCurrent(now))
            return null;
        var name = await db.Users.Where(u => u.Id == custodian).Select(u => u.DisplayName).SingleAsync(ct);
        return status.ValidUntil is { } lapsed
            ? SealResult.Fail(SealPortal.Features.Training.KeeperTraining.Lapsed, name, time.Date(lapsed), months)
            : SealResult.Fail(SealPortal.Features.Training.KeeperTraining.None, name);
    }

    /// <summary>Field changes as JSON, so the page can show field names and enum values in the reader's language.</summary>
    public static string FieldChanges(IReadOnlyList<SealFieldChange> changes) =>
        System.Text.Json.JsonSerializer.Serialize(changes, FieldChangeJson);

    private static readonly System.Text.Json.JsonSerializerOptions FieldChangeJson =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private SealHistoryEntry Entry(string actor, SealChange change, int sealId = 0, SealStatus? from = null, SealStatus? to = null,
        string? reason = null, string? detail = null) =>
        new()
        {
            SealId = sealId, At = clock.GetUtcNow().ToUniversalTime(), Actor = actor, Change = change,
            FromStatus = from, ToStatus = to, Reason = reason, Detail = detail,
        };
}

/// <summary>
/// Loads the CJK font once per process: a TrueType collection is many megabytes, and every
/// generated image uses the same one.
/// </summary>
public sealed class SealFontCache(IOptions<SealsOptions> options)
{
    private readonly Lock _gate = new();
    private SealImageGenerator? _generator;

    /// <exception cref="FontNotFoundException">no CJK font is installed or configured.</exception>
    /// <exception cref="FontFormatException">the configured font cannot be used.</exception>
    public byte[] GeneratePng(SealImageSpec spec)
    {
        // Images are made rarely (by an administrator or the seed), so one at a time is enough
        // and spares proving the generator safe for concurrent use.
        lock (_gate)
        {
            _generator ??= new SealImageGenerator(CjkFontLocator.Default.Load(options.Value.FontPath));
            return _generator.GeneratePng(spec);
        }
    }
}
