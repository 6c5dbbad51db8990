namespace SealPortal.Features.Seals.Imaging;

/// <summary>
/// Proportions of a round official seal, as fractions of the outer radius R, and where the
/// organisation name's characters go. Angles are in degrees, clockwise from 12 o'clock,
/// which is also the direction the name is read in.
/// </summary>
public static class SealLayout
{
    /// <summary>Outer radius as a fraction of half the image, leaving room for the anti-aliased edge.</summary>
    public const double OuterRadiusOfHalfSize = 0.98;

    /// <summary>The ring is 1/25 of the seal's diameter wide.</summary>
    public const double RingWidthOfRadius = 2.0 / 25;

    public const double StarRadiusOfRadius = 0.32;

    /// <summary>Gap between the ring's inner edge and the tops of the arc characters.</summary>
    public const double ArcGapOfRadius = 0.05;

    public const double SealNameHeightOfRadius = 0.21;
    public const double SealNameCentreOfRadius = 0.52;
    public const double SealNameMaxWidthOfRadius = 0.95;
    public const double CodeHeightOfRadius = 0.09;

    /// <summary>
    /// How far each stroke side is thickened, as a fraction of the character's smaller em
    /// dimension, so that narrowed characters of long names do not clog up.
    /// </summary>
    public const double EmboldenOfCharacterSize = 0.022;

    /// <summary>
    /// Short names keep natural spacing (30° per step); from eight characters on the name
    /// fills 210° and widens to 240° as it grows, like a hand-cut seal.
    /// </summary>
    public static double ArcSweepDegrees(int characters) => characters switch
    {
        < 2 => 0,
        <= 8 => 30.0 * (characters - 1),
        _ => Math.Min(240, 210 + 3.75 * (characters - 8)),
    };

    /// <summary>Angle of each character's centre, first character at the lower left.</summary>
    public static double[] ArcAngles(int characters)
    {
        var sweep = ArcSweepDegrees(characters);
        var angles = new double[characters];
        for (var i = 0; i < characters; i++)
            angles[i] = characters == 1 ? 0 : -sweep / 2 + sweep * i / (characters - 1);
        return angles;
    }

    /// <summary>Arc characters keep their height up to 14 characters, then shrink a little so long names stay legible.</summary>
    public static double ArcCharacterHeightOfRadius(int characters) =>
        characters <= 14 ? 0.27 : 0.27 - 0.05 * (Math.Min(characters, 24) - 14) / 10.0;
}
