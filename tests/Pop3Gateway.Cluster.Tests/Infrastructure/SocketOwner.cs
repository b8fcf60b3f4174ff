using System.Net;

namespace Pop3Gateway.Cluster.Tests.Infrastructure;

/// <summary>Which local process holds the other end of a loopback TCP connection, found in /proc as <c>ss -p</c> finds it.</summary>
public static class SocketOwner
{
    /// <summary>Whether process <paramref name="pid"/> holds the TCP socket bound to <paramref name="endpoint"/> (IPv4).</summary>
    public static bool IsHeldBy(IPEndPoint endpoint, int pid)
    {
        if (InodeOf(endpoint) is not { } inode)
        {
            return false;
        }
        var socket = $"socket:[{inode}]";
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget == socket);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The inode of the socket bound to the endpoint, from /proc/net/tcp (addresses in little-endian hex; inode in the tenth field).</summary>
    private static string? InodeOf(IPEndPoint endpoint)
    {
        var local = $"{string.Concat(endpoint.Address.MapToIPv4().GetAddressBytes().Reverse().Select(b => b.ToString("X2")))}:{endpoint.Port:X4}";
        return File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 9 && fields[1] == local && fields[9] != "0")
            .Select(fields => fields[9])
            .FirstOrDefault();
    }
}
