using Pop3Gateway.Protocol.Sasl;

namespace Pop3Gateway.Protocol.Session;

/// <summary>Builds the CAPA reply lines from the capabilities enabled in a given state.</summary>
public static class Pop3CapabilityList
{
    /// <summary>Capabilities enabled by <paramref name="options"/> in <paramref name="state"/> on a connection that is not (yet) TLS.</summary>
    public static Pop3Capabilities Enabled(Pop3Options options, Pop3State state) => Enabled(options, state, options.IsTls);

    /// <summary>Capabilities enabled by <paramref name="options"/> in <paramref name="state"/>; <paramref name="isTls"/> after STLS too.</summary>
    public static Pop3Capabilities Enabled(Pop3Options options, Pop3State state, bool isTls)
    {
        var capabilities = Pop3Capabilities.Top | Pop3Capabilities.Uidl | Pop3Capabilities.RespCodes
            | Pop3Capabilities.AuthRespCode | Pop3Capabilities.Pipelining | Pop3Capabilities.Implementation;
        if (state != Pop3State.Authorization)
        {
            return capabilities;
        }

        // RFC 2449 section 6.2, RFC 2595 section 4, RFC 5034 section 5, RFC 6856 section 2: pre-login capabilities.
        var cleartext = isTls || options.AllowCleartextAuth;
        capabilities |= Pop3Capabilities.Utf8;
        if (options.OfferScram)
        {
            capabilities |= Pop3Capabilities.Sasl;
        }
        if (cleartext)
        {
            capabilities |= Pop3Capabilities.User | Pop3Capabilities.SaslCleartext;
        }

        if (options.StlsAvailable && !isTls)
        {
            capabilities |= Pop3Capabilities.Stls;
        }

        return capabilities;
    }

    /// <summary>The CAPA lines, in a fixed order.</summary>
    public static IReadOnlyList<string> Lines(Pop3Capabilities capabilities, string implementation)
    {
        var lines = new List<string>(11);
        Add(Pop3Capabilities.Top, "TOP");
        Add(Pop3Capabilities.Uidl, "UIDL");
        Add(Pop3Capabilities.User, "USER");
        if (capabilities.HasFlag(Pop3Capabilities.Sasl) || capabilities.HasFlag(Pop3Capabilities.SaslCleartext))
        {
            lines.Add("SASL " + string.Join(' ', SaslMechanisms.Advertised(
                capabilities.HasFlag(Pop3Capabilities.SaslCleartext), capabilities.HasFlag(Pop3Capabilities.Sasl))));
        }
        Add(Pop3Capabilities.Stls, "STLS");
        Add(Pop3Capabilities.Utf8, "UTF8 USER");
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
