namespace SealPortal.Features;

/// <summary>
/// What a server-data grid asks its page for: the sort column (null for the list's own order), its
/// direction, and one page (numbered from 0).
/// </summary>
public sealed record GridPageRequest(string? SortBy = null, bool Descending = false, int Page = 0, int PageSize = 25)
{
    public const int MaxPageSize = 100;

    public int Skip => Math.Max(0, Page) * Take;

    public int Take => Math.Clamp(PageSize, 1, MaxPageSize);
}

/// <summary>One page of a list and the number of rows of the whole list.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Total);
