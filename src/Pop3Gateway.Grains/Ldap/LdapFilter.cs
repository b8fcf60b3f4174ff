using System.Text;
using System.Text.RegularExpressions;

namespace Pop3Gateway.Grains.Ldap;

/// <summary>Builds search filters from templates without letting a login change the filter's structure.</summary>
public static partial class LdapFilter
{
    /// <summary>
    /// Escapes an assertion value (RFC 4515 section 3): <c>*</c>, <c>(</c>, <c>)</c>, <c>\</c>, NUL and every
    /// other control character become <c>\XX</c>, so the value can only ever be compared, never parsed.
    /// </summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '*' or '(' or ')' or '\\' || char.IsControl(c))
            {
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    text.Append('\\').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// Replaces each <c>{name}</c> of <paramref name="template"/> with its value, escaped, in one pass (a value
    /// that itself contains <c>{name}</c> stays as it is). Unknown names are left alone.
    /// </summary>
    public static string Format(string template, params (string Name, string Value)[] values) =>
        Placeholder().Replace(template, match =>
            Array.FindIndex(values, v => v.Name == match.Groups[1].Value) is >= 0 and var index ? Escape(values[index].Value) : match.Value);

    [GeneratedRegex(@"\{([a-z]+)\}")]
    private static partial Regex Placeholder();
}
