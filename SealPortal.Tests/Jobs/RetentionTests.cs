using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SealPortal.Features.Retention;

namespace SealPortal.Tests.Jobs;

public class RetentionTests
{
    [Fact]
    public async Task The_portal_refuses_to_start_with_four_retention_years_and_names_the_setting()
    {
        await using var storage = new PortalStorage();
        var portal = new JobsPortal(storage.Database, storage.DataFolder, new FakeTimeProvider(DateTimeOffset.UtcNow),
            new Dictionary<string, string?> { ["Retention:Years"] = "4" });
        try
        {
            var refused = Assert.ThrowsAny<Exception>(() => portal.Services);
            var validation = FindValidationFailure(refused);
            Assert.NotNull(validation);
            Assert.Contains("Retention:Years must be at least 5", validation.Message);
        }
        finally
        {
            await DisposeQuietlyAsync(portal);
        }
    }

    [Theory]
    [InlineData("5")]
    [InlineData("7")]
    public async Task The_portal_starts_with_five_or_more_years_and_the_admin_dashboard_shows_them(string years)
    {
        await using var storage = new PortalStorage();
        await using var portal = new JobsPortal(storage.Database, storage.DataFolder, new FakeTimeProvider(DateTimeOffset.UtcNow),
            new Dictionary<string, string?> { ["Retention:Years"] = years });
        using var admin = await portal.SignInAsync("admin");
        admin.Http.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));

        var home = await admin.GetDocumentAsync("/");
        Assert.Contains($"kept at least {years} years", home.QuerySelector("[data-testid=integrity-status]")!.TextContent);
    }

    private static OptionsValidationException? FindValidationFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is OptionsValidationException v)
                return v;
            if (e is AggregateException a)
                return a.InnerExceptions.Select(FindValidationFailure).FirstOrDefault(x => x is not null);
        }
        return null;
    }

    // A host that never started may throw again while it is torn down; the test has already said what it checks.
    private static async Task DisposeQuietlyAsync(JobsPortal portal)
    {
        try
        {
            await portal.DisposeAsync();
        }
        catch (Exception)
        {
        }
    }
}
