using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using SealPortal.Data;
using SealPortal.Features.Training;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Training;

/// <summary>
/// The training pages (bUnit over a real portal): "My training", a plan with its materials, a session's attendance
/// and the completion per department, each with its role boundary (the wrong user sees no data and has no action).
/// </summary>
public sealed class TrainingPageTests(TrainingPortal portal) : IClassFixture<TrainingPortal>
{
    private TrainingService Training => portal.Services.GetRequiredService<TrainingService>();

    private DateTimeOffset Now => portal.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    private async Task<T> DbAsync<T>(Func<SealPortalDbContext, Task<T>> read)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SealPortalDbContext>());
    }

    private async Task<int> PlanAsync(TrainingKind kind, params string[] roles)
    {
        var plan = await Training.CreatePlanAsync(await TrainingKit.PrincipalAsync(portal, "admin"),
            new PlanInput("页面培训 " + Guid.NewGuid().ToString("N")[..6], "内容", kind, null, roles, []));
        Assert.True(plan.Succeeded, plan.ToString());
        return plan.Id!.Value;
    }

    private async Task<int> SessionAsync(int plan, DateTimeOffset at, string trainer)
    {
        var session = await Training.AddSessionAsync(await TrainingKit.PrincipalAsync(portal, "admin"), plan,
            new SessionInput(at, 60, "培训室", await TrainingKit.UserIdAsync(portal, trainer)));
        Assert.True(session.Succeeded, session.ToString());
        return session.Id!.Value;
    }

    [Fact]
    public async Task My_training_shows_a_keeper_their_plans_and_keeper_status_and_only_an_administrator_plans()
    {
        var plan = await PlanAsync(TrainingKind.Keeper, Roles.SealKeeper);
        await SessionAsync(plan, Now.AddDays(5), "admin");

        await using (var ui = await PortalComponents.SignedInAsync(portal, "keeper"))
        {
            var page = ui.Render<TrainingPage>();
            page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=my-plan]"), p => p.GetAttribute("data-plan") == plan.ToString()));
            Assert.Equal("false", page.Find($"[data-testid=my-plan][data-plan=\"{plan}\"]").GetAttribute("data-done"));
            Assert.NotEmpty(page.FindAll("[data-testid=keeper-status]"));
            Assert.Empty(page.FindAll("[data-testid=new-plan]"));
            Assert.Empty(page.FindAll("[data-testid=all-plans]"));
            Assert.Empty(page.FindAll("[data-testid=completion-link]"));
        }

        await using (var ui = await PortalComponents.SignedInAsync(portal, "applicant"))
        {
            var page = ui.Render<TrainingPage>();
            page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")));
            // The keeper plan is not meant for an applicant, who has no keeper status either.
            Assert.DoesNotContain(page.FindAll("[data-testid=my-plan]"), p => p.GetAttribute("data-plan") == plan.ToString());
            Assert.Empty(page.FindAll("[data-testid=keeper-status]"));
            Assert.Empty(page.FindAll("[data-testid=new-plan]"));
        }

        await using var admin = await PortalComponents.SignedInAsync(portal, "admin");
        var (root, training) = admin.RenderWithDialogs<TrainingPage>();
        training.WaitForAssertion(() => Assert.NotEmpty(training.FindAll($"[data-plan-row=\"{plan}\"]")));
        Assert.NotEmpty(training.FindAll("[data-testid=completion-link]"));
        var plans = await DbAsync(db => db.TrainingPlans.CountAsync());

        var click = training.ClickFreshAsync("[data-testid=new-plan]");
        root.WaitForElement("[data-testid=plan-dialog]");
        var dialog = root.FindComponent<PlanDialog>();
        root.WaitForAssertion(() => Assert.NotEmpty(dialog.FindComponents<MudSelect<int>>()));
        var fields = dialog.FindComponents<MudTextField<string>>();
        await root.InvokeAsync(() => fields[1].Instance.ValueChanged.InvokeAsync("公章使用规范"));
        await root.ClickFreshAsync("[data-testid=plan-confirm]");
        root.WaitForAssertion(() => Assert.Contains("Give the plan a title.", root.Find("[data-testid=plan-error]").TextContent));
        Assert.Equal(plans, await DbAsync(db => db.TrainingPlans.CountAsync()));

        await root.InvokeAsync(() => fields[0].Instance.ValueChanged.InvokeAsync("对话框里的培训"));
        await root.ClickFreshAsync("[data-testid=plan-confirm]");
        await click.WaitAsync(TimeSpan.FromSeconds(10));
        root.WaitForAssertion(() => Assert.Empty(root.FindAll("[data-testid=plan-dialog]")));
        var created = await DbAsync(db => db.TrainingPlans.AsNoTracking().SingleAsync(p => p.Title == "对话框里的培训"));
        Assert.Equal(("公章使用规范", TrainingKind.General, "admin"), (created.Description, created.Kind, created.CreatedBy));
        Assert.Contains("The training plan is saved.", admin.Snackbars);
        Assert.EndsWith($"/training/plans/{created.Id}", admin.Context.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task The_trainer_records_attendance_on_the_session_page_an_auditor_only_reads_it_and_others_see_nothing()
    {
        var plan = await PlanAsync(TrainingKind.General, Roles.Applicant, Roles.SealKeeper);
        var session = await SessionAsync(plan, Now.AddHours(-1), "reviewer");
        var applicant = await TrainingKit.UserIdAsync(portal, "applicant");

        await using (var ui = await PortalComponents.SignedInAsync(portal, "reviewer"))
        {
            var page = ui.Render<TrainingSessionPage>(p => p.Add(x => x.Id, session));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=present-applicant]")));
            Assert.Equal(["applicant", "keeper"], page.FindAll("[data-user]").Select(e => e.GetAttribute("data-user")!).Order());
            await page.ClickFreshAsync("[data-testid=present-applicant]");
            page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=attended-applicant]").GetAttribute("data-attended")));
            await page.ClickFreshAsync("[data-testid=absent-keeper]");
            page.WaitForAssertion(() => Assert.Equal("false", page.Find("[data-testid=attended-keeper]").GetAttribute("data-attended")));
            Assert.Contains("张伟 Zhang Wei attended.", ui.Snackbars);
        }
        Assert.True(await DbAsync(db => db.TrainingAttendances.AnyAsync(a => a.SessionId == session && a.UserId == applicant && a.Attended && a.RecordedBy == "reviewer")));

        await using (var ui = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            var page = ui.Render<TrainingSessionPage>(p => p.Add(x => x.Id, session));
            page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-user]").Count));
            Assert.Empty(page.FindAll("[data-testid^=present-]"));
            Assert.Empty(page.FindAll("[data-testid^=absent-]"));
        }

        // The administrator planned it but does not train it: reads, records nothing.
        await using (var ui = await PortalComponents.SignedInAsync(portal, "admin"))
        {
            var page = ui.Render<TrainingSessionPage>(p => p.Add(x => x.Id, session));
            page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-user]").Count));
            Assert.Empty(page.FindAll("[data-testid^=present-]"));
        }

        foreach (var userName in new[] { "applicant", "keeper", "depthead" })
        {
            await using var ui = await PortalComponents.SignedInAsync(portal, userName);
            var page = ui.Render<TrainingSessionPage>(p => p.Add(x => x.Id, session));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=refused]")));
            Assert.Empty(page.FindAll("[data-user]"));
        }
    }

    [Fact]
    public async Task A_bad_material_upload_is_named_with_its_reason_and_stores_nothing_and_the_plan_is_hidden_from_who_it_does_not_concern()
    {
        var plan = await PlanAsync(TrainingKind.General, Roles.Applicant);
        var materials = await DbAsync(db => db.TrainingMaterials.CountAsync());

        await using (var admin = await PortalComponents.SignedInAsync(portal, "admin"))
        {
            var (_, page) = admin.RenderWithDialogs<TrainingPlanPage>(new Dictionary<string, object?> { ["Id"] = plan });
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=add-session]")));
            await UploadAsync(page, "讲义.pdf", "not a pdf at all"u8.ToArray());
            page.WaitForAssertion(() => Assert.Contains("讲义.pdf is not a readable PDF", page.Find("[data-testid=material-error]").TextContent));
            Assert.Equal(materials, await DbAsync(db => db.TrainingMaterials.CountAsync()));

            await UploadAsync(page, "讲义.pdf", PdfTestKit.ClassicPdf(1));
            page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-material]")));
            Assert.Empty(page.FindAll("[data-testid=material-error]"));
        }

        await using (var applicant = await PortalComponents.SignedInAsync(portal, "applicant"))
        {
            var page = applicant.Render<TrainingPlanPage>(p => p.Add(x => x.Id, plan));
            page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-material]")));
            Assert.Empty(page.FindAll("[data-testid=add-session]"));
            Assert.Empty(page.FindAll("[data-testid=material-upload]"));
        }

        await using (var keeper = await PortalComponents.SignedInAsync(portal, "keeper"))
        {
            var page = keeper.Render<TrainingPlanPage>(p => p.Add(x => x.Id, plan));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=refused]")));
            Assert.Empty(page.FindAll("[data-material]"));
            Assert.Empty(page.FindAll("[data-testid=plan-title]"));
        }
    }

    [Fact]
    public async Task An_administrator_edits_the_plan_and_a_coming_session_in_their_dialogs_a_started_session_offers_no_edit_and_others_no_edit_at_all()
    {
        var plan = await PlanAsync(TrainingKind.General, Roles.Applicant);
        var coming = await SessionAsync(plan, Now.AddDays(6), "admin");
        await SessionAsync(plan, Now.AddDays(-2), "admin");
        var comingAt = await DbAsync(db => db.TrainingSessions.Where(x => x.Id == coming).Select(x => x.StartsUnixMs).SingleAsync());

        await using (var admin = await PortalComponents.SignedInAsync(portal, "admin"))
        {
            var (root, page) = admin.RenderWithDialogs<TrainingPlanPage>(new Dictionary<string, object?> { ["Id"] = plan });
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=edit-plan]")));
            // Only the session that has not started offers an edit.
            Assert.Single(page.FindAll("[data-testid=edit-session]"));

            var click = page.ClickFreshAsync("[data-testid=edit-plan]");
            root.WaitForElement("[data-testid=plan-dialog]");
            var dialog = root.FindComponent<PlanDialog>();
            root.WaitForAssertion(() => Assert.NotEmpty(dialog.FindComponents<MudSelect<int>>()));
            Assert.Contains("Edit training plan", root.Find(".mud-dialog-title").TextContent);
            var fields = dialog.FindComponents<MudTextField<string>>();
            Assert.StartsWith("页面培训 ", fields[0].Instance.GetState(x => x.Value));
            Assert.Equal("内容", fields[1].Instance.GetState(x => x.Value));
            await root.InvokeAsync(() => fields[0].Instance.ValueChanged.InvokeAsync(""));
            await root.ClickFreshAsync("[data-testid=plan-confirm]");
            root.WaitForAssertion(() => Assert.Contains("Give the plan a title.", root.Find("[data-testid=plan-error]").TextContent));
            await root.InvokeAsync(() => fields[0].Instance.ValueChanged.InvokeAsync("改名的培训"));
            await root.InvokeAsync(() => fields[2].Instance.ValueChanged.InvokeAsync("每半年一次"));
            await root.ClickFreshAsync("[data-testid=plan-confirm]");
            await click.WaitAsync(TimeSpan.FromSeconds(10));
            page.WaitForAssertion(() => Assert.Equal("改名的培训", page.Find("[data-testid=plan-title]").TextContent));
            Assert.Contains("The training plan is saved.", admin.Snackbars);
            var stored = await DbAsync(db => db.TrainingPlans.AsNoTracking().SingleAsync(p => p.Id == plan));
            Assert.Equal(("改名的培训", "每半年一次", Roles.Applicant), (stored.Title, stored.Schedule, stored.AudienceRoles));

            click = page.ClickFreshAsync("[data-testid=edit-session]");
            root.WaitForElement("[data-testid=session-dialog]");
            var sessionDialog = root.FindComponent<SessionDialog>();
            Assert.Contains("Edit session", root.Find(".mud-dialog-title").TextContent);
            var place = sessionDialog.FindComponents<MudTextField<string>>()
                .Single(f => f.Instance.UserAttributes.TryGetValue("data-testid", out var id) && (string?)id == "session-place");
            root.WaitForAssertion(() => Assert.Equal("培训室", place.Instance.GetState(x => x.Value)));
            await root.InvokeAsync(() => place.Instance.ValueChanged.InvokeAsync("五楼大会议室"));
            await root.ClickFreshAsync("[data-testid=session-confirm]");
            await click.WaitAsync(TimeSpan.FromSeconds(10));
            page.WaitForAssertion(() => Assert.Contains("五楼大会议室", page.Find("[data-testid=sessions]").TextContent));
            Assert.Contains("The session is saved.", admin.Snackbars);
            var session = await DbAsync(db => db.TrainingSessions.AsNoTracking().SingleAsync(x => x.Id == coming));
            Assert.Equal("五楼大会议室", session.Place);
            // The dialog keeps the session's day and time (company time, to the minute).
            Assert.Equal(comingAt / 60_000, session.StartsUnixMs / 60_000);
        }

        await using (var auditor = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            var page = auditor.Render<TrainingPlanPage>(p => p.Add(x => x.Id, plan));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=plan-title]")));
            Assert.Empty(page.FindAll("[data-testid=edit-plan]"));
            Assert.Empty(page.FindAll("[data-testid=edit-session]"));
        }
    }

    [Fact]
    public async Task Completion_shows_a_head_their_department_an_auditor_every_department_and_refuses_an_applicant()
    {
        var plan = await PlanAsync(TrainingKind.General);

        await using (var ui = await PortalComponents.SignedInAsync(portal, "depthead"))
        {
            var page = ui.Render<TrainingCompletionPage>();
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll($"[data-testid=plan-completion][data-plan=\"{plan}\"]")));
            var departments = page.FindAll($"[data-department][data-plan=\"{plan}\"]");
            Assert.Equal(["销售部"], departments.Select(d => d.GetAttribute("data-department")));
            // No line of another department on this page, whatever plan it is about.
            Assert.All(page.FindAll("[data-department]"), d => Assert.Equal("销售部", d.GetAttribute("data-department")));
        }

        await using (var ui = await PortalComponents.SignedInAsync(portal, "auditor"))
        {
            var page = ui.Render<TrainingCompletionPage>();
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll($"[data-testid=plan-completion][data-plan=\"{plan}\"]")));
            page.WaitForAssertion(() => Assert.Equal(DatabaseInitializer.DemoDepartments.Count, page.FindAll($"[data-department][data-plan=\"{plan}\"]").Count));
        }

        await using (var ui = await PortalComponents.SignedInAsync(portal, "applicant"))
        {
            var page = ui.Render<TrainingCompletionPage>();
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=refused]")));
            Assert.Empty(page.FindAll("[data-department]"));
        }
    }

    private static Task UploadAsync(IRenderedComponent<TrainingPlanPage> page, string fileName, byte[] content)
    {
        var input = page.FindComponent<MudFileUpload<IBrowserFile>>().FindComponent<InputFile>();
        // Not inside the renderer's dispatcher: UploadFiles waits for the handler, whose database calls resume on the dispatcher.
        return Task.Run(() => input.UploadFiles(InputFileContent.CreateFromBinary(content, fileName)));
    }
}
