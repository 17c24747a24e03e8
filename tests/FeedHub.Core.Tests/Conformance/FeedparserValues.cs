using System.Collections;
using System.Globalization;

namespace FeedHub.Core.Tests.Conformance;

/// <summary>A dictionary of feedparser's result, backed by FeedHub's model.</summary>
/// <remarks>
/// A key that was set answers its value (null is Python's None). A key FeedHub keeps but this document lacks
/// raises <see cref="MissingValueException"/> (Python's KeyError). Any other key is about something FeedHub does
/// not keep, and raises <see cref="NotApplicableException"/>.
/// </remarks>
internal sealed class FeedparserObject(string path, IReadOnlySet<string> kept)
{
    private readonly Dictionary<string, Func<object?>> _values = new(StringComparer.Ordinal);

    public string Path { get; } = path;

    public FeedparserObject Set(string key, object? value)
    {
        _values[key] = () => value;
        return this;
    }

    public FeedparserObject SetLazy(string key, Func<object?> value)
    {
        var lazy = new Lazy<object?>(value);
        _values[key] = () => lazy.Value;
        return this;
    }

    public bool Has(string key) => _values.ContainsKey(key);

    public object? Get(string key)
    {
        if (_values.TryGetValue(key, out var value))
        {
            return value();
        }

        if (kept.Contains(key))
        {
            throw new MissingValueException($"{Path}['{key}'] is missing");
        }

        throw new NotApplicableException($"{System.Text.RegularExpressions.Regex.Replace(Path, @"\[\d+\]", "[N]")}['{key}'] not kept");
    }

    public IEnumerable<string> Keys => _values.Keys;
}

/// <summary>
/// A summary, description or content value: FeedHub's sanitised HTML. When the feed gave HTML it equals a string
/// that normalises to the same markup; when the feed gave plain text, feedparser's value is that text, so the
/// string is escaped before comparing. HTML that differs only by FeedHub's deliberate policy (see
/// <see cref="SanitizeDeviations"/>, which needs the <paramref name="Source"/> HTML for one rule) matches as a deviation.
/// </summary>
internal sealed record HtmlValue(string Html, bool FromPlainText = false, string? Source = null)
{
    public bool Matches(string expected) =>
        FromPlainText
            ? HtmlNormalizer.Normalize(Html) == HtmlNormalizer.NormalizeText(expected)
            : HtmlNormalizer.Normalize(Html) == HtmlNormalizer.Normalize(expected) || SanitizeDeviations.MatchesWithDeviations(Html, expected, Source);

    public override string ToString() => Html;
}

/// <summary>
/// A title. Plain-text titles compare as text. HTML titles compare as text too, unless the expected value holds
/// markup or an entity reference: then the title's sanitised HTML is compared as markup.
/// </summary>
internal sealed record TitleValue(string Plain, string Html, bool IsHtml)
{
    public bool Matches(string expected) =>
        IsHtml && (expected.Contains('<', StringComparison.Ordinal) || expected.Contains('&', StringComparison.Ordinal))
            ? HtmlNormalizer.Normalize(Html) == HtmlNormalizer.Normalize(expected) || SanitizeDeviations.MatchesWithDeviations(Html, expected, null)
            : HtmlNormalizer.NormalizeText(Plain) == HtmlNormalizer.NormalizeText(expected);

    public override string ToString() => Plain;
}

/// <summary>A text construct's type: FeedHub keeps text or HTML; XHTML is delivered as HTML.</summary>
internal sealed record TypeValue(bool IsHtml)
{
    public bool Matches(string expected) => IsHtml
        ? expected is "text/html" or "application/xhtml+xml"
        : expected == "text/plain";

    public override string ToString() => IsHtml ? "text/html" : "text/plain";
}

/// <summary>A value that several feedparser spellings mean (rss091u / rss091n, "email (name)" / "name").</summary>
internal sealed record AnyOfValue(IReadOnlyList<string> Accepted)
{
    public override string ToString() => string.Join(" | ", Accepted);
}

/// <summary>An instant, equal to a Python time tuple when its first six fields (UTC) agree.</summary>
internal sealed record DateValue(DateTimeOffset Instant)
{
    public List<object?> Tuple()
    {
        var d = Instant.UtcDateTime;
        return [(long)d.Year, (long)d.Month, (long)d.Day, (long)d.Hour, (long)d.Minute, (long)d.Second, (long)(((int)d.DayOfWeek + 6) % 7), (long)d.DayOfYear, 0L];
    }

