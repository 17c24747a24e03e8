using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Npgsql;

namespace FeedHub.Storage.Postgres;

/// <summary>
/// Cross-node invalidation over PostgreSQL: a change is sent as <c>NOTIFY feedhub_changes</c> with a JSON payload (from
/// a pooled connection, in the background, changes waiting merged into one), and the other nodes' changes are heard
/// on a dedicated connection that LISTENs. A payload must stay under PostgreSQL's 8000 bytes: a large change is split
/// into several messages, and one whose single entry cannot fit is sent as "everything changed". When the listening
/// connection is lost it is opened again with back-off, and the handler is told that anything may have changed
/// (<see cref="IClusterChangeHandler.ListeningAsync"/>): messages sent during the gap were lost.
/// </summary>
public sealed class PostgresChangeChannel : IClusterChanges
{
    /// <summary>The channel every node listens on.</summary>
    public const string ChannelName = "feedhub_changes";

    /// <summary>The longest payload sent, in bytes: PostgreSQL refuses 8000 or more.</summary>
    public const int MaxPayloadBytes = 7900;

    /// <summary>Entries (categories and sources) waiting to be sent above which they are sent as "everything changed".</summary>
    public const int MaxPendingEntries = 10_000;

    /// <summary>What <see cref="NpgsqlConnectionStringBuilder.ApplicationName"/> the listening connection shows in <c>pg_stat_activity</c>.</summary>
    public const string ListenerApplicationName = "FeedHub listener";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    private readonly PostgresDatabase _database;
    private readonly string _listenConnectionString;
    private readonly TimeProvider _timeProvider;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Lock _pendingLock = new();
    private readonly HashSet<string> _pendingCategories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset?> _pendingNextFetches = new(StringComparer.Ordinal);
    private bool _pendingEverything;

