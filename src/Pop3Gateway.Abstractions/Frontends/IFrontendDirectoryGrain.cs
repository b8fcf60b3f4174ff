namespace Pop3Gateway.Abstractions.Frontends;

/// <summary>
/// The front-ends seen lately (key: <see cref="DefaultKey"/>), so that <c>pop3gw who</c> can ask each of them.
/// One grain: front-ends are few. In memory only: front-end grains register again every
/// <see cref="SessionLivenessOptions.FrontendLease"/>, so a lost directory fills again within that time.
/// </summary>
[Alias("Pop3Gateway.IFrontendDirectoryGrain")]
public interface IFrontendDirectoryGrain : IGrainWithStringKey
{
    public const string DefaultKey = "frontends";

    [Alias("Register")] Task Register(string frontendId);

    /// <summary>The front-ends registered lately; admin only.</summary>
    [Alias("List")] Task<IReadOnlyList<string>> List();
}
