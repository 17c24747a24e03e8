using System.Text.Json.Serialization;

namespace FeedHub.Core.Model;

/// <summary>What one refresh of a source came to.</summary>
[JsonConverter(typeof(FetchOutcomeJsonConverter))]
public enum FetchOutcome
{
    /// <summary>A body was fetched, parsed and stored.</summary>
    Ok,

    /// <summary>Nothing new: HTTP 304, or the same body again (stored as this; see <see cref="Unchanged"/>).</summary>
    NotModified,

    /// <summary>The same body again without a 304: a label of metrics and the fetch log only, never a source's status.</summary>
    Unchanged,

    /// <summary>The fetch failed; the error class says how.</summary>
    Error,

    /// <summary>Not fetched (not configured, or not due): recorded nowhere.</summary>
    Skipped,
}

/// <summary>Why a source's next fetch is when it is.</summary>
[JsonConverter(typeof(NextFetchReasonJsonConverter))]
public enum NextFetchReason
{
    /// <summary>Added, changed, re-enabled, or the service started: fetch now.</summary>
    Start,

    Schedule,

    /// <summary>Exponential back-off after failures.</summary>
    Backoff,

    /// <summary>The server's Retry-After.</summary>
    RetryAfter,

    /// <summary>The feed's ttl, sy:updatePeriod or Cache-Control asked for a longer interval.</summary>
    FeedTtl,
}

/// <summary>What went wrong with a fetch, in words an operator can filter on (wire names: <see cref="FetchStateNames"/>).</summary>
[JsonConverter(typeof(FetchErrorClassJsonConverter))]
public enum FetchErrorClass
{
    None,
    Timeout,
    TooLarge,
    Http4xx,
    Http5xx,
    RateLimited,
    Gone,
    Malformed,
    BlockedAddress,
    RedirectLoop,
    Network,
}

/// <summary>
/// The name tables of the fetch state enums (<see cref="FetchOutcome"/>, <see cref="NextFetchReason"/> and
/// <see cref="FetchErrorClass"/>): the only place their wire names are spelled.
/// </summary>
public static class FetchStateNames
{
    public static readonly WireNames<FetchOutcome> Outcomes = new(
        (FetchOutcome.Ok, "ok"),
        (FetchOutcome.NotModified, "not-modified"),
        (FetchOutcome.Unchanged, "unchanged"),
        (FetchOutcome.Error, "error"),
        (FetchOutcome.Skipped, "skipped"));

    public static readonly WireNames<NextFetchReason> Reasons = new(
        (NextFetchReason.Start, "start"),
        (NextFetchReason.Schedule, "schedule"),
        (NextFetchReason.Backoff, "backoff"),
        (NextFetchReason.RetryAfter, "retry-after"),
        (NextFetchReason.FeedTtl, "feed-ttl"));

    public static readonly WireNames<FetchErrorClass> ErrorClasses = new(
        (FetchErrorClass.None, "none"),
        (FetchErrorClass.Timeout, "timeout"),
        (FetchErrorClass.TooLarge, "too-large"),
        (FetchErrorClass.Http4xx, "http-4xx"),
        (FetchErrorClass.Http5xx, "http-5xx"),
        (FetchErrorClass.RateLimited, "rate-limited"),
        (FetchErrorClass.Gone, "gone"),
        (FetchErrorClass.Malformed, "malformed"),
        (FetchErrorClass.BlockedAddress, "blocked-address"),
        (FetchErrorClass.RedirectLoop, "redirect-loop"),
        (FetchErrorClass.Network, "network"));

    /// <summary>The wire name: ok, not-modified, unchanged, error, skipped.</summary>
    public static string ToName(this FetchOutcome outcome) => Outcomes.NameOf(outcome);

    /// <summary>The wire name: start, schedule, backoff, retry-after, feed-ttl.</summary>
    public static string ToName(this NextFetchReason reason) => Reasons.NameOf(reason);

    /// <summary>The wire name: timeout, too-large, http-4xx, http-5xx, rate-limited, gone, malformed, blocked-address, redirect-loop, network (none when there was no error).</summary>
    public static string ToName(this FetchErrorClass errorClass) => ErrorClasses.NameOf(errorClass);
}

/// <summary>JSON as wire names (ok, not-modified …).</summary>
public sealed class FetchOutcomeJsonConverter() : WireNameJsonConverter<FetchOutcome>(FetchStateNames.Outcomes);

/// <summary>JSON as wire names (start, schedule …).</summary>
public sealed class NextFetchReasonJsonConverter() : WireNameJsonConverter<NextFetchReason>(FetchStateNames.Reasons);

/// <summary>JSON as wire names (timeout, http-4xx …).</summary>
public sealed class FetchErrorClassJsonConverter() : WireNameJsonConverter<FetchErrorClass>(FetchStateNames.ErrorClasses);
