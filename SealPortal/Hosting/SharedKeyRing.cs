using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Hosting;

/// <summary>
/// The data-protection key ring lives in the database (table DataProtectionKeys), so every instance on
/// one database shares it. Earlier versions kept it as XML files in &lt;DataFolder&gt;/keys; at start those
/// files are moved into the database, each key's secret encrypted with the configured certificate on
/// the way if it was plain, and the files are deleted. Without that, a portal upgraded in place would
/// sign everyone out and could no longer open the seal certificates' protected passwords.
/// </summary>
public static class SharedKeyRing
{
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";

    public static async Task<int> ImportKeyFilesAsync(SealPortalDbContext db, KeyEncryption.KeyCertificate certificate, string dataFolder, ILogger logger, CancellationToken ct)
    {
        var folder = Path.Combine(dataFolder, "keys");
        if (!Directory.Exists(folder))
            return 0;
        var imported = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*.xml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!await db.DataProtectionKeys.AnyAsync(k => k.FriendlyName == name, ct))
            {
                var element = XElement.Parse(await File.ReadAllTextAsync(file, ct));
                EncryptSecrets(element, certificate);
                db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = name, Xml = element.ToString(SaveOptions.DisableFormatting) });
                await db.SaveChangesAsync(ct);
                imported++;
            }
            File.Delete(file);
        }
        if (!Directory.EnumerateFileSystemEntries(folder).Any())
            Directory.Delete(folder);
        if (imported > 0)
            logger.LogInformation("Moved {Count} data-protection key(s) from {Folder} into the database, encrypted", imported, folder);
        return imported;
    }

    /// <summary>
    /// Replaces every element marked requiresEncryption="true" (a key's master key) with an
    /// &lt;encryptedSecret decryptorType="..."&gt; element holding its encrypted form, which is how the
    /// key manager itself stores a key when an encryptor is configured.
    /// </summary>
    internal static void EncryptSecrets(XElement key, KeyEncryption.KeyCertificate certificate)
    {
        var marked = key.Descendants().Where(e => (bool?)e.Attribute(DataProtection + "requiresEncryption") == true).ToList();
        foreach (var secret in marked)
        {
            var encrypted = certificate.Encrypt(secret);
            secret.ReplaceWith(new XElement(DataProtection + "encryptedSecret",
                new XAttribute("decryptorType", encrypted.DecryptorType.AssemblyQualifiedName!),
                encrypted.EncryptedElement));
        }
    }
}
