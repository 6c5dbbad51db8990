using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
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

/// <summary>
/// The interactive seal pages (bUnit over a real portal, in Chinese): registering, editing, status changes
/// in a dialog, images and certificates through MudFileUpload, and who may see and change what. Plain
/// HTTP covers the prerendered answers (403 for a seal someone may not open) and hand-made posts.
/// </summary>
public class SealRegistryPageTests(SealRegistryPortal portal) : IClassFixture<SealRegistryPortal>
{
    private const string PfxPassword = "Pfx-Secret-7781-unique";

    [Fact]
    public async Task Admin_registers_edits_and_changes_status_and_each_change_is_in_the_history()
    {
        Chinese();
        var id = await CreateSealAsync("测试合同章A", SealKind.Physical);

        await using var ui = await PortalComponents.SignedInAsync(portal, "admin", "zh-CN");
        var (host, page) = OpenSeal(ui, id);
        await page.ClickFreshAsync("[data-testid=edit-seal]");
        host.WaitForAssertion(() => host.Find("[data-testid=seal-edit-dialog]"));
        var dialog = host.FindComponent<SealEditDialog>();
        await dialog.InvokeAsync(() => dialog.FindComponents<MudTextField<string>>()[0].Instance.ValueChanged.InvokeAsync("测试合同章B"));
        await dialog.InvokeAsync(() => dialog.FindComponents<MudTextField<string>>()[1].Instance.ValueChanged.InvokeAsync("示例集团有限公司"));
        await dialog.InvokeAsync(() => dialog.FindComponent<MudSelect<SealType>>().Instance.ValueChanged.InvokeAsync(SealType.Contract));
        await host.ClickFreshAsync("[data-testid=dialog-confirm]");
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[data-testid=seal-edit-dialog]")));
        Assert.Contains("印章已保存。", ui.Snackbars);

        await ChangeStatusAsync(host, page, SealStatus.Suspended, "年度检查");

        page.WaitForAssertion(() => Assert.Equal("停用", page.Find("[data-testid=seal-facts] [data-testid=status]").TextContent.Trim()));
        var rows = page.FindAll("[data-testid=history] tbody tr");
        Assert.Equal(["Created", "Edited", "StatusChanged"], rows.Select(r => r.GetAttribute("data-change")!).ToArray());
        Assert.All(rows, r => Assert.Contains("admin", r.TextContent));
        Assert.Equal("名称: — → 测试合同章A", rows[0].QuerySelector("[data-field=Name]")!.TextContent);
        Assert.Equal("名称: 测试合同章A → 测试合同章B", rows[1].QuerySelector("[data-field=Name]")!.TextContent);
        Assert.Equal("类型: 公章 → 合同专用章", rows[1].QuerySelector("[data-field=Type]")!.TextContent);
        Assert.Equal("单位名称: — → 示例集团有限公司", rows[1].QuerySelector("[data-field='Organisation name']")!.TextContent);
        Assert.Null(rows[1].QuerySelector("[data-field=Kind]"));
        Assert.Contains("启用 → 停用", rows[2].TextContent);
        Assert.Contains("年度检查", rows[2].TextContent);

        // The change was recorded as the administrator of the circuit, in the audit trail too.
        await using var scope = portal.Services.CreateAsyncScope();
        var actors = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().AuditEvents.AsNoTracking()
            .Where(e => e.Subject == $"seal {id}").Select(e => e.Actor).ToListAsync();
        Assert.Equal(["admin", "admin"], actors);

        var list = ui.Render<SealList>();
        InteractiveLists.WaitUntilLoaded(list);
        Assert.Contains(list.FindAll("[data-testid=seal-table] a"), a => a.GetAttribute("href") == $"/seals/{id}" && a.TextContent == "测试合同章B");
    }

