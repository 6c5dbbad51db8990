using System.Diagnostics;

namespace SealPortal.Pdf.Signing;

/// <summary>
/// Where the wall time of one <see cref="PdfSigner.SignFileAsync(string, string, PdfSignatureContent, PdfSignOptions, ValidationDataOptions?, CancellationToken)"/>
/// went, in milliseconds: the engine's own work, the CMS (the private-key operation and, with a TSA, its
/// time-stamp), and each wait for the disk. Phases that did not happen are 0. For benchmarks and logs;
/// measuring costs a few clock reads.
/// </summary>
/// <param name="Prepare">Open and parse the input, build the update in memory.</param>
/// <param name="CopyAndHash">Read, copy and SHA-256 the input and hash the update.</param>
/// <param name="Cms">Build the CMS over the digest (for a seal: the RSA or ECDSA operation).</param>
/// <param name="Write">Write what was still held back (the update, and a small input whole) to the temporary file.</param>
/// <param name="ValidationData">B-LT: collect revocation data and append the DSS.</param>
/// <param name="FileSync">fsync of the temporary file (its data and size reach the disk), and its close.</param>
/// <param name="Rename">Rename of the temporary file over the output.</param>
/// <param name="FolderSync">fsync of the output's folder (the rename reaches the disk).</param>
/// <param name="Total">Everything, from the call to the return.</param>
public sealed record PdfSignTimings(double Prepare, double CopyAndHash, double Cms, double Write, double ValidationData,
    double FileSync, double Rename, double FolderSync, double Total);

/// <summary>Clock readings taken along one signature; turned into <see cref="PdfSignTimings"/> at the end.</summary>
internal sealed class SignClock
{
    public long Start = Stopwatch.GetTimestamp();
    public long Prepared, Hashed, Signed, Written, Validated, FileSynced, Renamed, FolderSynced;

    public static long Now => Stopwatch.GetTimestamp();

    public PdfSignTimings ToTimings()
    {
        // From the raw clock readings, not TimeSpan's 100 ns ticks, so the phases add up to the total exactly.
        static double Ms(long from, long to) => from == 0 || to == 0 ? 0 : (to - from) * 1000.0 / Stopwatch.Frequency;
        var end = new[] { FolderSynced, Renamed, FileSynced, Validated, Written }.FirstOrDefault(t => t != 0);
        return new PdfSignTimings(
            Ms(Start, Prepared), Ms(Prepared, Hashed), Ms(Hashed, Signed), Ms(Signed, Written),
            Ms(Written, Validated), Ms(Validated != 0 ? Validated : Written, FileSynced), Ms(FileSynced, Renamed), Ms(Renamed, FolderSynced),
            Ms(Start, end));
    }
}
