using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;

namespace SealPortal.Features.Requests;

/// <summary>
/// The one check of an uploaded PDF, used by PdfIntake before it stores anything and by the request
/// page as soon as a file arrives (so the applicant learns at once, and the same refusals apply).
/// </summary>
public static class PdfUploadCheck
{
    /// <summary>What can be said from the name and size alone, before any byte is read.</summary>
    public static CommandResult? BySize(string fileName, long length, RequestsOptions limits)
    {
        var name = Path.GetFileName(fileName);
        if (length > limits.MaxUploadBytes)
            return CommandResult.TooLarge("{0} is larger than {1} MB.", name, limits.MaxUploadBytes / (1024 * 1024));
        if (length == 0)
            return CommandResult.Invalid("{0} is empty.", name);
        return null;
    }

    /// <summary>
    /// Parses a PDF held in <paramref name="buffer"/> (seekable, at its start) within bounded memory and
    /// checks everything sealing will need: structure, no encryption, room for an incremental update,
    /// and active content when the portal refuses it.
    /// </summary>
    public static (PdfPreflightResult? Check, CommandResult? Refusal) Check(Stream buffer, string fileName, RequestsOptions limits, CancellationToken ct)
    {
        var name = Path.GetFileName(fileName);
        PdfPreflightResult check;
        try
        {
            check = SealPreflight.Check(buffer, ct);
        }
        catch (PdfSigningException ex)
        {
            return (null, CommandResult.Invalid("{0} cannot be sealed: {1}", name, ex.Message));
        }
        catch (PdfEncryptedException)
        {
            return (null, CommandResult.Invalid("{0}: encrypted PDFs cannot be sealed. Remove the password protection and upload it again.", name));
        }
        catch (PdfFormatException ex)
        {
            return (null, CommandResult.Invalid("{0} is not a readable PDF: {1}", name, ex.Message));
        }
        if (check.HasActiveContent && limits.RefuseActiveContent)
            return (null, CommandResult.Invalid("{0} contains active content ({1}), which this portal does not accept. Save it without scripts and actions (e.g. print it to PDF) and upload it again.",
                name, string.Join(", ", check.ActiveContent)));
        return (check, null);
    }
}
