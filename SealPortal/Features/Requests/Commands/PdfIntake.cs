using Microsoft.Extensions.Options;
using SealPortal.Data;
using SealPortal.Features.Archive;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;

namespace SealPortal.Features.Requests;

/// <summary>
/// Takes a request's uploaded PDFs: checks every one by parsing it (size, PDF structure, no encryption, what
/// sealing will need) before any is stored, so a refusal stores nothing; then stores them all in the archive.
/// </summary>
public sealed class PdfIntake(ArchiveStore archive, IOptions<RequestsOptions> options)
{
    public sealed record Accepted(List<SealRequestDocument> Documents, CommandResult? Error);

    public async Task<Accepted> AcceptAsync(IReadOnlyList<UploadedPdf> files, CancellationToken ct)
    {
        var limits = options.Value;
        if (files.Count > limits.MaxDocuments)
            return new([], CommandResult.Invalid("At most {0} PDFs per request.", limits.MaxDocuments));
        if (files.FirstOrDefault(f => f.Length > limits.MaxUploadBytes) is { } big)
            return new([], CommandResult.TooLarge("{0} is larger than {1} MB.", big.FileName, limits.MaxUploadBytes / (1024 * 1024)));
        if (files.Sum(f => f.Length) > limits.MaxTotalUploadBytes)
            return new([], CommandResult.TooLarge("The PDFs together are larger than {0} MB.", limits.MaxTotalUploadBytes / (1024 * 1024)));

        var buffers = new List<(UploadedPdf File, FileStream Buffer, PdfPreflightResult? Check)>();
        try
        {
            foreach (var file in files)
            {
                var name = Path.GetFileName(file.FileName);
                if (file.Length == 0)
                    return new([], CommandResult.Invalid("{0} is empty.", name));
                var buffer = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
                    FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                buffers.Add((file, buffer, null));
                await using (var source = file.OpenReadStream())
                    await source.CopyToAsync(buffer, ct);
                buffer.Position = 0;
                PdfPreflightResult check;
                try
                {
                    // Everything sealing needs is checked now, within bounded memory, not after every approval.
                    check = SealPreflight.Check(buffer, ct);
                }
                catch (PdfSigningException ex)
                {
                    return new([], CommandResult.Invalid("{0} cannot be sealed: {1}", name, ex.Message));
                }
                catch (PdfEncryptedException)
                {
                    return new([], CommandResult.Invalid("{0}: encrypted PDFs cannot be sealed. Remove the password protection and upload it again.", name));
                }
                catch (PdfFormatException ex)
                {
                    return new([], CommandResult.Invalid("{0} is not a readable PDF: {1}", name, ex.Message));
                }
                if (check.HasActiveContent && limits.RefuseActiveContent)
                    return new([], CommandResult.Invalid("{0} contains active content ({1}), which this portal does not accept. Save it without scripts and actions (e.g. print it to PDF) and upload it again.",
                        name, string.Join(", ", check.ActiveContent)));
                buffers[^1] = (file, buffer, check);
            }

            var accepted = new List<SealRequestDocument>();
            foreach (var (file, buffer, check) in buffers)
            {
                buffer.Position = 0;
                var stored = await archive.StoreAsync(buffer, ct);
                accepted.Add(new SealRequestDocument
                {
                    FileName = SafeFileName(file.FileName),
                    OriginalSha256 = stored.Sha256,
                    Length = stored.Length,
                    PageCount = check!.Pages,
                    ActiveContent = check.HasActiveContent ? string.Join(",", check.ActiveContent) : null,
                });
            }
            return new(accepted, null);
        }
        finally
        {
            foreach (var (_, buffer, _) in buffers)
                await buffer.DisposeAsync();
        }
    }

    private static string SafeFileName(string name)
    {
        var file = Path.GetFileName(name.Replace('\\', '/'));
        file = new string(file.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (file.Length == 0)
            file = "document.pdf";
        return file.Length > 255 ? file[^255..] : file;
    }
}