    [Fact]
    public async Task Status_changes_need_a_reason_and_destroyed_is_final()
    {
        Chinese();
        var id = await CreateSealAsync("测试销毁章", SealKind.Physical);
        var url = $"/seals/{id}";

        await using (var ui = await PortalComponents.SignedInAsync(portal, "admin", "zh-CN"))
        {
            var (host, page) = OpenSeal(ui, id);
            var dialog = await OpenStatusDialogAsync(host, page);
            await SetStatusAsync(dialog, SealStatus.Lost, "  ");
            await host.ClickFreshAsync("[data-testid=dialog-confirm]");
            host.WaitForAssertion(() => Assert.Equal("变更状态必须填写原因。", host.Find("[data-testid=dialog-error]").TextContent.Trim()));
            Assert.Equal(SealStatus.Active, (await DetailAsync(id)).Status);
            await host.ClickFreshAsync("[data-testid=dialog-cancel]");
            host.WaitForAssertion(() => Assert.Empty(host.FindAll("[data-testid=seal-status-dialog]")));

            // Lost → Active is how a found seal comes back; Lost → Suspended is not a transition.
            await ChangeStatusAsync(host, page, SealStatus.Lost, "遗失于会议室");
            dialog = await OpenStatusDialogAsync(host, page);
            Assert.Equal([SealStatus.Active, SealStatus.Destroyed], dialog.Instance.Allowed);
            // A value the dialog does not offer (as a tampered client would send) is refused by the registry.
            await SetStatusAsync(dialog, SealStatus.Suspended, "试试");
            await host.ClickFreshAsync("[data-testid=dialog-confirm]");
            host.WaitForAssertion(() => Assert.Contains("停用", host.Find("[data-testid=dialog-error]").TextContent));
            Assert.Equal(SealStatus.Lost, (await DetailAsync(id)).Status);
            await host.ClickFreshAsync("[data-testid=dialog-cancel]");
            host.WaitForAssertion(() => Assert.Empty(host.FindAll("[data-testid=seal-status-dialog]")));

            await ChangeStatusAsync(host, page, SealStatus.Active, "found");
            await ChangeStatusAsync(host, page, SealStatus.Destroyed, "已按规定销毁");

            // The page offers no way out, and no change at all.
            page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=change-status]")));
            Assert.NotEmpty(page.FindAll("[data-testid=final]"));
            Assert.Empty(page.FindAll("[data-testid=edit-seal]"));
            Assert.Empty(page.FindAll("[data-testid=generate-image]"));
        }

        // A hand-made post is refused all the same.
        using var admin = await portal.SignInAsync("admin");
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
        Chinese();
        // A seal is given only to a keeper whose keeper training is current (issue 15): the keeper attended one yesterday.
        await SealPortal.Tests.Features.Training.TrainingKit.TrainKeeperAsync(portal, "keeper");
        var keeperSealId = await CreateSealAsync("测试保管章", SealKind.Physical, custodian: "keeper");
        var otherSealId = await CreateSealAsync("测试无人保管章", SealKind.Physical);
        var keeperSeal = $"/seals/{keeperSealId}";
        var otherSeal = $"/seals/{otherSealId}";

        using var applicant = await portal.SignInAsync("applicant");
        var create = await PostRawAsync(applicant, "/seals/new", "create-seal", new() { ["name"] = "越权章" });
        Assert.True(create.StatusCode is HttpStatusCode.Forbidden ||
                    (create.StatusCode == HttpStatusCode.Redirect && create.LocalTarget().StartsWith("/account/access-denied")),
            $"applicant create answered {(int)create.StatusCode}");
        var applicantView = await applicant.GetAsync(keeperSeal);
        Assert.Equal(HttpStatusCode.Forbidden, applicantView.StatusCode);
        Assert.DoesNotContain("测试保管章", await applicantView.Content.ReadAsStringAsync());

