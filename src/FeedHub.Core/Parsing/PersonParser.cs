namespace FeedHub.Core.Parsing;

/// <summary>Splits the author strings RSS feeds write ("jo@example.com (Jo Doe)", "Jo Doe (jo@example.com)", "Jo Doe &lt;jo@example.com&gt;", "Jo Doe").</summary>
internal static class PersonParser
{
    public static FeedPerson? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();

        // "email (Name)"
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && text.EndsWith(')'))
        {
            var before = text[..open].Trim();
            var inside = text[(open + 1)..^1].Trim();
            if (IsEmail(before))
            {
                return new FeedPerson(NullIfEmpty(inside) ?? before, before, null);
            }

            // "Name (email)"
            if (IsEmail(inside))
            {
                return new FeedPerson(NullIfEmpty(before), inside, null);
            }
        }

        // "Name <email>"
        var lt = text.IndexOf('<', StringComparison.Ordinal);
        if (lt >= 0 && text.EndsWith('>'))
        {
            var email = text[(lt + 1)..^1].Trim();
            if (IsEmail(email))
            {
                var name = text[..lt].Trim().Trim('"');
                return new FeedPerson(NullIfEmpty(name), email, null);
            }
        }

        if (IsEmail(text))
        {
            return new FeedPerson(null, text, null);
        }

        return new FeedPerson(text, null, null);
    }

    private static bool IsEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < value.Length - 1 && value.IndexOf(' ', StringComparison.Ordinal) < 0
            && value.IndexOf('@', at + 1) < 0;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
