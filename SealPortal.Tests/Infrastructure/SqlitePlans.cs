using Microsoft.Data.Sqlite;

namespace SealPortal.Tests.Infrastructure;

/// <summary>SQLite's plan of a command (EXPLAIN QUERY PLAN), its steps joined by " / ", for the tests that check an index is used.</summary>
public static class SqlitePlans
{
    public static async Task<string> ExplainAsync(SqliteConnection connection, string sql, IEnumerable<(string Name, object? Value)> parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            plan.Add(reader.GetString(3));
        return string.Join(" / ", plan);
    }
}