        using var keeper = await portal.SignInAsync("keeper");
        var view = await keeper.GetDocumentAsync(keeperSeal);
        Assert.NotNull(view.QuerySelector("[data-testid=seal-facts]"));
        Assert.Null(view.QuerySelector("[data-testid=edit-seal]"));
        Assert.Equal(HttpStatusCode.Forbidden, (await keeper.GetAsync(otherSeal)).StatusCode);
        var edit = await PostRawAsync(keeper, keeperSeal, "edit-seal", new() { ["name"] = "被保管人改名" });
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);

        // In a circuit: the keeper reads their seal without any action, and nothing of the other seal.
        await using (var ui = await PortalComponents.SignedInAsync(portal, "keeper", "zh-CN"))
        {
            var (_, own) = OpenSeal(ui, keeperSealId);
            Assert.NotEmpty(own.FindAll("[data-testid=seal-facts]"));
            Assert.Empty(own.FindAll("[data-testid=seal-actions]"));
            Assert.Empty(own.FindAll("[data-testid=image-upload]"));

            var other = ui.Render<SealPage>(p => p.Add(x => x.Id, otherSealId));
            other.WaitForAssertion(() => other.Find("[data-testid=error]"));
            Assert.Empty(other.FindAll("[data-testid=seal-facts]"));
            Assert.Contains("只有管理员和该印章的保管人", other.Find("[data-testid=error]").TextContent);
            Assert.DoesNotContain("测试无人保管章", other.Markup);

            // The list links only the seal the keeper keeps.
            var list = ui.Render<SealList>();
            InteractiveLists.WaitUntilLoaded(list);
            Assert.Contains(list.FindAll("[data-testid=seal-table] a"), a => a.GetAttribute("href") == keeperSeal);
            Assert.DoesNotContain(list.FindAll("[data-testid=seal-table] a"), a => a.GetAttribute("href") == otherSeal);
            Assert.Empty(list.FindAll("[data-testid=new-seal]"));
        }

        // An administrator whose role is taken away while the page is open changes nothing more.
        await using (var ui = await PortalComponents.SignedInAsync(portal, "admin", "zh-CN"))
        {
            var (host, page) = OpenSeal(ui, otherSealId);
            await SetRoleAsync("admin", Roles.Admin, false);
            try
            {
                var dialog = await OpenStatusDialogAsync(host, page);
                await SetStatusAsync(dialog, SealStatus.Suspended, "越权");
                await host.ClickFreshAsync("[data-testid=dialog-confirm]");
                host.WaitForAssertion(() => Assert.Contains(ui.Snackbars, s => s is "只有管理员可以修改印章。" or "您的会话已结束，请重新登录。"));
                Assert.Equal(SealStatus.Active, (await DetailAsync(otherSealId)).Status);
                page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=seal-facts]")));
            }
            finally
            {
                await SetRoleAsync("admin", Roles.Admin, true);
            }
        }

        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        Assert.False(await db.Seals.AnyAsync(s => s.Name == "越权章" || s.Name == "被保管人改名"));
        Assert.Single(await db.SealHistory.Where(h => h.SealId == otherSealId).ToListAsync());
    }

    [Fact]
    public async Task An_uploaded_png_is_decoded_and_stored_and_anything_else_is_refused()
    {
        Chinese();
        var id = await CreateSealAsync("测试图像章", SealKind.Physical);
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin", "zh-CN");
        var (host, page) = OpenSeal(ui, id);

        await UploadAsync(host, "image-upload", "seal.png", "not a png at all, just text"u8.ToArray());
        host.WaitForAssertion(() => Assert.Contains(ui.Snackbars, s => s.Contains("不是有效的 PNG 图像")));

        var truncated = PngOf(64)[..100];
        var before = ui.Snackbars.Count();
        await UploadAsync(host, "image-upload", "cut.png", truncated);
        host.WaitForAssertion(() => Assert.True(ui.Snackbars.Count() > before));
        Assert.Null(await ImageOfAsync(id));

        var huge = new byte[SealRegistryPortal.MaxImageBytes + 1];
        PngOf(64).CopyTo(huge, 0);
        before = ui.Snackbars.Count();
        await UploadAsync(host, "image-upload", "big.png", huge);
        host.WaitForAssertion(() => Assert.True(ui.Snackbars.Count() > before));
        Assert.Contains("KB", ui.Snackbars.Last());
        Assert.Null(await ImageOfAsync(id));

        var png = PngOf(64);
        await UploadAsync(host, "image-upload", "seal.bin", png);
        host.WaitForAssertion(() => Assert.Contains("图像已保存。", ui.Snackbars));
        page.WaitForAssertion(() => Assert.StartsWith($"/seals/{id}/image", page.Find("[data-testid=seal-image]").GetAttribute("src")));
        using var admin = await portal.SignInAsync("admin");
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
        Chinese();
        var id = await CreateSealAsync("测试生成章", SealKind.Physical, organization: "示例科技有限公司");
        await using (var ui = await PortalComponents.SignedInAsync(portal, "admin", "zh-CN"))
        {
            var (_, page) = OpenSeal(ui, id);
            Assert.NotEmpty(page.FindAll("[data-testid=no-image]"));
            await page.ClickFreshAsync("[data-testid=generate-image]");
            page.WaitForAssertion(() => Assert.StartsWith($"/seals/{id}/image", page.Find("[data-testid=seal-image]").GetAttribute("src")), TimeSpan.FromSeconds(30));
            Assert.Contains("图像已生成。", ui.Snackbars);
        }

        using var admin = await portal.SignInAsync("admin");
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
        Chinese();
        var id = await CreateSealAsync("测试电子章", SealKind.Electronic);
        var pfx = ReExport("sample-seal-ecdsa.pfx", PfxPassword);
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin", "zh-CN");
        var (host, page) = OpenSeal(ui, id);
        Assert.Contains("尚未绑定签名证书", page.Find("[data-testid=unusable]").TextContent);

        async Task<string> RefusedAsync(string fileName, byte[] content, string password)
        {
            await BindAsync(host, page, fileName, content, password);
            host.WaitForAssertion(() => host.Find("[data-testid=dialog-error]"));
            var error = host.Find("[data-testid=dialog-error]").TextContent;
            await host.ClickFreshAsync("[data-testid=dialog-cancel]");
            host.WaitForAssertion(() => Assert.Empty(host.FindAll("[data-testid=seal-certificate-dialog]")));
            return error;
        }

        Assert.Contains("password for 'seal.pfx' is wrong", await RefusedAsync("seal.pfx", pfx, "wrong-password"));
        Assert.Contains("expired", await RefusedAsync("old.pfx", await File.ReadAllBytesAsync(SamplePki.Path_("sample-seal-expired.pfx")), SamplePki.Password));
        Assert.NotEmpty(await RefusedAsync("x.pfx", PngOf(32), "x"));
        Assert.Null((await DetailAsync(id)).Certificate);

        await BindAsync(host, page, "seal.pfx", pfx, PfxPassword);
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[data-testid=seal-certificate-dialog]")));
        Assert.Contains("证书已绑定。", ui.Snackbars);
        page.WaitForAssertion(() => page.Find("[data-testid=certificate]"));
        var facts = page.Find("[data-testid=certificate]").TextContent;
        Assert.Contains("CN=SAMPLE Company Seal (ECDSA)", facts);
        Assert.Contains("SealPortal SAMPLE Intermediate CA", facts);
        Assert.Contains("ECDSA", facts);
        Assert.Matches(@"^\d+ 天后过期$", page.Find("[data-testid=expiry]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=unusable]"));

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
        // In English: the registry's reasons are read in the test's culture.
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        var physical = await CreateSealAsync("测试可用章", SealKind.Physical);
        var electronic = await CreateSealAsync("测试可用电子章", SealKind.Electronic);

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
        using var admin = await portal.SignInAsync("admin");
        Assert.Contains("不能使用", (await admin.GetDocumentAsync($"/seals/{physical}")).TextOf("[data-testid=unusable]"));
    }

    [Fact]
    public async Task The_list_pages_sorts_and_searches_in_the_database_and_a_new_seal_needs_a_name()
    {
        Chinese();
        await using var ui = await PortalComponents.SignedInAsync(portal, "keeper", "zh-CN");
        var list = ui.Render<SealList>();
        InteractiveLists.WaitUntilLoaded(list);
        var rows = list.FindAll("[data-testid=seal-table] tbody tr").Where(r => r.QuerySelector("[data-seal]") is not null).ToList();
        Assert.True(rows.Count >= 5, $"only {rows.Count} seals listed");
        var contract = rows.Single(r => r.Children[0].TextContent.Trim() == "合同专用章");
        Assert.Equal("合同专用章", contract.Children[1].TextContent.Trim());
        Assert.Contains("电子印章", contract.Children[2].TextContent);
        Assert.Equal("启用", contract.Children[5].TextContent.Trim());

        var loads = int.Parse(list.Find("[data-testid=grid-state]").GetAttribute("data-loads")!);
        await list.InvokeAsync(() => list.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync("合同专用"));
        InteractiveLists.WaitUntilLoaded(list, loads + 1);
        Assert.All(list.FindAll("[data-seal]"), s => Assert.Contains("合同专用", s.TextContent));
        Assert.Equal("1", list.Find("[data-testid=grid-state]").GetAttribute("data-total"));

        var catalog = portal.Services.GetRequiredService<SealCatalog>();
        var byName = await catalog.PageAsync(new SealPortal.Features.Requests.ListQuery(SortBy: "Name", Descending: false, PageSize: 100));
        Assert.Equal(byName.Items.Select(s => s.Name).Order(StringComparer.Ordinal), byName.Items.Select(s => s.Name), StringComparer.Ordinal);
        var suspended = await catalog.PageAsync(new SealPortal.Features.Requests.ListQuery(PageSize: 100), SealStatus.Destroyed);
        Assert.All(suspended.Items, s => Assert.Equal(SealStatus.Destroyed, s.Status));

        await using (var en = await PortalComponents.SignedInAsync(portal, "keeper", "en"))
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
            var english = en.Render<SealList>();
            InteractiveLists.WaitUntilLoaded(english);
            var contractEn = english.FindAll("[data-testid=seal-table] tbody tr").Single(r => r.Children[0].TextContent.Trim() == "合同专用章");
            Assert.Equal("Contract seal", contractEn.Children[1].TextContent.Trim());
            Assert.Equal("Seals", english.Find("h1").TextContent);
        }
        Chinese();

        // A seal without a name is refused, and nothing is registered.
        await using var admin = await PortalComponents.SignedInAsync(portal, "admin", "zh-CN");
        var create = admin.Render<SealCreate>();
        create.WaitForAssertion(() => create.Find("[data-testid=register-seal]"));
        var count = await SealCountAsync();
        await create.ClickFreshAsync("[data-testid=register-seal]");
        create.WaitForAssertion(() => Assert.Contains(admin.Snackbars, s => s.Contains("1")));
        Assert.Equal(count, await SealCountAsync());
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>
    /// The test's own culture: set here, in the test's flow, since a culture set inside an awaited method
    /// (as <see cref="PortalComponents.SignedInAsync"/> does) does not flow back to its caller.
    /// </summary>
    private static void Chinese() => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");

    private async Task<int> SealCountAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Seals.CountAsync();
    }

    /// <summary>Registers a seal through the create page as the administrator; answers its id.</summary>
    private async Task<int> CreateSealAsync(string name, SealKind kind, string? custodian = null, string? organization = null)
    {
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin", "zh-CN");
        var create = ui.Render<SealCreate>();
        create.WaitForAssertion(() => create.Find("[data-testid=register-seal]"));
        var fields = create.FindComponent<SealFields>();
        await create.InvokeAsync(() => fields.FindComponents<MudTextField<string>>()[0].Instance.ValueChanged.InvokeAsync(name));
        await create.InvokeAsync(() => fields.FindComponent<MudSelect<SealKind>>().Instance.ValueChanged.InvokeAsync(kind));
        if (organization is not null)
            await create.InvokeAsync(() => fields.FindComponents<MudTextField<string>>()[1].Instance.ValueChanged.InvokeAsync(organization));
        if (custodian is not null)
        {
            var keeperId = await UserIdAsync(custodian);
            await create.InvokeAsync(() => fields.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync(keeperId));
        }
        await create.ClickFreshAsync("[data-testid=register-seal]");
        var navigation = ui.Context.Services.GetRequiredService<NavigationManager>();
        create.WaitForAssertion(() => Assert.Matches(@"/seals/\d+$", navigation.Uri), TimeSpan.FromSeconds(10));
        return int.Parse(navigation.Uri.Split('/').Last());
    }

    /// <summary>The seal page in a host with MudBlazor's dialog and popover providers, once it has loaded.</summary>
    private static (IRenderedComponent<IComponent> Host, IRenderedComponent<SealPage> Page) OpenSeal(PortalComponents ui, int id)
    {
        var host = ui.Context.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
            b.OpenComponent<SealPage>(2);
            b.AddAttribute(3, nameof(SealPage.Id), id);
            b.CloseComponent();
        });
        var page = host.FindComponent<SealPage>();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")));
        return ((IRenderedComponent<IComponent>)(object)host, page);
    }

    private static async Task<IRenderedComponent<SealStatusDialog>> OpenStatusDialogAsync(IRenderedComponent<IComponent> host, IRenderedComponent<SealPage> page)
    {
        await page.ClickFreshAsync("[data-testid=change-status]");
        host.WaitForAssertion(() => host.Find("[data-testid=seal-status-dialog]"));
        return host.FindComponent<SealStatusDialog>();
    }

    private static async Task SetStatusAsync(IRenderedComponent<SealStatusDialog> dialog, SealStatus to, string reason)
    {
        await dialog.InvokeAsync(() => dialog.FindComponent<MudSelect<SealStatus>>().Instance.ValueChanged.InvokeAsync(to));
        await dialog.InvokeAsync(() => dialog.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync(reason));
    }

    private static async Task ChangeStatusAsync(IRenderedComponent<IComponent> host, IRenderedComponent<SealPage> page, SealStatus to, string reason)
    {
        var dialog = await OpenStatusDialogAsync(host, page);
        await SetStatusAsync(dialog, to, reason);
        await host.ClickFreshAsync("[data-testid=dialog-confirm]");
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[data-testid=seal-status-dialog]")));
        page.WaitForAssertion(() => Assert.Equal(to.ToString(), page.Find("[data-testid=seal-facts] [data-testid=status]").GetAttribute("data-status")));
    }

    private static Task UploadAsync(IRenderedComponent<IComponent> host, string testId, string fileName, byte[] content)
    {
        var upload = host.FindComponents<MudFileUpload<IBrowserFile>>()
            .Single(u => u.Instance.UserAttributes.TryGetValue("data-testid", out var t) && (string?)t == testId);
        // Not inside the renderer's dispatcher: UploadFiles waits for the component's handler, and on PostgreSQL that
        // handler's database call resumes on the dispatcher, so waiting there would never end.
        var input = upload.FindComponent<InputFile>();
        return Task.Run(() => input.UploadFiles(InputFileContent.CreateFromBinary(content, fileName)));
    }

    private static async Task BindAsync(IRenderedComponent<IComponent> host, IRenderedComponent<SealPage> page, string fileName, byte[] content, string password)
    {
        await page.ClickFreshAsync("[data-testid=bind-certificate]");
        host.WaitForAssertion(() => host.Find("[data-testid=seal-certificate-dialog]"));
        await UploadAsync(host, "pfx-upload", fileName, content);
        host.WaitForAssertion(() => Assert.Equal(fileName, host.Find("[data-testid=pfx-name]").TextContent));
        var dialog = host.FindComponent<SealCertificateDialog>();
        await dialog.InvokeAsync(() => dialog.FindComponent<MudTextField<string>>().Instance.ValueChanged.InvokeAsync(password));
        await host.ClickFreshAsync("[data-testid=dialog-confirm]");
    }

    /// <summary>Posts a form the user cannot see, with the antiforgery token of their own session, as a hand-made request would.</summary>
    private static async Task<HttpResponseMessage> PostRawAsync(PortalClient user, string url, string formName, Dictionary<string, string> values)
    {
        var own = await user.GetDocumentAsync("/account/password");
        var token = own.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var fields = new Dictionary<string, string>(values) { ["_handler"] = formName, ["__RequestVerificationToken"] = token };
        return await user.Http.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    private async Task<string> UserIdAsync(string userName)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    private async Task SetRoleAsync(string userName, string role, bool member)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByNameAsync(userName))!;
        var result = member ? await users.AddToRoleAsync(user, role) : await users.RemoveFromRoleAsync(user, role);
        Assert.True(result.Succeeded);
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