    public override string ToString() => Instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

/// <summary>Python semantics for the values of <see cref="FeedparserExpression"/>.</summary>
internal static class FeedparserValues
{
    /// <summary>The plain Python value behind a wrapper.</summary>
    public static object? Resolve(object? value) => value switch
    {
        HtmlValue h => h.Html,
        TitleValue t => t.Plain,
        TypeValue t => t.ToString(),
        AnyOfValue a => a.Accepted[0],
        CaseInsensitiveValue c => c.Value,
        DateValue d => d.Tuple(),
        _ => value,
    };

    public static bool AreEqual(object? left, object? right)
    {
        switch (left, right)
        {
            case (HtmlValue h, string s):
                return h.Matches(s);
            case (string, HtmlValue or TitleValue or TypeValue or AnyOfValue):
                return AreEqual(right, left);
            case (TitleValue t, string s):
                return t.Matches(s);
            case (TypeValue t, string s):
                return t.Matches(s);
            case (AnyOfValue a, string s):
                return a.Accepted.Contains(s, StringComparer.Ordinal);
            case (CaseInsensitiveValue c, string s):
                return string.Equals(c.Value, s, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(c.Value, EncodingNames.FeedHubName(s), StringComparison.OrdinalIgnoreCase);
            case (string, CaseInsensitiveValue):
                return AreEqual(right, left);
            case (DateValue d, IList tuple):
                return tuple.Count >= 6 && d.Tuple().Take(6).Zip(tuple.Cast<object?>().Take(6)).All(p => AreEqual(p.First, p.Second));
            case (IList, DateValue):
                return AreEqual(right, left);
            case (FeedparserObject o, IDictionary<string, object?> d):
                return d.All(kv => o.Has(kv.Key) && AreEqual(o.Get(kv.Key), kv.Value));
            case (IDictionary<string, object?>, FeedparserObject):
                return AreEqual(right, left);
            default:
                break;
        }

        left = Resolve(left);
        right = Resolve(right);
        return (left, right) switch
        {
            (null, null) => true,
            (null, _) or (_, null) => false,
            (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
            (long a, long b) => a == b,
            (long or double, long or double) => Convert.ToDouble(left, CultureInfo.InvariantCulture) == Convert.ToDouble(right, CultureInfo.InvariantCulture),

            // feedparser keeps lengths as strings; FeedHub reads them as numbers.
            (long a, string b) => a.ToString(CultureInfo.InvariantCulture) == b,
            (string a, long b) => b.ToString(CultureInfo.InvariantCulture) == a,
            (bool a, bool b) => a == b,
            (IList a, IList b) => a.Count == b.Count && Enumerable.Range(0, a.Count).All(i => AreEqual(a[i], b[i])),
            _ => Equals(left, right),
        };
    }

    public static object? Index(object? container, object? key)
    {
        switch (container, key)
        {
            case (FeedparserObject o, string name):
                return o.Get(name);
            case (IList list, long index):
                var at = index < 0 ? list.Count + index : index;
                return at >= 0 && at < list.Count ? list[(int)at] : throw new MissingValueException($"index {index} out of range ({list.Count} items)");
            case (IDictionary<string, object?> d, string name):
                return d.TryGetValue(name, out var value) ? value : throw new MissingValueException($"'{name}' is missing");
            case (null, _):
                throw new MissingValueException("subscript of None");
            default:
                var resolved = Resolve(container);
                return ReferenceEquals(resolved, container) ? throw new MissingValueException($"cannot index {container} with {key}") : Index(resolved, key);
        }
    }

    public static object? Get(object? container, object? key, object? fallback)
    {
        try
        {
            return Index(container, key);
        }
        catch (MissingValueException)
        {
            return fallback;
        }
    }

    public static long Length(object? value) => Resolve(value) switch
    {
        string s => s.Length,
        ICollection c => c.Count,
        FeedparserObject o => o.Keys.Count(),
        _ => throw new MissingValueException("len() of a value without length"),
    };

    public static bool Contains(object? container, object? item) => Resolve(container) switch
    {
        string s => Resolve(item) is string part && s.Contains(part, StringComparison.Ordinal),
        IList list => list.Cast<object?>().Any(e => AreEqual(e, item)),
        FeedparserObject o => Resolve(item) is string key && o.Has(key),
        IDictionary<string, object?> d => Resolve(item) is string key && d.ContainsKey(key),
        _ => throw new MissingValueException("'in' on a value that is not a container"),
    };
}
