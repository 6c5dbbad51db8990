using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SealPortal.Data;
using SealPortal.Features.Training;
using SealPortal.Tests.Features.Training;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Browser;

/// <summary>A portal of its own for training: attendance recorded here changes its keepers.</summary>
public sealed class TrainingBrowserPortal : SealPortalFactory;

/// <summary>
/// Training in Chromium: an administrator plans a keeper training in the dialog, a bad material is refused with its
/// reason, the trainer records the keeper's attendance, and the keeper sees it as current keeper training.
/// </summary>
public sealed class TrainingBrowserTests(BrowserFixture<TrainingBrowserPortal> fixture) : IClassFixture<BrowserFixture<TrainingBrowserPortal>>
{
    private async Task<IPage> SignInAsync(IBrowserContext context, string userName)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", SealPortalFactory.DemoPassword);
        await page.ClickAsync("button[type=submit]:has-text('Sign in')");
        await page.WaitForURLAsync(new Uri(fixture.BaseAddress, "/").ToString());
        return page;
    }

    private Task<IBrowserContext> NewContextAsync() => fixture.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = fixture.BaseAddress.ToString(),
        Locale = "en-US",
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
    });

    [Fact]
    public async Task An_administrator_plans_a_keeper_training_the_trainer_records_attendance_and_the_keeper_sees_it_current()
    {
        int planId;
        await using (var adminContext = await NewContextAsync())
        {
            var admin = await SignInAsync(adminContext, "admin");
            await admin.GotoAsync("/training");
            await admin.WaitForSelectorAsync("[data-interactive=true]");
            await admin.ClickAsync("[data-testid=new-plan]");
            await admin.WaitForSelectorAsync("[data-testid=plan-dialog]");
            await admin.FillAsync(":is(input[data-testid=plan-title-input], [data-testid=plan-title-input] input)", "浏览器里的保管人培训");
            await admin.FillAsync(":is(textarea[data-testid=plan-description-input], [data-testid=plan-description-input] textarea)", "印章保管与交接。");
            await admin.ClickAsync("[data-testid=plan-kind]");
            await admin.ClickAsync(".mud-popover-open [role=option]:has-text('Keeper training')");
            await Assertions.Expect(admin.Locator("input[data-testid=plan-kind]")).ToHaveValueAsync("Keeper training");
            await admin.ClickAsync("[data-testid=plan-confirm]");
            await Assertions.Expect(admin.Locator("h1[data-testid=plan-title]")).ToHaveTextAsync("浏览器里的保管人培训");
            await admin.WaitForSelectorAsync("[data-interactive=true]");
            await Assertions.Expect(admin.Locator("[data-testid=plan-facts] [data-kind]")).ToHaveAttributeAsync("data-kind", "Keeper");
            planId = int.Parse(admin.Url.Split('/').Last());

            // A text file named .pdf is refused with its reason, and nothing is attached.
            await admin.SetInputFilesWhenReadyAsync("input[type=file]", new FilePayload { Name = "讲义.pdf", MimeType = "application/pdf", Buffer = "not a pdf"u8.ToArray() });
            await Assertions.Expect(admin.Locator("[data-testid=material-error]")).ToContainTextAsync("讲义.pdf is not a readable PDF");
            Assert.Equal(0, await admin.Locator("[data-material]").CountAsync());

            // The session took place an hour ago (the date picker is the component tests' matter); the administrator trains it.
            var session = await portal().AddSessionAsync(await TrainingKit.PrincipalAsync(fixture.Portal, "admin"), planId,
                new SessionInput(DateTimeOffset.UtcNow.AddHours(-1), 60, "总经办会议室", await TrainingKit.UserIdAsync(fixture.Portal, "admin")));
            Assert.True(session.Succeeded, session.ToString());
            await admin.GotoAsync($"/training/sessions/{session.Id}");
            await admin.WaitForSelectorAsync("[data-interactive=true]");
            await admin.ClickAsync("[data-testid=present-keeper]");
            await Assertions.Expect(admin.Locator("[data-testid=attended-keeper]")).ToHaveAttributeAsync("data-attended", "true");
            await Chromium.ScreenshotAsync(admin, "training-attendance");
        }

        await using var context = await NewContextAsync();
        var keeper = await SignInAsync(context, "keeper");
        await keeper.GotoAsync("/training");
        await keeper.WaitForSelectorAsync("[data-interactive=true]");
        await Assertions.Expect(keeper.Locator("[data-testid=keeper-status]")).ToHaveAttributeAsync("data-current", "true");
        await Assertions.Expect(keeper.Locator($"[data-testid=my-plan][data-plan=\"{planId}\"]")).ToHaveAttributeAsync("data-done", "true");

        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        Assert.Equal(0, await db.TrainingMaterials.CountAsync(m => m.PlanId == planId));
    }

    private TrainingService portal() => fixture.Portal.Services.GetRequiredService<TrainingService>();
}
