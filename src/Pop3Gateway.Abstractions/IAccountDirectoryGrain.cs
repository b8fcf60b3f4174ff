namespace Pop3Gateway.Abstractions;

/// <summary>The list of all account logins (key: <see cref="DefaultKey"/>), for <c>pop3gw account list</c>.</summary>
[Alias("Pop3Gateway.IAccountDirectoryGrain")]
public interface IAccountDirectoryGrain : IGrainWithStringKey
{
    public const string DefaultKey = "accounts";

    [Alias("Add")] Task Add(string login);

    /// <summary>Adds many logins with one write (bulk import). Idempotent.</summary>
    [Alias("AddMany")] Task AddMany(IReadOnlyList<string> logins);

    [Alias("Remove")] Task Remove(string login);

    [Alias("List")] Task<IReadOnlyList<string>> List();
}
