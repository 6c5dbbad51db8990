namespace SealPortal.Features.Retention;

/// <summary>
/// "Retention:Years": how long archived files and ledger entries must be kept. The portal itself
/// never deletes either (the archive is write-once, the ledger append-only); this number is what the
/// dashboard and README promise and what an operator's own clean-up must respect. Less than 5 years
/// is refused at start, because the product promises at least 5.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    public const int MinimumYears = 5;

    public int Years { get; set; } = MinimumYears;
}

public static class RetentionServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalRetention(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.Section)
            .Validate(o => o.Years >= RetentionOptions.MinimumYears,
                $"Retention:Years must be at least {RetentionOptions.MinimumYears}: archived files and ledger entries are kept at least {RetentionOptions.MinimumYears} years.")
            .ValidateOnStart();
        return builder;
    }
}
