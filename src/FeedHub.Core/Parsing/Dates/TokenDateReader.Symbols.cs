using static FeedHub.Core.Parsing.DateArithmetic;

namespace FeedHub.Core.Parsing;

/// <summary>Symbols: separators, parentheses and numeric offsets ("+0200", "-05:00", "GMT+1").</summary>
internal static partial class TokenDateReader
{
    private static bool ReadSymbol(ReadOnlySpan<char> s, ReadOnlySpan<Token> tokens, ref int i, ref Fields f)
    {
        char c = s[tokens[i].Start];
        switch (c)
        {
            case '(':
                // RFC 822 comments, e.g. JavaScript's "GMT+0200 (Central European Summer Time)". They nest.
                int depth = 0;
                for (; i < tokens.Length; i++)
                {
                    if (IsSymbol(s, tokens, i, '('))
                    {
                        depth++;
                    }
                    else if (IsSymbol(s, tokens, i, ')') && --depth == 0)
                    {
                        i++;
                        break;
                    }
                }

                return true;

            case ',' or '.' or ')':
                i++;
                return true;

            case '+' or '-':
                if (f.Zone == ZoneState.Universal)
                {
                    // "GMT+0200", "GMT-01:01", "UTC+1"; tz database names count the other way: Etc/GMT+1 is UTC-1.
                    if (!TryReadOffset(s, tokens, ref i, out int offset))
                    {
                        return false;
                    }

                    f.Zone = ZoneState.Numeric;
                    f.OffsetMinutes = f.EtcZone ? -offset : offset;
                    return true;
                }

                if (f.Zone == ZoneState.None && (f.Hour >= 0 || (f.HasDate && LooksLikeOffset(s, tokens, i))))
                {
                    if (!TryReadOffset(s, tokens, ref i, out int offset))
                    {
                        return false;
                    }

                    f.Zone = ZoneState.Numeric;
                    f.OffsetMinutes = offset;
                    return true;
                }

                // Otherwise a dash is a separator, as in RFC 850's "Sunday, 06-Nov-94 08:49:37 GMT".
                i++;
                return c == '-';

            case '/':
                i++;
                return true;

            default:
                return false;
        }
    }

    /// <summary>After a date without time, "-0500" or "+01:00" is an offset, but "-01" may be a fourth date part.</summary>
    private static bool LooksLikeOffset(ReadOnlySpan<char> s, ReadOnlySpan<Token> tokens, int i) =>
        IsAdjacent(tokens, i + 1, TokenKind.Number)
        && (tokens[i + 1].Length is 3 or 4 || (IsSymbol(s, tokens, i + 2, ':') && !tokens[i + 2].SpaceBefore));

    /// <summary>Reads "+hhmm", "+hmm", "+hh:mm", "+hh" and "+h" starting at the sign; gives minutes east of UTC.</summary>
    private static bool TryReadOffset(ReadOnlySpan<char> s, ReadOnlySpan<Token> tokens, ref int i, out int offsetMinutes)
    {
        offsetMinutes = 0;
        int sign = s[tokens[i].Start] == '-' ? -1 : 1;
        if (!IsAdjacent(tokens, i + 1, TokenKind.Number))
        {
            return false;
        }

        Token number = tokens[i + 1];
        int value = NumberValue(s, number);
        int hours;
        int minutes = 0;
        i += 2;
        switch (number.Length)
        {
            case 1 or 2:
                hours = value;
                if (IsSymbol(s, tokens, i, ':') && !tokens[i].SpaceBefore)
                {
                    if (!IsAdjacent(tokens, i + 1, TokenKind.Number) || tokens[i + 1].Length != 2)
                    {
                        return false;
                    }

                    minutes = NumberValue(s, tokens[i + 1]);
                    i += 2;
                }

                break;

            case 3 or 4:
                hours = value / 100;
                minutes = value % 100;
                break;

            default:
                return false;
        }

        if (minutes > 59)
        {
            return false;
        }

        offsetMinutes = sign * ((hours * 60) + minutes);
        return Math.Abs(offsetMinutes) <= MaxOffsetMinutes;
    }
}
