namespace SealPortal.Data;

/// <summary>
/// Reads for components that render alongside the page rather than as the page: the layout's bell,
/// a panel with its own OnInitializedAsync inside a page. Static SSR runs such a component's
/// lifecycle while the page's own component may still be awaiting its queries or a form handler,
/// and a DbContext allows one operation at a time (PostgreSQL throws "A second operation was
/// started on this context"; SQLite merely hides it). Each call therefore opens a fresh DI scope,
/// so it gets its own context and its own instances of the scoped services over it.
/// </summary>
public sealed class PortalReads(IServiceScopeFactory scopes)
{
    /// <summary>Runs <paramref name="read"/> on a context of its own, disposed when the read ends.</summary>
    public async Task<T> ReadAsync<T>(Func<SealPortalDbContext, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SealPortalDbContext>(), ct);
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a scoped service (a feature's query class) resolved from a scope
    /// of its own, so that the service's context is not the page's.
    /// </summary>
    public async Task<T> ReadAsync<TService, T>(Func<TService, CancellationToken, Task<T>> read, CancellationToken ct)
        where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<TService>(), ct);
    }
}
