using System.Diagnostics;
using SealPortal.Cli;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Cli;

/// <summary>
/// `dotnet run --project SealPortal -- VERB` starts the process in the project folder while the
/// user's shell (and $PWD) is elsewhere: relative paths must still mean the user's folder.
/// </summary>
public class CallerDirectoryTests
{
    [Fact]
    public void Relative_output_lands_in_the_callers_folder_when_started_in_the_project_folder()
    {
        var projectDir = Path.Combine(PdfTestKit.RepoRoot, "SealPortal");
        var callerDir = PdfTestKit.NewTempDir("caller-dir");
        var fileName = $"caller-dir-{Guid.NewGuid():N}.png";
        try
        {
            var (exit, _, err) = Run(projectDir, callerDir, "seal-image", "--org", "示例科技有限公司", "--name", "合同专用章", "--size", "64", "--out", fileName);

            Assert.True(exit == 0, err);
            Assert.True(File.Exists(Path.Combine(callerDir, fileName)), "the file should be in the caller's folder");
            Assert.False(File.Exists(Path.Combine(projectDir, fileName)), "the file must not land in the project folder");
        }
        finally
        {
            File.Delete(Path.Combine(projectDir, fileName));
            Directory.Delete(callerDir, recursive: true);
        }
    }

    [Fact]
    public void A_process_started_outside_the_project_folder_keeps_its_working_directory()
    {
        var workDir = PdfTestKit.NewTempDir("own-dir");
        var elsewhere = PdfTestKit.NewTempDir("stale-pwd");
        try
        {
            var (exit, _, err) = Run(workDir, elsewhere, "seal-image", "--org", "示例科技有限公司", "--name", "合同专用章", "--size", "64", "--out", "seal.png");

            Assert.True(exit == 0, err);
            Assert.True(File.Exists(Path.Combine(workDir, "seal.png")));
            Assert.Empty(Directory.GetFiles(elsewhere));
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    private static (int Exit, string Out, string Err) Run(string workingDirectory, string shellPwd, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["PWD"] = shellPwd;
        psi.ArgumentList.Add(typeof(CliRunner).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), "the verb did not finish in 60 s");
        return (p.ExitCode, so.Result, se.Result);
    }
}
