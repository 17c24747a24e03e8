namespace FeedHub.Storage;

/// <summary>A source as configured, for syncing the database with the config.</summary>
public sealed record SourceDefinition(string Id, string Url, bool Enabled, IReadOnlyList<string> Categories);

/// <summary>Everything FeedHub knows about fetching one source; survives restarts.</summary>
public sealed record SourceState
{
    public required string Id { get; init; }

    /// <summary>The URL as configured.</summary>
    public required string Url { get; init; }

    /// <summary>The URL fetched now: the configured one, or where a permanent redirect moved it.</summary>
    public required string CurrentUrl { get; init; }

    public bool Configured { get; init; } = true;

    public bool Enabled { get; init; } = true;

    public string? Title { get; init; }

    public string? HomePage { get; init; }

    public string? ETag { get; init; }

    public string? LastModified { get; init; }

    /// <summary>Hash of the last body stored, to skip unchanged bodies from servers that ignore validators.</summary>
    public string? BodyHash { get; init; }

    public DateTimeOffset? LastFetchedAt { get; init; }

    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>Ok, NotModified or Error (stored as ok, not-modified, error).</summary>
    public FetchOutcome? LastStatus { get; init; }

    public string? LastError { get; init; }

    public FetchErrorClass? ErrorClass { get; init; }

    /// <summary>Problems the last successful fetch worked around (recovered XML, duplicates ...), or null.</summary>
    public string? LastWarning { get; init; }

    public int ConsecutiveFailures { get; init; }

    public DateTimeOffset? FailingSince { get; init; }

    public DateTimeOffset? NextFetchAt { get; init; }

    /// <summary>Why the next fetch is when it is: start, schedule, backoff, retry-after, feed-ttl.</summary>
    public NextFetchReason? NextFetchReason { get; init; }

    /// <summary>The permanent redirect target seen on recent fetches, and how many fetches in a row.</summary>
    public string? RedirectTarget { get; init; }

    public int RedirectCount { get; init; }

    /// <summary>Why FeedHub stopped fetching the source (e.g. 410 Gone), or null.</summary>
    public string? DisabledReason { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The node that held the source's lease when the state was read (null: none). A fetch's state is saved only while
    /// the lease is still the one read: a node whose lease expired and was taken over cannot overwrite newer state.
    /// </summary>
    public string? LeaseOwner { get; init; }

    /// <summary>The node (FeedHub:NodeName) that saved the last fetch of the source.</summary>
    public string? LastFetchedBy { get; init; }

    /// <summary>True when the scheduler should fetch the source at all.</summary>
    public bool IsActive => Configured && Enabled && DisabledReason is null;
}

/// <summary>A source with its item count, for listings.</summary>
public sealed record SourceSummary(SourceState State, long ItemCount);
