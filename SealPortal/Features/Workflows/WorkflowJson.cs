using System.Text.Json;
using System.Text.Json.Serialization;

namespace SealPortal.Features.Workflows;

/// <summary>
/// How stored templates and conditions are serialized. Enums by name, so a stored template stays readable
/// and survives reordering of an enum.
/// </summary>
public static class WorkflowJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"The stored {typeof(T).Name} is empty.");
}
