using Microsoft.Playwright;

namespace SealPortal.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium (installed by .ci/run) driven by Playwright; no browser download is
/// possible here. The flags keep it off the network, which this machine does not have.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    public IBrowser Browser { get; }

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    /// <summary>Saves a full-page screenshot when SEALPORTAL_SCREENSHOTS names a folder, for the README and for a human look.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("SEALPORTAL_SCREENSHOTS");
        if (!string.IsNullOrEmpty(folder))
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public static async Task<Chromium> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>
/// One portal of type <typeparamref name="TPortal"/> on a real Kestrel socket and one Chromium, shared by a test
/// class or collection (Kestrel can be started once per host).
/// </summary>
public class BrowserFixture<TPortal> : IAsyncLifetime where TPortal : SealPortalFactory, new()
{
    public TPortal Portal { get; } = new();
    public Uri BaseAddress { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;
    private Chromium? _chromium;

    public async Task InitializeAsync()
    {
        BaseAddress = Portal.StartKestrel();
        _chromium = await Chromium.LaunchAsync();
        Browser = _chromium.Browser;
    }

    public virtual async Task DisposeAsync()
    {
        if (_chromium is not null)
            await _chromium.DisposeAsync();
        await Portal.DisposeAsync();
    }
}

public static class InputFiles
{
    /// <summary>
    /// Chooses files in a Blazor InputFile once its script has attached to the element. The page turns interactive
    /// (data-interactive=true) in the render before that, so a choice made at once can fire its change event at an
    /// input nobody listens to yet, and the upload never starts (seen under load).
    /// </summary>
    public static async Task SetInputFilesWhenReadyAsync(this IPage page, string selector, FilePayload file)
    {
        await ReadyAsync(page, selector);
        await page.SetInputFilesAsync(selector, file);
    }

    /// <inheritdoc cref="SetInputFilesWhenReadyAsync(IPage, string, FilePayload)"/>
    public static async Task SetInputFilesWhenReadyAsync(this IPage page, string selector, string path)
    {
        await ReadyAsync(page, selector);
        await page.SetInputFilesAsync(selector, path);
    }

    private static Task ReadyAsync(IPage page, string selector) => page.WaitForFunctionAsync(
        "s => [...document.querySelectorAll(s)].some(e => e._blazorInputFileNextFileId !== undefined)", selector);
}
