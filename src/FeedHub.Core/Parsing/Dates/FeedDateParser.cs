namespace FeedHub.Core.Parsing;

/// <summary>
/// Reads the dates that real feeds contain: RFC 822/1123 and their many broken variants (RSS),
/// ISO 8601 / RFC 3339 / W3C-DTF (Atom, Dublin Core), asctime and Unix <c>date</c> output,
/// JavaScript <c>Date.toString()</c>, with English, French (and a few Greek, Hungarian and Korean)
/// day and month names. Every result is an instant in UTC; anything that cannot be read with
/// confidence gives <see langword="null"/> rather than a guess or an exception.
/// </summary>
/// <remarks>
/// Called for every item of every feed, so it does not allocate: the text is scanned as a span,
/// tokens live on the stack and names are looked up through a span-keyed frozen dictionary.
/// Two readers share the work: a strict ISO 8601 reader (<see cref="IsoDateReader"/>, the common Atom case, and the
/// only one that understands the compact numeric forms) and a lenient token reader for everything else
/// (<see cref="TokenDateReader"/>); the words they know are in <see cref="DateNames"/>.
/// </remarks>
public static class FeedDateParser
{
    // No real date is longer; the cap bounds the work done on hostile input.
    private const int MaxLength = 256;

    /// <summary>
    /// Parses a date as found in a feed (RSS <c>pubDate</c>, Atom <c>updated</c>, <c>dc:date</c>, HTTP headers ...).
    /// </summary>
    /// <param name="text">The raw text; surrounding white space is ignored.</param>
    /// <returns>
    /// The instant in UTC (<see cref="DateTimeOffset.Offset"/> is <see cref="TimeSpan.Zero"/>), or
    /// <see langword="null"/> when the text is not a date we can trust. Never throws.
    /// </returns>
    public static DateTimeOffset? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        ReadOnlySpan<char> s = text.AsSpan().Trim();
        if (s.IsEmpty || s.Length > MaxLength)
        {
            return null;
        }

        if (char.IsAsciiDigit(s[0]) || s[0] == '-')
        {
            // Only text that is ISO 8601 from start to end is decided here; "2025-03-03 14:00 CET",
            // "2004년 05월 28일" or "3 mars 2025" are not, and go on to the token reader.
            IsoOutcome outcome = IsoDateReader.TryParse(s, out DateTimeOffset? iso);
            if (outcome != IsoOutcome.NotIso)
            {
                return iso;
            }
        }

        return TokenDateReader.Parse(s);
    }
}
