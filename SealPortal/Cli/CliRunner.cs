using System.CommandLine;

namespace SealPortal.Cli;

/// <summary>
/// The executable's offline verbs, parsed by System.CommandLine. Each verb lives in its own file
/// and returns a process exit code. The web host starts only when no verb is given: no
/// arguments, or only host options (--urls, --environment, --Key value configuration, Key=value).
/// Anything else is a verb; an unknown one prints usage and exits 2.
/// </summary>
public static class CliRunner
{
    /// <summary>The exit code of a command line that cannot be run as typed.</summary>
    public const int UsageError = 2;

    private static readonly HashSet<string> HelpTokens = new(StringComparer.Ordinal) { "--help", "-h", "-?", "/?", "/h", "--version" };

    /// <summary>True when the arguments ask for a verb (or for help) rather than the portal.</summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && (HelpTokens.Contains(args[0]) || !IsHostArgument(args[0]));

    // The host's own configuration syntax: --Key value, --Key=value, /Key value and Key=value.
    private static bool IsHostArgument(string arg) =>
        arg.StartsWith('-') || arg.StartsWith('/') || arg.Contains('=');

    /// <summary>Every verb, one line each; <paramref name="time"/> is the clock of verbs that judge certificates.</summary>
    public static RootCommand BuildRoot(TimeProvider time)
    {
        var root = new RootCommand(
            "SealPortal: without a verb (or with only host options such as --urls, --environment or " +
            "--Key value configuration) it runs the portal; with a verb it does one offline job and exits " +
            "(0 done, 1 verification failed, 2 wrong usage or unusable input).");
        root.Subcommands.Add(SignCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create(time));
        root.Subcommands.Add(TsaCommand.Create());
        root.Subcommands.Add(OcspCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(SealImageCommand.Create());
        root.Subcommands.Add(SealPortal.Features.Ledger.LedgerVerb.Create());
        root.Subcommands.Add(SealPortal.Features.Sealing.SealingBench.Create());
        root.Subcommands.Add(SealPortal.Features.Requests.RequestListBench.Create());
        root.Subcommands.Add(SealPortal.Features.Account.ResetPasswordVerb.Create());
        return root;
    }

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

    /// <summary>
    /// Parses and runs one verb. Parse errors (unknown verb or option, missing or malformed value)
    /// print the errors and the verb's usage on <paramref name="error"/> and return 2, as does a
    /// <see cref="CliUsageException"/> from the verb, printed after the verb's name.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, TimeProvider? time = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        // No @file response files: a password or a file name may well begin with @.
        var root = BuildRoot(time ?? TimeProvider.System);
        var parsing = new ParserConfiguration { ResponseFileTokenReplacer = null };
        var result = root.Parse(args, parsing);
        if (result.Errors.Count > 0)
        {
            foreach (var problem in result.Errors)
                await error.WriteLineAsync(problem.Message);
            await error.WriteLineAsync();
            // The usage of the verb that was reached (the whole list when the verb was unknown).
            await root.Parse([.. VerbNames(result), "--help"], parsing).InvokeAsync(new InvocationConfiguration { Output = error, Error = error });
            return UsageError;
        }
        try
        {
            return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CliUsageException ex)
        {
            await error.WriteLineAsync($"{string.Join(' ', VerbNames(result))}: {ex.Message}");
            return UsageError;
        }
    }

    private static List<string> VerbNames(ParseResult result)
    {
        var names = new List<string>();
        for (var r = result.CommandResult; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
            names.Insert(0, r.Command.Name);
        return names;
    }
}

/// <summary>Wrong or unusable input the user can fix: the verb's name and the message go to stderr, exit 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
