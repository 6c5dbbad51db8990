using System.Runtime.CompilerServices;
using SealPortal.Features.Seals.Imaging;

namespace SealPortal.Tests.Infrastructure;

/// <summary>A program or file the tests use, and the Debian package that provides it.</summary>
public sealed record Prerequisite(string Package, string What, IReadOnlyList<string> AnyOfPaths, string? Executable = null);

/// <summary>
/// The Debian packages the tests need (.ci/run installs them all). On a machine that lacks one, the test
/// assembly stops before the first test with one message whose first line is the apt-get command to
/// run, instead of dozens of failures that each say something different about a missing tool.
/// </summary>
public static class Prerequisites
{
    public static readonly IReadOnlyList<Prerequisite> All =
    [
        new("fonts-noto-cjk", "a CJK font for the generated seal images", CjkFontLocator.DefaultCandidates),
        new("chromium", "Chromium for the browser tests", ["/usr/bin/chromium"]),
        new("poppler-utils", "pdfsig", [], "pdfsig"),
        new("poppler-utils", "pdftoppm", [], "pdftoppm"),
        new("qpdf", "qpdf --check", [], "qpdf"),
        new("mupdf-tools", "mutool", [], "mutool"),
        new("libnss3-tools", "certutil and pk12util for pdfsig's trust store", [], "certutil"),
        new("openssl", "openssl for the sample PKI checks", [], "openssl"),
    ];

    /// <summary>The prerequisites not found, given how to ask whether a file exists and the PATH.</summary>
    public static IReadOnlyList<Prerequisite> Missing(Func<string, bool> fileExists, string? path)
    {
        var folders = (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return All.Where(p => p.Executable is { } exe
                ? !folders.Any(f => fileExists(Path.Combine(f, exe)))
                : !p.AnyOfPaths.Any(fileExists))
            .ToList();
    }

    /// <summary>Null when nothing is missing; otherwise the message, its first line the command that fixes it.</summary>
    public static string? Message(IReadOnlyList<Prerequisite> missing)
    {
        if (missing.Count == 0)
            return null;
        var packages = string.Join(' ', missing.Select(m => m.Package).Distinct());
        var lines = new List<string> { $"SealPortal.Tests needs Debian packages this machine lacks; install them with: sudo apt-get install -y {packages}" };
        lines.AddRange(missing.Select(m => $"  {m.Package}: {m.What} ({m.Executable ?? string.Join(" or ", m.AnyOfPaths)} not found)"));
        lines.Add("  .ci/run installs everything the tests need and runs them on SQLite and PostgreSQL.");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>
    /// Runs before any test code. dotnet test shows a test host's error output when it exits, so the
    /// message is the first thing the run reports.
    /// </summary>
    [ModuleInitializer]
    internal static void StopWhenMissing()
    {
        // External tools (pdfsig, qpdf, mutool) start in the current directory; pin it to this assembly's
        // folder, which outlives every test, rather than whatever folder the runner was started from.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        if (Message(Missing(File.Exists, Environment.GetEnvironmentVariable("PATH"))) is not { } message)
            return;
        Console.Error.WriteLine(message);
        Environment.Exit(3);
    }
}
