using System.Buffers;
using Microsoft.Extensions.Logging;
using Pop3Gateway.Protocol.IO;
using Pop3Gateway.Protocol.Session;

namespace Pop3Gateway.Frontend.Pop3;

/// <summary>
/// The protocol log of one connection (<see cref="Pop3ServerOptions.ProtocolLog"/>): every command line
/// and every reply's status line, with PASS and AUTH payloads redacted. Made only when the log is on.
/// </summary>
internal sealed class ProtocolLog(ILogger logger, string connectionId)
{
    public void Client(FrameStatus status, ReadOnlySequence<byte> line, bool inSaslExchange) =>
        FrontendLog.ProtocolClient(logger, connectionId,
            status == FrameStatus.TooLong ? "(line too long)" : Pop3LogText.ForLog(line, inSaslExchange));

    public void Server(Pop3Reply reply) =>
        FrontendLog.ProtocolServer(logger, connectionId,
            reply.IsContinuation ? "+ " + Pop3LogText.Redacted : (reply.IsOk ? "+OK " : "-ERR ") + reply.Text);
}
