using Bunit;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Features.Seals;

/// <summary>A portal whose configured seal font does not exist, like a server without CJK fonts.</summary>
public sealed class NoFontPortal : SealPortalFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Seals:FontPath"] = "/nonexistent/fonts/seal.ttf",
    };
}

public class NoFontTests(NoFontPortal portal) : IClassFixture<NoFontPortal>
{
    [Fact]
    public async Task Without_a_font_the_portal_starts_the_demo_seals_have_no_image_and_generating_says_why()
    {
        using var admin = await portal.SignInAsync("admin");
        Assert.Contains(portal.Logs.Entries, e => e.Message.StartsWith("Demo seals get no generated images") && e.Message.Contains("/nonexistent/fonts/seal.ttf"));

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
            Assert.Equal(0, await db.Seals.CountAsync(s => s.ImagePng != null));
        }

        int sealId;
        await using (var scope = portal.Services.CreateAsyncScope())
            sealId = await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Seals.Where(s => s.Name == "公司公章").Select(s => s.Id).SingleAsync();
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        await using var ui = await PortalComponents.SignedInAsync(portal, "admin", "zh-CN");
        var page = ui.Render<SealPortal.Features.Seals.SealPage>(p => p.Add(x => x.Id, sealId));
        page.WaitForAssertion(() => page.Find("[data-testid=no-image]"), TimeSpan.FromSeconds(20));
        await page.ClickFreshAsync("[data-testid=generate-image]");
        page.WaitForAssertion(() => Assert.Contains(ui.Snackbars, s => s.Contains("服务器未安装中文字体") && s.Contains("Seals:FontPath")), TimeSpan.FromSeconds(20));
        await using (var scope = portal.Services.CreateAsyncScope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<SealPortalDbContext>().Seals.CountAsync(s => s.ImagePng != null));
    }
}
