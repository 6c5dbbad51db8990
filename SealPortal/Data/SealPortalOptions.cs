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

    /// <summary>
    /// Where archived (original and sealed) files live. Empty means &lt;DataFolder&gt;/archive. Instances
    /// that share one database must share this folder too (a network or cluster file system), so that
    /// any instance serves a file another one sealed.
    /// </summary>
    public string ArchiveFolder { get; set; } = "";

    /// <summary>
    /// A short name for this instance, different for every instance sharing the archive folder; it tags
    /// the archive's half-written files so that an instance starting up cleans only its own. Empty means
    /// one derived from the data folder's path.
    /// </summary>
    public string InstanceName { get; set; } = "";

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
