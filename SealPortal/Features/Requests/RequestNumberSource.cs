using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SealPortal.Data;

namespace SealPortal.Features.Requests;

/// <summary>
/// The sequence behind request numbers ("YY-NNNNN"): on PostgreSQL and SQL Server one sequence per
/// year (request_numbers_2026), on SQLite a counter row per year (RequestNumberCounters) bumped inside the
/// transaction that saves the request. Two applicants saving at once get different numbers without
/// either one failing and trying again.
/// </summary>
public sealed class RequestNumberSource(SealPortalDbContext db)
{
    private static readonly ConcurrentDictionary<(string Database, int Year), bool> Sequences = new();

    /// <summary>The next number of <paramref name="year"/>; call inside the transaction that saves the request.</summary>
    public async Task<int> NextAsync(int year, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A request number is drawn inside the transaction that saves the request.");
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        if (db.Database.IsNpgsql())
        {
            command.CommandText = $"SELECT nextval('{SequenceName(year)}')";
        }
        else if (db.Database.IsSqlServer())
        {
            command.CommandText = $"SELECT NEXT VALUE FOR {SequenceName(year)}";
        }
        else
        {
            command.CommandText = "INSERT INTO RequestNumberCounters (Year, LastNumber) VALUES (@year, 1) " +
                                  "ON CONFLICT (Year) DO UPDATE SET LastNumber = LastNumber + 1 RETURNING LastNumber";
            Parameter(command, "@year", year);
        }
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Makes the year's sequence (PostgreSQL, SQL Server) when it is missing, starting after the highest number of that
    /// year already given; call before the saving transaction. Under an advisory lock, so two portals
    /// making the first request of a year at once do not both create it.
    /// </summary>
    public async Task EnsureAsync(int year, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql() && !db.Database.IsSqlServer())
            return;
        var key = (db.Database.GetDbConnection().Database, year);
        if (Sequences.ContainsKey(key))
            return;
        var name = SequenceName(year);
        var prefix = $"{year % 100:00}-";
        // Only digits go into the text, so building it is safe.
        if (db.Database.IsSqlServer())
        {
            var create = $"""
                BEGIN TRANSACTION;
                EXEC sp_getapplock @Resource = 'request_numbers', @LockMode = 'Exclusive', @LockOwner = 'Transaction';
                IF OBJECT_ID('{name}', 'SO') IS NULL
                BEGIN
                  DECLARE @start int = (SELECT ISNULL(MAX(CAST(SUBSTRING([Number], 4, 5) AS int)), 0) + 1 FROM [SealRequests] WHERE [Number] LIKE '{prefix}_____');
                  EXEC('CREATE SEQUENCE {name} AS int START WITH ' + @start);
                END;
                COMMIT;
                """;
            await db.Database.ExecuteSqlRawAsync(create, ct);
            Sequences[key] = true;
            return;
        }
        var ensure = $"""
            DO $$ BEGIN
              PERFORM pg_advisory_xact_lock(hashtext('request_numbers'));
              IF to_regclass('{name}') IS NULL THEN
                EXECUTE format('CREATE SEQUENCE {name} START %s', (SELECT COALESCE(MAX(CAST(substr("Number", 4) AS integer)), 0) + 1
                  FROM "SealRequests" WHERE "Number" LIKE '{prefix}_____'));
              END IF;
            END $$
            """;
        await db.Database.ExecuteSqlRawAsync(ensure, ct);
        Sequences[key] = true;
    }

    private static string SequenceName(int year) => $"request_numbers_{year:0000}";

    private static void Parameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
