using System.DirectoryServices.Protocols;

namespace Pop3Gateway.Grains.Ldap;

/// <summary>Where the directory is and how to reach it safely: host, port, LDAPS or StartTLS, and the CA certificates to trust.</summary>
internal sealed record LdapEndpoint(string Host, int Port, bool Ldaps, bool StartTls, string? CaDirectory)
{
    private const int LdapPort = 389;
    private const int LdapsPort = 636;

    /// <summary>StartTLS refused as "operations pending" is asked again this many times in all.</summary>
    private const int StartTlsAttempts = 3;

    public string Display => $"{(Ldaps ? "ldaps" : "ldap")}://{Host}:{Port}";

    /// <summary>The endpoint of valid settings; a CA file is copied into a directory of its own.</summary>
    /// <exception cref="InvalidOperationException">The settings cannot work (see <see cref="Check"/>).</exception>
    public static LdapEndpoint From(LdapOptions options)
    {
        var url = Check(options);
        var ldaps = url.Scheme == "ldaps";
        return new LdapEndpoint(url.Host, url.IsDefaultPort ? (ldaps ? LdapsPort : LdapPort) : url.Port, ldaps, options.StartTls,
            PrivateCaDirectory(options.CaPath));
    }

    /// <summary>Checks the settings without changing anything or reaching the server; returns the parsed URL.</summary>
    /// <exception cref="InvalidOperationException">No URL, StartTLS on LDAPS, no search base, a CA path that does not exist.</exception>
    public static Uri Check(LdapOptions options)
    {
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("ldap" or "ldaps") || url.Host.Length == 0)
        {
            throw new InvalidOperationException($"Auth:Ldap:Url '{options.Url}' must be ldap://HOST[:PORT] or ldaps://HOST[:PORT]");
        }
        var ldaps = url.Scheme == "ldaps";
        if (ldaps && options.StartTls)
        {
            throw new InvalidOperationException("Auth:Ldap:StartTls applies to ldap:// URLs; ldaps:// is TLS already");
        }
        if (options.SearchBase.Length == 0)
        {
            throw new InvalidOperationException("Auth:Ldap:SearchBase is required");
        }
        if (options.CaPath.Length > 0 && !Directory.Exists(options.CaPath) && !File.Exists(options.CaPath))
        {
            throw new InvalidOperationException($"Auth:Ldap:CaPath '{options.CaPath}' is neither a file nor a directory");
        }
        if (options.BindPasswordFile.Length > 0 && !File.Exists(options.BindPasswordFile))
        {
            throw new InvalidOperationException($"Auth:Ldap:BindPasswordFile '{options.BindPasswordFile}' does not exist");
        }
        return url;
    }

    /// <summary>A connection with TLS set up as configured, not yet bound.</summary>
    public LdapConnection Connect(LdapOptions options)
    {
        var connection = new LdapConnection(new LdapDirectoryIdentifier(Host, Port, fullyQualifiedDnsHostName: false, connectionless: false))
        {
            AuthType = AuthType.Basic,
            Timeout = options.OperationTimeout,
        };
        try
        {
            var session = connection.SessionOptions;
            session.ProtocolVersion = 3;
            // Active Directory answers searches of a domain root with referrals; following them could leave loopback.
            session.ReferralChasing = ReferralChasingOptions.None;
            if (CaDirectory is not null && !OperatingSystem.IsWindows())
            {
                session.TrustedCertificatesDirectory = CaDirectory;
                session.StartNewTlsSessionContext();
            }
            if (Ldaps)
            {
                session.SecureSocketLayer = true;
            }
            if (StartTls)
            {
                Open(connection);
                NegotiateTls(session);
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// On Linux the connection is opened by the first request, and StartTLS on a connection not yet open
    /// fails ("server unavailable"). An anonymous read of the root DSE opens it without sending a secret;
    /// a server that refuses the read has answered, which is all that is needed.
    /// </summary>
    private static void Open(LdapConnection connection)
    {
        try
        {
            connection.SendRequest(new SearchRequest("", "(objectClass=*)", SearchScope.Base, "1.1"));
        }
        catch (DirectoryOperationException)
        {
        }
    }

    /// <summary>
    /// slapd retires an operation just after sending its result, and refuses StartTLS with operationsError
    /// while one is still pending (RFC 4511 section 4.14.1): the root DSE read can still count. The refusal
    /// leaves the connection as it was, so StartTLS is asked again. A failed handshake is an LdapException
    /// and is not retried.
    /// </summary>
    private static void NegotiateTls(LdapSessionOptions session)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                session.StartTransportLayerSecurity(null);
                return;
            }
            catch (DirectoryOperationException) when (attempt < StartTlsAttempts)
            {
            }
        }
    }

    /// <summary>
    /// The OpenLDAP client library reads CA certificates from a directory; a single PEM file is given one of
    /// its own, private to this process.
    /// </summary>
    private static string? PrivateCaDirectory(string caPath)
    {
        if (caPath.Length == 0)
        {
            return null;
        }
        if (Directory.Exists(caPath))
        {
            return Path.GetFullPath(caPath);
        }
        var directory = Directory.CreateTempSubdirectory("pop3gw-ldap-ca-").FullName;
        File.Copy(caPath, Path.Combine(directory, "ca.pem"));
        return directory;
    }
}
