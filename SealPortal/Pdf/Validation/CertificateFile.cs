using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SealPortal.Pdf.Validation;

/// <summary>
/// Reads trust anchors from a file: PEM (every certificate in it, as with a CA bundle) or one
/// DER certificate. Shared by the <c>verify</c> verb and the portal's verification page so
/// both accept the same files.
/// </summary>
public static class CertificateFile
{
    /// <exception cref="CertificateFileException">The file cannot be read or holds no certificate.</exception>
    public static IReadOnlyList<X509Certificate2> Load(string file)
    {
        try
        {
            var bytes = File.ReadAllBytes(file);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                var all = new X509Certificate2Collection();
                all.ImportFromPem(text);
                if (all.Count == 0)
                    throw new CertificateFileException("no certificate in the file");
                return [.. all];
            }
            return [X509CertificateLoader.LoadCertificate(bytes)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new CertificateFileException($"not a readable certificate ({ex.Message})", ex);
        }
    }
}

/// <summary>A trust-anchor file that cannot be used; the message is for the user.</summary>
public sealed class CertificateFileException(string message, Exception? inner = null) : Exception(message, inner);
