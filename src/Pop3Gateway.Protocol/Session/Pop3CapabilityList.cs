namespace Pop3Gateway.Protocol.Session;

/// <summary>Builds the CAPA reply lines from the capabilities enabled in a given state.</summary>
public static class Pop3CapabilityList
{
    /// <summary>Capabilities enabled by <paramref name="options"/> in <paramref name="state"/>.</summary>
    public static Pop3Capabilities Enabled(Pop3Options options, Pop3State state)
    {
        var capabilities = Pop3Capabilities.Top | Pop3Capabilities.Uidl | Pop3Capabilities.RespCodes
            | Pop3Capabilities.AuthRespCode | Pop3Capabilities.Pipelining | Pop3Capabilities.Implementation;

        // RFC 2449 section 6.2: USER is a pre-login capability.
        if (options.AllowUserPass && state == Pop3State.Authorization)
        {
            capabilities |= Pop3Capabilities.User;
        }

        return capabilities;
    }

    /// <summary>The CAPA lines, in a fixed order.</summary>
    public static IReadOnlyList<string> Lines(Pop3Capabilities capabilities, string implementation)
    {
        var lines = new List<string>(7);
        Add(Pop3Capabilities.Top, "TOP");
        Add(Pop3Capabilities.Uidl, "UIDL");
        Add(Pop3Capabilities.User, "USER");
        Add(Pop3Capabilities.RespCodes, "RESP-CODES");
        Add(Pop3Capabilities.AuthRespCode, "AUTH-RESP-CODE");
        Add(Pop3Capabilities.Pipelining, "PIPELINING");
        Add(Pop3Capabilities.Implementation, "IMPLEMENTATION " + implementation);
        return lines;

        void Add(Pop3Capabilities capability, string line)
        {
            if (capabilities.HasFlag(capability))
            {
                lines.Add(line);
            }
        }
    }
}
