using System.Globalization;

namespace FeedHub.Core.Parsing;

/// <summary>Scores a single-byte code page by how natural its words look in the script it stands for.</summary>
internal static partial class LegacyEncodingGuesser
{
    private static double ScoreAlphabetic(ReadOnlySpan<byte> sample, Charset charset, Script script)
    {
        var text = charset.GetStrictEncoding()
            .GetString(sample);

        var score = 0.0;
        var word = default(WordScore);
        var i = 0;
        while (i < text.Length)
        {
            if (word.IsEmpty && text[i] < '\u0080')
            {
                // Skip ASCII (markup, mostly) in bulk: only words holding non-ASCII letters score. Resume at the
                // ASCII letters just before the next non-ASCII character, as they belong to its word.
                var next = text.AsSpan(i).IndexOfAnyExceptInRange('\u0000', '\u007F');
                if (next < 0)
                {
                    break;
                }

                var wordStart = i + next;
                while (wordStart > i && char.IsAsciiLetter(text[wordStart - 1]))
                {
                    wordStart--;
                }

                i = wordStart;
            }

            var c = text[i++];
            var isLetter = char.IsLetter(c);
            if (isLetter || IsCombiningMark(c))
            {
                word.Add(c, isMark: !isLetter, script);
                continue;
            }

            score += word.Finish(script);
            if (c >= '\u0080')
            {
                score += ScoreNonLetter(c, script);
            }
        }

        return score + word.Finish(script);
    }

    private static double ScoreNonLetter(char c, Script script)
    {
        if (IsGarbage(c))
        {
            return -10;
        }

        if (IsCommonPunctuation(c) || (script != Script.Latin && ScriptOf(c) == script))
        {
            return 0;
        }

        return -2;
    }

    /// <summary>What no real text contains: C1 controls, private use (where .NET puts undefined bytes), U+FFFD.</summary>
    private static bool IsGarbage(char c) =>
        c is (>= '\u0080' and <= '\u009F') or (>= '\uE000' and <= '\uF8FF') or '\uFFFD'
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.OtherNotAssigned or UnicodeCategory.Control
            or UnicodeCategory.Surrogate;

    /// <summary>Punctuation every legacy code page shares and real text uses: quotes, dashes, ellipsis, nbsp ...</summary>
    private static bool IsCommonPunctuation(char c) =>
        c is (>= '\u2010' and <= '\u2027') or (>= '\u200B' and <= '\u200F')
            or '\u00A0' or '\u00A1' or '\u00A3' or '\u00A7' or '\u00A9' or '\u00AB' or '\u00AE' or '\u00B0'
            or '\u00B7' or '\u00BB' or '\u00BF' or '\u2030' or '\u2039' or '\u203A' or '\u20AC' or '\u2116'
            or '\u2122';

