namespace SealPortal.Data;

/// <summary>Settings under "SealPortal" in configuration.</summary>
public sealed class SealPortalOptions
{
    public const string Section = "SealPortal";

    /// <summary>
    /// Where the portal keeps its own files (SQLite database, data-protection keys, later the
    /// archive). Relative paths are resolved against the content root.
    /// </summary>
    public string DataFolder { get; set; } = "App_Data";

    /// <summary>A request that takes longer than this is logged (at Information) even when it succeeded.</summary>
    public int SlowRequestMilliseconds { get; set; } = 1000;
}

/// <summary>Which database the portal talks to: "Database:Provider" in configuration.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,

    /// <summary>Compiled and checked by generated migration scripts only: no SQL Server runs where the portal is developed.</summary>
    SqlServer,
}
