using Pop3Gateway.Abstractions;
using Pop3Gateway.Abstractions.Storage;

namespace Pop3Gateway.Grains.Addresses;

/// <summary>One recipient address and the account it belongs to. Storage failures surface as StorageUnavailable.</summary>
public sealed class AddressGrain(
    [PersistentState("address", StorageNames.Mailboxes)] IPersistentState<AddressState> state)
    : Grain, IAddressGrain
{
    public Task<AddressTarget?> Resolve() => Task.FromResult(
        state.State.Login.Length == 0 ? null : new AddressTarget(state.State.Login, state.State.Mailbox));

    public async Task<AdminResult> Claim(string login, string mailbox)
    {
        if (state.State.Login == login && state.State.Mailbox == mailbox)
        {
            return AdminResult.Success;
        }
        if (state.State.Login.Length > 0 && state.State.Login != login)
        {
            return new AdminResult(AdminStatus.AlreadyExists,
                $"address '{this.GetPrimaryKeyString()}' already belongs to account '{state.State.Login}'");
        }
        return await TryWrite(new AddressState { Login = login, Mailbox = mailbox });
    }

    public async Task<AdminResult> Release(string login) =>
        state.State.Login == login ? await TryWrite(new AddressState()) : AdminResult.Success;

    private async Task<AdminResult> TryWrite(AddressState next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
            // Claims and releases are provisioning: the next delivery reads the record again, an import does not
            // keep one activation per address.
            DeactivateOnIdle();
            return AdminResult.Success;
        }
        catch (Exception e)
        {
            state.State = previous;
            DeactivateOnIdle();
            return new AdminResult(AdminStatus.StorageUnavailable, e.Message);
        }
    }
}
