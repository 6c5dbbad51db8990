using MudBlazor;

namespace SealPortal.Components.Interactive;

/// <summary>
/// What a grid's sort asks the database for. MudDataGrid names a sort by its column's property name, and a template
/// column's property name is a random id (MudBlazor gives each one a new Guid), so a page names its sortable template
/// columns with <c>Tag="Key"</c>, the key its query sorts by. A property column keeps its property's name.
/// </summary>
public static class GridSorts
{
    public static string? KeyOf<T>(MudDataGrid<T>? grid, SortDefinition<T>? sort)
    {
        if (sort is null)
            return null;
        var column = grid?.RenderedColumns.FirstOrDefault(c => c.PropertyName == sort.SortBy);
        return column?.Tag as string ?? sort.SortBy;
    }
}
