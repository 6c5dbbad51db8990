namespace SealPortal.Pdf.Incremental;

/// <summary>
/// The input is not a PDF this engine can read: truncated, garbage, or structurally broken.
/// The message is meant for the person who supplied the file.
/// </summary>
public class PdfFormatException : Exception
{
    /// <summary>Creates the exception with a message a user can act on.</summary>
    public PdfFormatException(string message) : base(message) { }

    /// <summary>Creates the exception, keeping the low-level cause for logs.</summary>
    public PdfFormatException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The PDF is encrypted (its trailer has /Encrypt). Sealing it would need the password and
/// would change its protection, so the user must remove the protection first.
/// </summary>
public sealed class PdfEncryptedException : PdfFormatException
{
    /// <summary>Creates the exception with the standard message.</summary>
    public PdfEncryptedException()
        : base("the PDF is encrypted; remove the password protection first") { }
}
