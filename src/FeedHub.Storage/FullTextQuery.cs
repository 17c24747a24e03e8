using System.Text;

namespace FeedHub.Storage;

/// <summary>
/// Turns what a reader types into an FTS5 query that cannot be a syntax error: every word or
/// "quoted phrase" becomes a quoted FTS5 string (so AND, OR, NEAR, ^, : and quotes lose their
/// meaning), a trailing '*' keeps prefix search. Matching is accent- and case-insensitive through
/// the index's tokenizer. On PostgreSQL the same query is matched as a tsquery (<see cref="ToTsQuery"/>).
/// </summary>
public static class FullTextQuery
{
    /// <summary>Every term must match (q=). Null when the text has no searchable term.</summary>
    public static string? AllOf(string text) => Join(Terms(text), " AND ");

    /// <summary>Any term matches (exclude=); commas separate terms as well as spaces. Null when empty.</summary>
    public static string? AnyOf(string text) => Join(Terms(text.Replace(',', ' ')), " OR ");

    /// <summary>
    /// The query (as <see cref="AllOf"/> or <see cref="AnyOf"/> made it) as the text of a PostgreSQL tsquery with the same
    /// meaning, for <c>to_tsquery('simple', unaccent(…))</c>: each term a quoted operand (PostgreSQL's parser splits it
    /// into words as it split the indexed text, a phrase of several words; quotes, operators and punctuation inside are
    /// plain text), a prefix term's last word <c>:*</c>, terms joined by <c>&amp;</c> (AND) or <c>|</c> (OR). Accents and
    /// case are dropped by <c>unaccent</c> and the <c>simple</c> configuration, as by the indexed text's.
    /// </summary>
    public static string ToTsQuery(string query)
    {
        var tsQuery = new StringBuilder();
        var i = 0;
        while (i < query.Length)
        {
            if (query[i] == '"')
            {
                var close = query.IndexOf('"', i + 1);
                var words = query[(i + 1)..close];
                i = close + 1;
                var prefix = i < query.Length && query[i] == '*';
                i += prefix ? 1 : 0;
                AppendTerm(tsQuery, words, prefix);
            }
            else if (query.AsSpan(i).StartsWith(" AND ", StringComparison.Ordinal))
            {
                tsQuery.Append(" & ");
                i += 5;
            }
            else if (query.AsSpan(i).StartsWith(" OR ", StringComparison.Ordinal))
            {
                tsQuery.Append(" | ");
                i += 4;
            }
            else
            {
                i++;
            }
        }

        return tsQuery.ToString();
    }

    /// <summary>A term as tsquery operands: the whole phrase quoted, or for a prefix term its last word apart, as a prefix.</summary>
    private static void AppendTerm(StringBuilder tsQuery, string words, bool prefix)
    {
        if (!prefix)
        {
            AppendOperand(tsQuery, words);
            return;
        }

        var end = words.Length;
        while (end > 0 && !char.IsLetterOrDigit(words[end - 1]))
        {
            end--;
        }

        var start = end;
        while (start > 0 && char.IsLetterOrDigit(words[start - 1]))
        {
            start--;
        }

        var head = words[..start];
        if (head.Any(char.IsLetterOrDigit))
        {
            AppendOperand(tsQuery, head);
            tsQuery.Append(" <-> ");
        }

        AppendOperand(tsQuery, words[start..end]);
        tsQuery.Append(":*");
    }

    private static void AppendOperand(StringBuilder tsQuery, string words) =>
        tsQuery.Append('\'').Append(words.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)).Append('\'');

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
