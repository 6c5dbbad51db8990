using System.CommandLine;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using SealPortal.Pdf.Signing;
using SealPortal.Pdf.Validation;

namespace SealPortal.Cli;

/// <summary>
/// `ocsp --cert RESPONDER.pfx --password PW --issuer CA.crt [--revoked FILE] [--port N]`: runs an
/// RFC 6960 OCSP responder for the certificates of one CA on 127.0.0.1 until Ctrl+C, for the
/// demo and tests (like `tsa`). certs-sample has the responder certificate (sample-ocsp.pfx)
/// and the revoked list (sample-revoked.txt).
/// </summary>
public static class OcspCommand
{
    public static Command Create()
    {
        var cert = new Option<string>("--cert") { Required = true, HelpName = "RESPONDER.pfx", Description = "the responder's PKCS#12 file (certificate with the OCSPSigning usage, issued by --issuer, and key)" };
        var password = new Option<string>("--password") { Required = true, HelpName = "PW", Description = "the PKCS#12 file's password" };
        var issuer = new Option<string>("--issuer") { Required = true, HelpName = "CA.crt", Description = "the CA whose certificates the responder answers for" };
        var revoked = new Option<string?>("--revoked") { HelpName = "FILE", Description = "revoked certificates: 'SERIAL-HEX REVOCATION-TIME' per line (certs-sample/sample-revoked.txt)" };
        var port = new Option<string?>("--port") { HelpName = "N", Description = "TCP port on 127.0.0.1 (default 0: any free port, printed at start)" };
        var command = new Command("ocsp", "Run an RFC 6960 OCSP responder for one CA on 127.0.0.1 until Ctrl+C.") { cert, password, issuer, revoked, port };
        command.SetAction(p => RunAsync(p.GetRequiredValue(cert), p.GetRequiredValue(password), p.GetRequiredValue(issuer), p.GetValue(revoked), p.GetValue(port) ?? "0"));
        return command;
    }

    private static async Task<int> RunAsync(string certPath, string password, string issuerPath, string? revokedPath, string portText)
    {
        if (!int.TryParse(portText, out var port) || port is < 0 or > 65535)
            throw new CliUsageException($"--port must be a number from 0 to 65535, not '{portText}'");

        X509Certificate2 issuer;
        try
        {
            issuer = CertificateFile.Load(issuerPath).FirstOrDefault() ?? throw new CliUsageException($"--issuer {issuerPath}: no certificate in the file");
        }
        catch (CertificateFileException ex)
        {
            throw new CliUsageException($"--issuer {issuerPath}: {ex.Message}");
        }
        Dictionary<string, DateTimeOffset> revoked = [];
        if (revokedPath is not null)
        {
            try
            {
                revoked = OcspResponder.ParseRevokedList(await File.ReadAllTextAsync(revokedPath));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                throw new CliUsageException($"--revoked {revokedPath}: {ex.Message}");
            }
        }

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
        using (issuer)
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

            OcspServer server;
            try
            {
                server = await OcspServer.StartAsync(new OcspResponder(identity, issuer, revoked, TimeProvider.System), port);
            }
            catch (IOException ex)
            {
                throw new CliUsageException($"cannot listen on 127.0.0.1:{port}: {ex.Message}");
            }
            await using (server)
            {
                Console.WriteLine($"OCSP responder for '{issuer.GetNameInfo(X509NameType.SimpleName, false)}' ({revoked.Count} revoked) listening on {server.Url}");
                Console.WriteLine("press Ctrl+C to stop");
                await stop.Task;
            }
        }
        return 0;
    }
}
