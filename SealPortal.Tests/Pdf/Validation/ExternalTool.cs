using System.Diagnostics;

namespace SealPortal.Tests.Pdf.Validation;

/// <summary>Runs an installed command-line tool (pdfsig, mutool, qpdf, certutil, ...) with a time limit.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string All => StdOut + StdErr;
    }

    public static Result Run(string file, IEnumerable<string> args, string? workingDirectory = null, int timeoutMs = 30_000)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeoutMs} ms");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a tool that must succeed (exit 0, or one of <paramref name="okCodes"/>).</summary>
    public static Result Check(string file, IEnumerable<string> args, params int[] okCodes)
    {
        var r = Run(file, args);
        if (r.ExitCode != 0 && !okCodes.Contains(r.ExitCode))
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {r.ExitCode}: {r.All}");
        return r;
    }
}
