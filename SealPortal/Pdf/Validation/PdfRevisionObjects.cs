using SealPortal.Pdf.Incremental;

namespace SealPortal.Pdf.Validation;

/// <summary>Adapts the parser's <see cref="PdfFile"/> to the view difference analysis needs.</summary>
internal sealed class PdfRevisionObjects(PdfFile file) : IRevisionObjects
{
    /// <summary>Streams bigger than this count as different unless they are the same stored bytes: memory stays bounded and the error is on the safe side.</summary>
    private const long MaxComparedStreamBytes = 64L * 1024 * 1024;

    public int RevisionCount => file.Revisions.Count;

    public IEnumerable<int> ObjectsWrittenIn(int revision) => file.Revisions[revision].Entries.Keys;

    public PdfObj? Get(int number, int revision) => file.GetObject(number, revision);

    public PdfDictObj Trailer(int revision) => file.Revisions[revision].Trailer;

    public bool SameStreamData(PdfStreamObj a, PdfStreamObj b)
    {
        if (a.DataLength != b.DataLength) return false;
        if (a.DataOffset >= 0 && a.DataOffset == b.DataOffset) return true;
        if (a.DataLength > MaxComparedStreamBytes) return false;
        return file.ReadRawStreamData(a, MaxComparedStreamBytes).AsSpan().SequenceEqual(file.ReadRawStreamData(b, MaxComparedStreamBytes));
    }
}
