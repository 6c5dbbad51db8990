using System.Net;
using System.Security.Cryptography;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Features.Seals;
using SealPortal.Tests.Data;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Hosting;

/// <summary>
/// One portal instance of two that share a database and an archive folder but nothing else: each has
/// its own data folder, as two machines behind a load balancer would.
/// </summary>
public sealed class SharedDatabaseInstance(TestDatabase database, string dataFolder, string archiveFolder)
    : SealPortalFactory(database, dataFolder, ownsStorage: false)
{
    public FakeTimeProvider Clock { get; } = new(DemoHistoryPortal.Now);

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["SealPortal:ArchiveFolder"] = archiveFolder,
        // The demo history seals requests, so the archive has sealed files and the seals have protected keys.
        ["Demo:History"] = "true",
        ["Signing:CertificatePath"] = SamplePki.Path_("sample-seal-rsa.pfx"),
        ["Signing:CertificatePassword"] = SamplePki.Password,
        ["Signing:TrustedRootsPath"] = SamplePki.Path_("sample-root-ca.crt"),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>
/// Two instances on one database (PostgreSQL in the second CI run). Before the key ring moved into the
/// database and the archive folder became a setting, a cookie from A sent to B went to sign-in, a form
/// from A posted to B was refused, B could not open the seal keys A protected, and A's sealed file was a
/// 404 on B; two instances starting together on an empty database crashed one of them.
/// </summary>
public sealed class TwoInstanceTests : IAsyncLifetime
{
    private readonly TestDatabase database = TestDatabase.Create();
    private readonly string root = Directory.CreateTempSubdirectory("sealportal-two-").FullName;
    private SharedDatabaseInstance a = null!;
    private SharedDatabaseInstance b = null!;

    public async Task InitializeAsync()
    {
        var archive = Path.Combine(root, "shared-archive");
        a = new SharedDatabaseInstance(database, Path.Combine(root, "a"), archive);
        b = new SharedDatabaseInstance(database, Path.Combine(root, "b"), archive);
        // Both start at once on the empty database: migration and seeding run once, under a lock.
        await Task.WhenAll(Task.Run(() => a.Services), Task.Run(() => b.Services));
    }

    public async Task DisposeAsync()
    {
        await a.DisposeAsync();
        await b.DisposeAsync();
        await database.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    private async Task<T> WithDb<T>(Func<SealPortalDbContext, Task<T>> read)
    {
        await using var scope = a.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SealPortalDbContext>());
    }

    private static async Task<string> SignInCookieAsync(SealPortalFactory host, string user)
    {
        var response = await new PortalClient(host.CreateClient(new() { AllowAutoRedirect = false }))
            .SignInAsync(user, SealPortalFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("SealPortal.Auth=")).Split(';')[0];
    }

    private static HttpClient Plain(SealPortalFactory host) => host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

    private static async Task<HttpResponseMessage> GetWithCookieAsync(SealPortalFactory host, string url, string cookies)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookies);
        return await Plain(host).SendAsync(request);
    }

    [Fact]
    public async Task Starting_together_seeds_the_demo_company_once()
    {
        Assert.Equal(1, await WithDb(db => db.Users.CountAsync(u => u.UserName == "admin")));
        Assert.Equal(DatabaseInitializer.DemoDepartments.Count, await WithDb(db => db.Departments.CountAsync()));
        Assert.Equal(HttpStatusCode.OK, (await Plain(a).GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Plain(b).GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_cookie_from_one_instance_signs_in_on_the_other()
    {
        var cookie = await SignInCookieAsync(a, "auditor");
        var onB = await GetWithCookieAsync(b, "/", cookie);
        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        // Without it, B sends the visitor to sign in.
        Assert.Equal(HttpStatusCode.Redirect, (await Plain(b).GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_form_from_one_instance_is_accepted_by_the_other()
    {
        // One browser behind a load balancer: one cookie jar, requests landing on either instance.
        var jar = new System.Net.CookieContainer();
        using var onA = new PortalClient(a.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(jar)));
        using var onB = new PortalClient(b.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(jar)));
        Assert.Equal(HttpStatusCode.Redirect, (await onA.SignInAsync("applicant", SealPortalFactory.DemoPassword)).StatusCode);

        async Task<HttpResponseMessage> PostFromAToB(string current, string next, string? token)
        {
            var page = await onA.GetDocumentAsync("/account/password");
            var form = page.QuerySelectorAll("form").OfType<IHtmlFormElement>()
                .Single(f => f.QuerySelector("input[name='_handler'][value='change-password']") is not null);
            var fields = PortalClient.ReadFields(form);
            fields.RemoveAll(f => f.Key.StartsWith("Input.", StringComparison.Ordinal));
            fields.Add(new("Input.CurrentPassword", current));
            fields.Add(new("Input.NewPassword", next));
            fields.Add(new("Input.ConfirmPassword", next));
            if (token is not null)
            {
                fields.RemoveAll(f => f.Key == "__RequestVerificationToken");
                fields.Add(new("__RequestVerificationToken", token));
            }
            return await onB.Http.PostAsync("/account/password", new FormUrlEncodedContent(fields));
        }

        const string second = "Second-Password-2026!y";
        var changed = await PostFromAToB(SealPortalFactory.DemoPassword, second, null);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        // The same post with a token B cannot read is refused and changes nothing: the check above can fail.
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFromAToB(second, "Third-Password-2026!z", "CfDJ8-not-a-token")).StatusCode);
        using var fresh = new PortalClient(b.CreateClient(new() { AllowAutoRedirect = false }));
        // The password is the one the accepted post set, not the one the refused post asked for.
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.SignInAsync("applicant", second)).StatusCode);
    }

    [Fact]
    public async Task Each_instance_opens_the_seal_keys_and_serves_the_sealed_files_of_the_other()
    {
        var electronic = await WithDb(db => db.Seals.Where(s => s.CertificatePfxProtected != null).Select(s => s.Id).ToListAsync());
        Assert.NotEmpty(electronic);
        foreach (var host in new[] { a, b })
        {
            await using var scope = host.Services.CreateAsyncScope();
            var registry = scope.ServiceProvider.GetRequiredService<SealRegistry>();
            foreach (var id in electronic)
            {
                var identity = await registry.LoadSigningIdentityAsync(id);
                Assert.NotNull(identity);
            }
        }

        var sealedDocs = await WithDb(db => db.SealRequestDocuments.Where(d => d.SealedSha256 != null)
            .Select(d => new { d.Id, d.SealRequestId, d.SealedSha256 }).ToListAsync());
        Assert.NotEmpty(sealedDocs);
        var auditorA = await SignInCookieAsync(a, "auditor");
        var auditorB = await SignInCookieAsync(b, "auditor");
        foreach (var doc in sealedDocs.Take(3))
        {
            foreach (var (host, cookie) in new[] { (a, auditorA), (b, auditorB) })
            {
                var response = await GetWithCookieAsync(host, $"/requests/{doc.SealRequestId}/documents/{doc.Id}/sealed", cookie);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var bytes = await response.Content.ReadAsByteArrayAsync();
                Assert.Equal(doc.SealedSha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            }
        }
        Assert.Equal(a.Services.GetRequiredService<ArchiveStore>().Root, b.Services.GetRequiredService<ArchiveStore>().Root);
        Assert.False(Directory.Exists(Path.Combine(root, "a", "archive")) && Directory.EnumerateFiles(Path.Combine(root, "a", "archive"), "*", SearchOption.AllDirectories).Any());
    }
}
