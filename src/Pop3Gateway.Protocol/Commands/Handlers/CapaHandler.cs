using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Protocol.Commands.Handlers;

/// <summary>CAPA (RFC 2449 section 5): the list differs before and after login.</summary>
internal static class CapaHandler
{
    public static Task<CommandResult> HandleAsync(Pop3SessionContext context, Pop3Command command, CancellationToken cancellationToken)
    {
        var capabilities = Pop3CapabilityList.Enabled(context.Options, context.State, context.IsTls);
        var lines = Pop3CapabilityList.Lines(capabilities, context.Options.Implementation);
        return Task.FromResult(CommandResult.Success(Pop3Replies.CapaFollows with { Lines = lines }));
    }
}
