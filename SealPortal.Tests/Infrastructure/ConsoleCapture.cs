using SealPortal.Cli;

namespace SealPortal.Tests.Infrastructure;

/// <summary>
/// Runs a CLI verb in-process and returns what it printed. The console is one per process and
/// xUnit runs test classes in parallel, so every capture in the suite takes its turn here.
/// </summary>
public static class ConsoleCapture
{
    private static readonly SemaphoreSlim Turn = new(1, 1);

    public static async Task<(int Code, string Out, string Err)> RunAsync(string[] args)
    {
        await Turn.WaitAsync();
        var (originalOut, originalError) = (Console.Out, Console.Error);
        var (output, error) = (new StringWriter(), new StringWriter());
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await CliRunner.RunAsync(args);
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
