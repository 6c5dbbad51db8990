using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SealPortal.Components;
using SealPortal.Components.Logging;
using SealPortal.Tests.Infrastructure;

namespace SealPortal.Tests.Web;

public class LoggingTests
{
    /// <summary>Logs one event inside a scope, and one with an exception, through the portal's console set-up in <paramref name="environment"/>.</summary>
    private static async Task<string> ConsoleOf(string environment)
    {
        var (_, output, _) = await ConsoleCapture.CaptureAsync(async () =>
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
            builder.Logging.ClearProviders();
            builder.AddSealPortalLogging();
            await using (var app = builder.Build())
            {
                var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SealPortal.Features.Example");
                using (logger.BeginScope("RequestId:{RequestId} => ConnectionId:{ConnectionId}", "0HN8-scope-noise", "0HN8"))
                    logger.LogInformation("Seal request {Number} created", "26-00001");
                logger.LogError(new InvalidOperationException("broken"), "It failed");
            }
            // Disposing the host drains the console logger's queue.
            return 0;
        });
        return output;
    }

    [Fact]
    public async Task Development_console_has_one_plain_line_per_event_without_scopes()
    {
        var output = await ConsoleOf("Development");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} info SealPortal\.Features\.Example: Seal request 26-00001 created$"), lines[0]);
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} fail SealPortal\.Features\.Example: It failed$"), lines[1]);
        Assert.StartsWith("    System.InvalidOperationException: broken", lines[2]);
        Assert.DoesNotContain("0HN8", output);
    }

    [Fact]
    public async Task Production_console_has_one_json_object_per_line_without_scopes()
    {
        var output = await ConsoleOf("Production");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("Information", first.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal("SealPortal.Features.Example", first.RootElement.GetProperty("Category").GetString());
        Assert.Equal("Seal request 26-00001 created", first.RootElement.GetProperty("Message").GetString());
        Assert.True(first.RootElement.TryGetProperty("Timestamp", out _));
        Assert.False(first.RootElement.TryGetProperty("Scopes", out _));
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Contains("InvalidOperationException: broken", second.RootElement.GetProperty("Exception").GetString());
        Assert.DoesNotContain("0HN8", output);
    }

    [Fact]
    public void A_multi_line_message_stays_on_one_line()
    {
        var writer = new StringWriter();
        new PortalLineFormatter().Write(
            new Microsoft.Extensions.Logging.Abstractions.LogEntry<string>(LogLevel.Warning, "Cat", default, "SELECT 1\nFROM x", null, (s, _) => s),
            null, writer);
        Assert.EndsWith(" warn Cat: SELECT 1 FROM x" + Environment.NewLine, writer.ToString());
    }
}

/// <summary>A portal that counts every request as slow, to see the request log's line.</summary>
public sealed class SlowRequestPortal : SealPortalFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["SealPortal:SlowRequestMilliseconds"] = "-1" };
}

public class RequestLoggingTests(SlowRequestPortal slow) : IClassFixture<SlowRequestPortal>
{
    [Fact]
    public async Task A_slow_request_is_logged_once_at_information()
    {
        using var client = slow.CreatePortalClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health?probe=slow")).StatusCode);
        var logged = slow.Logs.Entries.Where(e => e.Category == typeof(RequestLogging).FullName && e.Message.Contains("/health")).ToList();
        var line = Assert.Single(logged);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Matches(new Regex(@"^GET /health answered 200 slowly, after \d+ ms$"), line.Message);
    }
}

public class QuietRequestLoggingTests(SealPortalFactory portal) : IClassFixture<SealPortalFactory>
{
    [Fact]
    public async Task A_quick_successful_request_leaves_no_line()
    {
        using var client = portal.CreatePortalClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.DoesNotContain(portal.Logs.Entries, e => e.Category == typeof(RequestLogging).FullName);
    }
}
