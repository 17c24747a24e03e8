using System.Globalization;
using System.Text;
using FeedHub.Configuration;
using FeedHub.Publishing.Partners;
using FeedHub.Storage;

namespace FeedHub.Publishing.Rendering;

/// <summary>
/// The query parameters of a feed URL, validated: limit, q, since, source, exclude, before (the RFC 5005
/// page cursor) and key. <see cref="Canonical"/> writes them back in one fixed order, so equal
/// requests share one cache entry and links (self, next) are stable.
/// </summary>
public sealed record FeedQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public const int MaxSearchLength = 500;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "limit", "q", "since", "source", "exclude", "before", "key" };

    private static readonly string[] SinceFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];

    public int Limit { get; init; } = DefaultLimit;

    /// <summary>What the reader searched for, as typed (null: no search).</summary>
    public string? Search { get; init; }

    public DateTimeOffset? Since { get; init; }

    /// <summary>Source ids, sorted (null: every source).</summary>
    public IReadOnlyList<string>? Sources { get; init; }

    /// <summary>Words to exclude, as typed (null: none).</summary>
    public string? Exclude { get; init; }

    public ItemCursor? Before { get; init; }

    /// <summary>The key, when the reader put it in the URL (so that next links keep working for it).</summary>
    public string? Key { get; init; }

    /// <summary>
    /// Reads and validates the query for a caller; <paramref name="error"/> names the bad parameter. A source the
    /// caller may not see is answered exactly as an unknown one.
    /// </summary>
    public static FeedQuery? Parse(IQueryCollection query, Catalog catalog, Caller caller, out string? error)
    {
        error = null;
        foreach (var (name, values) in query)
        {
            if (!Known.Contains(name))
            {
                error = $"unknown query parameter '{name}' (known: limit, q, since, source, exclude, before, key)";
                return null;
            }

            if (name != "source" && values.Count > 1)
            {
                error = $"parameter '{name}' is given more than once";
                return null;
            }
        }

        var result = new FeedQuery();
        if (query.TryGetValue("limit", out var limitText))
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > MaxLimit)
            {
                error = $"bad value for parameter 'limit': '{limitText}' (use 1 … {MaxLimit})";
                return null;
            }

            result = result with { Limit = limit };
        }

        if (query.TryGetValue("q", out var q))
        {
            var text = q.ToString().Trim();
            if (text.Length > MaxSearchLength || FullTextQuery.AllOf(text) is null)
            {
                error = text.Length > MaxSearchLength
                    ? $"bad value for parameter 'q': longer than {MaxSearchLength} characters"
                    : $"bad value for parameter 'q': '{q}' has no word to search for";
                return null;
            }

            result = result with { Search = text };
        }

        if (query.TryGetValue("exclude", out var exclude))
        {
            var text = exclude.ToString().Trim();
            if (text.Length > MaxSearchLength || FullTextQuery.AnyOf(text) is null)
            {
                error = $"bad value for parameter 'exclude': '{exclude}' has no word to exclude (use words separated by spaces or commas)";
                return null;
            }

            result = result with { Exclude = text };
        }

        if (query.TryGetValue("since", out var sinceText))
        {
            // A '+' of a time zone arrives as a space when the URL was typed without encoding it.
            var value = sinceText.ToString().Trim().Replace(' ', '+');
            if (!DateTimeOffset.TryParseExact(value, SinceFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var since))
            {
                error = $"bad value for parameter 'since': '{sinceText}' is not an ISO 8601 date or date-time (e.g. 2026-01-15 or 2026-01-15T08:00:00Z)";
                return null;
            }

            result = result with { Since = since };
        }

        if (query.TryGetValue("source", out var sourceValues))
        {
            var ids = sourceValues.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (ids.Count == 0)
            {
                error = "bad value for parameter 'source': empty (use source ids, separated by commas)";
                return null;
            }

            var unknown = ids.FirstOrDefault(id => catalog.FindSource(id) is not { } source || !FeedAccess.CanSeeSource(catalog, caller, source));
            if (unknown is not null)
            {
                error = $"bad value for parameter 'source': '{unknown}' is not a configured source";
                return null;
            }

            result = result with { Sources = ids };
        }

        if (query.TryGetValue("before", out var beforeText))
        {
            if (ParseCursor(beforeText.ToString()) is not { } cursor)
            {
                error = $"bad value for parameter 'before': '{beforeText}' is not a page cursor (follow the feed's rel=\"next\" link)";
                return null;
            }

            result = result with { Before = cursor };
        }

        if (query.TryGetValue("key", out var key))
        {
            result = result with { Key = key.ToString() };
        }

        return result;
    }

    /// <summary>The storage filter for this query on <paramref name="categories"/>.</summary>
    public FeedFilter ToFilter(IReadOnlyList<string> categories) => new(categories, Limit)
    {
        Before = Before,
        Since = Since,
        Sources = Sources,
        Match = Search is null ? null : FullTextQuery.AllOf(Search),
        Exclude = Exclude is null ? null : FullTextQuery.AnyOf(Exclude),
    };

    /// <summary>
    /// The query string (with '?', or empty) in canonical order, optionally at another page. The key is
    /// kept only when the reader put it in the URL itself.
    /// </summary>
    public string Canonical(ItemCursor? page) => Build(page);

    /// <summary>True when any parameter other than the key narrows or pages the feed (a one-off document).</summary>
    public bool IsFiltered => Search is not null || Exclude is not null || Sources is not null || Since is not null || Limit != DefaultLimit || Before is not null;

    private string Build(ItemCursor? page)
    {
        var parameters = new List<KeyValuePair<string, string?>>();
        if (Search is not null)
        {
            parameters.Add(new("q", Search));
        }

        if (Exclude is not null)
        {
            parameters.Add(new("exclude", Exclude));
        }

        if (Sources is not null)
        {
            parameters.Add(new("source", string.Join(',', Sources)));
        }

        if (Since is { } since)
        {
            parameters.Add(new("since", since.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        }

        if (Limit != DefaultLimit)
        {
            parameters.Add(new("limit", Limit.ToString(CultureInfo.InvariantCulture)));
        }

        if (page is not null)
        {
            parameters.Add(new("before", FormatCursor(page)));
        }

        if (Key is not null)
        {
            parameters.Add(new("key", Key));
        }

        return parameters.Count == 0 ? string.Empty : QueryString.Create(parameters).ToUriComponent();
    }

    /// <summary>A cursor as it appears in URLs: milliseconds of the item's date, a dot, the item's number.</summary>
    public static string FormatCursor(ItemCursor cursor) =>
        new StringBuilder().Append(cursor.PublishedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
            .Append('.').Append(cursor.ItemId.ToString(CultureInfo.InvariantCulture)).ToString();

    public static ItemCursor? ParseCursor(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !long.TryParse(text.AsSpan(0, dot), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
            || !long.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || ms < -62_135_596_800_000 || ms > 253_402_300_799_999)
        {
            return null;
        }

        return new ItemCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), id);
    }
}
