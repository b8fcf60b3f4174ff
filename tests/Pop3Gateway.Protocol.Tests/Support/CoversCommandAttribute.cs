namespace Pop3Gateway.Protocol.Tests.Support;

/// <summary>Marks a test class or method as testing the named POP3 command; checked by the coverage guard.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
internal sealed class CoversCommandAttribute(string keyword) : Attribute
{
    public string Keyword { get; } = keyword;
}
