using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SealPortal.Hosting;

/// <summary>
/// Tells a database that cannot be reached (no server, no file, busy past the timeout) from a
/// statement that failed, so the first becomes a 503 "try again later" and the second stays a 500.
/// </summary>
public static class DatabaseUnavailable
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CANTOPEN: the file is there but cannot be used now, or is not there.
    private static readonly int[] SqliteUnavailableCodes = [5, 6, 10, 14];

    public static bool Is(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite when SqliteUnavailableCodes.Contains(sqlite.SqliteErrorCode):
                case PostgresException { IsTransient: true }:
                case NpgsqlException and not PostgresException:
                case DbException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
