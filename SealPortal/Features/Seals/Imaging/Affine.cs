namespace SealPortal.Features.Seals.Imaging;

/// <summary>
/// A 2-D affine transform: x' = A·x + C·y + E, y' = B·x + D·y + F.
/// Pixel space has y pointing down, so a positive rotation turns clockwise on screen.
/// </summary>
public readonly record struct Affine(double A, double B, double C, double D, double E, double F)
{
    public static Affine Identity { get; } = new(1, 0, 0, 1, 0, 0);

    public static Affine Translation(double dx, double dy) => new(1, 0, 0, 1, dx, dy);

    public static Affine Scaling(double sx, double sy) => new(sx, 0, 0, sy, 0, 0);

    public static Affine Rotation(double radians)
    {
        var cos = Math.Cos(radians);
        var sin = Math.Sin(radians);
        return new(cos, sin, -sin, cos, 0, 0);
    }

    /// <summary>This transform first, then <paramref name="next"/>.</summary>
    public Affine Then(Affine next) => new(
        next.A * A + next.C * B,
        next.B * A + next.D * B,
        next.A * C + next.C * D,
        next.B * C + next.D * D,
        next.A * E + next.C * F + next.E,
        next.B * E + next.D * F + next.F);

    public (double X, double Y) Apply(double x, double y) => (A * x + C * y + E, B * x + D * y + F);
}
