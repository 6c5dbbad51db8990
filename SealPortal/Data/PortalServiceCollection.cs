namespace SealPortal.Data;

/// <summary>
/// The portal's service registrations, kept so the demo history can build the same services over
/// its own <see cref="Demo.HistoryClock"/> instead of the real one.
/// </summary>
public sealed class PortalServiceCollection(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;
}
