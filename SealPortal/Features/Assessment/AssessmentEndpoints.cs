using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Localization;
using SealPortal.Data;
using SealPortal.Features.Ledger;
using SealPortal.Resources;

namespace SealPortal.Features.Assessment;

public static class AssessmentServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalAssessment(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AssessmentService>();
        builder.Services.AddScoped<AssessmentExport>();
        // The facts, in the order the page shows them (the order). A new fact is one more line here.
        // Score = Σ(weight × sub-score) ÷ Σ weight over the facts that apply (AssessmentScore.Of), each sub-score 0–100.
        // Weights, summing to 100: overdue approvals 25, audit findings 20, violations 25, training completed 15,
        // rules accepted 15. The two kinds of breach weigh most; the two shares are what the department can catch up on.
        builder.Services.AddSingleton<IAssessmentFact, OverdueApprovalsFact>();
        builder.Services.AddSingleton<IAssessmentFact, AuditFindingsFact>();
        builder.Services.AddSingleton<IAssessmentFact, ViolationsFact>();
        builder.Services.AddSingleton<IAssessmentFact, TrainingCompletionFact>();
        builder.Services.AddSingleton<IAssessmentFact, RulesAcknowledgementFact>();
        return builder;
    }

    /// <summary>
    /// GET /assessment/export.xlsx?period=Month&amp;year=2026&amp;number=12 for the same readers as the page (a department
    /// head gets their own department); a bad period is a 400, anyone else a 403. Every export is in the audit trail.
    /// The pipeline asks only for a signed-in user: the service decides who sees what, so a wrong role gets its 403
    /// and the reason here rather than a detour through the access-denied page.
    /// </summary>
    public static WebApplication MapAssessmentEndpoints(this WebApplication app)
    {
        app.MapGet("/assessment/export.xlsx", async (HttpContext http, AssessmentService assessment, AssessmentExport export,
            AuditTrail.AuditTrail audit, CompanyTime time, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        {
            var q = http.Request.Query;
            var (period, error) = AssessmentPeriod.Parse(q["period"], q["year"], q["number"], time.CurrentDay);
            if (period is null)
                return Results.Text(L[error!], "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            if (await assessment.ReportAsync(http.User, period, ct) is not { } report)
                return Results.Text(L["Only executives, auditors, administrators and department heads may see the department assessment."],
                    "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
            await audit.RecordAsync(AuditAction.AssessmentExported, detail: $"XLSX {period.Query}", subject: "assessment", ct: ct);
            http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"assessment-{period.FileName}.xlsx\"";
            // As the ledger's export: the zip is written straight into the response through a buffer, and a failure
            // half way aborts the connection rather than leave a short file that looks whole.
            http.Features.GetRequiredFeature<IHttpBodyControlFeature>().AllowSynchronousIO = true;
            try
            {
                await using var body = new BufferedStream(new NonDisposingStream(http.Response.Body), 64 * 1024);
                await export.WriteXlsxAsync(report, body, ct);
            }
            catch (Exception) when (http.Response.HasStarted)
            {
                http.Abort();
            }
            return Results.Empty;
        }).RequireAuthorization();
        return app;
    }
}
