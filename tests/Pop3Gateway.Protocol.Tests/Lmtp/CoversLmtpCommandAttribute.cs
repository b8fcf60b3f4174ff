namespace Pop3Gateway.Protocol.Tests.Lmtp;

/// <summary>Marks a test class or method as testing the named LMTP command; checked by the LMTP coverage guard.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
internal sealed class CoversLmtpCommandAttribute(string verb) : Attribute
{
    public string Verb { get; } = verb;
}
