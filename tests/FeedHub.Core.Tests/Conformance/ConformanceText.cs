using System.Text;
using FeedHub.Core.Model;
using FeedHub.Core.Parsing;
using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Conformance;

/// <summary>Comparison helpers shared by the corpus tests.</summary>
internal static class ConformanceText
{
    /// <summary>Reads a JSON or text file that should be UTF-8 but is sometimes in Latin-1 (rss-parser's encoding.json).</summary>
    public static string ReadText(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    /// <summary>A title as a reader sees it: markup dropped, entities decoded, white space collapsed.</summary>
    public static string? PlainTitle(FeedText? title) =>
        title is null ? null : NullIfEmpty(TextCleaner.ToPlainText(title));

    /// <summary>An expected title (which may hold escaped markup) reduced the same way as ours.</summary>
    public static string? PlainTitle(string? expected) =>
        expected is null ? null : PlainTitle(XmlText.LooksLikeHtml(expected) ? FeedText.Html(expected) : FeedText.Plain(expected));

    /// <summary>
    /// Equal texts, where a U+FFFD in the expected text (the other parser decoded Latin-1 bytes as UTF-8:
    /// uolNoticias.rss declares no encoding and is ISO-8859-1) stands for any one character of ours.
    /// </summary>
    public static bool SameTextAllowingMojibake(string? expected, string? actual)
    {
        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            return true;
        }

        if (expected is null || actual is null || expected.Length != actual.Length || !expected.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] != '\uFFFD' && expected[i] != actual[i])
            {
                return false;
            }
        }

        return true;
    }

    public static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Shows a value in a failure message: quoted, or (null).</summary>
    public static string Show(object? value) => value switch
    {
        null => "(null)",
        string s => "'" + (s.Length > 200 ? s[..200] + "…" : s) + "'",
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(null)",
    };

    /// <summary>Truncates to whole seconds, in UTC.</summary>
    public static DateTimeOffset? ToSecond(DateTimeOffset? value) =>
        value is { } d ? new DateTimeOffset(d.UtcTicks - (d.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero) : null;
}
