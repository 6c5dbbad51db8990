using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SealPortal.Data;

namespace SealPortal.Hosting;

/// <summary>
/// The portal's files (database, keys, archive, temporary copies of uploads) are readable by the
/// portal's own user only: folders 0700, files 0600.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Sets the process's umask to 077, so that what libraries create on the portal's behalf (SQLite's
    /// database and journal, the data-protection key files, ASP.NET Core's buffered uploads in the temp
    /// folder) is 0600 too; and on start tightens what an earlier version left more open.
    /// </summary>
    public static WebApplicationBuilder AddPrivateFiles(this WebApplicationBuilder builder)
    {
        if (!OperatingSystem.IsWindows())
            _ = SetUmask(0b000_111_111);
        builder.Services.AddTransient<IStartupFilter, TightenOnStart>();
        return builder;
    }

    /// <summary>Creates the folder (and missing parents) as 0700, or makes an existing one 0700.</summary>
    public static DirectoryInfo CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
            return Directory.CreateDirectory(path);
        var folder = Directory.CreateDirectory(path, FolderMode);
        if (folder.UnixFileMode != FolderMode)
            folder.UnixFileMode = FolderMode;
        return folder;
    }

    /// <summary>Options for a FileStream that creates a file only its owner can read.</summary>
    public static FileStreamOptions NewFile(FileMode mode, FileAccess access, FileOptions options, int bufferSize)
    {
        var o = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None, Options = options, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
            o.UnixCreateMode = FileMode;
        return o;
    }

    private static void Tighten(string file)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(file) && (File.GetUnixFileMode(file) & ~FileMode) != 0)
            File.SetUnixFileMode(file, File.GetUnixFileMode(file) & FileMode);
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);

    /// <summary>Runs once the services exist and the database has been migrated, before the first request.</summary>
    private sealed class TightenOnStart(IOptions<SealPortalOptions> portal, IConfiguration configuration) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
        {
            var data = portal.Value.DataFolder;
            CreateFolder(data);
            foreach (var sub in new[] { "keys", "archive", "tmp" })
                if (Directory.Exists(Path.Combine(data, sub)))
                    CreateFolder(Path.Combine(data, sub));
            if (Directory.Exists(portal.Value.ArchiveFolder))
                CreateFolder(portal.Value.ArchiveFolder);
            if (Directory.Exists(Path.Combine(data, "keys")))
                foreach (var key in Directory.EnumerateFiles(Path.Combine(data, "keys")))
                    Tighten(key);
            if (DataServiceExtensions.Provider(configuration) == DatabaseProvider.Sqlite)
            {
                var connection = configuration.GetConnectionString(DataServiceExtensions.ConnectionStringName);
                var file = string.IsNullOrWhiteSpace(connection)
                    ? Path.Combine(data, "sealportal.db")
                    : new SqliteConnectionStringBuilder(connection).DataSource;
                foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
                    Tighten(file + suffix);
            }
            return next;
        }
    }
}
