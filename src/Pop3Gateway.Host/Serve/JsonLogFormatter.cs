using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Pop3Gateway.Host.Serve;

/// <summary>
/// One JSON object per log event, on one line: <c>timestamp</c> (UTC, ISO 8601), <c>level</c>, <c>category</c>,
/// <c>eventId</c>, <c>eventName</c>, <c>message</c>, <c>exception</c> (one escaped string), the fields a mail operator
/// filters on at the top level when the event or one of its scopes carries them (<c>sessionId</c>,
/// <c>clientAddress</c>, <c>mailbox</c>), and every other structured property under <c>fields</c>.
/// </summary>
internal sealed class JsonLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "pop3gw-json";

    /// <summary>Property names of events and scopes that mean one of the top-level operator fields.</summary>
    private static readonly Dictionary<string, string> OperatorFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SessionId"] = "sessionId",
        ["ConnectionId"] = "sessionId",
        ["ClientAddress"] = "clientAddress",
        ["Client"] = "clientAddress",
        ["Mailbox"] = "mailbox",
    };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        // Log lines are not HTML: keep non-ASCII text and '+' readable; quotes and control characters are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }
        var properties = new Dictionary<string, object?>();
        scopeProvider?.ForEachScope((scope, collected) => Collect(scope, collected), properties);
        Collect(logEntry.State, properties);

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            json.WriteNumber("eventId", logEntry.EventId.Id);
            if (logEntry.EventId.Name is { } eventName)
            {
                json.WriteString("eventName", eventName);
            }
            json.WriteString("message", message);
            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }
            foreach (var name in OperatorFields.Values.Distinct())
            {
                if (properties.Remove(name, out var value) && value is not null)
                {
                    WriteValue(json, name, value);
                }
            }
            if (properties.Count > 0)
            {
                json.WriteStartObject("fields");
                foreach (var (name, value) in properties)
                {
                    WriteValue(json, name, value);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        textWriter.Write(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    /// <summary>Adds the structured properties of an event or a scope; later ones win, but a null never hides a value.</summary>
    private static void Collect(object? state, Dictionary<string, object?> properties)
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            return;
        }
        foreach (var (key, value) in pairs)
        {
            if (key == "{OriginalFormat}" || string.IsNullOrEmpty(key))
            {
                continue;
            }
            var name = OperatorFields.TryGetValue(key, out var field) ? field : JsonNamingPolicy.CamelCase.ConvertName(key);
            if (value is not null || !properties.ContainsKey(name))
            {
                properties[name] = value;
            }
        }
    }

    private static void WriteValue(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null: json.WriteNull(name); break;
            case bool b: json.WriteBoolean(name, b); break;
            case ulong u: json.WriteNumber(name, u); break;
            case int or long or short or byte or uint or ushort or sbyte:
                json.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case double or float or decimal:
                json.WriteNumber(name, Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
            case DateTimeOffset or DateTime:
                json.WriteString(name, ((IFormattable)value).ToString("O", CultureInfo.InvariantCulture)); break;
            case IFormattable formattable: json.WriteString(name, formattable.ToString(null, CultureInfo.InvariantCulture)); break;
            default: json.WriteString(name, value.ToString()); break;
        }
    }
}
