using System.Text;

namespace FeedHub.Storage;

/// <summary>
/// Turns what a reader types into an FTS5 query that cannot be a syntax error: every word or
/// "quoted phrase" becomes a quoted FTS5 string (so AND, OR, NEAR, ^, : and quotes lose their
/// meaning), a trailing '*' keeps prefix search. Matching is accent- and case-insensitive through
/// the index's tokenizer.
/// </summary>
public static class FullTextQuery
{
    /// <summary>Every term must match (q=). Null when the text has no searchable term.</summary>
    public static string? AllOf(string text) => Join(Terms(text), " AND ");

    /// <summary>Any term matches (exclude=); commas separate terms as well as spaces. Null when empty.</summary>
    public static string? AnyOf(string text) => Join(Terms(text.Replace(',', ' ')), " OR ");

    private static string? Join(List<string> terms, string separator) => terms.Count == 0 ? null : string.Join(separator, terms);

    private static List<string> Terms(string text)
    {
        text = Separators(text);
        var terms = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            string raw;
            if (text[i] == '"')
            {
                var close = text.IndexOf('"', i + 1);
                var end = close < 0 ? text.Length : close;
                raw = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '"')
                {
                    i++;
                }

                raw = text[start..i];
            }

            var prefix = raw.EndsWith('*') && raw.Length > 1;
            var words = raw.TrimEnd('*');
            if (!words.Any(char.IsLetterOrDigit))
            {
                continue;
            }

            var quoted = new StringBuilder("\"").Append(words.Replace("\"", string.Empty, StringComparison.Ordinal)).Append('"');
            terms.Add(prefix ? quoted.Append('*').ToString() : quoted.ToString());
        }

        return terms;
    }

    /// <summary>
    /// Control characters (U+0000 among them, which ends an FTS5 string early and made the query a syntax
    /// error) and lone surrogates (which have no UTF-8 form) separate words, like a space.
    /// </summary>
    private static string Separators(string text)
    {
        StringBuilder? clean = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var separator = char.IsControl(c) || (char.IsSurrogate(c) && !pair);
            if (separator)
            {
                clean ??= new StringBuilder(text, 0, i, text.Length);
                clean.Append(' ');
                continue;
            }

            clean?.Append(c);
            if (pair)
            {
                clean?.Append(text[i + 1]);
                i++;
            }
        }

        return clean?.ToString() ?? text;
    }
}