    private static bool IsCombiningMark(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static bool IsThaiConsonant(char c) => c is >= '\u0E01' and <= '\u0E2E';

    private static Script ScriptOf(char c) => c switch
    {
        < '\u0080' or '\u00AA' or '\u00B5' or '\u00BA' => Script.Latin,
        (>= '\u00C0' and <= '\u024F') and not ('\u00D7' or '\u00F7') => Script.Latin,
        >= '\u1E00' and <= '\u1EFF' => Script.Latin,
        >= '\u0370' and <= '\u03FF' => Script.Greek,
        >= '\u0400' and <= '\u052F' => Script.Cyrillic,
        >= '\u0590' and <= '\u05FF' => Script.Hebrew,
        >= '\u0600' and <= '\u06FF' => Script.Arabic,
        >= '\u0E00' and <= '\u0E7F' => Script.Thai,
        _ => Script.Other,
    };

    /// <summary>
    /// 1 for a plausible letter, adjusted by how common it is in the language (roughly: more than 4.5%,
    /// 1.5-4.5%, 0.5-1.5%, rarer). A wrong code page permutes letters, so its text is full of rare ones.
    /// </summary>
    private static double LetterWeight(char c, Script script)
    {
        var lower = char.ToLowerInvariant(c);
        var (common, frequent, uncommon, rare) = script switch
        {
            Script.Cyrillic => ("оеаинтсрв", "лкмдпуяыьгзб", "чйхжшюі", "цщэфъё"),
            Script.Greek => ("αοιετσςνη", "υρπκμλ", "ωδγχθφβ", "ξζψ"),
            Script.Hebrew => ("יוהלארת", "מבשענדכחקםפסן", "גטצזך", "ףץ"),
            Script.Thai => ("านรอกเงมยลวดท่้", "สตะีิัไแคบปขหพจใโำุูึื็์ช", "ซถผฝฟภศษฮญณธฉฐฒฑฤๆฯ", "ฃฅฆฌฎฏฦฬๅ๎๏"),
            _ => (string.Empty, string.Empty, string.Empty, string.Empty),
        };

        if (common.Length == 0)
        {
            return 1;
        }

        lower = AccentFolding.WithoutAccent(lower);

        return 1 + lower switch
        {
            _ when common.Contains(lower, StringComparison.Ordinal) => 1,
            _ when frequent.Contains(lower, StringComparison.Ordinal) => 0.25,
            _ when uncommon.Contains(lower, StringComparison.Ordinal) => -0.75,
            _ when rare.Contains(lower, StringComparison.Ordinal) => -1.5,

            // Vowel points and the like are not in the tables; letters missing from them are rare ones.
            _ when IsCombiningMark(c) => 0,
            _ => -0.75,
        };
    }

    /// <summary>Accumulates one word (a run of letters and combining marks) and judges whether it looks real.</summary>
    private struct WordScore
    {
        private int _ascii;
        private int _native;
        private int _foreign;
        private int _length;
        private int _nonAsciiRun;
        private int _longestNonAsciiRun;
        private int _upper;
        private bool _sawLower;
        private bool _badShape;
        private bool _afterFinalForm;
        private double _weight;
        private char _previous;

        public void Add(char c, bool isMark, Script script)
        {
            if (c < '\u0080')
            {
                _ascii++;
                _nonAsciiRun = 0;
            }
            else
            {
                _longestNonAsciiRun = Math.Max(_longestNonAsciiRun, ++_nonAsciiRun);
                if (ScriptOf(c) == script)
                {
                    _native++;
                    _weight += LetterWeight(c, script);
                }
                else
                {
                    _foreign++;
                }
            }

            if (script == Script.Cyrillic)
            {
                // The soft sign and yery follow a consonant: never first in a word, never after a vowel.
                _badShape |= char.ToLowerInvariant(c) is 'ь' or 'ы'
                    && (_length == 0 || char.ToLowerInvariant(_previous) is 'а' or 'е' or 'ё' or 'и' or 'о' or 'у'
                        or 'ы' or 'э' or 'ю' or 'я' or 'ь' or 'ъ' or 'й' or 'і' or 'ї' or 'є');
            }
            else if (script == Script.Thai)
            {
                // Thai vowel and tone marks sit on a consonant (possibly after another mark); a leading vowel
                // (เ แ โ ใ ไ) is followed by a consonant. Other bytes read as Thai break these at once.
                _badShape |= (isMark && !IsThaiConsonant(_previous) && !IsCombiningMark(_previous))
                    || (_previous is >= '\u0E40' and <= '\u0E44' && !IsThaiConsonant(c));
            }

            _previous = c;
            if (isMark)
            {
                // A combining mark cannot start a word.
                _badShape |= _length == 0;
            }
            else
            {
                // Hebrew final forms and Greek final sigma only end words.
                _badShape |= _afterFinalForm;
                _afterFinalForm = c is 'ך' or 'ם' or 'ן' or 'ף' or 'ץ' or 'ς';

                // Allowed: lower, Capitalised, UPPER. Swapped-case code pages (KOI8-R vs windows-1251) fail here.
                if (char.IsUpper(c))
                {
                    _badShape |= _sawLower;
                    _upper++;
                }
                else if (char.IsLower(c))
                {
                    _badShape |= _upper >= 2;
                    _sawLower = true;
                }
            }

            _length++;
        }

        public readonly bool IsEmpty => _length == 0;

        public double Finish(Script script)
        {
            if (_length == 0)
            {
                return 0;
            }

            var score = 0.0;
            if (_native + _foreign > 0)
            {
                var implausible = _badShape || _foreign > 0 || (script == Script.Latin
                    ? (_ascii == 0 && _native >= 3) || _longestNonAsciiRun >= 3
                    : _ascii > 0);

                // Thai and Arabic code pages are nearly all letters, so any byte soup reads as "letters": weaker
                // evidence per letter.
                var evidence = script is Script.Thai or Script.Arabic ? 0.5 : 1.0;
                score = implausible ? -2.0 * (_native + _foreign) : evidence * _weight;
            }

            this = default;
            return score;
        }
    }
}
