using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using SealPortal.Data.Demo;

namespace SealPortal.Data;

/// <summary>
/// Brings the schema up to date on start and, on an empty database, seeds the demo company (one instance
/// at a time, under <see cref="InitializationLock"/>):
/// departments, one user per role and a few seals, and unless "Demo:History" is false a few months
/// of its seal use (<see cref="DemoHistory"/>). Passwords are random (or "Seed:DemoPassword")
/// and printed once, because they are stored only as hashes.
/// </summary>
public sealed class DatabaseInitializer(
    SealPortalDbContext db,
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    IConfiguration configuration,
    IServiceProvider services,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<DatabaseInitializer> logger)
{
    /// <summary>The organisation on the demo seals' generated images.</summary>
    public const string DemoOrganization = "示例科技有限公司";

    private const string SeedActor = "system";

    /// <summary>The demo users: user name, display name, department, role.</summary>
    public static readonly IReadOnlyList<(string UserName, string DisplayName, string Department, string Role)> DemoUsers =
    [
        ("applicant", "张伟 Zhang Wei", "销售部", Roles.Applicant),
        ("depthead", "王芳 Wang Fang", "销售部", Roles.DepartmentHead),
        ("reviewer", "李娜 Li Na", "法务部", Roles.Reviewer),
        ("executive", "刘强 Liu Qiang", "总经办", Roles.Executive),
        ("keeper", "陈静 Chen Jing", "总经办", Roles.SealKeeper),
        ("auditor", "杨洋 Yang Yang", "财务部", Roles.Auditor),
        ("admin", "赵敏 Zhao Min", "总经办", Roles.Admin),
    ];

    public static readonly IReadOnlyList<string> DemoDepartments = ["总经办", "法务部", "财务部", "销售部"];

    /// <summary>
    /// Creates the configured PostgreSQL database when it does not exist yet, through the server's
    /// maintenance database. Left to MigrateAsync, the first start would try the missing database first
    /// and EF Core would log that failed connection as an error before creating it.
    /// </summary>
    private static async Task EnsurePostgresDatabaseAsync(string connectionString, CancellationToken ct)
    {
        var target = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var name = target.Database ?? throw new InvalidOperationException("The PostgreSQL connection string names no database.");
        var maintenance = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var conn = new Npgsql.NpgsqlConnection(maintenance.ConnectionString);
        await conn.OpenAsync(ct);
        await using var exists = new Npgsql.NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", conn);
        exists.Parameters.AddWithValue("name", name);
        if (await exists.ExecuteScalarAsync(ct) is not null)
            return;
        await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"")}\"", conn);
        try
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState is Npgsql.PostgresErrorCodes.DuplicateDatabase or Npgsql.PostgresErrorCodes.UniqueViolation)
        {
            // Another instance created it meanwhile (a simultaneous CREATE DATABASE fails on pg_database's unique index).
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        // Say in words what is missing before anything needs the key ring (it is never stored plain).
        if (services.GetService<SealPortal.Hosting.KeyEncryption.KeyCertificate>() is { } keyCertificate)
            _ = keyCertificate.Required;
        if (db.Database.IsNpgsql())
            await EnsurePostgresDatabaseAsync(db.Database.GetConnectionString()!, ct);
        await using (await InitializationLock.AcquireAsync(db, ct))
            await RunLockedAsync(ct);
    }

    private async Task RunLockedAsync(CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            // The migrator probes the history table by selecting from it, and EF Core logs the probe's
            // failure on a new database as an error; EF's own create-if-not-exists script makes it answer.
            var history = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>();
            await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), ct);
        }
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging (kept in the file once set): a commit appends to the log and syncs it once,
            // where the rollback journal synced the journal and the database several times; and readers no
            // longer hold off a writer's commit. synchronous stays FULL, so a commit survives a power cut.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL", ct);
        }
        await SealPortal.Features.Requests.PendingApprovalsBackfill.RunAsync(db, logger, ct);

        if (services.GetService<SealPortal.Hosting.KeyEncryption.KeyCertificate>() is { } certificate &&
            services.GetService<Microsoft.Extensions.Options.IOptions<SealPortalOptions>>() is { } portal)
            await SealPortal.Hosting.SharedKeyRing.ImportKeyFilesAsync(db, certificate, portal.Value.DataFolder, logger, ct);

        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");
        }

        var fresh = !await db.WorkflowTemplateVersions.AnyAsync(ct) && !await db.Users.AnyAsync(ct) && !await db.Departments.AnyAsync(ct);
        if (fresh && configuration.GetValue("Demo:History", true) && services.GetService<PortalServiceCollection>() is { } collection)
        {
            await DemoHistory.SeedAsync(collection, clock, logger, ct);
            return;
        }

        // Templates are configuration, not demo data: a portal without them could not route any request.
        if (!await db.WorkflowTemplateVersions.AnyAsync(ct))
            await SeedWorkflowsAsync(ct);

        if (await db.Users.AnyAsync(ct) || await db.Departments.AnyAsync(ct))
        {
            await ReportExistingDemoUsersAsync(ct);
            return;
        }

        await SeedDemoCompanyAsync(ct);
        await SeedSealImagesAsync(ct);
        await BindDemoCertificatesAsync(ct);
    }

    internal async Task SeedWorkflowsAsync(CancellationToken ct)
    {
        var store = services.GetRequiredService<SealPortal.Features.Workflows.WorkflowTemplateStore>();
        // "Demo:Culture" (zh-CN unless set to en) chooses the language of the template and node names.
        foreach (var template in SealPortal.Features.Workflows.DemoWorkflows.TemplatesFor(configuration["Demo:Culture"]))
        {
            var saved = await store.SaveNewVersionAsync(template, SeedActor, ct);
            if (!saved.Succeeded)
                throw new InvalidOperationException($"Demo template {template.Key} is invalid: {string.Join("; ", saved.Problems)}");
        }
        var rules = await store.SaveRulesAsync(SealPortal.Features.Workflows.DemoWorkflows.Rules, SeedActor, ct);
        if (!rules.Succeeded)
            throw new InvalidOperationException($"Demo workflow rules are invalid: {string.Join("; ", rules.Problems)}");
    }

    private async Task SeedAuthorizationsAsync(IReadOnlyList<Seal> seals, IReadOnlyDictionary<string, Department> departments, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var (sealName, department, role, types) in SealPortal.Features.Authorizations.DemoAuthorizations.Scopes)
        {
            db.SealAuthorizations.Add(new SealAuthorization
            {
                SealId = seals.Single(s => s.Name == sealName).Id,
                DepartmentId = department is null ? null : departments[department].Id,
                Role = role,
                DocumentTypes = string.Join(',', types),
                ValidFrom = SealPortal.Features.Authorizations.DemoAuthorizations.ValidFrom,
                DocumentReference = "DEMO-AUTH-2020",
                CreatedAt = now,
                CreatedBy = SeedActor,
            });
        }
        await db.SaveChangesAsync(ct);
    }

    internal async Task SeedDemoCompanyAsync(CancellationToken ct)
    {
        var departments = DemoDepartments.ToDictionary(n => n, n => new Department { Name = n });
        db.Departments.AddRange(departments.Values);
        await db.SaveChangesAsync(ct);

        var fixedPassword = configuration["Seed:DemoPassword"];
        var printed = new List<(string UserName, string Role, string Password)>();
        ApplicationUser? keeper = null;
        foreach (var (userName, displayName, department, role) in DemoUsers)
        {
            var user = new ApplicationUser
            {
                UserName = userName,
                Email = $"{userName}@example.com",
                EmailConfirmed = true,
                DisplayName = displayName,
                DepartmentId = departments[department].Id,
            };
            var password = string.IsNullOrEmpty(fixedPassword) ? NewPassword() : fixedPassword;
            Check(await users.CreateAsync(user, password), $"user {userName}");
            Check(await users.AddToRoleAsync(user, role), $"role of {userName}");
            printed.Add((userName, role, password));
            if (role == Roles.SealKeeper)
                keeper = user;
        }

        Seal Demo(string name, SealType type, SealKind kind, string department, SealStatus status = SealStatus.Active, bool kept = true)
        {
            var seal = new Seal
            {
                Name = name, Type = type, Kind = kind, DepartmentId = departments[department].Id,
                CustodianUserId = kept ? keeper?.Id : null, Status = status, OrganizationName = DemoOrganization,
            };
            seal.History.Add(new SealHistoryEntry { At = clock.GetUtcNow(), Actor = SeedActor, Change = SealChange.Created, Detail = SealPortal.Features.Seals.SealRegistry.FieldChanges([new("Name", null, name)]) });
            return seal;
        }
        var seals = new[]
        {
            Demo("公司公章", SealType.Official, SealKind.Physical, "总经办"),
            Demo("公司电子公章", SealType.Official, SealKind.Electronic, "总经办"),
            Demo("合同专用章", SealType.Contract, SealKind.Electronic, "法务部"),
            Demo("财务专用章", SealType.Finance, SealKind.Physical, "财务部"),
            Demo("法定代表人章", SealType.LegalRepresentative, SealKind.Physical, "总经办"),
            Demo("销售部业务章", SealType.Business, SealKind.Physical, "销售部", SealStatus.Suspended, kept: false),
        };
        db.Seals.AddRange(seals);
        await db.SaveChangesAsync(ct);
        await SeedAuthorizationsAsync(seals, departments, clock.GetUtcNow(), ct);

        logger.LogInformation("Seeded the demo company: {Departments} departments, {Users} users", departments.Count, printed.Count);

        var block = new StringBuilder();
        block.AppendLine();
        block.AppendLine("==================== SealPortal demo users ====================");
        block.AppendLine(" Passwords are shown only now; they are stored as hashes.");
        block.AppendLine();
        foreach (var (userName, role, password) in printed)
            block.AppendLine($"   {userName,-10} {role,-15} {password}");
        block.AppendLine();
        block.AppendLine(" Reset one later: dotnet run --project SealPortal -- reset-password USER");
        block.AppendLine("================================================================");
        Console.Out.WriteLine(block.ToString());
    }

    /// <summary>
    /// Gives the demo seals generated images, through the registry so the history shows it. A missing
    /// font must not stop the portal from starting: it is a log line.
    /// </summary>
    internal async Task SeedSealImagesAsync(CancellationToken ct)
    {
        if (services.GetService<SealPortal.Features.Seals.SealRegistry>() is not { } registry || !configuration.GetValue("Seed:SealImages", true))
            return;
        foreach (var sealId in await db.Seals.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct))
        {
            var generated = await registry.GenerateImageAsync(sealId, SeedActor, ct);
            if (!generated.Succeeded)
            {
                logger.LogWarning("Demo seals get no generated images: {Reason}", string.Format(generated.Error!, generated.Args ?? []));
                break;
            }
        }
    }

    /// <summary>
    /// The sample certificates of the demo's electronic seals: seal name and PKCS#12 file, with the
    /// password, or none when Signing:CertificatePath is not set. The sample PKI keeps the ECDSA seal
    /// certificate next to the RSA one, so the contract seal shows the other key type.
    /// </summary>
    internal (IReadOnlyList<(string Seal, string Path)> Files, string Password) DemoCertificates()
    {
        var rsaPath = configuration["Signing:CertificatePath"];
        var password = configuration["Signing:CertificatePassword"] ?? "";
        if (string.IsNullOrWhiteSpace(rsaPath))
            return ([], password);
        rsaPath = Path.GetFullPath(Path.Combine(environment.ContentRootPath, rsaPath));
        var ecdsaPath = Path.Combine(Path.GetDirectoryName(rsaPath)!, "sample-seal-ecdsa.pfx");
        return ([("公司电子公章", rsaPath), ("合同专用章", ecdsaPath)], password);
    }

    /// <summary>Binds the sample certificates to the demo's electronic seals. A missing file is a log line.</summary>
    internal async Task BindDemoCertificatesAsync(CancellationToken ct)
    {
        if (services.GetService<SealPortal.Features.Seals.SealRegistry>() is not { } registry)
            return;
        var (files, password) = DemoCertificates();
        if (files.Count == 0)
        {
            logger.LogInformation("Demo electronic seals get no certificate: Signing:CertificatePath is not set");
            return;
        }
        foreach (var (name, path) in files)
        {
            var seal = await db.Seals.AsNoTracking().SingleAsync(s => s.Name == name, ct);
            if (!File.Exists(path))
            {
                logger.LogInformation("Demo seal {Seal} gets no certificate: {Path} does not exist", name, path);
                continue;
            }
            var bound = await registry.BindCertificateFileAsync(seal.Id, path, password, SeedActor, ct);
            if (!bound.Succeeded)
                logger.LogWarning("Demo seal {Seal} gets no certificate: {Reason}", name, string.Format(bound.Error!, bound.Args ?? []));
        }
    }

    private async Task ReportExistingDemoUsersAsync(CancellationToken ct)
    {
        var names = DemoUsers.Select(u => u.UserName).ToList();
        var present = await db.Users.Where(u => names.Contains(u.UserName!)).Select(u => u.UserName!).ToListAsync(ct);
        if (present.Count == 0)
            return;
        Console.Out.WriteLine(
            $"SealPortal demo users: {string.Join(", ", names.Where(present.Contains))}. Their passwords were printed on first start; " +
            "reset one with: dotnet run --project SealPortal -- reset-password USER (or on the Admin > Users page).");
    }

    /// <summary>A password that satisfies the Identity policy: upper, lower, digit and a symbol.</summary>
    public static string NewPassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        const string lower = "abcdefghijkmnopqrstuvwxyz";
        const string digits = "23456789";
        return RandomNumberGenerator.GetString(upper, 1) + RandomNumberGenerator.GetString(lower, 5) + "-" +
               RandomNumberGenerator.GetString(digits, 4) + "-" + RandomNumberGenerator.GetString(lower, 4);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
