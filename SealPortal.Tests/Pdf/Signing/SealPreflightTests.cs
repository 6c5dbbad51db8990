using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using SealPortal.Pdf.Incremental;
using SealPortal.Pdf.Signing;

namespace SealPortal.Tests.Pdf.Signing;

/// <summary>The one upload check (issue 12, part 6): what sealing needs, active content, bounded parsing.</summary>
public sealed class SealPreflightTests
{
    /// <summary>A one-page PDF whose trailer claims a /Size no incremental update can continue.</summary>
    public static byte[] HugeSizePdf()
    {
        var text = Encoding.Latin1.GetString(PdfTestKit.ClassicPdf(1));
        return Encoding.Latin1.GetBytes(Regex.Replace(text, @"/Size \d+", "/Size 999999999"));
    }

    /// <summary>A PDF with a JavaScript open action and a Launch link, added as an update of a plain one.</summary>
    public static byte[] ActiveContentPdf()
    {
        using var src = PdfFile.Open(new MemoryStream(PdfTestKit.ClassicPdf(1)));
        var w = new PdfIncrementalWriter(src);
        var catalog = src.Catalog.Clone();
        catalog.Set("OpenAction", new PdfDictObj().Set("S", new PdfNameObj("JavaScript")).Set("JS", PdfStringObj.FromText("app.alert(1)")));
        w.Set((PdfRefObj)src.Trailer.Get("Root")!, catalog);
        var page = src.GetPages()[0];
        var link = w.Add(new PdfDictObj().Set("Type", new PdfNameObj("Annot")).Set("Subtype", new PdfNameObj("Link"))
            .Set("Rect", new PdfArrayObj([new PdfNumObj(0), new PdfNumObj(0), new PdfNumObj(10), new PdfNumObj(10)]))
            .Set("A", new PdfDictObj().Set("S", new PdfNameObj("Launch")).Set("F", PdfStringObj.FromText("calc.exe"))));
        var pageDict = page.Dictionary.Clone();
        pageDict.Set("Annots", new PdfArrayObj([link]));
        w.Set(page.Reference, pageDict);
        using var output = new MemoryStream();
        w.WriteTo(output);
        return output.ToArray();
    }

    /// <summary>
    /// A 1 MB deflate bomb (about 1 GB of zeros) as the cross-reference stream: opening the file
    /// must inflate it, so only the reader's limits stand between it and the server's memory.
    /// </summary>
    public static byte[] DeflateBombPdf(int packedBytes = 1_000_000)
    {
        using var packed = new MemoryStream();
        using (var z = new ZLibStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            while (packed.Length < packedBytes) z.Write(zeros);
        }
        var bomb = packed.ToArray();
        using var pdf = new MemoryStream();
        void Ascii(string s) => pdf.Write(Encoding.ASCII.GetBytes(s));
        Ascii("%PDF-1.7\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n");
        var xref = pdf.Position;
        Ascii($"3 0 obj\n<</Type/XRef/Size 4/Root 1 0 R/W[1 4 2]/Filter/FlateDecode/Length {bomb.Length}>>\nstream\n");
        pdf.Write(bomb);
        Ascii($"\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    [Fact]
    public void A_trailer_size_no_update_can_continue_is_refused_at_upload()
    {
        var plain = SealPreflight.Check(new MemoryStream(PdfTestKit.ClassicPdf(2)));
        Assert.Equal(2, plain.Pages);
        Assert.False(plain.HasActiveContent);

        var ex = Assert.Throws<PdfFormatException>(() => SealPreflight.Check(new MemoryStream(HugeSizePdf())));
        Assert.Contains("too many objects", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JavaScript_open_actions_and_launch_actions_are_found()
    {
        var result = SealPreflight.Check(new MemoryStream(ActiveContentPdf()));
        Assert.Equal(["JavaScript", "Launch", "OpenAction"], result.ActiveContent);
    }

    [Fact]
    public void A_deflate_bomb_is_refused_within_a_bounded_allocation_and_the_memory_is_given_back()
    {
        var bomb = DeflateBombPdf();
        Assert.True(bomb.Length is > 900_000 and < 1_200_000, $"{bomb.Length} bytes");
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<PdfFormatException>(() => SealPreflight.Check(new MemoryStream(bomb)));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Contains("expands beyond", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64L * 1024 * 1024, $"the check allocated {allocated / 1048576.0:F0} MB");
        var retained = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        Assert.True(retained < 4L * 1024 * 1024, $"{retained / 1048576.0:F1} MB stayed on the heap");
    }

    [Fact]
    public void Many_small_inflations_share_one_budget()
    {
        using var file = PdfFile.Open(new MemoryStream(PdfTestKit.ClassicPdf(1)), leaveOpen: false, new PdfReadLimits(1024, 3000, 1000));
        var packed = new MemoryStream();
        using (var z = new ZLibStream(packed, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(new byte[1000]);
        var stream = new PdfStreamObj(new PdfDictObj().Set("Filter", new PdfNameObj("FlateDecode")), packed.ToArray());
        file.DecodeStream(stream);
        file.DecodeStream(stream);
        file.DecodeStream(stream);
        var ex = Assert.Throws<PdfFormatException>(() => file.DecodeStream(stream));
        Assert.Contains("expands to more than", ex.Message, StringComparison.Ordinal);
    }
}
