namespace Pop3Gateway.Integration.Tests.Infrastructure;

/// <summary>The standard Debian POP3 clients share one server: each of their tests is a whole client run.</summary>
[CollectionDefinition(Name)]
public sealed class DebianClientsCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "Debian clients";
}
