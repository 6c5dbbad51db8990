using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Hosting;

/// <summary>A portal behind a proxy at 127.0.0.1, served by Kestrel so the connection has an address.</summary>
public sealed class BehindProxyPortal : SealPortalFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
    };
}

public class ForwardedHeadersTests(BehindProxyPortal proxied) : IClassFixture<BehindProxyPortal>
{
    private static async Task SignInFromAsync(Uri address, string forwardedFor)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        using var http = new HttpClient(handler) { BaseAddress = address };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        var response = await new PortalClient(http).SignInAsync("depthead", SealPortalFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<string?> LastSignInAddressAsync(SealPortalFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        return await db.AuditEvents.Where(e => e.Action == AuditAction.SignIn).OrderByDescending(e => e.Id).Select(e => e.SourceAddress).FirstAsync();
    }

    [Fact]
    public async Task The_audit_trail_records_the_client_behind_a_known_proxy()
    {
        var address = proxied.StartKestrel();
        await SignInFromAsync(address, "203.0.113.7");
        Assert.Equal("203.0.113.7", await LastSignInAddressAsync(proxied));
    }

    [Fact]
    public async Task Without_a_known_proxy_a_forwarded_address_is_not_believed()
    {
        await using var direct = new SealPortalFactory();
        var address = direct.StartKestrel();
        await SignInFromAsync(address, "203.0.113.9");
        Assert.Equal("127.0.0.1", await LastSignInAddressAsync(direct));
    }
}

/// <summary>A data folder with the plain key files an earlier version wrote, before the portal starts.</summary>
public sealed class KeyFilesPortal : SealPortalFactory
{
    public const string Purpose = "SealPortal.Tests.KeyFiles";

    public KeyFilesPortal()
    {
        var provider = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(DataFolder, "keys")),
            b => b.SetApplicationName("SealPortal"));
        Protected = provider.CreateProtector(Purpose).Protect("written before the upgrade");
    }

    public string Protected { get; }
}

public class KeyFilesImportTests(KeyFilesPortal portal) : IClassFixture<KeyFilesPortal>
{
    [Fact]
    public async Task Key_files_of_an_earlier_version_move_into_the_database_encrypted_and_still_open_what_they_protected()
    {
        var protector = portal.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(KeyFilesPortal.Purpose);
        Assert.Equal("written before the upgrade", protector.Unprotect(portal.Protected));

        Assert.False(Directory.Exists(Path.Combine(portal.DataFolder, "keys")));
        await using var scope = portal.Services.CreateAsyncScope();
        var keys = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("encryptedSecret", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
    }
}
