using SealPortal.Cli;

namespace SealPortal.Tests.Infrastructure;

/// <summary>
/// Runs a CLI verb in-process and returns what it printed. The console is one per process and
/// xUnit runs test classes in parallel, so every capture in the suite takes its turn here.
/// </summary>
public static class ConsoleCapture
{
    private static readonly SemaphoreSlim Turn = new(1, 1);

    public static Task<(int Code, string Out, string Err)> RunAsync(string[] args) =>
        CaptureAsync(() => CliRunner.RunAsync(args));

    /// <summary>Runs <paramref name="action"/> with the console redirected: what it printed, and its result.</summary>
    public static async Task<(int Code, string Out, string Err)> CaptureAsync(Func<Task<int>> action)
    {
        await Turn.WaitAsync();
        var (originalOut, originalError) = (Console.Out, Console.Error);
        var (output, error) = (new StringWriter(), new StringWriter());
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await action();
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
            Turn.Release();
        }
    }
}
