using System.Text;
using Pop3Gateway.Protocol.Backend;

namespace Pop3Gateway.Protocol.Tests.Support;

/// <summary>An in-memory mailbox with delete marks; each call can be made to fail.</summary>
internal sealed class FakeMaildrop(string name, IReadOnlyList<(string Uidl, string Content)> messages) : IMaildrop
{
    private readonly HashSet<int> _marked = [];

    public string Name { get; } = name;

    /// <summary>Status every following call returns instead of doing its work.</summary>
    public MaildropStatus? FailWith { get; set; }

    public List<string> Calls { get; } = [];

    public int ReleaseCount { get; private set; }

    /// <summary>Message numbers deleted by a successful commit; null until then.</summary>
    public IReadOnlyList<int>? Deleted { get; private set; }

    public Task<MaildropResult<MaildropStat>> StatAsync(CancellationToken cancellationToken)
    {
        Calls.Add("STAT");
        if (FailWith is { } status)
        {
            return Task.FromResult(MaildropResult<MaildropStat>.Fail(status));
        }

        var visible = Visible().ToList();
        return Task.FromResult(MaildropResult<MaildropStat>.Ok(new MaildropStat(visible.Count, visible.Sum(listing => listing.Size))));
    }

    public Task<MaildropResult<MessageListing>> ListAsync(int messageNumber, CancellationToken cancellationToken)
    {
        Calls.Add($"LIST {messageNumber}");
        if ((FailWith ?? Check(messageNumber)) is { } status)
        {
            return Task.FromResult(MaildropResult<MessageListing>.Fail(status));
        }

        return Task.FromResult(MaildropResult<MessageListing>.Ok(Visible().Single(listing => listing.Number == messageNumber)));
    }

    public Task<MaildropResult<MaildropListing>> ListAllAsync(CancellationToken cancellationToken)
    {
        Calls.Add("LIST");
        if (FailWith is { } status)
        {
            return Task.FromResult(MaildropResult<MaildropListing>.Fail(status));
        }

        var visible = Visible().ToList();
        return Task.FromResult(MaildropResult<MaildropListing>.Ok(
            new MaildropListing(visible.Count, visible.Sum(listing => listing.Size), StreamAsync(visible))));
    }

    /// <summary>Listings handed out so far by a streamed listing: shows that lines are made as they are written.</summary>
    public int Streamed { get; private set; }

    /// <summary>After this many listings a streamed listing fails as a lost session would; null: never.</summary>
    public int? LoseSessionAfter { get; set; }

    private async IAsyncEnumerable<MessageListing> StreamAsync(IReadOnlyList<MessageListing> visible)
    {
        foreach (var listing in visible)
        {
            if (Streamed == LoseSessionAfter)
            {
                throw new MaildropException(MaildropStatus.SessionLost);
            }

            await Task.Yield();
            Streamed++;
            yield return listing;
        }
    }

    public Task<MaildropResult<MessageContent>> FetchAsync(int messageNumber, CancellationToken cancellationToken)
    {
        Calls.Add($"FETCH {messageNumber}");
        if ((FailWith ?? Check(messageNumber)) is { } status)
        {
            return Task.FromResult(MaildropResult<MessageContent>.Fail(status));
        }

        var bytes = Encoding.Latin1.GetBytes(messages[messageNumber - 1].Content);
        var content = new MessageContent(bytes.Length, _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false)));
        return Task.FromResult(MaildropResult<MessageContent>.Ok(content));
    }

    public Task<MaildropStatus> DeleteAsync(int messageNumber, CancellationToken cancellationToken)
    {
        Calls.Add($"DELE {messageNumber}");
        var status = FailWith ?? Check(messageNumber);
        if (status is null)
        {
            _marked.Add(messageNumber);
        }

        return Task.FromResult(status ?? MaildropStatus.Ok);
    }

    public Task<MaildropStatus> ResetAsync(CancellationToken cancellationToken)
    {
        Calls.Add("RSET");
        if (FailWith is null)
        {
            _marked.Clear();
        }

        return Task.FromResult(FailWith ?? MaildropStatus.Ok);
    }

    public Task<MaildropStatus> KeepAliveAsync(CancellationToken cancellationToken)
    {
        Calls.Add("NOOP");
        return Task.FromResult(FailWith ?? MaildropStatus.Ok);
    }

    public Task<MaildropResult<int>> CommitAsync(CancellationToken cancellationToken)
    {
        Calls.Add("COMMIT");
        if (FailWith is { } status)
        {
            return Task.FromResult(MaildropResult<int>.Fail(status));
        }

        Deleted = _marked.Order().ToList();
        return Task.FromResult(MaildropResult<int>.Ok(_marked.Count));
    }

    public Task ReleaseAsync()
    {
        Calls.Add("RELEASE");
        ReleaseCount++;
        return Task.CompletedTask;
    }

    private MaildropStatus? Check(int? messageNumber) => messageNumber switch
    {
        null => null,
        < 1 => MaildropStatus.NoSuchMessage,
        var n when n > messages.Count => MaildropStatus.NoSuchMessage,
        var n when _marked.Contains(n.Value) => MaildropStatus.MessageDeleted,
        _ => null,
    };

    private IEnumerable<MessageListing> Visible()
        => messages
            .Select((message, index) => new MessageListing(index + 1, Encoding.Latin1.GetByteCount(message.Content), message.Uidl))
            .Where(listing => !_marked.Contains(listing.Number));
}
