using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Pop3Gateway.Abstractions.Configuration;

/// <summary>A TCP port, 1-65535; with <see cref="ZeroTurnsOff"/>, 0 too (the listener is off).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PortAttribute : ValidationAttribute
{
    public bool ZeroTurnsOff { get; init; }

    public override bool IsValid(object? value) =>
        value is int port && port <= IPEndPoint.MaxPort && (port > 0 || (port == 0 && ZeroTurnsOff));

    public override string FormatErrorMessage(string name) =>
        ZeroTurnsOff ? $"{name} is not a port (1-65535, or 0 for off)" : $"{name} is not a port (1-65535)";
}

/// <summary>A duration or count that must be more than zero.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PositiveAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value switch
    {
        TimeSpan span => span > TimeSpan.Zero,
        int number => number > 0,
        long number => number > 0,
        _ => value is null,
    };

    public override string FormatErrorMessage(string name) => $"{name} must be more than zero";
}

/// <summary>A duration or count that may be zero (it then means "none" or "off") but not negative.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotNegativeAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value switch
    {
        TimeSpan span => span >= TimeSpan.Zero,
        int number => number >= 0,
        long number => number >= 0,
        _ => value is null,
    };

    public override string FormatErrorMessage(string name) => $"{name} must not be negative";
}

/// <summary>An IPv4 or IPv6 address (not a host name).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IpAddressAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is string text && IPAddress.TryParse(text, out _);

    public override string FormatErrorMessage(string name) => $"{name} is not an IP address";
}
