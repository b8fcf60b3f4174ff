using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pop3Gateway.Host.Cli;

/// <summary>
/// The <c>--json</c> output of every listing and show command: one JSON document per command on standard
/// output, camelCase field names, enums as strings, absent values as null. Field names are a stable interface.
/// </summary>
public static class CliJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void Write<T>(TextWriter output, T value) => output.WriteLine(JsonSerializer.Serialize(value, Options));
}
