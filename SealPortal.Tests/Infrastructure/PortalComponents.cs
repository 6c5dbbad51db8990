using System.Globalization;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;
using SealPortal.Components.Interactive;
using Microsoft.AspNetCore.Authentication;
using SealPortal.Data;
using SealPortal.Features.Account;

namespace SealPortal.Tests.Infrastructure;

/// <summary>
/// bUnit over a real portal: a component gets the portal's own services (its real database, with
/// the demo company), while MudBlazor, JS interop and the signed-in user are bUnit's. The user is a
/// real demo user: their id, roles and security stamp come from the portal's database, so the
/// circuit's checks (<see cref="CircuitUser"/>) see exactly what a browser's circuit would.
/// </summary>
public sealed class PortalComponents : IAsyncDisposable
{
    private readonly CultureInfo _previousCulture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _previousUiCulture = CultureInfo.CurrentUICulture;

    static PortalComponents()
    {
        // Pages read their data after the first render, through a real database that another test class
        // may be loading at the same time (two cores, PostgreSQL): a one-second wait fails now and then.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
    }

    private PortalComponents(SealPortalFactory portal)
    {
        Portal = portal;
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Context.Services.AddTransient<MudLocalizer, PortalMudLocalizer>();
        Authorization = Context.AddAuthorization();
        Context.Services.AddScoped(sp => new CircuitUser(sp.GetRequiredService<AuthenticationStateProvider>(),
            portal.Services.GetRequiredService<SessionRevocation>(), portal.Services.GetRequiredService<IServiceScopeFactory>()));
        Context.Services.AddFallbackServiceProvider(portal.Services);
    }

    public SealPortalFactory Portal { get; }

    public BunitContext Context { get; } = new();

    public BunitAuthorizationContext Authorization { get; }

    /// <summary>The key of the server-side session the signed-in user holds.</summary>
    public string SessionKey { get; private set; } = "";

    /// <summary>Snackbar messages the component showed so far.</summary>
    public IEnumerable<string> Snackbars => Context.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message ?? "");

    /// <summary>A context signed in as the demo user <paramref name="userName"/>, in <paramref name="culture"/>.</summary>
    public static async Task<PortalComponents> SignedInAsync(SealPortalFactory portal, string userName, string culture = "en")
    {
        var components = new PortalComponents(portal);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"no demo user {userName}");
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
        // A session row as a browser's sign-in makes, so the circuit's checks find it (and a sign-out can end it).
        var store = new SessionStore(portal.Services.GetRequiredService<IServiceScopeFactory>(), portal.Services.GetRequiredService<TimeProvider>());
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(8) }, IdentityConstants.ApplicationScheme);
        components.SessionKey = await store.StoreAsync(ticket);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionRevocation.SessionClaim, components.SessionKey));
        components.Authorization.SetAuthorized(userName);
        components.Authorization.SetRoles(principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray());
        components.Authorization.SetClaims(principal.Claims.Where(c => c.Type is not (ClaimTypes.Name or ClaimTypes.Role)).ToArray());
        return components;
    }

    public IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent =>
        Context.Render<T>(parameters ?? (_ => { }));

    private IRenderedComponent<Bunit.Rendering.ContainerFragment>? _providers;

    /// <summary>
    /// <typeparamref name="T"/> with the providers MainLayout has (popovers, dialogs; rendered once per
    /// context), so its selects open and its dialogs show; the dialogs are in the markup of Root.
    /// </summary>
    public (IRenderedComponent<Bunit.Rendering.ContainerFragment> Root, IRenderedComponent<T> Page) RenderWithDialogs<T>(IReadOnlyDictionary<string, object?>? parameters = null)
        where T : IComponent
    {
        _providers ??= Context.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
        });
        var host = Context.Render(b =>
        {
            b.OpenComponent<T>(0);
            foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
                b.AddComponentParameter(1, name, value);
            b.CloseComponent();
        });
        return (_providers, host.FindComponent<T>());
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        CultureInfo.CurrentCulture = _previousCulture;
        CultureInfo.CurrentUICulture = _previousUiCulture;
    }
}
