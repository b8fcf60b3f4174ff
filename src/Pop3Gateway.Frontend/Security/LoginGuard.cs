using Microsoft.Extensions.Logging;
using Pop3Gateway.Abstractions.Security;
using Pop3Gateway.Frontend.Telemetry;
using Pop3Gateway.Protocol.Backend;

namespace Pop3Gateway.Frontend.Security;

/// <summary>
/// The brute-force defence for one connection: refuses a banned address, delays every failed
/// login (per address and per account, the longer of the two), and never slows a success.
/// The counters live in <see cref="ILoginThrottleGrain"/>s, so all front-ends share them.
/// A ban check is answered from the front-end's recent verdicts (<see cref="BanVerdicts"/>) when one is young
/// enough, and every counted failure brings a fresh one. A successful login resets the account's delay in
/// the account grain (<see cref="Abstractions.LoginTarget.Throttled"/>), without a call from here.
/// </summary>
/// <param name="clientAddress">The client's address, for logs.</param>
/// <param name="addressGroup">What the address counts under (<see cref="ConnectionSecurity.AddressGroup"/>: an IPv6 client's /64).</param>
/// <param name="throttled">False for a client in <c>Security:TrustedNetworks</c>.</param>
public sealed class LoginGuard(
    IGrainFactory grains, ConnectionSecurity security, string clientAddress, string addressGroup, bool throttled, TimeProvider time, ILogger logger)
{
    public string ClientAddress { get; } = clientAddress;

    private ILoginThrottleGrain AddressGrain => grains.GetGrain<ILoginThrottleGrain>(ILoginThrottleGrain.ForAddress(addressGroup));

    /// <summary>Whether the client's address is banned right now.</summary>
    public async Task<bool> IsBannedAsync(CancellationToken cancellationToken)
    {
        if (!throttled)
        {
            return false;
        }
        if (security.Verdicts.TryGetBanned(addressGroup) is { } banned)
        {
            return banned;
        }

        try
        {
            var status = await AddressGrain.Check(security.Policy).WaitAsync(cancellationToken);
            Learn(status);
            return status.BannedUntil is not null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The throttle is a defence, not a dependency: without it, logins go on undelayed.
            FrontendLog.ClusterCallFailed(logger, "login throttle", e);
            return false;
        }
    }

    /// <summary>Counts a failed login, waits the delay it earned, and says how to answer it.</summary>
    public async Task<LoginFailure> FailedAsync(string login, CancellationToken cancellationToken)
    {
        if (!throttled)
        {
            return LoginFailure.Credentials;
        }

        ThrottleStatus byAddress, byAccount;
        try
        {
            var address = AddressGrain.RecordFailure(security.Policy);
            var account = grains.GetGrain<ILoginThrottleGrain>(ILoginThrottleGrain.ForAccount(login)).RecordFailure(security.Policy);
            byAddress = await address.WaitAsync(cancellationToken);
            byAccount = await account.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            FrontendLog.ClusterCallFailed(logger, "login throttle", e);
            return LoginFailure.Credentials;
        }

        Learn(byAddress);
        var delay = byAddress.Delay > byAccount.Delay ? byAddress.Delay : byAccount.Delay;
        FrontendLog.LoginFailed(logger, ClientAddress, login, (long)delay.TotalMilliseconds, byAddress.BannedUntil);
        if (delay > TimeSpan.Zero)
        {
            FrontendTelemetry.SecurityDelays.Add(1);
        }
        if (byAddress.BannedUntil is not null)
        {
            FrontendTelemetry.SecurityBans.Add(1);
        }
        await Task.Delay(delay, time, cancellationToken);
        return byAddress.BannedUntil is null ? LoginFailure.Credentials : LoginFailure.Blocked;
    }

    private void Learn(ThrottleStatus status) => security.Verdicts.Learn(addressGroup, status.BannedUntil);
}
