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

    [Theory]
    [InlineData("示例科技有限公司示例科技有限公司示例科技有限公司示", "合同专用章", null, "2 to 24 characters")]
    [InlineData("示例科技有限公司", "", null, "seal name must have")]
    [InlineData("示例科技有限公司", "合同专用章", "/nonexistent/font.ttc", "Font file not found")]
    public void Bad_input_exits_2_with_a_message_and_writes_nothing(string organisation, string sealName, string? font, string expected)
    {
        var output = Path.Combine(_directory.FullName, "seal.png");
        string[] args = ["--org", organisation, "--name", sealName, "--out", output];
        if (font is not null)
            args = [.. args, "--font", font];
        var (exit, _, stderr) = RunVerb(args);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Empty(_directory.GetFiles());
    }

    [Fact]
    public void Missing_options_and_bad_sizes_exit_2()
    {
        var output = Path.Combine(_directory.FullName, "seal.png");
        var (exit, _, stderr) = RunVerb("--org", "示例科技有限公司", "--out", output);
        Assert.Equal(2, exit);
        Assert.Contains("missing --name", stderr);
        (exit, _, stderr) = RunVerb("--org", "示例科技有限公司", "--name", "公章", "--size", "big", "--out", output);
        Assert.Equal(2, exit);
        Assert.Contains("--size", stderr);
        Assert.Empty(_directory.GetFiles());
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
