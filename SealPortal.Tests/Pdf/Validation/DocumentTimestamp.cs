using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SealPortal.Pdf.Signing;

namespace SealPortal.Tests.Pdf.Validation;

/// <summary>
/// Test-only: appends an ETSI.RFC3161 document timestamp (ISO 32000-2 12.8.5) as a new revision,
/// laid out by hand so the verifier meets a /DocTimeStamp that our signer does not produce.
/// </summary>
internal static class DocumentTimestamp
{
    private const int ContentsBytes = 8192;

    public static async Task<byte[]> AppendAsync(byte[] pdf, ITimestampClient tsa)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var size = int.Parse(Regex.Matches(text, @"/Size\s+(\d+)")[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        var rootNumber = int.Parse(Regex.Matches(text, @"/Root\s+(\d+)\s+0\s+R")[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        var (sigNo, fieldNo) = (size, size + 1);

        var root = AppendRevision.LastBody(pdf, rootNumber);
        var acroRef = Regex.Match(root, @"/AcroForm\s+(\d+)\s+0\s+R");
        var formNumber = acroRef.Success ? int.Parse(acroRef.Groups[1].Value, CultureInfo.InvariantCulture) : rootNumber;
        var formBody = AppendRevision.LastBody(pdf, formNumber);
        var withField = Regex.Replace(formBody, @"/Fields\s*\[", $"/Fields [{fieldNo} 0 R ");

        var placeholder = "[0 0000000000 0000000000 0000000000]";
        var updated = AppendRevision.Append(pdf,
            (formNumber, withField),
            (sigNo, $"<</Type/DocTimeStamp/Filter/Adobe.PPKLite/SubFilter/ETSI.RFC3161/ByteRange{placeholder}/Contents<{new string('0', ContentsBytes * 2)}>>>"),
            (fieldNo, $"<</FT/Sig/T(DocumentTimestamp)/V {sigNo} 0 R/Rect[0 0 0 0]/F 132/Type/Annot/Subtype/Widget>>"));

        var all = Encoding.Latin1.GetString(updated);
        var br = all.LastIndexOf(placeholder, StringComparison.Ordinal);
        var gapStart = all.IndexOf("/Contents<", br, StringComparison.Ordinal) + "/Contents".Length;
        var gapEnd = all.IndexOf('>', gapStart) + 1;
        var values = $"[0 {gapStart:D10} {gapEnd:D10} {updated.Length - gapEnd:D10}]";
        Encoding.Latin1.GetBytes(values).CopyTo(updated, br);

        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(updated, 0, gapStart);
        h.AppendData(updated, gapEnd, updated.Length - gapEnd);
        var token = await tsa.RequestTokenAsync(h.GetHashAndReset(), CancellationToken.None);
        Encoding.Latin1.GetBytes(Convert.ToHexString(token)).CopyTo(updated, gapStart + 1);
        return updated;
    }
}
