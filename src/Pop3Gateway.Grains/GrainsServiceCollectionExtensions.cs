using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pop3Gateway.Grains.Accounts;
using Pop3Gateway.Grains.Ldap;
using Pop3Gateway.Grains.Security;

namespace Pop3Gateway.Grains;

/// <summary>Services the grains of this assembly need besides grain storage and the body store.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>Adds the clock the grains use for leases and timestamps and the password-hashing slots, unless registered already.</summary>
    public static IServiceCollection AddPop3Grains(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPasswordDirectory>(NoPasswordDirectory.Instance);
        services.TryAddSingleton<ScramSecretCache>();
        services.AddOptions<GrainsOptions>();
        services.TryAddSingleton<PasswordWork>();
        return services;
    }
}
