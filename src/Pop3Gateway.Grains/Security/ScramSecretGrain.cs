using System.Security.Cryptography;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Security;

/// <inheritdoc cref="IScramSecretGrain"/>
public sealed class ScramSecretGrain(
    [PersistentState("scram-secret", StorageNames.Mailboxes)] IPersistentState<ScramSecretState> state)
    : Grain, IScramSecretGrain
{
    private const int SecretLength = 32;

    public async Task<byte[]> Get()
    {
        if (state.State.Secret.Length == SecretLength)
        {
            return state.State.Secret;
        }
        // Handed out only once stored: a secret lost with a failed write would change every made-up salt.
        var created = new ScramSecretState { Secret = RandomNumberGenerator.GetBytes(SecretLength) };
        var previous = state.State;
        state.State = created;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            // Another activation may have written one meanwhile: read it again on the next call.
            DeactivateOnIdle();
            throw;
        }
        return created.Secret;
    }
}
