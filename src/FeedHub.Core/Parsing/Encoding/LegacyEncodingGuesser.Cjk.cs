namespace FeedHub.Core.Parsing;

/// <summary>Scores a CJK multi-byte encoding by walking its code layout: kana, Hangul, first- and second-level han.</summary>
internal static partial class LegacyEncodingGuesser
{
    private static double ScoreCjk(ReadOnlySpan<byte> sample, CjkScheme scheme)
    {
        int punctuation = 0, kana = 0, halfwidthKana = 0, jamo = 0, han = 0, rareHan = 0, foreign = 0, invalid = 0;
        int runHangul = 0, runRareHangul = 0, runHan = 0, runLength = 0, doubleByte = 0, lowTrail = 0;
        var hangulScore = 0.0;
        while (true)
        {
            // ASCII (markup, mostly) only ends a run of Hangul: skip it in bulk.
            var next = sample.IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
            if (next != 0)
            {
                CloseRun();
                if (next < 0)
                {
                    break;
                }

                sample = sample[next..];
            }

            var (kind, length) = NextCharacter(sample, scheme);
            if (length == 2)
            {
                doubleByte++;
                lowTrail += sample[1] < 0xA1 ? 1 : 0;
            }

            sample = sample[length..];
            switch (kind)
            {
                case CjkClass.Hangul:
                    runHangul++;
                    break;
                case CjkClass.RareHangul:
                    runRareHangul++;
                    break;
                case CjkClass.Han:
                    han++;
                    runHan++;
                    break;
                case CjkClass.RareHan:
                    rareHan++;
                    runHan++;
                    break;
                case CjkClass.Kana:
                    kana++;
                    break;
                case CjkClass.HalfwidthKana:
                    halfwidthKana++;
                    break;
                case CjkClass.Jamo:
                    jamo++;
                    break;
                default:
                    punctuation += kind == CjkClass.Punctuation ? 1 : 0;
                    foreign += kind == CjkClass.Foreign ? 1 : 0;
                    invalid += kind == CjkClass.Invalid ? 1 : 0;
                    CloseRun();
                    continue;
            }

            runLength++;
        }

        CloseRun();

        var penalties = (2.0 * foreign) + (10.0 * invalid);
        return scheme switch
        {
            // Japanese prose is a third kana or more; without kana, kanji are as likely Chinese.
            CjkScheme.ShiftJis or CjkScheme.EucJp =>
                (0.5 * punctuation) + (2.0 * kana) - halfwidthKana - penalties
                + ((kana >= 0.05 * (kana + han + rareHan) ? 1.0 : 0.25) * (han + (0.25 * rareHan))),
            CjkScheme.EucKr => (0.5 * punctuation) + hangulScore - (3.0 * kana) - (2.0 * jamo) - penalties,
            CjkScheme.Gb => (0.5 * punctuation) + (1.5 * han) + (0.25 * rareHan) - (3.0 * kana) - penalties,

            // About half of all Big5 characters have a trail byte below 0xA1; EUC-JP/EUC-KR/GB2312 text never
            // does. A "Big5" text without any is one of those, read in the wrong code layout.
            _ => ((doubleByte >= 8 && lowTrail == 0 ? 0.25 : 1.0) * ((0.5 * punctuation) + (1.5 * han) + (0.25 * rareHan)))
                - (3.0 * kana) - penalties,
        };

        // Korean separates words with spaces and rarely mixes hanja into a word; Chinese or Japanese bytes read
        // as EUC-KR give long runs that mix "Hangul" with "hanja".
        void CloseRun()
        {
            if (runHan == 0 && runLength <= 12)
            {
                hangulScore += (2.5 * runHangul) + (0.1 * runRareHangul);
            }

            runHangul = runRareHangul = runHan = runLength = 0;
        }
    }

