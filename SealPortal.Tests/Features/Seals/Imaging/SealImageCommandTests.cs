using System.Diagnostics;
using SealPortal.Cli;

namespace SealPortal.Tests.Features.Seals.Imaging;

/// <summary>Runs the real executable, since exit codes and stderr are what a user of the verb sees.</summary>
public sealed class SealImageCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("seal-cli-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Writes_a_png_and_exits_0()
    {
        var output = Path.Combine(_directory.FullName, "seal.png");
        var (exit, _, stderr) = RunVerb("--org", "示例科技有限公司", "--name", "合同专用章", "--code", "1101080012345", "--size", "300", "--out", output);
        Assert.True(exit == 0, stderr);
        var png = PngTestDecoder.Decode(File.ReadAllBytes(output));
        Assert.Equal((300, 300), (png.Width, png.Height));
        Assert.Equal(255, png.Alpha(150, 150));
        Assert.Single(_directory.GetFiles());
    }

    [Fact]
    public void Bad_input_exits_2_with_the_message_on_stderr_and_writes_nothing()
    {
        var output = Path.Combine(_directory.FullName, "seal.png");
        var (exit, _, stderr) = RunVerb("--org", "示例科技有限公司", "--name", "合同专用章", "--font", "/nonexistent/font.ttc", "--out", output);
        Assert.Equal(2, exit);
        Assert.Contains("seal-image: Font file not found: /nonexistent/font.ttc", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Empty(_directory.GetFiles());
    }

    /// <summary>In-process: CliRunner turns these usage errors into the message on stderr and exit code 2.</summary>
    [Theory]
    [InlineData("示例科技有限公司示例科技有限公司示例科技有限公司示", "合同专用章", "2 to 24 characters")]
    [InlineData("示例科技有限公司", "", "seal name must have")]
    [InlineData("示例科技有限公司", "合同专用章章章章章章章", "seal name must have 1 to 10")]
    public async Task Unusable_texts_are_usage_errors_and_write_nothing(string organisation, string sealName, string expected)
    {
        var output = Path.Combine(_directory.FullName, "seal.png");
        var (exit, error) = await InProcess("--org", organisation, "--name", sealName, "--out", output);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
        Assert.Empty(_directory.GetFiles());
    }

    [Theory]
    [InlineData("Option '--name' is required", "--org", "示例科技有限公司", "--out", "seal.png")]
    [InlineData("--size must be a whole number", "--org", "示例科技", "--name", "公章", "--size", "big", "--out", "seal.png")]
    [InlineData("the size must be 64 to 4096", "--org", "示例科技", "--name", "公章", "--size", "20", "--out", "seal.png")]
    [InlineData("#RRGGBB", "--org", "示例科技", "--name", "公章", "--color", "red", "--out", "seal.png")]
    [InlineData("folder of --out does not exist", "--org", "示例科技", "--name", "公章", "--out", "no/such/dir/seal.png")]
    public async Task Wrong_options_are_usage_errors(string expected, params string[] args)
    {
        args = args.Select(a => a.EndsWith(".png", StringComparison.Ordinal) ? Path.Combine(_directory.FullName, a) : a).ToArray();
        var (exit, error) = await InProcess(args);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
        Assert.Empty(_directory.GetFiles());
    }

    private static async Task<(int Exit, string Stderr)> InProcess(params string[] args)
    {
        var error = new StringWriter();
        var exit = await CliRunner.RunAsync(["seal-image", .. args], new StringWriter(), error);
        return (exit, error.ToString());
    }

    private static (int Exit, string Stdout, string Stderr) RunVerb(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(SealImageCommand).Assembly.Location);
        start.ArgumentList.Add("seal-image");
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "seal-image did not finish");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
