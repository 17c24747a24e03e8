using static FeedHub.Core.Parsing.DateArithmetic;
using static FeedHub.Core.Parsing.DateNames;

namespace FeedHub.Core.Parsing;

/// <summary>Numbers: days, years, clock times ("14:05", "14h05") and numeric dates ("03/04/2025").</summary>
internal static partial class TokenDateReader
{
    private static bool ReadNumber(ReadOnlySpan<char> s, ReadOnlySpan<Token> tokens, ref int i, ref Fields f)
    {
        Token token = tokens[i];
        int value = NumberValue(s, token);

        // "16:29:06", "1:2:3"
        if (IsSymbol(s, tokens, i + 1, ':') && !tokens[i + 1].SpaceBefore)
        {
            return ReadClockTime(s, tokens, ref i, ref f);
        }

        Name next = default;
        bool nextIsName = i + 1 < tokens.Length && TryLookupName(s, tokens[i + 1], out next);

        // French "14h00", "14h", "14 h 30".
        if (nextIsName && next.Kind == NameKind.HourMark)
        {
            if (f.Hour >= 0 || token.Length > 2)
            {
                return false;
            }

            f.Hour = value;
            f.Minute = 0;
            f.Second = 0;
            i += 2;
            if (i < tokens.Length && tokens[i].Kind == TokenKind.Number && tokens[i].Length <= 2)
            {
                f.Minute = NumberValue(s, tokens[i]);
                i++;
            }

            return true;
        }

        // Numeric dates "2006/09/15", "2004-05-25", "13.02.2012".
        if (i + 2 < tokens.Length
            && tokens[i + 1].Kind == TokenKind.Symbol && !tokens[i + 1].SpaceBefore
            && s[tokens[i + 1].Start] is '-' or '/' or '.'
            && IsAdjacent(tokens, i + 2, TokenKind.Number))
        {
            return ReadNumericDate(s, tokens, ref i, ref f);
        }

        // Korean "2004년 05월 28일".
        if (nextIsName && next.Kind == NameKind.KoreanUnit)
        {
            f.Korean = true;
            i += 2;
            return next.Value switch
            {
                1 => token.Length == 4 && SetYear(ref f, value, 4),
                2 => token.Length <= 2 && SetOnce(ref f.Month, value),
                _ => token.Length <= 2 && SetOnce(ref f.Day, value),
            };
        }

        // "3rd", "1er"
        if (nextIsName && next.Kind == NameKind.OrdinalSuffix && !tokens[i + 1].SpaceBefore)
        {
            i += 2;
            return token.Length <= 2 && SetOnce(ref f.Day, value);
        }

        i++;
        switch (token.Length)
        {
            case 4:
                // After the zone too: Twitter's "Sun Jul 15 01:16:00 +0000 2012" and Unix date's "... EST 2004".
                return SetYear(ref f, value, 4);

            case 3:
                // RFC 2822 §4.3: a three-digit year is 1900 + n. Buggy producers write "Jan 113" for 2013.
                return f.Day >= 0 && f.Month >= 0 && SetYear(ref f, value, 3);

            case 1 or 2:
                if (f.Day < 0)
                {
                    f.Day = value;
                    return true;
                }

                // "01 Jan 04": a two-digit year follows day and month.
                return f.Month >= 0 && SetYear(ref f, value, 2);

            default:
                return false;
        }
    }

    private static bool SetOnce(ref int field, int value)
    {
        if (field >= 0)
        {
            return false;
        }

        field = value;
        return true;
    }

    private static bool SetYear(ref Fields f, int value, int digits)
    {
        if (f.Year >= 0)
        {
            return false;
        }

        f.Year = value;
        f.YearDigits = digits;
        return true;
    }

    /// <summary>Reads "h:mm", "h:mm:ss" and "h:mm:ss.fff"; a fourth part ("1:2:3:4") is refused.</summary>
    private static bool ReadClockTime(ReadOnlySpan<char> s, ReadOnlySpan<Token> tokens, ref int i, ref Fields f)
    {
        if (f.Hour >= 0 || tokens[i].Length > 2)
        {
            return false;
        }

        f.Hour = NumberValue(s, tokens[i]);
        f.Minute = 0;
        f.Second = 0;

        int part = 0;
        i++;
        while (IsSymbol(s, tokens, i, ':') && !tokens[i].SpaceBefore)
        {
            if (!IsAdjacent(tokens, i + 1, TokenKind.Number) || tokens[i + 1].Length > 2 || part == 2)
            {
                return false;
            }

            int value = NumberValue(s, tokens[i + 1]);
            if (part == 0)
            {
                f.Minute = value;
            }
            else
            {
                f.Second = value;
            }

            part++;
            i += 2;
        }

        // Fractional seconds, only when glued to the seconds ("23:56:58.0"), so "06:28:00, 2012" stays a comma.
        if (part == 2
            && i + 1 < tokens.Length
            && tokens[i].Kind == TokenKind.Symbol && !tokens[i].SpaceBefore && s[tokens[i].Start] is '.' or ','
            && IsAdjacent(tokens, i + 1, TokenKind.Number))
        {
            f.Fraction = FractionToTicks(s.Slice(tokens[i + 1].Start, tokens[i + 1].Length));
            i += 2;
        }

        return true;
    }

    /// <summary>
    /// Reads year-first numeric dates ("2006/09/15", "2004-05-25", "2025.03.03") and dotted day-first ones
    /// ("13.02.2012", the only convention that uses dots). "03/04/2025" is refused: US and European
    /// readers disagree on it, and a wrong month is worse than no date.
    /// </summary>
    private static bool ReadNumericDate(ReadOnlySpan<char> s, ReadOnlySpan<Token> tokens, ref int i, ref Fields f)
    {
        char separator = s[tokens[i + 1].Start];
        Token first = tokens[i];
        Token second = tokens[i + 2];
        if (!(IsSymbol(s, tokens, i + 3, separator) && !tokens[i + 3].SpaceBefore && IsAdjacent(tokens, i + 4, TokenKind.Number)))
        {
            return false;
        }

        Token third = tokens[i + 4];
        i += 5;

        // "2013-01-27-01": too many parts.
        if (IsSymbol(s, tokens, i, separator) && !tokens[i].SpaceBefore && IsAdjacent(tokens, i + 1, TokenKind.Number))
        {
            return false;
        }

        if (f.Year >= 0 || f.Month >= 0 || f.Day >= 0)
        {
            return false;
        }

        if (first.Length == 4 && second.Length <= 2 && third.Length <= 2)
        {
            f.Year = NumberValue(s, first);
            f.YearDigits = 4;
            f.Month = NumberValue(s, second);
            f.Day = NumberValue(s, third);
            return true;
        }

        if (separator == '.' && first.Length <= 2 && second.Length <= 2 && third.Length == 4)
        {
            f.Day = NumberValue(s, first);
            f.Month = NumberValue(s, second);
            f.Year = NumberValue(s, third);
            f.YearDigits = 4;
            return true;
        }

        return false;
    }
}
