using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Data;
using SealPortal.Features.Seals;
using SealPortal.Pdf.Signing;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Seals;

/// <summary>A portal whose image limit is small enough to exceed cheaply.</summary>
public sealed class SealRegistryPortal : SealPortalFactory
{
    public const int MaxImageBytes = 300_000;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Seals:MaxImageBytes"] = MaxImageBytes.ToString(),
    };
}

public class SealRegistryPageTests(SealRegistryPortal portal) : IClassFixture<SealRegistryPortal>
{
    private const string PfxPassword = "Pfx-Secret-7781-unique";

    [Fact]
    public async Task Admin_registers_edits_and_changes_status_and_each_change_is_in_the_history()
    {
        using var admin = await portal.SignInAsync("admin");
        var url = await CreateSealAsync(admin, "测试合同章A", SealKind.Physical);

        var edited = await admin.SubmitNamedFormAsync(url, "edit-seal", new Dictionary<string, object>
        {
            ["name"] = "测试合同章B",
            ["type"] = nameof(SealType.Contract),
            ["organization"] = "示例集团有限公司",
        });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);

        var suspended = await admin.SubmitNamedFormAsync(url, "change-status",
            new Dictionary<string, object> { ["status"] = nameof(SealStatus.Suspended), ["reason"] = "年度检查" });
        Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);

        var page = await admin.GetDocumentAsync(url);
        Assert.Equal("停用", page.TextOf("[data-testid=status]"));
        var rows = page.QuerySelectorAll("[data-testid=history] tbody tr");
        Assert.Equal(["Created", "Edited", "StatusChanged"], rows.Select(r => r.GetAttribute("data-change")!).ToArray());
        Assert.All(rows, r => Assert.Contains("admin", r.TextContent));
        Assert.Equal("名称: — → 测试合同章A", rows[0].QuerySelector("[data-field=Name]")!.TextContent);
        Assert.Equal("名称: 测试合同章A → 测试合同章B", rows[1].QuerySelector("[data-field=Name]")!.TextContent);
        Assert.Equal("类型: 公章 → 合同专用章", rows[1].QuerySelector("[data-field=Type]")!.TextContent);
        Assert.Equal("单位名称: — → 示例集团有限公司", rows[1].QuerySelector("[data-field='Organisation name']")!.TextContent);
        Assert.Null(rows[1].QuerySelector("[data-field=Kind]"));
        Assert.Contains("启用 → 停用", rows[2].TextContent);
        Assert.Contains("年度检查", rows[2].TextContent);

        var list = await admin.GetDocumentAsync("/seals");
        Assert.Contains(list.QuerySelectorAll("[data-testid=seal-table] a"), a => a.GetAttribute("href") == url && a.TextContent == "测试合同章B");
    }

    [Fact]
    public async Task Status_changes_need_a_reason_and_destroyed_is_final()
    {
        using var admin = await portal.SignInAsync("admin");
        var url = await CreateSealAsync(admin, "测试销毁章", SealKind.Physical);

        var noReason = await admin.SubmitNamedFormAsync(url, "change-status",
            new Dictionary<string, object> { ["status"] = nameof(SealStatus.Lost), ["reason"] = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("变更状态必须填写原因。", (await PortalClient.ParseAsync(noReason)).TextOf("[data-testid=error]"));
        Assert.Equal("启用", (await admin.GetDocumentAsync(url)).TextOf("[data-testid=status]"));

        // Lost → Active is how a found seal comes back; Lost → Suspended is not a transition.
        await ChangeStatusAsync(admin, url, SealStatus.Lost, "遗失于会议室");
        var page = await admin.GetDocumentAsync(url);
        var offered = page.QuerySelectorAll("#new-status option").Select(o => o.GetAttribute("value")!).ToArray();
        Assert.Equal([nameof(SealStatus.Active), nameof(SealStatus.Destroyed)], offered);
        var sideways = await admin.SubmitNamedFormAsync(url, "change-status",
            new Dictionary<string, object> { ["status"] = nameof(SealStatus.Suspended), ["reason"] = "试试" });
        Assert.Equal(HttpStatusCode.Conflict, sideways.StatusCode);
        await ChangeStatusAsync(admin, url, SealStatus.Active, "found");
        await ChangeStatusAsync(admin, url, SealStatus.Destroyed, "已按规定销毁");

        // The page offers no way out, and a hand-made post is refused all the same.
        var destroyedPage = await admin.GetDocumentAsync(url);
        Assert.Null(destroyedPage.QuerySelector("#new-status"));
        var id = int.Parse(url.Split('/').Last());
        var posted = await PostRawAsync(admin, url, "change-status", new() { ["status"] = nameof(SealStatus.Active), ["reason"] = "found" });
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        await using var scope = portal.Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<SealRegistry>();
        var direct = await registry.ChangeStatusAsync(id, SealStatus.Active, "found", "admin");
        Assert.False(direct.Succeeded);
        Assert.Equal(409, direct.StatusCode);
        var history = (await registry.GetAsync(id))!.History;
        Assert.Equal(SealStatus.Destroyed, (await registry.GetAsync(id))!.Status);
        Assert.Equal(3, history.Count(h => h.Change == SealChange.StatusChanged));
    }

    [Fact]
    public async Task Only_admins_change_seals_and_a_custodian_sees_only_their_seals()
    {
        using var admin = await portal.SignInAsync("admin");
        var keeperSeal = await CreateSealAsync(admin, "测试保管章", SealKind.Physical, custodian: "keeper");
        var otherSeal = await CreateSealAsync(admin, "测试无人保管章", SealKind.Physical);

        using var applicant = await portal.SignInAsync("applicant");
        var create = await PostRawAsync(applicant, "/seals/new", "create-seal", new() { ["name"] = "越权章" });
        Assert.True(create.StatusCode is HttpStatusCode.Forbidden ||
                    (create.StatusCode == HttpStatusCode.Redirect && create.LocalTarget().StartsWith("/account/access-denied")),
            $"applicant create answered {(int)create.StatusCode}");
        Assert.Equal(HttpStatusCode.Forbidden, (await applicant.GetAsync(keeperSeal)).StatusCode);

        using var keeper = await portal.SignInAsync("keeper");
        var view = await keeper.GetDocumentAsync(keeperSeal);
        Assert.Null(view.QuerySelector("input[name='_handler'][value='edit-seal']"));
        Assert.Equal(HttpStatusCode.Forbidden, (await keeper.GetAsync(otherSeal)).StatusCode);
        var edit = await PostRawAsync(keeper, keeperSeal, "edit-seal", new() { ["name"] = "被保管人改名" });
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);

        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        Assert.False(await db.Seals.AnyAsync(s => s.Name == "越权章" || s.Name == "被保管人改名"));
    }

    [Fact]
    public async Task An_uploaded_png_is_decoded_and_stored_and_anything_else_is_refused()
    {
        using var admin = await portal.SignInAsync("admin");
        var url = await CreateSealAsync(admin, "测试图像章", SealKind.Physical);
        var id = int.Parse(url.Split('/').Last());

        var garbage = await UploadAsync(admin, url, "upload-image", "image", "seal.png", "not a png at all, just text"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Contains("不是有效的 PNG 图像", (await PortalClient.ParseAsync(garbage)).TextOf("[data-testid=error]"));

        var truncated = PngOf(64)[..100];
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(admin, url, "upload-image", "image", "cut.png", truncated)).StatusCode);

        var huge = new byte[SealRegistryPortal.MaxImageBytes + 1];
        PngOf(64).CopyTo(huge, 0);
        var oversize = await UploadAsync(admin, url, "upload-image", "image", "big.png", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversize.StatusCode);
        Assert.Contains("KB", (await PortalClient.ParseAsync(oversize)).TextOf("[data-testid=error]"));
        Assert.Null(await ImageOfAsync(id));

        var png = PngOf(64);
        var ok = await UploadAsync(admin, url, "upload-image", "image", "seal.bin", png);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var served = await admin.GetAsync($"/seals/{id}/image");
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());
        var stored = await ImageOfAsync(id);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)), stored!.Value.Sha256);
        Assert.Single((await DetailAsync(id)).History, h => h.Change == SealChange.ImageChanged);
    }

    [Fact]
    public async Task A_generated_image_is_a_png_served_only_to_signed_in_users()
    {
        using var admin = await portal.SignInAsync("admin");
        var url = await CreateSealAsync(admin, "测试生成章", SealKind.Physical, organization: "示例科技有限公司");
        var id = int.Parse(url.Split('/').Last());

        var generated = await admin.SubmitNamedFormAsync(url, "generate-image", new Dictionary<string, object>());
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        var page = await PortalClient.ParseAsync(generated);
        Assert.StartsWith($"/seals/{id}/image", page.QuerySelector("[data-testid=seal-image]")!.GetAttribute("src"));

        var served = await admin.GetAsync($"/seals/{id}/image");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var bytes = await served.Content.ReadAsByteArrayAsync();
        var decoded = SealPortal.Features.Seals.Imaging.SealPng.Decode(bytes);
        Assert.Equal(600, decoded.Width);
        Assert.Contains("generated", (await DetailAsync(id)).History.Single(h => h.Change == SealChange.ImageChanged).Detail);

        using var anonymous = portal.CreatePortalClient();
        var denied = await anonymous.GetAsync($"/seals/{id}/image");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/account/login", denied.LocalTarget());

        // The demo seals got their images when the portal seeded them.
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        Assert.True(await db.Seals.Where(s => s.Name == "公司公章").Select(s => s.ImageSha256 != null).SingleAsync());
    }

    [Fact]
    public async Task A_certificate_needs_the_right_password_and_validity_and_its_password_is_stored_encrypted()
    {
        using var admin = await portal.SignInAsync("admin");
        var url = await CreateSealAsync(admin, "测试电子章", SealKind.Electronic);
        var id = int.Parse(url.Split('/').Last());
        var pfx = ReExport("sample-seal-ecdsa.pfx", PfxPassword);

        var wrong = await UploadAsync(admin, url, "bind-certificate", "pfx", "seal.pfx", pfx, password: "wrong-password");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("password for 'seal.pfx' is wrong", (await PortalClient.ParseAsync(wrong)).TextOf("[data-testid=error]"));

        var expired = await UploadAsync(admin, url, "bind-certificate", "pfx", "old.pfx",
            await File.ReadAllBytesAsync(SamplePki.Path_("sample-seal-expired.pfx")), password: SamplePki.Password);
        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Contains("expired", (await PortalClient.ParseAsync(expired)).TextOf("[data-testid=error]"));

        var notPfx = await UploadAsync(admin, url, "bind-certificate", "pfx", "x.pfx", PngOf(32), password: "x");
        Assert.Equal(HttpStatusCode.BadRequest, notPfx.StatusCode);
        Assert.Null((await DetailAsync(id)).Certificate);
        Assert.Contains("尚未绑定签名证书", (await admin.GetDocumentAsync(url)).TextOf("[data-testid=unusable]"));

        var ok = await UploadAsync(admin, url, "bind-certificate", "pfx", "seal.pfx", pfx, password: PfxPassword);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var page = await PortalClient.ParseAsync(ok);
        var facts = page.TextOf("[data-testid=certificate]");
        Assert.Contains("CN=SAMPLE Company Seal (ECDSA)", facts);
        Assert.Contains("SealPortal SAMPLE Intermediate CA", facts);
        Assert.Contains("ECDSA", facts);
        Assert.Matches(@"^\d+ 天后过期$", page.TextOf("[data-testid=expiry]"));
        Assert.Null(page.QuerySelector("[data-testid=unusable]"));

        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        var row = await db.Seals.AsNoTracking().SingleAsync(s => s.Id == id);
        var texts = typeof(Seal).GetProperties().Where(p => p.PropertyType == typeof(string)).Select(p => (string?)p.GetValue(row) ?? "").ToList();
        Assert.NotEmpty(row.CertificatePasswordProtected!);
        Assert.DoesNotContain(texts, t => t.Contains(PfxPassword));
        Assert.False(row.CertificatePfxProtected.AsSpan().IndexOf(pfx.AsSpan(0, 64)) >= 0, "the pfx is stored in the clear");
        Assert.DoesNotContain(PfxPassword, System.Text.Encoding.Latin1.GetString(row.CertificatePfxProtected!));

        var registry = scope.ServiceProvider.GetRequiredService<SealRegistry>();
        using var identity = await registry.LoadSigningIdentityAsync(id);
        Assert.Equal("ECDSA", identity.KeyAlgorithm);
        Assert.True(identity.Certificate.HasPrivateKey);
        Assert.Single((await DetailAsync(id)).History, h => h.Change == SealChange.CertificateBound);
    }

    [Fact]
    public async Task CheckUsable_refuses_seals_that_are_not_active_or_whose_certificate_is_missing_or_expired()
    {
        using var admin = await portal.SignInAsync("admin");
        var physical = int.Parse((await CreateSealAsync(admin, "测试可用章", SealKind.Physical)).Split('/').Last());
        var electronicUrl = await CreateSealAsync(admin, "测试可用电子章", SealKind.Electronic);
        var electronic = int.Parse(electronicUrl.Split('/').Last());

        await using var scope = portal.Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<SealRegistry>();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        Assert.Null(await registry.CheckUsableAsync(physical, clock.GetUtcNow()));
        Assert.Contains("has no signing certificate", await registry.CheckUsableAsync(electronic, clock.GetUtcNow()));
        await Assert.ThrowsAsync<SealNotUsableException>(() => registry.LoadSigningIdentityAsync(electronic));

        Assert.True((await registry.BindCertificateFileAsync(electronic, SamplePki.Path_("sample-seal-rsa.pfx"), SamplePki.Password, "admin")).Succeeded);
        Assert.Null(await registry.CheckUsableAsync(electronic, clock.GetUtcNow()));

        var notAfter = (await registry.GetAsync(electronic))!.Certificate!.NotAfter;
        clock.SetUtcNow(notAfter.AddDays(1));
        Assert.Contains("expired on", await registry.CheckUsableAsync(electronic, clock.GetUtcNow()));

        Assert.True((await registry.ChangeStatusAsync(physical, SealStatus.Suspended, "盘点", "admin")).Succeeded);
        Assert.Contains("cannot be used", await registry.CheckUsableAsync(physical, DateTimeOffset.UtcNow));
        Assert.Contains("不能使用", (await admin.GetDocumentAsync($"/seals/{physical}")).TextOf("[data-testid=unusable]"));
    }

    private static async Task<string> CreateSealAsync(PortalClient admin, string name, SealKind kind, string? custodian = null, string? organization = null)
    {
        var form = await admin.GetDocumentAsync("/seals/new");
        var values = new Dictionary<string, object> { ["name"] = name, ["kind"] = kind.ToString() };
        if (custodian is not null)
        {
            var keeperName = DatabaseInitializer.DemoUsers.Single(u => u.UserName == custodian).DisplayName;
            values["custodian"] = form.QuerySelectorAll("#seal-custodian option").Single(o => o.TextContent == keeperName).GetAttribute("value")!;
        }
        if (organization is not null)
            values["organization"] = organization;
        var response = await admin.SubmitNamedFormAsync("/seals/new", "create-seal", values);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"create answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var target = response.LocalTarget();
        Assert.Matches(@"^/seals/\d+$", target);
        return target;
    }

    private static async Task ChangeStatusAsync(PortalClient admin, string url, SealStatus to, string reason)
    {
        var response = await admin.SubmitNamedFormAsync(url, "change-status",
            new Dictionary<string, object> { ["status"] = to.ToString(), ["reason"] = reason });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{to}: {(int)response.StatusCode}");
    }

    /// <summary>Posts a form the user cannot see, with the antiforgery token of their own session, as a hand-made request would.</summary>
    private static async Task<HttpResponseMessage> PostRawAsync(PortalClient user, string url, string formName, Dictionary<string, string> values)
    {
        var own = await user.GetDocumentAsync("/account/password");
        var token = own.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var fields = new Dictionary<string, string>(values) { ["_handler"] = formName, ["__RequestVerificationToken"] = token };
        return await user.Http.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    private static Task<HttpResponseMessage> UploadAsync(PortalClient admin, string url, string formName, string field, string fileName, byte[] content, string? password = null)
    {
        var values = new Dictionary<string, string>();
        if (password is not null)
            values["password"] = password;
        return admin.SubmitNamedMultipartFormAsync(url, formName, values, new Dictionary<string, (string, byte[])> { [field] = (fileName, content) });
    }

    private async Task<(byte[] Png, string Sha256)?> ImageOfAsync(int id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealRegistry>().GetImageAsync(id);
    }

    private async Task<SealDetail> DetailAsync(int id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<SealRegistry>().GetAsync(id))!;
    }

    /// <summary>A real PNG from the seal image encoder: a red square of the given size.</summary>
    private static byte[] PngOf(int size)
    {
        var rgba = new byte[size * size * 4];
        for (var i = 0; i < rgba.Length; i += 4)
        {
            rgba[i] = 0xE6;
            rgba[i + 3] = 0xFF;
        }
        return SealPortal.Features.Seals.Imaging.SealPng.EncodeRgba(size, size, rgba);
    }

    /// <summary>A sample certificate under another password, so the test can look for that password in the database.</summary>
    private static byte[] ReExport(string file, string password)
    {
        var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(SamplePki.Path_(file), SamplePki.Password, X509KeyStorageFlags.Exportable);
        return all.Export(X509ContentType.Pkcs12, password)!;
    }
}
