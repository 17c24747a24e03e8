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
}
