using Microsoft.Extensions.Configuration;

namespace Pop3Gateway.Host.Configuration;

/// <summary>
/// Where settings come from, lowest precedence first: appsettings.json beside the
/// executable, appsettings.json in the working directory, environment variables
/// <c>POP3GW__Section__Key</c>, then command-line options such as <c>--data</c>.
/// </summary>
public static class GatewayConfiguration
{
    public const string EnvironmentPrefix = "POP3GW__";

    public static void AddSources(IConfigurationBuilder builder, IReadOnlyDictionary<string, string?> overrides)
    {
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        builder.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false);
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        // OpenTelemetry reads its standard OTEL_* variables through configuration, under their own names.
        builder.AddInMemoryCollection(Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("OTEL_", StringComparison.Ordinal))
            .ToDictionary(name => name, name => Environment.GetEnvironmentVariable(name)));
        builder.AddInMemoryCollection(overrides);
    }

    public static IConfiguration Build(IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = new ConfigurationManager();
        AddSources(builder, overrides);
        return builder;
    }
}
