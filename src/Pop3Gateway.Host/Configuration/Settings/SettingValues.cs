using Microsoft.Extensions.Configuration;

namespace Pop3Gateway.Host.Configuration.Settings;

/// <summary>What a setting's type accepts, in words, and whether a configured value converts to it.</summary>
internal static class SettingValues
{
    /// <summary>Whether the configuration binder converts the value at <paramref name="path"/> to <paramref name="type"/> (an enum: to a named member).</summary>
    public static bool TryConvert(IConfiguration configuration, string path, Type type)
    {
        try
        {
            var value = configuration.GetValue(type, path);
            var enumType = Nullable.GetUnderlyingType(type) ?? type;
            return value is null || !enumType.IsEnum || Enum.IsDefined(enumType, value);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>E.g. <c>a whole number</c>, <c>a duration (hh:mm:ss)</c>, <c>one of Exclusive, Takeover</c>.</summary>
    public static string Describe(Type type, bool article)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return $"one of {string.Join(", ", Enum.GetNames(type))}";
        }
        var (noun, indefinite) = Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => ("true or false", ""),
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 => ("whole number", "a "),
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => ("number", "a "),
            TypeCode.String => ("string", "a "),
            _ when type == typeof(TimeSpan) => ("duration ([d.]hh:mm:ss[.fff])", "a "),
            _ => (type.Name, "a "),
        };
        return article ? indefinite + noun : noun;
    }
}
