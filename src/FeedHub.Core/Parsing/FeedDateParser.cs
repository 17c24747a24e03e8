using System.Collections.Frozen;
using System.Globalization;

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
/// Two readers share the work: a strict ISO 8601 reader (the common Atom case, and the only one that
/// understands the compact numeric forms) and a lenient token reader for everything else.
/// </remarks>
public static class FeedDateParser
{
    // No real date is longer; the cap bounds the work done on hostile input.
    private const int MaxLength = 256;

    // Enough for "Wednesday, 02 October 2002 08:00:00 GMT+0200 (Central European Summer Time)" and then some.
    private const int MaxTokens = 64;

    // The longest name we know is "wednesday"/"septembre"/"szeptember"; longer words cannot match.
    private const int MaxWordLength = 12;

    // Real offsets stay within ±14:00; ±18:00 is the widest any time zone library accepts.
    private const int MaxOffsetMinutes = 18 * 60;

    // Korean blog engines (feedparser's "nate" and "onblog" formats) write local time without a zone.
    private const int KoreaOffsetMinutes = 9 * 60;

    private static readonly FrozenDictionary<string, Name> Names = BuildNames();

    private static readonly FrozenDictionary<string, Name>.AlternateLookup<ReadOnlySpan<char>> NameLookup =
        Names.GetAlternateLookup<ReadOnlySpan<char>>();

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
            IsoOutcome outcome = TryParseIso(s, out DateTimeOffset? iso);
            if (outcome != IsoOutcome.NotIso)
            {
                return iso;
            }
        }

        return ParseTokens(s);
    }

    // ------------------------------------------------------------------------------------------------
    // Shared arithmetic
    // ------------------------------------------------------------------------------------------------

    /// <summary>RFC 2822 §4.3: two-digit years below 50 are 20xx, the others 19xx.</summary>
    private static int ExpandTwoDigitYear(int year) => year < 50 ? 2000 + year : 1900 + year;

    private static bool TryGetDayNumber(int year, int month, int day, out int dayNumber)
    {
        dayNumber = 0;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        dayNumber = new DateOnly(year, month, day).DayNumber;
        return true;
    }

    private static bool TryGetOrdinalDayNumber(int year, int dayOfYear, out int dayNumber)
    {
        dayNumber = 0;
        if (year is < 1 or > 9999 || dayOfYear < 1 || dayOfYear > (DateTime.IsLeapYear(year) ? 366 : 365))
        {
            return false;
        }

        dayNumber = new DateOnly(year, 1, 1).DayNumber + dayOfYear - 1;
        return true;
    }

    private static bool TryGetWeekDayNumber(int year, int week, int dayOfWeek, out int dayNumber)
    {
        dayNumber = 0;
        if (year is < 1 or > 9999 || dayOfWeek is < 1 or > 7 || week < 1 || week > ISOWeek.GetWeeksInYear(year))
        {
            return false;
        }

        // Week 1 is the week that holds 4 January; computed by hand because ISOWeek.ToDateTime throws
        // at the edges of the calendar (week 52 of 9999 ends in year 10000), and we must not throw.
        DateOnly january4 = new(year, 1, 4);
        int mondayOfWeek1 = january4.DayNumber - (((int)january4.DayOfWeek + 6) % 7);
        dayNumber = mondayOfWeek1 + ((week - 1) * 7) + (dayOfWeek - 1);
        return true;
    }

    /// <summary>Builds the UTC instant, or null when a field is out of range or the result leaves the calendar.</summary>
    private static DateTimeOffset? Compose(int dayNumber, int hour, int minute, int second, long fractionTicks, int offsetMinutes)
    {
        if (hour is < 0 or > 24 || minute is < 0 or > 59 || second is < 0 or > 60)
        {
            return null;
        }

        // ISO 8601 allows 24:00:00 for the end of a day, which is the next midnight.
        if (hour == 24 && (minute != 0 || second != 0 || fractionTicks != 0))
        {
            return null;
        }

        // A leap second cannot be represented; keep the instant inside the minute it belongs to.
        if (second == 60)
        {
            second = 59;
        }

        long ticks = (dayNumber * TimeSpan.TicksPerDay)
            + (hour * TimeSpan.TicksPerHour)
            + (minute * TimeSpan.TicksPerMinute)
            + (second * TimeSpan.TicksPerSecond)
            + fractionTicks
            - (offsetMinutes * TimeSpan.TicksPerMinute);

        // The offset can push a valid local time out of the calendar ("31 Dec 9999 23:59 -0100").
        if (ticks < 0 || ticks > DateTime.MaxValue.Ticks)
        {
            return null;
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private static int CountDigits(ReadOnlySpan<char> s, int pos)
    {
        int start = pos;
        while (pos < s.Length && char.IsAsciiDigit(s[pos]))
        {
            pos++;
        }

        return pos - start;
    }

    /// <summary>Reads exactly <paramref name="count"/> digits (at most 9) at <paramref name="pos"/>.</summary>
    private static bool TryReadDigits(ReadOnlySpan<char> s, int pos, int count, out int value)
    {
        value = 0;
        if (pos < 0 || count > 9 || pos + count > s.Length)
        {
            return false;
        }

        for (int i = pos; i < pos + count; i++)
        {
            char c = s[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>Reads a decimal fraction of a second; digits beyond the 7 a tick can hold are ignored.</summary>
    private static long FractionToTicks(ReadOnlySpan<char> digits)
    {
        long ticks = 0;
        for (int i = 0; i < 7; i++)
        {
            ticks = (ticks * 10) + (i < digits.Length ? digits[i] - '0' : 0);
        }

        return ticks;
    }

    // ------------------------------------------------------------------------------------------------
    // ISO 8601 / RFC 3339 / W3C-DTF
    // ------------------------------------------------------------------------------------------------

    private enum IsoOutcome
    {
        /// <summary>The text is not ISO 8601 from start to end; let the token reader try.</summary>
        NotIso,

        /// <summary>ISO 8601 in shape, but a value is out of range: the answer is "no date".</summary>
        Invalid,

        Valid,
    }

    private enum IsoDateKind
    {
        Calendar,
        Ordinal,
        Week,
    }

    private static IsoOutcome TryParseIso(ReadOnlySpan<char> s, out DateTimeOffset? result)
    {
        result = null;
        IsoDateKind kind = IsoDateKind.Calendar;
        int year;
        int month = 1;
        int day = 1;
        int pos;

        // Whether a time may follow: not after a bare year or year-month ("2003-12T10:00" is not a date).
        bool fullDate = true;

        if (s[0] == '-')
        {
            // "-YYMM" and "-YY-MM": truncated ISO 8601:2000 year-month forms that feedparser accepts.
            if (!TryReadDigits(s, 1, 2, out int shortYear))
            {
                return IsoOutcome.NotIso;
            }

            pos = s.Length > 3 && s[3] == '-' ? 4 : 3;
            if (!TryReadDigits(s, pos, 2, out month) || pos + 2 != s.Length)
            {
                return IsoOutcome.NotIso;
            }

            year = ExpandTwoDigitYear(shortYear);
            return FinishIso(IsoDateKind.Calendar, year, month, 1, 0, 0, 0, 0, 0, out result);
        }

        int leading = CountDigits(s, 0);
        switch (leading)
        {
            case 4:
                _ = TryReadDigits(s, 0, 4, out year);
                pos = 4;
                if (pos == s.Length)
                {
                    // Year only (W3C-DTF).
                    return FinishIso(kind, year, 1, 1, 0, 0, 0, 0, 0, out result);
                }

                if (s[pos] == 'W')
                {
                    // Basic week date "2004W016" / "2004W01".
                    kind = IsoDateKind.Week;
                    if (!TryReadDigits(s, pos + 1, 2, out month))
                    {
                        return IsoOutcome.NotIso;
                    }

                    pos += 3;
                    day = 1;
                    if (pos < s.Length && char.IsAsciiDigit(s[pos]))
                    {
                        day = s[pos] - '0';
                        pos++;
                    }

                    break;
                }

                if (s[pos] != '-')
                {
                    return IsoOutcome.NotIso;
                }

                pos++;
                if (pos < s.Length && s[pos] == 'W')
                {
                    // Extended week date "2004-W01-6" / "2004-W01" (the week number goes into month).
                    kind = IsoDateKind.Week;
                    if (!TryReadDigits(s, pos + 1, 2, out month))
                    {
                        return IsoOutcome.NotIso;
                    }

                    pos += 3;
                    day = 1;
                    if (pos + 1 < s.Length && s[pos] == '-' && char.IsAsciiDigit(s[pos + 1]))
                    {
                        day = s[pos + 1] - '0';
                        pos += 2;
                    }

                    break;
                }

                int monthDigits = CountDigits(s, pos);
                if (monthDigits == 3 && s[pos] == '0' && pos + 4 < s.Length && s[pos + 3] == '-' && char.IsAsciiDigit(s[pos + 4]))
                {
                    // "2003-012-31": a zero-padded three-digit month that feedparser accepts.
                    _ = TryReadDigits(s, pos + 1, 2, out month);
                    pos += 4;
                    if (!TryReadDayOfMonth(s, ref pos, out day))
                    {
                        return IsoOutcome.NotIso;
                    }
                }
                else if (monthDigits == 3)
                {
                    // Ordinal date "2003-335".
                    kind = IsoDateKind.Ordinal;
                    _ = TryReadDigits(s, pos, 3, out day);
                    pos += 3;
                }
                else if (monthDigits is 1 or 2)
                {
                    // W3C-DTF requires two digits, but "2004-7-8" is unambiguous and feedparser reads it.
                    _ = TryReadDigits(s, pos, monthDigits, out month);
                    pos += monthDigits;
                    if (pos < s.Length && s[pos] == '-')
                    {
                        pos++;
                        if (!TryReadDayOfMonth(s, ref pos, out day))
                        {
                            return IsoOutcome.NotIso;
                        }
                    }
                    else
                    {
                        // Year-month only.
                        fullDate = false;
                    }
                }
                else
                {
                    return IsoOutcome.NotIso;
                }

                break;

            case 8:
                // Basic calendar date "20031231".
                _ = TryReadDigits(s, 0, 4, out year);
                _ = TryReadDigits(s, 4, 2, out month);
                _ = TryReadDigits(s, 6, 2, out day);
                pos = 8;
                break;

            case 7:
                // Basic ordinal date "2003335".
                kind = IsoDateKind.Ordinal;
                _ = TryReadDigits(s, 0, 4, out year);
                _ = TryReadDigits(s, 4, 3, out day);
                pos = 7;
                break;

            case 6:
                // "031231": two-digit year, month and day (ISO 8601:2000; YYYYMM is not an ISO form).
                _ = TryReadDigits(s, 0, 2, out year);
                _ = TryReadDigits(s, 2, 2, out month);
                _ = TryReadDigits(s, 4, 2, out day);
                year = ExpandTwoDigitYear(year);
                pos = 6;
                break;

            case 2:
                // "03-12-31": two-digit year, month and day. Anything else with two leading digits
                // ("13 Feb 2012", "06-Nov-94", "13.02.2012") belongs to the token reader.
                if (!(s.Length >= 8 && s[2] == '-' && s[5] == '-'
                    && TryReadDigits(s, 0, 2, out year)
                    && TryReadDigits(s, 3, 2, out month)
                    && TryReadDigits(s, 6, 2, out day)
                    && (s.Length == 8 || !char.IsAsciiDigit(s[8]))))
                {
                    return IsoOutcome.NotIso;
                }

                year = ExpandTwoDigitYear(year);
                pos = 8;
                break;

            default:
                // Includes five digits: "03335" (YYDDD) and "22013" cannot be told apart, so neither is a date.
                return IsoOutcome.NotIso;
        }

        if (pos == s.Length)
        {
            // Date only: midnight UTC.
            return FinishIso(kind, year, month, day, 0, 0, 0, 0, 0, out result);
        }

        if (!fullDate)
        {
            return IsoOutcome.NotIso;
        }

        // Date/time separator: "T" (RFC 3339 allows lower case) or, MSSQL style, spaces.
        if (s[pos] is 'T' or 't')
        {
            pos++;
        }
        else if (s[pos] == ' ')
        {
            while (pos < s.Length && s[pos] == ' ')
            {
                pos++;
            }
        }
        else
        {
            return IsoOutcome.NotIso;
        }

        if (!TryReadIsoTime(s, ref pos, out int hour, out int minute, out int second, out long fraction))
        {
            return IsoOutcome.NotIso;
        }

        // MSSQL style puts a space before the offset ("2004-07-08 23:56:58 -00:20").
        while (pos < s.Length && s[pos] == ' ')
        {
            pos++;
        }

        int offsetMinutes = 0;
        if (pos < s.Length)
        {
            if (s[pos] is 'Z' or 'z')
            {
                pos++;
            }
            else if (s[pos] is '+' or '-')
            {
                int sign = s[pos] == '-' ? -1 : 1;
                pos++;
                int offsetHours;
                int offsetMinutePart = 0;
                int digits = CountDigits(s, pos);
                if (digits == 4)
                {
                    _ = TryReadDigits(s, pos, 2, out offsetHours);
                    _ = TryReadDigits(s, pos + 2, 2, out offsetMinutePart);
                    pos += 4;
                }
                else if (digits == 2)
                {
                    _ = TryReadDigits(s, pos, 2, out offsetHours);
                    pos += 2;
                    if (pos < s.Length && s[pos] == ':')
                    {
                        if (!TryReadDigits(s, pos + 1, 2, out offsetMinutePart))
                        {
                            return IsoOutcome.NotIso;
                        }

                        pos += 3;
                    }
                }
                else
                {
                    return IsoOutcome.NotIso;
                }

                if (offsetMinutePart > 59)
                {
                    if (pos == s.Length)
                    {
                        return IsoOutcome.Invalid;
                    }

                    return IsoOutcome.NotIso;
                }

                offsetMinutes = sign * ((offsetHours * 60) + offsetMinutePart);
            }
            else
            {
                // "2025-03-03 14:00 CET", "2004-05-25 오후 11:23:17": not ISO, maybe still a date.
                return IsoOutcome.NotIso;
            }
        }

        // Anything after the zone ("...-06:00Textra") means this is not the date it looks like;
        // the token reader will refuse it too.
        if (pos != s.Length)
        {
            return IsoOutcome.NotIso;
        }

        if (Math.Abs(offsetMinutes) > MaxOffsetMinutes)
        {
            return IsoOutcome.Invalid;
        }

        return FinishIso(kind, year, month, day, hour, minute, second, fraction, offsetMinutes, out result);
    }

    private static bool TryReadDayOfMonth(ReadOnlySpan<char> s, ref int pos, out int day)
    {
        int digits = CountDigits(s, pos);
        if (digits is < 1 or > 2)
        {
            day = 0;
            return false;
        }

        _ = TryReadDigits(s, pos, digits, out day);
        pos += digits;
        return true;
    }

    /// <summary>Reads "hh", "hh:mm", "hh:mm:ss", "hhmm" or "hhmmss", with a fraction after the seconds.</summary>
    private static bool TryReadIsoTime(ReadOnlySpan<char> s, ref int pos, out int hour, out int minute, out int second, out long fraction)
    {
        minute = 0;
        second = 0;
        fraction = 0;
        bool hasSeconds = false;
        int digits = CountDigits(s, pos);
        if (digits == 2)
        {
            _ = TryReadDigits(s, pos, 2, out hour);
            pos += 2;
            if (pos < s.Length && s[pos] == ':')
            {
                if (CountDigits(s, pos + 1) != 2)
                {
                    return false;
                }

                _ = TryReadDigits(s, pos + 1, 2, out minute);
                pos += 3;
                if (pos < s.Length && s[pos] == ':')
                {
                    if (CountDigits(s, pos + 1) != 2)
                    {
                        return false;
                    }

                    _ = TryReadDigits(s, pos + 1, 2, out second);
                    pos += 3;
                    hasSeconds = true;
                }
            }
        }
        else if (digits == 4)
        {
            _ = TryReadDigits(s, pos, 2, out hour);
            _ = TryReadDigits(s, pos + 2, 2, out minute);
            pos += 4;
        }
        else if (digits == 6)
        {
            _ = TryReadDigits(s, pos, 2, out hour);
            _ = TryReadDigits(s, pos + 2, 2, out minute);
            _ = TryReadDigits(s, pos + 4, 2, out second);
            pos += 6;
            hasSeconds = true;
        }
        else
        {
            hour = 0;
            return false;
        }

        if (hasSeconds && pos + 1 < s.Length && s[pos] is '.' or ',' && char.IsAsciiDigit(s[pos + 1]))
        {
            int fractionDigits = CountDigits(s, pos + 1);
            fraction = FractionToTicks(s.Slice(pos + 1, fractionDigits));
            pos += 1 + fractionDigits;
        }

        return true;
    }

    private static IsoOutcome FinishIso(
        IsoDateKind kind, int year, int month, int day, int hour, int minute, int second, long fraction, int offsetMinutes, out DateTimeOffset? result)
    {
        result = null;
        int dayNumber;
        bool validDate;
        if (kind == IsoDateKind.Ordinal)
        {
            validDate = TryGetOrdinalDayNumber(year, day, out dayNumber);
        }
        else if (kind == IsoDateKind.Week)
        {
            // The week number travels in "month", the day of the week in "day".
            validDate = TryGetWeekDayNumber(year, month, day, out dayNumber);
        }
        else
        {
            validDate = TryGetDayNumber(year, month, day, out dayNumber);
        }

        if (!validDate)
        {
            return IsoOutcome.Invalid;
        }

        result = Compose(dayNumber, hour, minute, second, fraction, offsetMinutes);
        return result is null ? IsoOutcome.Invalid : IsoOutcome.Valid;
    }

    // ------------------------------------------------------------------------------------------------
    // Token reader: RFC 822 and everything else
    // ------------------------------------------------------------------------------------------------

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

    private enum NameKind : byte
    {
        Weekday,
        Month,

        /// <summary>"mar": March in English, mardi (Tuesday) in French.</summary>
        MonthOrWeekday,
        Zone,

        /// <summary>GMT, UTC, UT: may be followed by an offset ("GMT+0200", "UTC-5").</summary>
        UniversalZone,

        /// <summary>The "Etc/" of tz database names such as "Etc/GMT" or "Etc/GMT+1".</summary>
        EtcPrefix,

        /// <summary>"a"/"à" and "at": a word before a time ("à 14h00", "at 2:00 PM"), a zone after it.</summary>
        FillerOrZone,

        /// <summary>French "le" ("le 3 mars 2025").</summary>
        Filler,
        Meridiem,

        /// <summary>The "T" between date and time.</summary>
        TimeSeparator,

        /// <summary>The "h" of French times: "14h00", "14h".</summary>
        HourMark,

        /// <summary>Korean 년 (year), 월 (month), 일 (day) written after the numbers.</summary>
        KoreanUnit,

        /// <summary>"1st", "2nd", "3rd", "4th", French "1er".</summary>
        OrdinalSuffix,
    }

    /// <summary>What a known word means; <see cref="Value"/> is a month, an offset in minutes, 1/2 for AM/PM, or a Korean unit.</summary>
    private readonly record struct Name(NameKind Kind, int Value, bool Korean = false);

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

    private static DateTimeOffset? ParseTokens(ReadOnlySpan<char> s)
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
        if (token.Kind != TokenKind.Word || token.Length > MaxWordLength)
        {
            return false;
        }

        Span<char> folded = stackalloc char[MaxWordLength];
        int length = 0;
        foreach (char c in s.Slice(token.Start, token.Length))
        {
            char f = Fold(c);
            if (f != '\0')
            {
                folded[length++] = f;
            }
        }

        return NameLookup.TryGetValue(folded[..length], out name);
    }

    /// <summary>Lower-cases and strips accents so that "Février", "fevrier" and "FÉVRIER" meet; '\0' drops a combining mark.</summary>
    private static char Fold(char c)
    {
        // Most names are plain ASCII; skip the Unicode tables for them.
        if (char.IsAsciiLetter(c))
        {
            return (char)(c | 0x20);
        }

        if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
        {
            return '\0';
        }

        c = char.ToLowerInvariant(c);
        return c switch
        {
            'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' => 'a',
            'ç' => 'c',
            'è' or 'é' or 'ê' or 'ë' => 'e',
            'ì' or 'í' or 'î' or 'ï' => 'i',
            'ñ' => 'n',
            'ò' or 'ó' or 'ô' or 'õ' or 'ö' or 'ő' => 'o',
            'ù' or 'ú' or 'û' or 'ü' or 'ű' => 'u',
            'ý' or 'ÿ' => 'y',

            // Greek tonos and dialytika ("Ιούλ" is "Ιουλ").
            'ά' => 'α',
            'έ' => 'ε',
            'ή' => 'η',
            'ί' or 'ϊ' or 'ΐ' => 'ι',
            'ό' => 'ο',
            'ύ' or 'ϋ' or 'ΰ' => 'υ',
            'ώ' => 'ω',
            _ => c,
        };
    }

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

            case NameKind.MonthOrWeekday:
                // "mar": the month unless another month shows up later ("mar. 04 mars 2025").
                i++;
                if (f.Month >= 0 && !f.MonthIsAmbiguous)
                {
                    return false;
                }

                f.Month = name.Value;
                f.MonthIsAmbiguous = true;
                return true;

            case NameKind.Month:
                i++;
                if (f.Month >= 0 && !f.MonthIsAmbiguous)
                {
                    return false;
                }

                f.Month = name.Value;
                f.MonthIsAmbiguous = false;
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

    // ------------------------------------------------------------------------------------------------
    // Names
    // ------------------------------------------------------------------------------------------------

    /// <summary>Every key is folded (lower case, no accents). A duplicate key fails at start-up, which the tests catch.</summary>
    private static FrozenDictionary<string, Name> BuildNames()
    {
        Dictionary<string, Name> names = new(StringComparer.Ordinal);

        void Add(NameKind kind, int value, params ReadOnlySpan<string> words)
        {
            foreach (string word in words)
            {
                names.Add(word, new Name(kind, value));
            }
        }

        void Months(int month, params ReadOnlySpan<string> words) => Add(NameKind.Month, month, words);

        void Weekdays(params ReadOnlySpan<string> words) => Add(NameKind.Weekday, 0, words);

        void Zone(int offsetMinutes, params ReadOnlySpan<string> words) => Add(NameKind.Zone, offsetMinutes, words);

        // English, French, then Greek (feedparser's "greek" format) and Hungarian (its "hungarian" format,
        // spelling mistakes included). "mar" is March in English and mardi in French, so it is kept apart.
        Months(1, "jan", "january", "janvier", "janv", "ιαν", "januar");
        Months(2, "feb", "february", "fevrier", "fevr", "fev", "φεβ", "februar", "februari");
        Months(3, "march", "mars", "μαρ", "μαω", "marcius");
        Add(NameKind.MonthOrWeekday, 3, "mar");
        Months(4, "apr", "april", "avril", "avr", "απρ", "aprilis");
        Months(5, "may", "mai", "μαι", "majus", "maujus");
        Months(6, "jun", "june", "juin", "ιουν", "ιον", "junius");
        Months(7, "jul", "july", "juillet", "juil", "juill", "ιουλ", "ιολ", "julius");
        Months(8, "aug", "august", "aout", "aou", "αυγ", "augusztus");
        Months(9, "sep", "sept", "september", "septembre", "σεπ", "szeptember");
        Months(10, "oct", "october", "octobre", "οκτ", "oktober");
        Months(11, "nov", "november", "novembre", "νοε");
        Months(12, "dec", "december", "decembre", "δεκ");

        Weekdays("mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs", "thursday");
        Weekdays("fri", "friday", "sat", "saturday", "sun", "sunday");
        Weekdays("lun", "lundi", "mardi", "mer", "mercredi", "jeu", "jeudi", "ven", "vendredi", "sam", "samedi", "dim", "dimanche");
        Weekdays("κυρ", "δευ", "τρι", "τετ", "πεμ", "παρ", "σαβ");

        Add(NameKind.UniversalZone, 0, "gmt", "utc", "ut", "uct");
        Add(NameKind.EtcPrefix, 0, "etc");
        Zone(0, "z", "zulu", "wet");

        // North America, standard and daylight; the bare "AT/ET/CT/MT/PT" are read as standard time, like feedparser.
        Zone(-4 * 60, "ast", "edt");
        Zone(-3 * 60, "adt");
        Zone(-5 * 60, "est", "et", "cdt");
        Zone(-6 * 60, "cst", "ct", "mdt");
        Zone(-7 * 60, "mst", "mt", "pdt");
        Zone(-8 * 60, "pst", "pt", "akdt");
        Zone(-9 * 60, "akst");
        Zone(-10 * 60, "hst");
        Zone(-(3 * 60) - 30, "nst");
        Zone(-(2 * 60) - 30, "ndt");
        Zone(-3 * 60, "brt", "art");

        // Military letters as feedparser reads them (RFC 822's original, inverted signs); the other
        // letters fall to the unknown-zone rule and mean UTC. "a" also means "à" ("à 14h00").
        Zone(1 * 60, "n");
        Zone(-12 * 60, "m");
        Zone(12 * 60, "y");
        Add(NameKind.FillerOrZone, -1 * 60, "a");
        Add(NameKind.FillerOrZone, -4 * 60, "at");

        // Europe and Africa. BST is British Summer Time; MEZ/MESZ are the German names of CET/CEST.
        Zone(1 * 60, "bst", "cet", "met", "mez", "west", "wat");
        Zone(2 * 60, "cest", "mest", "mesz", "eet", "cat", "sast");
        Zone(3 * 60, "eest", "msk", "eat");

        // Asia and Oceania. IST is read as India (+05:30): Indian news sites are by far the main users of
        // "IST" in feeds; Irish and Israeli publishers write numeric offsets or GMT/IDT.
        Zone((5 * 60) + 30, "ist");
        Zone(7 * 60, "wib", "ict");
        Zone(8 * 60, "hkt", "sgt", "awst", "pht");
        Zone(9 * 60, "jst", "kst");
        Zone((9 * 60) + 30, "acst");
        Zone((10 * 60) + 30, "acdt");
        Zone(10 * 60, "aest");
        Zone(11 * 60, "aedt");
        Zone(12 * 60, "nzst");
        Zone(13 * 60, "nzdt");

        Add(NameKind.Meridiem, 1, "am");
        Add(NameKind.Meridiem, 2, "pm");
        names.Add("오전", new Name(NameKind.Meridiem, 1, Korean: true));
        names.Add("오후", new Name(NameKind.Meridiem, 2, Korean: true));
        names.Add("년", new Name(NameKind.KoreanUnit, 1, Korean: true));
        names.Add("월", new Name(NameKind.KoreanUnit, 2, Korean: true));
        names.Add("일", new Name(NameKind.KoreanUnit, 3, Korean: true));

        Add(NameKind.Filler, 0, "le");
        Add(NameKind.TimeSeparator, 0, "t");
        Add(NameKind.HourMark, 0, "h");
        Add(NameKind.OrdinalSuffix, 0, "st", "nd", "rd", "th", "er");

        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
