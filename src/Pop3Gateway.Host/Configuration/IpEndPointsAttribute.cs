using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Pop3Gateway.Host.Configuration;

/// <summary>A list of <c>address:port</c> endpoints: an IP address (not a host name) and a port 1-65535 each.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IpEndPointsAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is null || (value is string[] endpoints && endpoints.All(IsEndPoint));

    public override string FormatErrorMessage(string name) => $"{name} is not a list of address:port endpoints";

    /// <summary>Parses one endpoint that <see cref="IsValid"/> accepted.</summary>
    public static IPEndPoint Parse(string endpoint) =>
        IsEndPoint(endpoint) ? IPEndPoint.Parse(endpoint.Trim())
            : throw new InvalidOperationException($"Invalid configuration: '{endpoint}' is not an address:port endpoint");

    private static bool IsEndPoint(string endpoint) =>
        IPEndPoint.TryParse(endpoint.Trim(), out var parsed) && parsed.Port > 0;
}
