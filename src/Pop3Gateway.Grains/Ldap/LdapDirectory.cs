using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.DirectoryServices.Protocols;
using System.Net;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains.Ldap;

/// <summary>
/// Search-then-bind against LDAP or Active Directory: the service account finds the user's entry (the
/// login escaped into <see cref="LdapOptions.SearchFilter"/>), then a bind as that entry checks the
/// password. Service connections are pooled; each user bind gets a connection of its own. At most
/// <see cref="LdapOptions.PoolSize"/> checks run at once and <see cref="LdapOptions.QueueLength"/> wait;
/// further ones are answered Busy. Certificates are validated by the OpenLDAP client library against
/// <see cref="LdapOptions.CaPath"/> or the system's.
/// </summary>
public sealed partial class LdapDirectory : IPasswordDirectory, IDisposable
{
    /// <summary>LDAP result code invalidCredentials (RFC 4511 appendix A): a wrong password, unknown DN, disabled or locked account.</summary>
    private const int InvalidCredentials = 49;

    /// <summary>Groups read for delegated mailboxes at most: a login never pages through a whole directory.</summary>
    private const int MaxDelegatingGroups = 500;

    private readonly LdapOptions _options;
    private readonly LdapEndpoint _endpoint;
    private readonly string _bindPassword;
    private readonly ILogger<LdapDirectory> _logger;
    private readonly ConcurrentBag<LdapConnection> _idle = [];
    private readonly SemaphoreSlim _slots;
    private readonly BoundedWork _checks;

    public LdapDirectory(LdapOptions options, ILogger<LdapDirectory> logger)
    {
        _options = options;
        _endpoint = LdapEndpoint.From(options);
        _bindPassword = options.BindPasswordFile.Length > 0 ? File.ReadAllText(options.BindPasswordFile).TrimEnd('\r', '\n') : options.BindPassword;
        _logger = logger;
        _slots = new SemaphoreSlim(Math.Max(1, options.PoolSize));
        _checks = new BoundedWork(Math.Max(1, options.PoolSize), Math.Max(0, options.QueueLength), "ldap");
        if (!_endpoint.Ldaps && !_endpoint.StartTls && !IsLoopback(_endpoint.Host))
        {
            CleartextDirectory(logger, _endpoint.Display);
        }
    }

    public bool IsEnabled => true;

    /// <summary>Checks the settings at start, so a mistake stops the silo instead of failing every login.</summary>
    /// <exception cref="InvalidOperationException">A setting cannot work.</exception>
    public static void Validate(LdapOptions options) => LdapEndpoint.Check(options);

    public async Task<DirectoryAnswer> CheckAsync(string login, string password, CancellationToken cancellationToken)
    {
        try
        {
            // The slot is held until the check ends, also when the wait below gives up on it: a directory
            // that hangs fills the line and further logins are refused, instead of taking ever more threads.
            var check = _checks.TryRunAsync(() => Task.Run(() => Check(login, password), cancellationToken));
            var admission = await check.WaitAsync(_options.ConnectTimeout + 3 * _options.OperationTimeout, cancellationToken);
            return admission.Admitted ? admission.Value : DirectoryAnswer.Busy;
        }
        catch (Exception e) when (e is LdapException or DirectoryOperationException or TimeoutException or IOException)
        {
            DirectoryFailed(_logger, e, _endpoint.Display);
            return DirectoryAnswer.Unavailable;
        }
    }

    private DirectoryAnswer Check(string login, string password)
    {
        // RFC 4513 section 5.1.2: a bind with an empty password is an unauthenticated bind, and succeeds.
        if (password.Length == 0)
        {
            return DirectoryAnswer.Failed;
        }
        var user = login.Split('@')[0];
        var filter = LdapFilter.Format(_options.SearchFilter, ("login", login), ("user", user));
        var attributes = new[] { _options.MailboxAttribute, _options.DelegationGroupFilter.Length == 0 ? _options.DelegationAttribute : "" }
            .Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var entries = WithServiceConnection(c => Search(c, _options.SearchBase, SearchScope.Subtree, filter, attributes, 2));
        if (entries.Count != 1)
        {
            if (entries.Count > 1)
            {
                AmbiguousLogin(_logger, login, entries.Count);
            }
            // The same bind a known user costs, as a DN that cannot exist, so both fail in the same time.
            _ = BindAsUser($"cn={Guid.NewGuid():N},{_options.SearchBase}", password);
            return DirectoryAnswer.Failed;
        }
        var entry = entries[0];
        if (!BindAsUser(entry.DistinguishedName, password))
        {
            return DirectoryAnswer.Failed;
        }
        // Tested on the entry alone, after the password: a filter the server cannot evaluate (AD's
        // userAccountControl rule on OpenLDAP) matches nothing, so it disables no one.
        if (_options.DisabledFilter.Length > 0
            && WithServiceConnection(c => Search(c, entry.DistinguishedName, SearchScope.Base, _options.DisabledFilter, [], 1)).Count > 0)
        {
            DisabledEntry(_logger, login);
            return DirectoryAnswer.Failed;
        }

        var mailboxName = _options.MailboxAttribute.Length == 0 ? login : FirstValue(entry, _options.MailboxAttribute);
        if (!MailboxNames.TryNormalize(mailboxName, out var mailbox, out var error))
        {
            BadMailboxName(_logger, entry.DistinguishedName, _options.MailboxAttribute, error);
            return DirectoryAnswer.Failed;
        }
        return new DirectoryAnswer(DirectoryVerdict.Ok, mailbox, Delegated(entry));
    }

