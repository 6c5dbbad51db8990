namespace SealPortal.Cli;

/// <summary>Minimal option parser: positional values plus --name value pairs and --flags.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public static CliArgs Parse(string[] args, IReadOnlySet<string> flagNames)
    {
        var result = new CliArgs();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var name = a[2..];
                if (flagNames.Contains(name))
                {
                    result._flags.Add(name);
                    continue;
                }
                if (i + 1 >= args.Length)
                    throw new CliUsageException($"option --{name} needs a value");
                if (!result._options.TryGetValue(name, out var list))
                    result._options[name] = list = [];
                list.Add(args[++i]);
            }
            else
            {
                result.Positional.Add(a);
            }
        }
        return result;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Get(string name) => _options.TryGetValue(name, out var l) ? l[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _options.TryGetValue(name, out var l) ? l : [];

    public string Require(string name) => Get(name) ?? throw new CliUsageException($"missing --{name}");
}
