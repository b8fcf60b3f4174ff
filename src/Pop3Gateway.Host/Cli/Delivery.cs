using Pop3Gateway.Abstractions;

namespace Pop3Gateway.Host.Cli;

/// <summary>
/// Delivers one message: body to the body store first, then the index entry in the
/// mailbox grain. If the index step fails, the body is removed again: never half a delivery.
/// </summary>
public sealed class Delivery(IBodyStore bodies, IMailboxGrain grain, string mailbox)
{
    public async Task<string> DeliverAsync(string file, TextReader stdin)
    {
        var result = await TryDeliverAsync(file, stdin, preservedUidl: null);
        if (result.Status == MailboxStatus.Ok && result.Uidl is { } uidl)
        {
            return uidl;
        }
        var reason = result.Error ?? result.Status.ToString();
        throw result.Status == MailboxStatus.StorageUnavailable
            ? new ClusterUnreachableException($"cannot deliver '{file}': {reason}")
            : new UsageException($"cannot deliver '{file}': {reason}");
    }

    /// <summary>
    /// Delivers and returns the grain's answer; a refusal (quota, duplicate UIDL) is a result, not an
    /// exception. Unreadable input and an unreachable store or cluster still throw.
    /// </summary>
    public async Task<DeliveryResult> TryDeliverAsync(string file, TextReader stdin, string? preservedUidl)
    {
        StoredBody stored;
        await using (var source = file == "-" ? OpenStdin(stdin) : OpenFile(file))
        {
            try
            {
                stored = await bodies.WriteAsync(mailbox, source, CancellationToken.None);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"cannot deliver '{file}': {e.Message}");
            }
            catch (StorageUnavailableException e)
            {
                throw new ClusterUnreachableException($"cannot store '{file}': {e.Message}", e);
            }
        }
        DeliveryResult result;
        try
        {
            result = await AdminCommands.Call(() => grain.Deliver(new DeliveryRequest(stored.BodyId, stored.Size, preservedUidl)));
        }
        catch
        {
            await bodies.DeleteAsync(mailbox, stored.BodyId, CancellationToken.None);
            throw;
        }
        if (result.Status != MailboxStatus.Ok)
        {
            await bodies.DeleteAsync(mailbox, stored.BodyId, CancellationToken.None);
        }
        return result;
    }

    private static Stream OpenStdin(TextReader stdin) =>
        stdin == Console.In ? Console.OpenStandardInput() : new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stdin.ReadToEnd()));

    private static Stream OpenFile(string file)
    {
        try
        {
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read '{file}': {e.Message}");
        }
    }
}
