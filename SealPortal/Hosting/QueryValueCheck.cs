using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.Extensions.Localization;
using SealPortal.Components;
using SealPortal.Resources;

namespace SealPortal.Hosting;

/// <summary>
/// A page's typed query parameters ([SupplyParameterFromQuery] int?, long?, bool, ...) are parsed by
/// the component renderer, which throws on "?seal=x" and turns a mistyped address into a 500. This
/// checks the values against the page's parameter types first and answers 400 with the name of the
/// value it could not read.
/// </summary>
public static class QueryValueCheck
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(string Name, Type Type)>> Parameters = new();

    public static IApplicationBuilder UseQueryValueCheck(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not { } page || context.Request.Query.Count == 0)
            return next(context);
        var parameters = Parameters.GetOrAdd(page.Type, TypedQueryParameters);
        foreach (var (name, values) in context.Request.Query)
        {
            // Names match without regard to case, as the renderer matches them.
            var type = parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Type;
            if (type is null || values.All(v => string.IsNullOrEmpty(v) || CanParse(v!, type)))
                continue;
            var text = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            context.Items[StatusPage.MessageItem] = string.Format(text["The address has a value the page cannot read: {0}."], name);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }
        return next(context);
    });

    private static IReadOnlyList<(string, Type)> TypedQueryParameters(Type component) =>
        component.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<SupplyParameterFromQueryAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Attribute!.Name ?? x.Property.Name, ElementType(x.Property.PropertyType)))
            .Where(x => x.Item2 != typeof(string))
            .ToList();

    private static Type ElementType(Type type)
    {
        var element = type.IsArray ? type.GetElementType()! : type;
        return Nullable.GetUnderlyingType(element) ?? element;
    }

    /// <summary>The types the renderer supports for query parameters, read the way it reads them (invariant culture).</summary>
    private static bool CanParse(string value, Type type)
    {
        var c = CultureInfo.InvariantCulture;
        return type switch
        {
            _ when type == typeof(int) => int.TryParse(value, NumberStyles.Integer, c, out _),
            _ when type == typeof(long) => long.TryParse(value, NumberStyles.Integer, c, out _),
            _ when type == typeof(bool) => bool.TryParse(value, out _),
            _ when type == typeof(double) => double.TryParse(value, NumberStyles.Float, c, out _),
            _ when type == typeof(float) => float.TryParse(value, NumberStyles.Float, c, out _),
            _ when type == typeof(decimal) => decimal.TryParse(value, NumberStyles.Number, c, out _),
            _ when type == typeof(Guid) => Guid.TryParse(value, out _),
            _ when type == typeof(DateTime) => DateTime.TryParse(value, c, DateTimeStyles.None, out _),
            _ when type == typeof(DateOnly) => DateOnly.TryParse(value, c, out _),
            _ when type == typeof(TimeOnly) => TimeOnly.TryParse(value, c, out _),
            _ => true,
        };
    }
}