    private ImmutableArray<string> Delegated(SearchResultEntry entry)
    {
        if (_options.DelegationAttribute.Length == 0)
        {
            return [];
        }
        IEnumerable<SearchResultEntry> sources = [entry];
        if (_options.DelegationGroupFilter.Length > 0)
        {
            var groups = LdapFilter.Format(_options.DelegationGroupFilter, ("dn", entry.DistinguishedName));
            sources = WithServiceConnection(c => Search(c, _options.SearchBase, SearchScope.Subtree, groups, [_options.DelegationAttribute], MaxDelegatingGroups));
        }
        return [.. sources
            .SelectMany(e => Values(e, _options.DelegationAttribute))
            .Select(v => MailboxNames.TryNormalize(v, out var name, out _) ? name : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <param name="sizeLimit">Entries wanted at most: two tell "exactly one" from "ambiguous".</param>
    private List<SearchResultEntry> Search(
        LdapConnection connection, string searchBase, SearchScope scope, string filter, string[] attributes, int sizeLimit)
    {
        var request = new SearchRequest(searchBase, filter, scope, attributes.Length == 0 ? ["1.1"] : attributes)
        {
            SizeLimit = sizeLimit,
            TimeLimit = _options.OperationTimeout,
        };
        try
        {
            var response = (SearchResponse)connection.SendRequest(request, _options.OperationTimeout);
            return response.Entries.Cast<SearchResultEntry>().ToList();
        }
        catch (DirectoryOperationException e) when (e.Response is SearchResponse { ResultCode: ResultCode.SizeLimitExceeded } partial)
        {
            return partial.Entries.Cast<SearchResultEntry>().ToList();
        }
    }

    /// <summary>True when the password binds as <paramref name="dn"/>; false on invalidCredentials; throws when the server does not answer.</summary>
    private bool BindAsUser(string dn, string password)
    {
        using var connection = _endpoint.Connect(_options);
        try
        {
            connection.Bind(new NetworkCredential(dn, password));
            return true;
        }
        catch (LdapException e) when (e.ErrorCode == InvalidCredentials)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled service connection. A pooled connection that fails is
    /// dropped and the work tried once more on a new one: after a directory restart every pooled
    /// connection is dead, and the first login must not pay for that.
    /// </summary>
    private T WithServiceConnection<T>(Func<LdapConnection, T> work)
    {
        _slots.Wait();
        try
        {
            while (_idle.TryTake(out var pooled))
            {
                try
                {
                    var result = work(pooled);
                    _idle.Add(pooled);
                    return result;
                }
                catch (Exception e) when (e is LdapException or DirectoryOperationException)
                {
                    // A dead TLS session reports itself as a TlsOperationException, a dead socket as an LdapException.
                    pooled.Dispose();
                }
            }
            var connection = BindService();
            try
            {
                var result = work(connection);
                _idle.Add(connection);
                return result;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private LdapConnection BindService()
    {
        var connection = _endpoint.Connect(_options);
        try
        {
            if (_options.BindDn.Length > 0)
            {
                connection.Bind(new NetworkCredential(_options.BindDn, _bindPassword));
            }
            else
            {
                connection.AuthType = AuthType.Anonymous;
                connection.Bind();
            }
            return connection;
        }
        catch (LdapException e) when (e.ErrorCode == InvalidCredentials)
        {
            connection.Dispose();
            // A refused service account is the operator's to fix, never the user's fault.
            throw new LdapException(e.ErrorCode, $"the service account {_options.BindDn} was refused", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static bool IsLoopback(string host) =>
        IPAddress.TryParse(host, out var address) ? IPAddress.IsLoopback(address) : host.Equals("localhost", StringComparison.OrdinalIgnoreCase);

    private static string? FirstValue(SearchResultEntry entry, string attribute) => Values(entry, attribute).FirstOrDefault();

    private static IEnumerable<string> Values(SearchResultEntry entry, string attribute) =>
        entry.Attributes[attribute] is { } values ? values.GetValues(typeof(string)).Cast<string>() : [];

    public void Dispose()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
        _slots.Dispose();
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "The directory {Server} did not answer; logins answer [SYS/TEMP]")]
    private static partial void DirectoryFailed(ILogger logger, Exception exception, string server);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Login {Login} matches {Count} directory entries; refused")]
    private static partial void AmbiguousLogin(ILogger logger, string login, int count);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning,
        Message = "The directory {Server} is reached without TLS: passwords cross the network in the clear; use ldaps:// or Auth:Ldap:StartTls")]
    private static partial void CleartextDirectory(ILogger logger, string server);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Login {Login}: the directory entry matches Auth:Ldap:DisabledFilter; refused")]
    private static partial void DisabledEntry(ILogger logger, string login);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Directory entry {Dn} has no usable mailbox name in {Attribute}: {Error}")]
    private static partial void BadMailboxName(ILogger logger, string dn, string attribute, string error);
}
