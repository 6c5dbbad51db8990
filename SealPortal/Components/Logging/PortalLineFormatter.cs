using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace SealPortal.Components.Logging;

/// <summary>
/// The Development console format: one line per event with time, level, category and message, and
/// nothing else. Scopes (request id, connection id, trace id, ...) made the framework's lines about
/// 300 characters long before the message began; the JSON format in Production keeps what tools need.
/// An exception follows its line, indented, because a stack trace is the one thing worth several lines.
/// The time is the wall clock, not the portal's TimeProvider: a log line says when it was written.
/// </summary>
public sealed class PortalLineFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "line";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
            return;
        var line = $"{DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss.fff} {Level(logEntry.LogLevel)} {logEntry.Category}: {OneLine(message)}";
        textWriter.Write(line);
        textWriter.Write(Environment.NewLine);
        if (logEntry.Exception is { } exception)
        {
            foreach (var part in exception.ToString().Split('\n'))
                textWriter.Write("    " + part.TrimEnd('\r') + Environment.NewLine);
        }
    }

    /// <summary>Four letters, as the framework's own formatters print them, so columns line up.</summary>
    public static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    // A message with a newline (an SQL command, a multi-line value) would otherwise look like two events.
    private static string OneLine(string message) =>
        message.Contains('\n') ? message.Replace("\r\n", " ⏎ ").Replace('\n', ' ') : message;
}
