namespace SealPortal.Features.Seals.Imaging;

/// <summary>
/// An alpha mask that paths are filled into with anti-aliasing. Each pixel row is sampled
/// on <see cref="SubScanlines"/> horizontal lines; on each line the non-zero winding spans
/// are computed exactly and added with exact horizontal coverage, so edges get
/// 16 vertical levels and continuous horizontal ones.
/// </summary>
public sealed class CoverageMask
{
    public const int SubScanlines = 16;

    /// <summary>Curves are flattened until the chord is within this many pixels of the curve.</summary>
    private const double FlatteningTolerance = 0.05;

    private readonly float[] _alpha;

    public int Width { get; }
    public int Height { get; }

    public CoverageMask(int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), "mask dimensions must be positive");
        Width = width;
        Height = height;
        _alpha = new float[checked(width * height)];
    }

    /// <summary>Coverage of pixel (x, y) in 0..1.</summary>
    public float this[int x, int y] => _alpha[y * Width + x];

    /// <summary>
    /// Fills the path (transformed into pixel space) with the non-zero rule and composites it
    /// over what is already there, so separately filled shapes never cancel each other out.
    /// </summary>
    public void Fill(VectorPath path, Affine transform) => Fill(path, [transform]);

    /// <summary>
    /// Fills the union of several placements of one path in a single pass: the copies share
    /// one winding count, so where they overlap the ink is not darkened twice at the edges.
    /// </summary>
    public void Fill(VectorPath path, IReadOnlyList<Affine> transforms)
    {
        var edges = new List<Edge>();
        foreach (var transform in transforms)
            Flatten(path, transform, edges);
        if (edges.Count == 0)
            return;
        edges.Sort((a, b) => a.Y0.CompareTo(b.Y0));

        var minY = double.MaxValue;
        var maxY = double.MinValue;
        foreach (var e in edges)
        {
            minY = Math.Min(minY, e.Y0);
            maxY = Math.Max(maxY, e.Y1);
        }
        var firstRow = Math.Max(0, (int)Math.Floor(minY));
        var lastRow = Math.Min(Height - 1, (int)Math.Ceiling(maxY));
        if (firstRow > lastRow)
            return;

        var row = new float[Width + 1];
        var active = new List<Edge>();
        var crossings = new List<(double X, int Winding)>();
        var next = 0;
        const float weight = 1f / SubScanlines;

        for (var y = firstRow; y <= lastRow; y++)
        {
            Array.Clear(row);
            var touchedMin = Width;
            var touchedMax = -1;
            for (var s = 0; s < SubScanlines; s++)
            {
                var sampleY = y + (s + 0.5) / SubScanlines;
                while (next < edges.Count && edges[next].Y0 <= sampleY)
                    active.Add(edges[next++]);
                active.RemoveAll(e => e.Y1 <= sampleY);

                crossings.Clear();
                foreach (var e in active)
                {
                    if (e.Y0 <= sampleY && sampleY < e.Y1)
                        crossings.Add((e.X0 + (sampleY - e.Y0) * e.DxDy, e.Winding));
                }
                if (crossings.Count < 2)
                    continue;
                crossings.Sort((a, b) => a.X.CompareTo(b.X));

                var winding = 0;
                var spanStart = 0.0;
                foreach (var (x, w) in crossings)
                {
                    var before = winding;
                    winding += w;
                    if (before == 0 && winding != 0)
                    {
                        spanStart = x;
                    }
                    else if (before != 0 && winding == 0)
                    {
                        AddSpan(row, spanStart, x, weight, ref touchedMin, ref touchedMax);
                    }
                }
            }
            if (touchedMax < touchedMin)
                continue;

            var offset = y * Width;
            var run = 0f;
            for (var x = touchedMin; x <= touchedMax && x < Width; x++)
            {
                run += row[x];
                var coverage = Math.Min(1f, run);
                if (coverage <= 0f)
                    continue;
                ref var a = ref _alpha[offset + x];
                a += coverage * (1f - a);
            }
        }
    }

    /// <summary>
    /// Adds coverage for the span [x0, x1) on one sub-scanline. Fully covered pixels are
    /// recorded as a step in a running sum (delta at the first pixel, minus at the end), so a
    /// long span costs two writes instead of one per pixel.
    /// </summary>
    private void AddSpan(float[] row, double x0, double x1, float weight, ref int touchedMin, ref int touchedMax)
    {
        x0 = Math.Clamp(x0, 0, Width);
        x1 = Math.Clamp(x1, 0, Width);
        if (x1 <= x0)
            return;
        var i0 = (int)x0;
        var i1 = (int)x1;
        touchedMin = Math.Min(touchedMin, i0);
        touchedMax = Math.Max(touchedMax, Math.Min(i1, Width - 1));
        if (i0 == i1)
        {
            AddPoint(row, i0, (float)(x1 - x0) * weight);
            return;
        }
        AddPoint(row, i0, (float)(i0 + 1 - x0) * weight);
        row[i0 + 1] += weight;
        row[i1] -= weight;
        if (i1 < Width)
            AddPoint(row, i1, (float)(x1 - i1) * weight);
    }

    /// <summary>Coverage for a single pixel in the running-sum row: add here, take it back at the next pixel.</summary>
    private static void AddPoint(float[] row, int x, float amount)
    {
        row[x] += amount;
        row[x + 1] -= amount;
    }

    private readonly record struct Edge(double X0, double Y0, double Y1, double DxDy, int Winding);

    private static void Flatten(VectorPath path, Affine m, List<Edge> edges)
    {
        double startX = 0, startY = 0, curX = 0, curY = 0;
        var open = false;

        void Line(double x0, double y0, double x1, double y1)
        {
            if (y0 == y1 || double.IsNaN(x0 + y0 + x1 + y1))
                return;
            if (y0 < y1)
                edges.Add(new Edge(x0, y0, y1, (x1 - x0) / (y1 - y0), 1));
            else
                edges.Add(new Edge(x1, y1, y0, (x0 - x1) / (y0 - y1), -1));
        }

        foreach (var c in path.Commands)
        {
            switch (c.Kind)
            {
                case VectorPath.Kind.Move:
                    if (open)
                        Line(curX, curY, startX, startY);
                    (curX, curY) = m.Apply(c.X, c.Y);
                    (startX, startY) = (curX, curY);
                    open = true;
                    break;
                case VectorPath.Kind.Line:
                {
                    var (x, y) = m.Apply(c.X, c.Y);
                    Line(curX, curY, x, y);
                    (curX, curY) = (x, y);
                    break;
                }
                case VectorPath.Kind.Quad:
                {
                    var (cx, cy) = m.Apply(c.X1, c.Y1);
                    var (x, y) = m.Apply(c.X, c.Y);
                    // The chord error of n pieces is at most |p0 - 2c + p1| / (8 n²).
                    var ddx = curX - 2 * cx + x;
                    var ddy = curY - 2 * cy + y;
                    var pieces = Math.Clamp((int)Math.Ceiling(Math.Sqrt(Math.Sqrt(ddx * ddx + ddy * ddy) / (8 * FlatteningTolerance))), 1, 256);
                    double px = curX, py = curY;
                    for (var i = 1; i <= pieces; i++)
                    {
                        var t = (double)i / pieces;
                        var u = 1 - t;
                        var qx = u * u * curX + 2 * u * t * cx + t * t * x;
                        var qy = u * u * curY + 2 * u * t * cy + t * t * y;
                        Line(px, py, qx, qy);
                        (px, py) = (qx, qy);
                    }
                    (curX, curY) = (x, y);
                    break;
                }
                case VectorPath.Kind.Close:
                    if (open)
                        Line(curX, curY, startX, startY);
                    (curX, curY) = (startX, startY);
                    open = false;
                    break;
            }
        }
        if (open)
            Line(curX, curY, startX, startY);
    }
}
