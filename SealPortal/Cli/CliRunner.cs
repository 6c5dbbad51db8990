namespace SealPortal.Cli;

/// <summary>
/// Dispatches the offline verbs of the executable. Each verb lives in its own file and
/// returns a process exit code; the web host starts only when no verb is given.
/// </summary>
public static class CliRunner
{
    private static readonly Dictionary<string, Func<string[], Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        // Verbs register here, one line each.
        ["reset-password"] = SealPortal.Features.Account.ResetPasswordVerb.RunAsync,
        ["sign"] = SignCommand.RunAsync,
        ["bench"] = BenchCommand.RunAsync,
        ["verify"] = VerifyCommand.RunAsync,
        ["tsa"] = TsaCommand.RunAsync,
        ["seal-image"] = SealImageCommand.RunAsync,
        ["ledger"] = SealPortal.Features.Ledger.LedgerVerb.RunAsync,
    };

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.ContainsKey(args[0]);

    /// <summary>
    /// `dotnet run --project SealPortal` starts the process in the project folder, so relative
    /// paths the user typed (--in, --out, --cert, ...) would resolve against the wrong folder.
    /// The shell's $PWD still names the folder they typed them in; go back there. Only when we
    /// are demonstrably in the project folder, so a process started elsewhere on purpose keeps
    /// its working directory.
    /// </summary>
    public static void ReturnToCallerDirectory()
    {
        var shellDir = Environment.GetEnvironmentVariable("PWD");
        var current = Directory.GetCurrentDirectory();
        if (string.IsNullOrEmpty(shellDir) || !Directory.Exists(shellDir)) return;
        if (!File.Exists(Path.Combine(current, "SealPortal.csproj"))) return;
        if (Path.GetFullPath(shellDir) == Path.GetFullPath(current)) return;
        Directory.SetCurrentDirectory(shellDir);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = Verbs[args[0]];
        try
        {
            return await verb(args[1..]);
        }
        catch (CliUsageException ex)
        {
            Console.Error.WriteLine($"{args[0]}: {ex.Message}");
            return 2;
        }
    }
}

/// <summary>Wrong or missing options: the verb prints the message and exits with 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
