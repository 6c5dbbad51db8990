using Microsoft.Extensions.Localization;
using SealPortal.Resources;

namespace SealPortal.Features.Requests;

/// <summary>What became of a command; <see cref="CommandResults"/> maps it to an HTTP status and to a message, once each.</summary>
public enum CommandKind
{
    Ok,
    /// <summary>No such request (or document): 404.</summary>
    NotFound,
    /// <summary>The user may not do this: 403.</summary>
    Forbidden,
    /// <summary>The request's state does not allow it now (a second click, a stale page, a decided request): 409.</summary>
    Conflict,
    /// <summary>The input is wrong (a missing field, a bad PDF): 400.</summary>
    Invalid,
    /// <summary>The upload is larger than the limits: 413.</summary>
    TooLarge,
}

/// <summary>
/// The outcome of a request command (every handler in Features/Requests/Commands returns one).
/// <see cref="Message"/> is a resource key (English text) formatted with <see cref="Args"/>; <see cref="Id"/>
/// is the request the command made or changed.
/// </summary>
public sealed record CommandResult(CommandKind Kind, string? Message = null, object[]? Args = null, int? Id = null)
{
    public bool Succeeded => Kind == CommandKind.Ok;

    public static CommandResult Ok(int? id = null) => new(CommandKind.Ok, Id: id);

    public static CommandResult NotFound(string message, params object[] args) => new(CommandKind.NotFound, message, args);

    public static CommandResult Forbidden(string message, params object[] args) => new(CommandKind.Forbidden, message, args);

    public static CommandResult Conflict(string message, params object[] args) => new(CommandKind.Conflict, message, args);

    public static CommandResult Invalid(string message, params object[] args) => new(CommandKind.Invalid, message, args);

    public static CommandResult TooLarge(string message, params object[] args) => new(CommandKind.TooLarge, message, args);

    /// <summary>The message with its arguments in English (for logs and exceptions, not for people).</summary>
    public override string ToString() => Succeeded ? "Ok" : $"{Kind}: {string.Format(System.Globalization.CultureInfo.InvariantCulture, Message ?? "", Args ?? [])}";
}

/// <summary>The one mapping of <see cref="CommandResult"/> to HTTP status codes (endpoints, static pages) and to UI text (components).</summary>
public static class CommandResults
{
    public static int StatusCode(this CommandResult result) => result.Kind switch
    {
        CommandKind.Ok => StatusCodes.Status200OK,
        CommandKind.NotFound => StatusCodes.Status404NotFound,
        CommandKind.Forbidden => StatusCodes.Status403Forbidden,
        CommandKind.Conflict => StatusCodes.Status409Conflict,
        CommandKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>For endpoints: 204 (or 200 with the id) on success, else a problem with the localized message and the status above.</summary>
    public static IResult ToHttpResult(this CommandResult result, IStringLocalizer<SharedResource> localizer) => result.Succeeded
        ? (result.Id is { } id ? Results.Ok(new { id }) : Results.NoContent())
        : Results.Problem(detail: result.Describe(localizer), statusCode: result.StatusCode());

    /// <summary>The localized text for people; on success null.</summary>
    public static string? Describe(this CommandResult result, IStringLocalizer localizer) =>
        result.Succeeded ? null : localizer[result.Message ?? "Could not be done", result.Args ?? []].Value;
}
