using System.Reflection;
using System.Text.RegularExpressions;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Architecture;

/// <summary>
/// Pdf/ and Workflow/ are engines: they must not know ASP.NET Core, EF Core or the portal's
/// data model, so they stay testable and reusable on their own. Checked in the sources (any
/// mention, with file and line) and in the compiled types' signatures (which also catches a
/// name that came in through the web SDK's implicit global usings).
/// </summary>
public sealed partial class EngineBoundaryTests
{
    private static readonly string[] EngineFolders = ["Pdf", "Workflow"];
    private static readonly string[] ForbiddenNamespaces = ["Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "SealPortal.Data"];

    [GeneratedRegex(@"\b(Microsoft\.AspNetCore|Microsoft\.EntityFrameworkCore|SealPortal\.Data)\b")]
    private static partial Regex ForbiddenName();

    [Fact]
    public void Engine_sources_name_no_web_database_or_data_model_namespace()
    {
        var root = Path.Combine(PdfTestKit.RepoRoot, "SealPortal");
        var sources = EngineFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .ToList();
        Assert.True(sources.Count > 20, $"only {sources.Count} engine sources found under {root}");

        var offences = new List<string>();
        foreach (var file in sources)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (ForbiddenName().Match(lines[i]) is { Success: true } m)
                    offences.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {m.Value} in \"{lines[i].Trim()}\"");
            }
        }
        Assert.True(offences.Count == 0, "the engines must not use these names:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void Engine_types_expose_no_web_database_or_data_model_type()
    {
        var engineTypes = typeof(SealPortal.Pdf.Signing.PdfSigner).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && (ns.StartsWith("SealPortal.Pdf", StringComparison.Ordinal) || ns.StartsWith("SealPortal.Workflow", StringComparison.Ordinal)))
            .ToList();
        Assert.Contains(engineTypes, t => t.Namespace!.StartsWith("SealPortal.Workflow", StringComparison.Ordinal));

        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var offences = new List<string>();
        foreach (var type in engineTypes)
        {
            var used = new List<(string Where, Type Used)>();
            if (type.BaseType is { } b) used.Add(("base type", b));
            used.AddRange(type.GetInterfaces().Select(i => ("interface", i)));
            used.AddRange(type.GetFields(all).Select(f => ($"field {f.Name}", f.FieldType)));
            used.AddRange(type.GetProperties(all).Select(p => ($"property {p.Name}", p.PropertyType)));
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (method is MethodInfo mi) used.Add(($"{method.Name} returns", mi.ReturnType));
                used.AddRange(method.GetParameters().Select(p => ($"{method.Name}({p.Name})", p.ParameterType)));
            }
            foreach (var (where, t) in used)
            {
                foreach (var part in Flatten(t))
                {
                    if (part.Namespace is { } ns && ForbiddenNamespaces.Any(f => ns == f || ns.StartsWith(f + ".", StringComparison.Ordinal)))
                        offences.Add($"{type.FullName}: {where}: {part.FullName}");
                }
            }
        }
        Assert.True(offences.Count == 0, "engine types use forbidden types:\n" + string.Join("\n", offences.Distinct()));
    }

    private static IEnumerable<Type> Flatten(Type t)
    {
        if (t.HasElementType)
        {
            foreach (var e in Flatten(t.GetElementType()!))
                yield return e;
            yield break;
        }
        yield return t;
        if (t.IsGenericType)
        {
            foreach (var e in t.GetGenericArguments().SelectMany(Flatten))
                yield return e;
        }
    }
}
