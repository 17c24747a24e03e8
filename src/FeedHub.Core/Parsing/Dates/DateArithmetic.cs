using System.Globalization;

namespace FeedHub.Core.Parsing;

/// <summary>The calendar arithmetic both date readers share: day numbers, digits, and the final UTC instant.</summary>
internal static class DateArithmetic
{
    // Real offsets stay within ±14:00; ±18:00 is the widest any time zone library accepts.
    internal const int MaxOffsetMinutes = 18 * 60;

    /// <summary>RFC 2822 §4.3: two-digit years below 50 are 20xx, the others 19xx.</summary>
    internal static int ExpandTwoDigitYear(int year) => year < 50 ? 2000 + year : 1900 + year;

    internal static bool TryGetDayNumber(int year, int month, int day, out int dayNumber)
    {
        dayNumber = 0;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        dayNumber = new DateOnly(year, month, day).DayNumber;
        return true;
    }

    internal static bool TryGetOrdinalDayNumber(int year, int dayOfYear, out int dayNumber)
    {
        dayNumber = 0;
        if (year is < 1 or > 9999 || dayOfYear < 1 || dayOfYear > (DateTime.IsLeapYear(year) ? 366 : 365))
        {
            return false;
        }

        dayNumber = new DateOnly(year, 1, 1).DayNumber + dayOfYear - 1;
        return true;
    }

    internal static bool TryGetWeekDayNumber(int year, int week, int dayOfWeek, out int dayNumber)
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
    internal static DateTimeOffset? Compose(int dayNumber, int hour, int minute, int second, long fractionTicks, int offsetMinutes)
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

    internal static int CountDigits(ReadOnlySpan<char> s, int pos)
    {
        int start = pos;
        while (pos < s.Length && char.IsAsciiDigit(s[pos]))
        {
            pos++;
        }

        return pos - start;
    }

    /// <summary>Reads exactly <paramref name="count"/> digits (at most 9) at <paramref name="pos"/>.</summary>
    internal static bool TryReadDigits(ReadOnlySpan<char> s, int pos, int count, out int value)
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
    internal static long FractionToTicks(ReadOnlySpan<char> digits)
    {
        long ticks = 0;
        for (int i = 0; i < 7; i++)
        {
            ticks = (ticks * 10) + (i < digits.Length ? digits[i] - '0' : 0);
        }

        return ticks;
    }
}
