namespace Pop3Gateway.Host.Management;

/// <summary>The operator page, an embedded HTML file that polls <c>/api/status</c>.</summary>
public static class OperatorPage
{
    public static readonly string Html = Load();

    private static string Load()
    {
        using var stream = typeof(OperatorPage).Assembly.GetManifestResourceStream("operator.html")
            ?? throw new InvalidOperationException("operator.html is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
