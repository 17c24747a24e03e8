using static FeedHub.Core.Parsing.DateArithmetic;

namespace FeedHub.Core.Parsing;

/// <summary>What <see cref="IsoDateReader"/> made of a text.</summary>
internal enum IsoOutcome
{
    /// <summary>The text is not ISO 8601 from start to end; let the token reader try.</summary>
    NotIso,

    /// <summary>ISO 8601 in shape, but a value is out of range: the answer is "no date".</summary>
    Invalid,

    Valid,
}

/// <summary>
/// The strict ISO 8601 / RFC 3339 / W3C-DTF reader: the common Atom case, and the only reader that understands the
/// compact numeric forms ("20250303T140000Z", ordinal and week dates). It decides only text that is ISO 8601 from start to end.
/// </summary>
internal static class IsoDateReader
{
    private enum IsoDateKind
    {
        Calendar,
        Ordinal,
        Week,
    }

    internal static IsoOutcome TryParse(ReadOnlySpan<char> s, out DateTimeOffset? result)
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
}
