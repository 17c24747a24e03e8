using System.Collections.Frozen;

namespace FeedHub.Core.Parsing;

/// <summary>
/// The words dates are written with: day and month names (English, French, and a few Greek, Hungarian and Korean),
/// time zone abbreviations, AM/PM and the fillers around them, looked up through a span-keyed frozen dictionary.
/// </summary>
internal static class DateNames
{
    // The longest name we know is "wednesday"/"septembre"/"szeptember"; longer words cannot match.
    private const int MaxWordLength = 12;

    private static readonly FrozenDictionary<string, Name> Names = BuildNames();

    private static readonly FrozenDictionary<string, Name>.AlternateLookup<ReadOnlySpan<char>> NameLookup =
        Names.GetAlternateLookup<ReadOnlySpan<char>>();

    internal enum NameKind : byte
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
    internal readonly record struct Name(NameKind Kind, int Value, bool Korean = false);

    /// <summary>Looks a word up, folded (lower case, no accents) so that "Février", "fevrier" and "FÉVRIER" meet.</summary>
    internal static bool TryLookup(ReadOnlySpan<char> word, out Name name)
    {
        name = default;
        if (word.Length > MaxWordLength)
        {
            return false;
        }

        Span<char> folded = stackalloc char[MaxWordLength];
        int length = 0;
        foreach (char c in word)
        {
            char f = AccentFolding.FoldLetter(c);
            if (f != '\0')
            {
                folded[length++] = f;
            }
        }

        return NameLookup.TryGetValue(folded[..length], out name);
    }

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
