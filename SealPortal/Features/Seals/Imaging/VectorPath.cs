namespace SealPortal.Features.Seals.Imaging;

/// <summary>
/// Closed contours made of lines and quadratic Béziers: exactly what TrueType outlines
/// need, and enough to describe a ring and a star.
/// </summary>
public sealed class VectorPath
{
    internal enum Kind : byte
    {
        Move,
        Line,
        Quad,
        Close,
    }

    internal readonly record struct Command(Kind Kind, double X1, double Y1, double X, double Y);

    private readonly List<Command> _commands = [];

    internal IReadOnlyList<Command> Commands => _commands;

    public bool IsEmpty => _commands.Count == 0;

    public VectorPath MoveTo(double x, double y)
    {
        _commands.Add(new(Kind.Move, 0, 0, x, y));
        return this;
    }

    public VectorPath LineTo(double x, double y)
    {
        _commands.Add(new(Kind.Line, 0, 0, x, y));
        return this;
    }

    public VectorPath QuadTo(double cx, double cy, double x, double y)
    {
        _commands.Add(new(Kind.Quad, cx, cy, x, y));
        return this;
    }

    public VectorPath Close()
    {
        _commands.Add(new(Kind.Close, 0, 0, 0, 0));
        return this;
    }

    /// <summary>
    /// A circle as a polygon fine enough that its chords stay within a hundredth of a unit
    /// of the true circle; the direction matters for rings (opposite directions cut a hole).
    /// </summary>
    public VectorPath AddCircle(double cx, double cy, double radius, bool clockwise)
    {
        var segments = Math.Clamp((int)Math.Ceiling(Math.PI / Math.Acos(Math.Max(-1, 1 - 0.01 / Math.Max(radius, 0.01)))), 16, 4096);
        var sign = clockwise ? 1 : -1;
        MoveTo(cx + radius, cy);
        for (var i = 1; i < segments; i++)
        {
            var angle = sign * 2 * Math.PI * i / segments;
            LineTo(cx + radius * Math.Cos(angle), cy + radius * Math.Sin(angle));
        }
        return Close();
    }

    public VectorPath AddPolygon(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 3)
            throw new ArgumentException("a polygon needs at least three points", nameof(points));
        MoveTo(points[0].X, points[0].Y);
        for (var i = 1; i < points.Count; i++)
            LineTo(points[i].X, points[i].Y);
        return Close();
    }

    /// <summary>Bounds of all points including control points: a slight overestimate for curves, which is all layout needs.</summary>
    public (double MinX, double MinY, double MaxX, double MaxY)? Bounds()
    {
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        var any = false;
        foreach (var c in _commands)
        {
            if (c.Kind == Kind.Close)
                continue;
            any = true;
            minX = Math.Min(minX, c.X);
            maxX = Math.Max(maxX, c.X);
            minY = Math.Min(minY, c.Y);
            maxY = Math.Max(maxY, c.Y);
            if (c.Kind != Kind.Quad)
                continue;
            minX = Math.Min(minX, c.X1);
            maxX = Math.Max(maxX, c.X1);
            minY = Math.Min(minY, c.Y1);
            maxY = Math.Max(maxY, c.Y1);
        }
        return any ? (minX, minY, maxX, maxY) : null;
    }
}
