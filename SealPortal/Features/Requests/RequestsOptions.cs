namespace SealPortal.Features.Requests;

/// <summary>Settings under "Requests" in configuration.</summary>
public sealed class RequestsOptions
{
    public const string Section = "Requests";

    /// <summary>Largest single PDF a request accepts.</summary>
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Largest sum of all PDFs of one upload.</summary>
    public long MaxTotalUploadBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>How many PDFs one request may carry.</summary>
    public int MaxDocuments { get; set; } = 20;

    /// <summary>
    /// Refuse PDFs with JavaScript, an open action or Launch actions at upload (400). Off by
    /// default: they are accepted and approvers see a warning.
    /// </summary>
    public bool RefuseActiveContent { get; set; }
}
