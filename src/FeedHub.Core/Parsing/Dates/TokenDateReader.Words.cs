using static FeedHub.Core.Parsing.DateNames;

namespace FeedHub.Core.Parsing;

/// <summary>Words: day and month names, zone abbreviations, AM/PM, fillers and words we do not know.</summary>
internal static partial class TokenDateReader
{
    private static bool ReadWord(ReadOnlySpan<char> s, ReadOnlySpan<Token> tokens, ref int i, ref Fields f)
    {
        Token token = tokens[i];
        if (TryReadDottedMeridiem(s, tokens, ref i, ref f))
        {
            return true;
        }

        if (!TryLookupName(s, token, out Name name))
        {
            return ReadUnknownWord(tokens, ref i, ref f, s.Slice(token.Start, token.Length));
        }

        switch (name.Kind)
        {
            case NameKind.Weekday:
                // Not checked against the date: feeds get weekdays wrong far more often than dates.
                i++;
                return true;

            case NameKind.Month:
            case NameKind.MonthOrWeekday:
                // "mar" (MonthOrWeekday): the month unless another month shows up later ("mar. 04 mars 2025").
                i++;
                if (f.Month >= 0 && !f.MonthIsAmbiguous)
                {
                    return false;
                }

                f.Month = name.Value;
                f.MonthIsAmbiguous = name.Kind == NameKind.MonthOrWeekday;
                return true;

            case NameKind.Filler:
                i++;
                return true;

            case NameKind.FillerOrZone when f.Hour < 0 && i + 1 < tokens.Length && tokens[i + 1].Kind == TokenKind.Number:
                i++;
                return true;

            case NameKind.TimeSeparator when f.Hour < 0 && IsAdjacent(tokens, i + 1, TokenKind.Number):
                i++;
                return true;

            case NameKind.Zone or NameKind.FillerOrZone:
                return SetNamedZone(tokens, ref i, ref f, name.Value, ZoneState.Named);

            case NameKind.UniversalZone:
                return SetNamedZone(tokens, ref i, ref f, 0, ZoneState.Universal);

            case NameKind.EtcPrefix:
                // "Etc/GMT", "Etc/UTC", "Etc/GMT+1": only a universal zone may follow.
                if (IsSymbol(s, tokens, i + 1, '/') && i + 2 < tokens.Length
                    && TryLookupName(s, tokens[i + 2], out Name zone) && zone.Kind == NameKind.UniversalZone
                    && f.Zone == ZoneState.None)
                {
                    i += 2;
                    f.EtcZone = true;
                    return SetNamedZone(tokens, ref i, ref f, 0, ZoneState.Universal);
                }

                return false;

            case NameKind.Meridiem:
                i++;
                if (f.Meridiem != 0)
                {
                    return false;
                }

                f.Meridiem = name.Value;
                f.Korean |= name.Korean;
                return true;

            default:
                // A lone "T", "h", "st" or Korean unit is not a date part.
                return ReadUnknownWord(tokens, ref i, ref f, s.Slice(token.Start, token.Length));
        }
    }

    private static bool SetNamedZone(ReadOnlySpan<Token> tokens, ref int i, ref Fields f, int offsetMinutes, ZoneState state)
    {
        Token token = tokens[i];
        i++;
        if (f.Zone != ZoneState.None)
        {
            // A name after an offset ("+0100 CET") is redundant; glued junk ("-06:00Textra") is not safe.
            return token.SpaceBefore;
        }

        if (!f.InZonePosition)
        {
            return false;
        }

        f.Zone = state;
        f.OffsetMinutes = offsetMinutes;
        return true;
    }

    /// <summary>Reads "a.m." and "p.m.", which arrive as letters and dots.</summary>
    private static bool TryReadDottedMeridiem(ReadOnlySpan<char> s, ReadOnlySpan<Token> tokens, ref int i, ref Fields f)
    {
        Token token = tokens[i];
        if (token.Length != 1 || f.Meridiem != 0)
        {
            return false;
        }

        char letter = char.ToLowerInvariant(s[token.Start]);
        if (letter is not ('a' or 'p')
            || !IsSymbol(s, tokens, i + 1, '.') || tokens[i + 1].SpaceBefore
            || !IsAdjacent(tokens, i + 2, TokenKind.Word) || tokens[i + 2].Length != 1
            || char.ToLowerInvariant(s[tokens[i + 2].Start]) != 'm')
        {
            return false;
        }

        f.Meridiem = letter == 'a' ? 1 : 2;
        i += 3;
        if (IsSymbol(s, tokens, i, '.') && !tokens[i].SpaceBefore)
        {
            i++;
        }

        return true;
    }

    private static bool ReadUnknownWord(ReadOnlySpan<Token> tokens, ref int i, ref Fields f, ReadOnlySpan<char> word)
    {
        Token token = tokens[i];
        i++;

        // Zone abbreviations are written in capitals ("CEST", "AWST", military "K"); a lower-case
        // unknown word ("and more", "zz") is prose or damage, not a zone.
        bool abbreviation = word.Length <= 5 && IsAsciiUpper(word);
        if (f.Zone != ZoneState.None)
        {
            // A second zone name after the zone ("+0100 CET") is redundant and harmless, but only when
            // set apart by a space: "-06:00Textra" is damage.
            return token.SpaceBefore && abbreviation;
        }

        // RFC 2822 §4.3: an unknown alphabetic zone (3 to 5 letters, or a military letter) SHOULD be read
        // as "-0000", i.e. UTC. feedparser does the same, and a date a few hours off beats no date.
        if (f.InZonePosition && abbreviation)
        {
            f.Zone = ZoneState.Named;
            f.OffsetMinutes = 0;
            return true;
        }

        return false;
    }

    private static bool IsAsciiUpper(ReadOnlySpan<char> word)
    {
        foreach (char c in word)
        {
            if (!char.IsAsciiLetterUpper(c))
            {
                return false;
            }
        }

        return true;
    }
}
