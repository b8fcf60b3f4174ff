namespace Pop3Gateway.Frontend.Proxy;

/// <summary>
/// A connection feature set by <see cref="ProxyProtocolMiddleware"/> when the PROXY header named no client
/// (v2 <c>LOCAL</c>, v1 <c>UNKNOWN</c>): the remote end point is the proxy's, and the connection is never trusted.
/// </summary>
public sealed class ProxiedClient
{
    public static ProxiedClient AddressUnknown { get; } = new();

    private ProxiedClient()
    {
    }
}
