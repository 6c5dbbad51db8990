using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Features.Archive;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Hosting;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PrivateFilesTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_data_folder_keys_database_and_archive_are_the_portals_alone()
    {
        using (await portal.SignInAsync("keeper"))
        {
        }
        var archive = portal.Services.GetRequiredService<ArchiveStore>();
        var stored = await archive.StoreAsync("%PDF-1.7 private"u8.ToArray());

        Assert.Equal(Folder, File.GetUnixFileMode(portal.DataFolder));
        // The key ring is in the database now, not in files beside it.
        Assert.False(Directory.Exists(Path.Combine(portal.DataFolder, "keys")));
        Assert.Equal(Folder, File.GetUnixFileMode(archive.Root));
        var archived = archive.PathOf(stored.Sha256);
        Assert.Equal(Folder, File.GetUnixFileMode(Path.GetDirectoryName(archived)!));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(archived) & ~OwnerOnly);
        if (portal.Database.Provider == "Sqlite")
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(new SqliteConnectionStringBuilder(portal.Database.ConnectionString).DataSource));
    }

    [Fact]
    public void Files_libraries_create_for_the_portal_are_owner_only()
    {
        // ASP.NET Core buffers large uploads in the temp folder with plain FileStreams; so does anything else.
        _ = portal.Services;
        var folder = Directory.CreateTempSubdirectory("sealportal-umask-");
        try
        {
            var file = Path.Combine(folder.FullName, "upload.tmp");
            File.WriteAllText(file, "buffered upload");
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(file));
            var sub = Directory.CreateDirectory(Path.Combine(folder.FullName, "sub"));
            Assert.Equal(Folder, sub.UnixFileMode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_start_tightens_what_an_earlier_version_left_open()
    {
        _ = portal.Services;
        using (await portal.SignInAsync("keeper"))
        {
        }
        var open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var archive = portal.Services.GetRequiredService<ArchiveStore>();
        await archive.StoreAsync("%PDF-1.7 left open"u8.ToArray());
        File.SetUnixFileMode(portal.DataFolder, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(archive.Root, Folder | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var database = portal.Database.Provider == "Sqlite" ? new SqliteConnectionStringBuilder(portal.Database.ConnectionString).DataSource : null;
        if (database is not null)
            File.SetUnixFileMode(database, open);

        await using var restarted = SealPortalFactory.Restart(portal);
        using var client = restarted.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        Assert.Equal(Folder, File.GetUnixFileMode(portal.DataFolder));
        Assert.Equal(Folder, File.GetUnixFileMode(archive.Root));
        if (database is not null)
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(database));
    }
}

/// <summary>A portal whose data-protection keys are encrypted with the sample RSA certificate.</summary>
public sealed class EncryptedKeysPortal : SealPortalFactory
{
    public EncryptedKeysPortal()
    {
    }

    private EncryptedKeysPortal(EncryptedKeysPortal first)
        : base(first.Database, first.DataFolder, ownsStorage: false)
    {
    }

    public EncryptedKeysPortal Restart() => new(this);

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["DataProtection:CertificatePath"] = Path.Combine(PdfTestKit.CertsDir, "sample-seal-rsa.pfx"),
        ["DataProtection:CertificatePassword"] = "sample",
    };
}

public class KeyEncryptionTests(EncryptedKeysPortal portal) : IClassFixture<EncryptedKeysPortal>
{
    [Fact]
    public async Task Keys_are_encrypted_at_rest_and_a_restarted_portal_still_reads_them()
    {
        var login = await new PortalClient(portal.CreateClient(new() { AllowAutoRedirect = false })).SignInAsync("depthead", SealPortalFactory.DemoPassword);
        var authCookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("SealPortal.Auth=")).Split(';')[0];

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var keys = await scope.ServiceProvider.GetRequiredService<SealPortal.Data.SealPortalDbContext>().DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
            Assert.NotEmpty(keys);
            foreach (var xml in keys)
            {
                Assert.Contains("<encryptedKey", xml);
                Assert.DoesNotContain("<masterKey", xml);
            }
        }
        Assert.False(Directory.Exists(Path.Combine(portal.DataFolder, "keys")));

        await using var restarted = portal.Restart();
        using var client = restarted.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", authCookie);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }
}
