using Microsoft.Extensions.Options;
using Pop3Gateway.Host.Configuration.Cluster;

namespace Pop3Gateway.Host.Configuration.Settings;

/// <summary>Configured cluster certificates name their CA: without it no node could check another.</summary>
internal sealed class ClusterPathsRule : IValidateOptions<ClusterSettings>
{
    public ValidateOptionsResult Validate(string? name, ClusterSettings options) =>
        options.IsConfigured && string.IsNullOrWhiteSpace(options.CaCertificatePath)
            ? ValidateOptionsResult.Fail($"{ClusterSettings.Section}:{nameof(ClusterSettings.CaCertificatePath)} is required once any {ClusterSettings.Section}: path is set")
            : ValidateOptionsResult.Success;
}
