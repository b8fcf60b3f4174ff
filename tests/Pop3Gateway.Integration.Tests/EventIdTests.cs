using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Pop3Gateway.Integration.Tests;

/// <summary>Operators filter logs by event id (docs/troubleshooting.md): each id names one event in the whole product.</summary>
public sealed class EventIdTests
{
    [Fact]
    public void LoggerMessages_AllAssemblies_EveryEventIdUsedOnce()
    {
        var events = ProductAssemblies()
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .ToList();

        var reused = events.GroupBy(e => e.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();

        Assert.True(events.Count > 50, $"found only {events.Count} logged events: the scan is broken");
        Assert.True(reused.Count == 0, "event ids used more than once:\n" + string.Join("\n", reused));
    }

    private static IEnumerable<Assembly> ProductAssemblies() =>
        new[] { "pop3gw", "Pop3Gateway.Protocol", "Pop3Gateway.Abstractions", "Pop3Gateway.Grains", "Pop3Gateway.Storage", "Pop3Gateway.Frontend" }
            .Select(name => Assembly.Load(name));
}
