using Microsoft.EntityFrameworkCore;
using SealPortal.Data;

namespace SealPortal.Features.Requests;

/// <summary>
/// SQLite's index for the request search: an FTS5 table of the trigrams of each request's number, purpose and
/// counterparty (<see cref="TableName"/>, made and kept in step with the requests by triggers, migration
/// SqliteRequestSearchIndex). The search itself stays what it was: LIKE '%text%' on the three columns, which ignores the
/// case of Latin letters. The index only narrows the requests LIKE is asked about, so the answer is LIKE's by construction:
/// every text LIKE matches, the index finds too (it folds the case of every letter, Latin ones included, and a text of
/// three characters or more contains each trigram of the term, consecutively, in the same column).
/// <list type="bullet">
/// <item>The term is one FTS5 phrase in double quotes (a quote in it doubled), so spaces, quotes, %, _ and FTS5's own
/// operators in it are characters to find, and a term of several words is found as one substring, as LIKE finds it.</item>
/// <item>A term of fewer than three characters has no trigram (the index finds nothing for it): LIKE alone, as before.</item>
/// <item>A term the index finds in more than <see cref="MaxCandidates"/> requests (a word of every purpose, the year of
/// every number) is searched with LIKE alone as well: the covering indexes answer such a term quickly (the newest page
/// stops at its 25th match), while looking up thousands of candidates would cost more. Asking the index for one more than
/// that many costs about a millisecond, since FTS5 reads its lists incrementally.</item>
/// </list>
/// </summary>
public static class RequestSearch
{
    /// <summary>The FTS5 table (external content: the requests' table itself).</summary>
    public const string TableName = "SealRequestsSearch";

    /// <summary>At most this many requests found by the index are looked up by their ids; with more, LIKE alone searches.</summary>
    public const int MaxCandidates = 1000;

    /// <summary>
    /// The FTS5 query that finds <paramref name="lowered"/> as one substring, or null when the index cannot: fewer than
    /// three characters (Unicode code points, as the trigram tokenizer counts them), or a NUL character (an edge left to LIKE).
    /// </summary>
    public static string? MatchQuery(string lowered)
    {
        if (lowered.Contains('\0', StringComparison.Ordinal))
            return null;
        var characters = 0;
        foreach (var _ in lowered.EnumerateRunes())
            characters++;
        return characters < 3 ? null : "\"" + lowered.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// The ids of the requests whose number, purpose or counterparty the index says may contain <paramref name="lowered"/>,
    /// when there are at most <see cref="MaxCandidates"/>; null when the search must read with LIKE alone (see above).
    /// SQLite only.
    /// </summary>
    public static async Task<List<int>?> CandidatesAsync(SealPortalDbContext db, string lowered, CancellationToken ct)
    {
        if (MatchQuery(lowered) is not { } match)
            return null;
        var ids = await db.Database
            .SqlQuery<int>($"SELECT rowid AS \"Value\" FROM \"SealRequestsSearch\" WHERE \"SealRequestsSearch\" MATCH {match} LIMIT {MaxCandidates + 1}")
            .ToListAsync(ct);
        return ids.Count > MaxCandidates ? null : ids;
    }
}
