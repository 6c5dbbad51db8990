using System.CommandLine;
using System.Runtime.InteropServices;
using SealPortal.Pdf.Signing;

namespace SealPortal.Cli;

/// <summary>
/// `tsa --cert TSA.pfx --password PW [--port N]`: runs an RFC 3161 time-stamp authority on
/// 127.0.0.1 until Ctrl+C, for the demo and for environments without a TSA of their own.
/// </summary>
public static class TsaCommand
{
    public static Command Create()
    {
        var cert = new Option<string>("--cert") { Required = true, HelpName = "TSA.pfx", Description = "the authority's PKCS#12 file (certificate with the time-stamping usage, and key)" };
        var password = new Option<string>("--password") { Required = true, HelpName = "PW", Description = "the PKCS#12 file's password" };
        var port = new Option<string?>("--port") { HelpName = "N", Description = "TCP port on 127.0.0.1 (default 0: any free port, printed at start)" };
        var command = new Command("tsa", "Run an RFC 3161 time-stamp authority on 127.0.0.1 until Ctrl+C.") { cert, password, port };
        command.SetAction(p => RunAsync(p.GetRequiredValue(cert), p.GetRequiredValue(password), p.GetValue(port) ?? "0"));
        return command;
    }

    private static async Task<int> RunAsync(string certPath, string password, string portText)
    {
        if (!int.TryParse(portText, out var port) || port is < 0 or > 65535)
            throw new CliUsageException($"--port must be a number from 0 to 65535, not '{portText}'");

        SigningIdentity identity;
        try
        {
            identity = SigningIdentity.LoadPkcs12(certPath, password);
        }
        catch (SigningIdentityException ex)
        {
            throw new CliUsageException(ex.Message);
        }

        using (identity)
        {
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.TrySetResult();
            };
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                stop.TrySetResult();
            });

            TimestampServer server;
            try
            {
                server = await TimestampServer.StartAsync(new TimestampAuthority(identity, TimeProvider.System), port);
            }
            catch (IOException ex)
            {
                throw new CliUsageException($"cannot listen on 127.0.0.1:{port}: {ex.Message}");
            }
            await using (server)
            {
                Console.WriteLine($"time-stamp authority '{identity.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false)}' listening on {server.Url}");
                Console.WriteLine("press Ctrl+C to stop");
                await stop.Task;
            }
        }
        return 0;
    }
}
