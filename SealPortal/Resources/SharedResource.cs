namespace SealPortal.Resources;

/// <summary>
/// Marker for the portal's one string table: SharedResource.resx (English, the fallback) and
/// SharedResource.zh-CN.resx. Inject IStringLocalizer&lt;SharedResource&gt;; keys are the English text,
/// except enum values, which use "EnumType.Value".
/// </summary>
public sealed class SharedResource;