    public PostgresChangeChannel(PostgresDatabase database, TimeProvider timeProvider)
    {
        _database = database;
        _timeProvider = timeProvider;

        // Its own connection, not a pooled one: it is held for as long as the node runs, and one the server dropped
        // must not go back to a pool.
        _listenConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, ApplicationName = ListenerApplicationName }.ConnectionString;
    }

    /// <summary>This node's mark on its messages (random per process), so that it ignores its own.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N")[..16];

    /// <summary>The first wait before trying again after a failure; it doubles up to <see cref="MaxRetry"/>.</summary>
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before trying again.</summary>
    public TimeSpan MaxRetry { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After this long without a message, the listening connection is checked with a query (a dead link is not always noticed otherwise).</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(30);

    public void Publish(ClusterChange change)
    {
        lock (_pendingLock)
        {
            Merge(change);
        }

        _wake.Writer.TryWrite(true);
    }

    public Task RunAsync(IClusterChangeHandler handler, CancellationToken cancellationToken) =>
        Task.WhenAll(SendAsync(handler, cancellationToken), ListenAsync(handler, cancellationToken));

    /// <summary>
    /// The payloads that tell <paramref name="change"/>, each at most <paramref name="maxBytes"/> bytes (UTF-8): as
    /// many as its categories and sources need, or a single "everything changed" when one entry alone does not fit.
    /// </summary>
    public static IReadOnlyList<string> Encode(string origin, ClusterChange change, int maxBytes = MaxPayloadBytes)
    {
        var everything = JsonSerializer.Serialize(new Message(origin, null, null, true), Json);
        if (change.Everything)
        {
            return [everything];
        }

        // Sizes as serialized (non-ASCII escaped), each counted with a separator: a part never exceeds the bound.
        var overhead = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(new Message(origin, [], [], false), Json));
        var payloads = new List<string>();
        var categories = new List<string>();
        var nextFetches = new Dictionary<string, long?>(StringComparer.Ordinal);
        var size = overhead;

        void Flush()
        {
            payloads.Add(JsonSerializer.Serialize(new Message(origin, categories.Count > 0 ? [.. categories] : null, nextFetches.Count > 0 ? new(nextFetches) : null, false), Json));
            categories.Clear();
            nextFetches.Clear();
            size = overhead;
        }

        bool Fits(int bytes)
        {
            if (overhead + bytes > maxBytes)
            {
                return false;
            }

            if (size + bytes > maxBytes)
            {
                Flush();
            }

            size += bytes;
            return true;
        }

        foreach (var category in change.Categories)
        {
            if (!Fits(Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(category, Json)) + 1))
            {
                return [everything];
            }

            categories.Add(category);
        }

        foreach (var (sourceId, nextFetchAt) in change.NextFetches)
        {
            var at = UnixTime.ToMs(nextFetchAt);
            if (!Fits(Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(sourceId, Json)) + 2 + (at?.ToString(System.Globalization.CultureInfo.InvariantCulture).Length ?? 4)))
            {
                return [everything];
            }

            nextFetches[sourceId] = at;
        }

        if (categories.Count > 0 || nextFetches.Count > 0)
        {
            Flush();
        }

        return payloads;
    }

    /// <summary>A payload read back: who sent it and what it says; one that cannot be read says everything changed.</summary>
    public static (string? Origin, ClusterChange Change) Decode(string payload)
    {
        try
        {
            var message = JsonSerializer.Deserialize<Message>(payload, Json);
            if (message is null)
            {
                return (null, ClusterChange.All);
            }

            if (message.Everything)
            {
                return (message.Origin, ClusterChange.All);
            }

            var nextFetches = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
            foreach (var (sourceId, at) in message.NextFetches ?? [])
            {
                nextFetches[sourceId] = UnixTime.FromMs(at);
            }

            return (message.Origin, new ClusterChange(message.Categories ?? [], nextFetches));
        }
        catch (JsonException)
        {
            // A message this version cannot read (a newer FeedHub's?): assume the worst.
            return (null, ClusterChange.All);
        }
    }

    private void Merge(ClusterChange change)
    {
        if (change.Everything || _pendingEverything)
        {
            _pendingEverything = true;
            _pendingCategories.Clear();
            _pendingNextFetches.Clear();
            return;
        }

        _pendingCategories.UnionWith(change.Categories);
        foreach (var (sourceId, nextFetchAt) in change.NextFetches)
        {
            _pendingNextFetches[sourceId] = nextFetchAt;
        }

        // Many changes waiting (the database was unreachable a long time): the others will reload everything instead.
        if (_pendingCategories.Count + _pendingNextFetches.Count > MaxPendingEntries)
        {
            Merge(ClusterChange.All);
        }
    }

    private ClusterChange? TakePending()
    {
        lock (_pendingLock)
        {
            if (!_pendingEverything && _pendingCategories.Count == 0 && _pendingNextFetches.Count == 0)
            {
                return null;
            }

            var change = _pendingEverything
                ? ClusterChange.All
                : new ClusterChange([.. _pendingCategories], new Dictionary<string, DateTimeOffset?>(_pendingNextFetches, StringComparer.Ordinal));
            _pendingEverything = false;
            _pendingCategories.Clear();
            _pendingNextFetches.Clear();
            return change;
        }
    }

    private async Task SendAsync(IClusterChangeHandler handler, CancellationToken cancellationToken)
    {
        const string notify = "SELECT pg_notify(@Channel, @Payload)";
        var retry = FirstRetry;
        try
        {
            while (await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                while (TakePending() is { } change)
                {
                    try
                    {
                        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
                        foreach (var payload in Encode(Origin, change))
                        {
                            await connection.ExecuteAsync(new CommandDefinition(notify, new { Channel = ChannelName, Payload = payload }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                        }

                        retry = FirstRetry;
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Kept, merged with what comes meanwhile, and sent again: a message sent twice does no harm.
                        lock (_pendingLock)
                        {
                            Merge(change);
                        }

                        handler.Faulted(e, retry);
                        await Task.Delay(retry, _timeProvider, cancellationToken).ConfigureAwait(false);
                        retry = Min(retry * 2, MaxRetry);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ListenAsync(IClusterChangeHandler handler, CancellationToken cancellationToken)
    {
        const string listen = "LISTEN " + ChannelName;
        const string ping = "SELECT 1";
        var heard = false;
        var retry = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var received = new Queue<ClusterChange>();
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                connection.Notification += (_, e) =>
                {
                    var (origin, change) = Decode(e.Payload);
                    if (origin != Origin)
                    {
                        received.Enqueue(change);
                    }
                };
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(listen, cancellationToken: cancellationToken)).ConfigureAwait(false);
                retry = FirstRetry;
                await handler.ListeningAsync(resumed: heard, cancellationToken).ConfigureAwait(false);
                heard = true;
                while (true)
                {
                    if (!await connection.WaitAsync(Heartbeat, cancellationToken).ConfigureAwait(false))
                    {
                        await connection.ExecuteAsync(new CommandDefinition(ping, cancellationToken: cancellationToken)).ConfigureAwait(false);
                    }

                    // Notifications are raised inside WaitAsync (and any command): handed over once it returns.
                    while (received.TryDequeue(out var change))
                    {
                        await handler.ReceivedAsync(change, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                handler.Faulted(e, retry);
                try
                {
                    await Task.Delay(retry, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = Min(retry * 2, MaxRetry);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>A message as sent: short names, every byte counts.</summary>
    private sealed record Message(
        [property: JsonPropertyName("o")] string? Origin,
        [property: JsonPropertyName("c")] string[]? Categories,
        [property: JsonPropertyName("s")] Dictionary<string, long?>? NextFetches,
        [property: JsonPropertyName("a")] bool Everything);
}
