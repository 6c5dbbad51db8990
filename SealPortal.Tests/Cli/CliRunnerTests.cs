using System.CommandLine;
using System.Diagnostics;
using SealPortal.Cli;

namespace SealPortal.Tests.Cli;

/// <summary>The executable's command line: which arguments start the portal, help, unknown verbs, and every verb's options.</summary>
public sealed class CliRunnerTests
{
    private static readonly string[] Verbs = ["sign", "verify", "tsa", "bench", "seal-image", "ledger", "reset-password"];

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await CliRunner.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData]
    [InlineData("--urls", "http://127.0.0.1:5099")]
    [InlineData("--environment", "Development")]
    [InlineData("--Database:Provider", "Postgres", "--urls", "http://127.0.0.1:5099")]
    [InlineData("--Smtp:Host=mail.example.com")]
    [InlineData("Seals:FontPath=/fonts/x.ttc")]
    public void No_arguments_or_only_host_options_start_the_portal(params string[] args) =>
        Assert.False(CliRunner.IsCommand(args));

    [Theory]
    [InlineData("help")]
    [InlineData("foo")]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("sign")]
    public void Verbs_help_and_unknown_words_are_the_command_line(string first) =>
        Assert.True(CliRunner.IsCommand([first]));

    [Fact]
    public async Task Help_on_the_executable_lists_every_verb_and_exits_0()
    {
        var (exit, output, error) = await Run("--help");
        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("Usage:", output);
        foreach (var verb in Verbs)
            Assert.Contains($"\n  {verb} ", output.Replace("\r", ""));
    }

    [Theory]
    [InlineData("sign", "--in <IN.pdf>")]
    [InlineData("verify", "--trust <CA.crt>")]
    [InlineData("tsa", "--port <N>")]
    [InlineData("bench", "--quick")]
    [InlineData("seal-image", "--org <NAME>")]
    [InlineData("ledger", "verify")]
    [InlineData("ledger verify", "--Database:Provider")]
    [InlineData("ledger bench", "--entries <N>")]
    [InlineData("reset-password", "<USER>")]
    public async Task Help_on_every_verb_shows_its_usage_and_options_and_exits_0(string verb, string expected)
    {
        var (exit, output, error) = await Run([.. verb.Split(' '), "--help"]);
        Assert.Equal(0, exit);
        Assert.Empty(error);
        // The usage line starts with the executable's name, which is the test host's here.
        Assert.Matches($@"Usage:\s+\S+ {verb} ", output);
        Assert.Contains(expected, output);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("foo")]
    [InlineData("sign", "--no-such-option", "x")]
    [InlineData("ledger", "frobnicate")]
    public async Task An_unknown_verb_or_option_prints_usage_and_exits_2(params string[] args)
    {
        var (exit, output, error) = await Run(args);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("Unrecognized command or argument", error);
        Assert.Contains("Usage:", error);
    }

    [Fact]
    public async Task A_missing_required_option_names_it_and_exits_2()
    {
        var (exit, _, error) = await Run("sign", "--in", "a.pdf", "--out", "b.pdf", "--password", "pw");
        Assert.Equal(2, exit);
        Assert.Contains("'--cert' is required", error);
    }

    /// <summary>Full command lines of every existing verb parse to that verb with the values given.</summary>
    [Theory]
    [InlineData("sign", "--in", "a.pdf", "--out", "b.pdf", "--cert", "s.pfx", "--password", "@pw", "--image", "s.png", "--page", "2",
        "--rect", "10,20,110,110", "--reason", "合同", "--location", "上海", "--tsa", "http://127.0.0.1:1/tsa", "--cross-page", "--pss")]
    [InlineData("verify", "a.pdf", "--trust", "root.crt", "--trust", "intermediate.crt", "--json")]
    [InlineData("tsa", "--cert", "tsa.pfx", "--password", "pw", "--port", "8318")]
    [InlineData("bench", "--quick", "--big-mb", "20")]
    [InlineData("bench", "--child-sign", "in.pdf", "out.pdf")]
    [InlineData("seal-image", "--org", "示例科技有限公司", "--name", "合同专用章", "--out", "s.png", "--code", "1101", "--size", "300",
        "--color", "#0033CC", "--font", "/f.ttc")]
    [InlineData("ledger", "verify", "--Database:Provider", "Postgres", "--ConnectionStrings:SealPortal", "Host=x")]
    [InlineData("ledger", "bench", "--entries", "1000", "--provider", "postgres", "--connection", "Host=x", "--runs", "3", "--export-rows", "100", "--keep")]
    [InlineData("reset-password", "admin", "--Database:Provider", "Sqlite")]
    public void Every_existing_verb_still_parses(params string[] args)
    {
        var result = CliRunner.BuildRoot(TimeProvider.System).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        Assert.Empty(result.Errors);
        var verb = args[0] == "ledger" ? args[1] : args[0];
        Assert.Equal(verb, result.CommandResult.Command.Name);
        // Each value given reached an option, an argument or the configuration overrides.
        var values = result.CommandResult.Children
            .SelectMany(c => c.Tokens)
            .Select(t => t.Value)
            .Concat(result.UnmatchedTokens)
            .ToHashSet();
        foreach (var value in args.Skip(verb == args[0] ? 1 : 2).Where(a => !a.StartsWith("--", StringComparison.Ordinal) || a.Contains(':')))
            Assert.Contains(value, values);
    }

    /// <summary>The real executable: `foo` must exit 2 with usage, not start the web host (which would not exit at all).</summary>
    [Theory]
    [InlineData(2, "foo")]
    [InlineData(2, "help")]
    [InlineData(0, "--help")]
    [InlineData(0, "ledger", "verify", "--help")]
    public async Task The_executable_answers_help_and_unknown_verbs_without_starting_the_portal(int expectedExit, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(CliRunner).Assembly.Location);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{string.Join(' ', args)}' did not exit: the web host started");
        }
        Assert.Equal(expectedExit, process.ExitCode);
        Assert.Contains("Usage:", expectedExit == 0 ? await stdout : await stderr);
        Assert.DoesNotContain("Now listening", await stdout);
    }
}
