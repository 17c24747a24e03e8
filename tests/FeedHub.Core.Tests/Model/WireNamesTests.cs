using System.Text.Json;
using FeedHub.Core.Model;

namespace FeedHub.Core.Tests.Model;

/// <summary>
/// The wire names of the fetch state are stored in the database and documented (README: /sources, metrics, logs):
/// every value has exactly one, no two values share one, and each reads back as the value it came from.
/// </summary>
public class WireNamesTests
{
    [Fact]
    public void OutcomesHaveTheirDocumentedNames() => AssertTable(
        FetchStateNames.Outcomes,
        [(FetchOutcome.Ok, "ok"), (FetchOutcome.NotModified, "not-modified"), (FetchOutcome.Unchanged, "unchanged"), (FetchOutcome.Error, "error"), (FetchOutcome.Skipped, "skipped")]);

    [Fact]
    public void ReasonsHaveTheirDocumentedNames() => AssertTable(
        FetchStateNames.Reasons,
        [(NextFetchReason.Start, "start"), (NextFetchReason.Schedule, "schedule"), (NextFetchReason.Backoff, "backoff"), (NextFetchReason.RetryAfter, "retry-after"), (NextFetchReason.FeedTtl, "feed-ttl")]);

    [Fact]
    public void ErrorClassesHaveTheirDocumentedNames() => AssertTable(
        FetchStateNames.ErrorClasses,
        [
            (FetchErrorClass.None, "none"), (FetchErrorClass.Timeout, "timeout"), (FetchErrorClass.TooLarge, "too-large"),
            (FetchErrorClass.Http4xx, "http-4xx"), (FetchErrorClass.Http5xx, "http-5xx"), (FetchErrorClass.RateLimited, "rate-limited"),
            (FetchErrorClass.Gone, "gone"), (FetchErrorClass.Malformed, "malformed"), (FetchErrorClass.BlockedAddress, "blocked-address"),
            (FetchErrorClass.RedirectLoop, "redirect-loop"), (FetchErrorClass.Network, "network"),
        ]);

    [Fact]
    public void EnumsWriteTheirWireNamesAsJson()
    {
        var json = JsonSerializer.Serialize(new { Status = FetchOutcome.NotModified, Reason = (NextFetchReason?)NextFetchReason.RetryAfter, ErrorClass = FetchErrorClass.Http4xx });

        Assert.Equal("""{"Status":"not-modified","Reason":"retry-after","ErrorClass":"http-4xx"}""", json);
        Assert.Equal(NextFetchReason.FeedTtl, JsonSerializer.Deserialize<NextFetchReason>("\"feed-ttl\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<FetchOutcome>("\"Ok\""));
    }

    [Fact]
    public void ATableMissingAValueOrNamingOneTwiceIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new WireNames<FetchOutcome>((FetchOutcome.Ok, "ok")));
        Assert.Throws<ArgumentException>(() => new WireNames<NextFetchReason>(
            (NextFetchReason.Start, "start"), (NextFetchReason.Schedule, "start"), (NextFetchReason.Backoff, "backoff"), (NextFetchReason.RetryAfter, "retry-after"), (NextFetchReason.FeedTtl, "feed-ttl")));
    }

    [Fact]
    public void AnUnknownOrMissingNameReadsAsNull()
    {
        Assert.Null(FetchStateNames.Reasons.Find("later"));
        Assert.Null(FetchStateNames.Reasons.Find(null));
        Assert.Null(FetchStateNames.Outcomes.Find("OK"));
    }

    private static void AssertTable<TEnum>(WireNames<TEnum> table, (TEnum Value, string Name)[] documented)
        where TEnum : struct, Enum
    {
        Assert.Equal(Enum.GetValues<TEnum>().Order(), table.Values.Order());
        Assert.Equal(documented.Length, documented.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count());
        foreach (var (value, name) in documented)
        {
            Assert.Equal(name, table.NameOf(value));
            Assert.Equal(value, table.Find(table.NameOf(value)));
        }

        Assert.Equal(Enum.GetValues<TEnum>().Length, documented.Length);
    }
}
