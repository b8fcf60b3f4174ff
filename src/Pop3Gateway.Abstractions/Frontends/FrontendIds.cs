namespace Pop3Gateway.Abstractions.Frontends;

/// <summary>Front-end ids: unique per process start, readable as <c>machine/pid/8 hex digits</c>.</summary>
public static class FrontendIds
{
    public static string New() => $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
}
