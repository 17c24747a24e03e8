using System.Globalization;
using static FeedHub.Core.Parsing.DateArithmetic;
using static FeedHub.Core.Parsing.DateNames;

namespace FeedHub.Core.Parsing;

/// <summary>
/// The lenient token reader: RFC 822 and its broken variants, asctime, Unix <c>date</c>, JavaScript
/// <c>Date.toString()</c>, French and Korean word orders. The text is cut into number, word and symbol tokens on the
/// stack, and each token fills a field of <see cref="Fields"/>; anything contradictory gives no date.
/// </summary>
internal static partial class TokenDateReader
{
    // Enough for "Wednesday, 02 October 2002 08:00:00 GMT+0200 (Central European Summer Time)" and then some.
    private const int MaxTokens = 64;

    // Korean blog engines (feedparser's "nate" and "onblog" formats) write local time without a zone.
    private const int KoreaOffsetMinutes = 9 * 60;

    private enum TokenKind : byte
    {
        Number,
        Word,
        Symbol,
    }

    /// <summary>A run of ASCII digits, a run of letters, or one other character. Unmanaged, so it can live on the stack.</summary>
    private readonly struct Token(TokenKind kind, int start, int length, bool spaceBefore)
    {
        public TokenKind Kind { get; } = kind;

        public int Start { get; } = start;

        public int Length { get; } = length;

        /// <summary>Whether white space separates this token from the previous one.</summary>
        public bool SpaceBefore { get; } = spaceBefore;
    }

    private enum ZoneState : byte
    {
        None,
        Numeric,
        Named,

        /// <summary>GMT/UTC/UT with no offset yet: a following "+hh:mm" refines it.</summary>
        Universal,
    }

    /// <summary>The fields collected so far; -1 means "not seen".</summary>
    private struct Fields
    {
        public int Year;
        public int YearDigits;
        public int Month;
        public bool MonthIsAmbiguous;
        public int Day;
        public int Hour;
        public int Minute;
        public int Second;
        public long Fraction;
        public ZoneState Zone;
        public int OffsetMinutes;
        public bool EtcZone;
        public int Meridiem;
        public bool Korean;

        public readonly bool HasDate => Year >= 0 && Month >= 0 && Day >= 0;

        /// <summary>Where a zone may appear: after the time, or after a complete date that has no time.</summary>
        public readonly bool InZonePosition => Hour >= 0 || HasDate;
    }

    internal static DateTimeOffset? Parse(ReadOnlySpan<char> s)
    {
        Span<Token> buffer = stackalloc Token[MaxTokens];
        int count = Tokenize(s, buffer);
        if (count <= 0)
        {
            return null;
        }

        ReadOnlySpan<Token> tokens = buffer[..count];
        Fields f = new()
        {
            Year = -1,
            Month = -1,
            Day = -1,
            Hour = -1,
        };

        int i = 0;
        while (i < tokens.Length)
        {
            bool ok = tokens[i].Kind switch
            {
                TokenKind.Number => ReadNumber(s, tokens, ref i, ref f),
                TokenKind.Word => ReadWord(s, tokens, ref i, ref f),
                _ => ReadSymbol(s, tokens, ref i, ref f),
            };

            if (!ok)
            {
                return null;
            }
        }

        return ComposeFields(in f);
    }

    private static int Tokenize(ReadOnlySpan<char> s, Span<Token> tokens)
    {
        int count = 0;
        int pos = 0;
        bool space = false;
        while (pos < s.Length)
        {
            char c = s[pos];
            if (char.IsWhiteSpace(c))
            {
                space = true;
                pos++;
                continue;
            }

            if (count == tokens.Length)
            {
                return -1;
            }

            int start = pos;
            TokenKind kind;
            if (char.IsAsciiDigit(c))
            {
                kind = TokenKind.Number;
                while (pos < s.Length && char.IsAsciiDigit(s[pos]))
                {
                    pos++;
                }
            }
            else if (char.IsLetter(c))
            {
                kind = TokenKind.Word;

                // Combining accents belong to the word: "fe\u0301vrier" is "février" in decomposed form.
                while (pos < s.Length && (char.IsAsciiLetter(s[pos]) || char.IsLetter(s[pos]) || CharUnicodeInfo.GetUnicodeCategory(s[pos]) == UnicodeCategory.NonSpacingMark))
                {
                    pos++;
                }
            }
            else
            {
                kind = TokenKind.Symbol;
                pos++;
            }

            tokens[count++] = new Token(kind, start, pos - start, space);
            space = false;
        }

        return count;
    }

    private static bool IsSymbol(ReadOnlySpan<char> s, ReadOnlySpan<Token> tokens, int index, char symbol) =>
        index < tokens.Length && tokens[index].Kind == TokenKind.Symbol && s[tokens[index].Start] == symbol;

    /// <summary>Whether token <paramref name="index"/> exists, has the kind, and touches the previous token.</summary>
    private static bool IsAdjacent(ReadOnlySpan<Token> tokens, int index, TokenKind kind) =>
        index < tokens.Length && tokens[index].Kind == kind && !tokens[index].SpaceBefore;

    /// <summary>The value of a number token of at most 9 digits (longer ones give -1).</summary>
    private static int NumberValue(ReadOnlySpan<char> s, Token token) =>
        TryReadDigits(s, token.Start, token.Length, out int value) ? value : -1;

    private static bool TryLookupName(ReadOnlySpan<char> s, Token token, out Name name)
    {
        name = default;
        return token.Kind == TokenKind.Word && DateNames.TryLookup(s.Slice(token.Start, token.Length), out name);
    }

    private static DateTimeOffset? ComposeFields(in Fields f)
    {
        if (!f.HasDate)
        {
            return null;
        }

        int year = f.YearDigits switch
        {
            2 => ExpandTwoDigitYear(f.Year),
            3 => 1900 + f.Year,
            _ => f.Year,
        };

        if (!TryGetDayNumber(year, f.Month, f.Day, out int dayNumber))
        {
            return null;
        }

        int hour = f.Hour < 0 ? 0 : f.Hour;
        if (f.Meridiem != 0)
        {
            // 12 AM is midnight and 12 PM noon; "13:00 PM" happens and is unambiguous, "13:00 AM" is not.
            if (f.Hour < 0 || hour > 23 || (hour == 0 && f.Meridiem == 2) || (hour > 12 && f.Meridiem == 1))
            {
                return null;
            }

            if (hour == 12)
            {
                hour = f.Meridiem == 1 ? 0 : 12;
            }
            else if (hour < 12 && f.Meridiem == 2)
            {
                hour += 12;
            }
        }

        int offset = f.Zone == ZoneState.None && f.Korean ? KoreaOffsetMinutes : f.OffsetMinutes;
        return Compose(dayNumber, hour, f.Minute, f.Second, f.Fraction, offset);
    }
}
