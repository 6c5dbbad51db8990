using System.IO.Compression;

namespace SealPortal.Pdf.Incremental;

/// <summary>FlateDecode with PNG/TIFF predictors, the only filter the engine needs to read structure.</summary>
public static class PdfStreamDecoder
{
    /// <summary>
    /// Decodes <paramref name="raw"/> according to the stream dictionary's /Filter and /DecodeParms.
    /// Output larger than <paramref name="maxDecoded"/> bytes is refused (protects against zip bombs).
    /// </summary>
    public static byte[] Decode(PdfDictObj dict, byte[] raw, long maxDecoded, Func<PdfObj?, PdfObj?> resolve)
    {
        var filters = resolve(dict.Get("Filter"));
        var parms = resolve(dict.Get("DecodeParms"));
        List<(string Name, PdfDictObj? Parms)> chain = [];
        switch (filters)
        {
            case null or PdfNullObj: return raw;
            case PdfNameObj n: chain.Add((n.Value, resolve(parms) as PdfDictObj)); break;
            case PdfArrayObj a:
                for (var i = 0; i < a.Count; i++)
                {
                    var p = parms is PdfArrayObj pa && i < pa.Count ? resolve(pa[i]) as PdfDictObj : null;
                    if (resolve(a[i]) is not PdfNameObj fn) throw new PdfFormatException("invalid /Filter entry");
                    chain.Add((fn.Value, p));
                }
                break;
            default: throw new PdfFormatException("invalid /Filter entry");
        }
        var data = raw;
        foreach (var (name, p) in chain)
        {
            data = name switch
            {
                "FlateDecode" or "Fl" => Inflate(data, maxDecoded),
                _ => throw new PdfFormatException($"unsupported stream filter /{name}"),
            };
            if (p is not null) data = Unpredict(data, p);
        }
        return data;
    }

    /// <summary>Inflates zlib data (falls back to raw deflate, which some producers write).</summary>
    public static byte[] Inflate(byte[] data, long maxDecoded)
    {
        try
        {
            return InflateWith(new ZLibStream(new MemoryStream(data), CompressionMode.Decompress), maxDecoded);
        }
        catch (InvalidDataException)
        {
            if (data.Length < 2) throw new PdfFormatException("corrupt FlateDecode stream");
            try
            {
                return InflateWith(new DeflateStream(new MemoryStream(data, 2, data.Length - 2), CompressionMode.Decompress), maxDecoded);
            }
            catch (InvalidDataException e)
            {
                throw new PdfFormatException("corrupt FlateDecode stream", e);
            }
        }
    }

    private static byte[] InflateWith(Stream z, long maxDecoded)
    {
        using (z)
        {
            var ms = new MemoryStream();
            var buf = new byte[16384];
            int n;
            while ((n = z.Read(buf, 0, buf.Length)) > 0)
            {
                if (ms.Length + n > maxDecoded) throw new PdfFormatException($"a compressed stream expands beyond {maxDecoded} bytes");
                ms.Write(buf, 0, n);
            }
            return ms.ToArray();
        }
    }

    private static byte[] Unpredict(byte[] data, PdfDictObj p)
    {
        var predictor = (p.Get("Predictor") as PdfNumObj)?.LongValue ?? 1;
        if (predictor <= 1) return data;
        var colors = (int)Math.Clamp((p.Get("Colors") as PdfNumObj)?.LongValue ?? 1, 1, 32);
        var bpc = (int)Math.Clamp((p.Get("BitsPerComponent") as PdfNumObj)?.LongValue ?? 8, 1, 16);
        var columns = (int)Math.Clamp((p.Get("Columns") as PdfNumObj)?.LongValue ?? 1, 1, 1 << 20);
        var bpp = Math.Max(1, (colors * bpc + 7) / 8);
        var rowLen = (colors * bpc * columns + 7) / 8;
        if (predictor == 2)
        {
            if (bpc != 8) throw new PdfFormatException("TIFF predictor with bit depth other than 8 is not supported");
            var outp = (byte[])data.Clone();
            for (var row = 0; row + rowLen <= outp.Length; row += rowLen)
                for (var i = bpp; i < rowLen; i++) outp[row + i] += outp[row + i - bpp];
            return outp;
        }
        return PngUnfilter(data, rowLen, bpp, "stream");
    }

    /// <summary>
    /// Reverses PNG row filters (each row prefixed by its filter type byte). Shared with the
    /// PNG decoder; a trailing partial row is dropped as readers commonly do.
    /// </summary>
    public static byte[] PngUnfilter(ReadOnlySpan<byte> data, int rowLen, int bpp, string what)
    {
        var rows = data.Length / (rowLen + 1);
        var output = new byte[(long)rows * rowLen];
        var prev = new byte[rowLen];
        for (var r = 0; r < rows; r++)
        {
            var src = data.Slice(r * (rowLen + 1), rowLen + 1);
            var filter = src[0];
            var line = src[1..];
            var cur = output.AsSpan(r * rowLen, rowLen);
            switch (filter)
            {
                case 0: line.CopyTo(cur); break;
                case 1:
                    for (var i = 0; i < rowLen; i++) cur[i] = (byte)(line[i] + (i >= bpp ? cur[i - bpp] : 0));
                    break;
                case 2:
                    for (var i = 0; i < rowLen; i++) cur[i] = (byte)(line[i] + prev[i]);
                    break;
                case 3:
                    for (var i = 0; i < rowLen; i++) cur[i] = (byte)(line[i] + (((i >= bpp ? cur[i - bpp] : 0) + prev[i]) >> 1));
                    break;
                case 4:
                    for (var i = 0; i < rowLen; i++)
                    {
                        int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                        int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - 2 * c);
                        var pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                        cur[i] = (byte)(line[i] + pred);
                    }
                    break;
                default:
                    throw new PdfFormatException($"invalid PNG row filter {filter} in {what}");
            }
            cur.CopyTo(prev);
        }
        return output;
    }
}