    /// <summary>Classifies the next character of a CJK multi-byte encoding from its code layout.</summary>
    private static (CjkClass Kind, int Length) NextCharacter(ReadOnlySpan<byte> s, CjkScheme scheme)
    {
        var lead = s[0];
        if (lead < 0x80)
        {
            return (CjkClass.Ascii, 1);
        }

        var trail = s.Length > 1 ? s[1] : (byte)0;
        var isHighTrail = trail is >= 0xA1 and <= 0xFE;
        switch (scheme)
        {
            case CjkScheme.ShiftJis:
                if (lead is >= 0xA1 and <= 0xDF)
                {
                    return (CjkClass.HalfwidthKana, 1);
                }

                if (lead is (>= 0x81 and <= 0x9F) or (>= 0xE0 and <= 0xFC)
                    && trail is (>= 0x40 and <= 0x7E) or (>= 0x80 and <= 0xFC))
                {
                    var row = ((lead <= 0x9F ? lead - 0x81 : lead - 0xC1) * 2) + 1 + (trail >= 0x9F ? 1 : 0);
                    return (JisRow(row), 2);
                }

                break;

            case CjkScheme.EucJp:
                if (lead == 0x8E && trail is >= 0xA1 and <= 0xDF)
                {
                    return (CjkClass.HalfwidthKana, 2);
                }

                if (lead == 0x8F && isHighTrail && s.Length > 2 && s[2] is >= 0xA1 and <= 0xFE)
                {
                    return (CjkClass.RareHan, 3);
                }

                if (lead is >= 0xA1 and <= 0xFE && isHighTrail)
                {
                    return (JisRow(lead - 0xA0), 2);
                }

                break;

            case CjkScheme.EucKr:
                if (lead is >= 0xA1 and <= 0xFE && isHighTrail)
                {
                    return (lead switch
                    {
                        <= 0xA3 => CjkClass.Punctuation,
                        0xA4 => CjkClass.Jamo,
                        0xAA or 0xAB => CjkClass.Kana,
                        >= 0xB0 and <= 0xC8 => CjkClass.Hangul,
                        >= 0xCA and <= 0xFD => CjkClass.Han,
                        _ => CjkClass.Foreign,
                    }, 2);
                }

                // Windows-949 (UHC) extension: the Hangul syllables EUC-KR lacks.
                if (lead is >= 0x81 and <= 0xC6 && trail is (>= 0x41 and <= 0x5A) or (>= 0x61 and <= 0x7A) or (>= 0x81 and <= 0xFE))
                {
                    return (CjkClass.RareHangul, 2);
                }

                break;

            case CjkScheme.Gb:
                if (lead == 0x80)
                {
                    // The euro sign in GBK and GB18030.
                    return (CjkClass.Punctuation, 1);
                }

                if (lead is >= 0x81 and <= 0xFE && trail is >= 0x30 and <= 0x39)
                {
                    return s.Length > 3 && s[2] is >= 0x81 and <= 0xFE && s[3] is >= 0x30 and <= 0x39
                        ? (CjkClass.Foreign, 4)
                        : (CjkClass.Invalid, 1);
                }

                if (lead is >= 0x81 and <= 0xFE && trail is (>= 0x40 and <= 0x7E) or (>= 0x80 and <= 0xFE))
                {
                    return (!isHighTrail ? CjkClass.RareHan : lead switch
                    {
                        0xA1 or 0xA3 => CjkClass.Punctuation,
                        0xA4 or 0xA5 => CjkClass.Kana,
                        >= 0xB0 and <= 0xD7 => CjkClass.Han,
                        >= 0xD8 and <= 0xF7 => CjkClass.RareHan,
                        < 0xA1 => CjkClass.RareHan,
                        _ => CjkClass.Foreign,
                    }, 2);
                }

                break;

            case CjkScheme.Big5:
                if (lead is >= 0xA1 and <= 0xF9 && trail is (>= 0x40 and <= 0x7E) or (>= 0xA1 and <= 0xFE))
                {
                    return (((lead << 8) | trail) switch
                    {
                        < 0xA344 => CjkClass.Punctuation,
                        >= 0xA440 and <= 0xC67E => CjkClass.Han,
                        >= 0xC940 and <= 0xF9D5 => CjkClass.RareHan,
                        _ => CjkClass.Foreign,
                    }, 2);
                }

                break;
        }

        return (CjkClass.Invalid, 1);
    }

    /// <summary>What a row of the JIS X 0208 table holds (Shift_JIS and EUC-JP share it).</summary>
    private static CjkClass JisRow(int row) => row switch
    {
        <= 3 => CjkClass.Punctuation,
        4 or 5 => CjkClass.Kana,
        >= 16 and <= 47 => CjkClass.Han,
        (>= 48 and <= 84) or (>= 115 and <= 120) => CjkClass.RareHan,
        _ => CjkClass.Foreign,
    };
}
