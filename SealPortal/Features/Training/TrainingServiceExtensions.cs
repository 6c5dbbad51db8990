namespace SealPortal.Features.Training;

public static class TrainingServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalTraining(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.Section)
            .Validate(o => o.KeeperValidityMonths is >= 1 and <= 120, "Training:KeeperValidityMonths must be 1 to 120.")
            .Validate(o => o.ReminderHoursBefore is >= 1 and <= 24 * 14, "Training:ReminderHoursBefore must be 1 to 336.")
            .Validate(o => o.LapseWarningDays is >= 1 and <= 365, "Training:LapseWarningDays must be 1 to 365.")
            .ValidateOnStart();
        builder.Services.AddSingleton<TrainingService>();
        builder.Services.AddScoped<TrainingReminders>();
        return builder;
    }

    /// <summary>
    /// A training material's PDF, for whoever may see its plan (the only reader of the materials' bytes).
    /// Anyone else, like a material that does not exist, gets 404.
    /// </summary>
    public static WebApplication MapTrainingEndpoints(this WebApplication app)
    {
        app.MapGet("/training/materials/{id:int}", async (int id, HttpContext http, TrainingService training, CancellationToken ct) =>
        {
            if (await training.MaterialAsync(http.User, id, ct) is not { } material)
                return Results.NotFound();
            http.Response.Headers.CacheControl = "private, no-store";
            return Results.File(material.Content, "application/pdf", material.FileName);
        }).RequireAuthorization();
        return app;
    }
}
