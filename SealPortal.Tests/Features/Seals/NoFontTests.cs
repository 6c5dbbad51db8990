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

        var seal = await admin.GetDocumentAsync("/seals");
        var url = seal.QuerySelectorAll("[data-testid=seal-table] a").First(a => a.TextContent == "公司公章").GetAttribute("href")!;
        Assert.NotNull((await admin.GetDocumentAsync(url)).QuerySelector("[data-testid=no-image]"));
        var generated = await admin.SubmitNamedFormAsync(url, "generate-image", new Dictionary<string, object>());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, generated.StatusCode);
        var error = (await PortalClient.ParseAsync(generated)).TextOf("[data-testid=error]");
        Assert.Contains("服务器未安装中文字体", error);
        Assert.Contains("Seals:FontPath", error);
    }
}
