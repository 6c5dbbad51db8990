namespace SealPortal.Features.Seals.Imaging;

/// <summary>A font file is truncated, inconsistent or uses outlines this reader does not handle.</summary>
public sealed class FontFormatException(string message) : Exception(message);

/// <summary>No usable CJK font could be found; the message says what to install or configure.</summary>
public sealed class FontNotFoundException(string message) : Exception(message);

/// <summary>The seal request itself is unusable (empty name, too many characters, a character the font lacks).</summary>
public sealed class SealImageException(string message) : Exception(message);
