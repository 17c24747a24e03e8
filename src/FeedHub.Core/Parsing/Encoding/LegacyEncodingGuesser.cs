namespace FeedHub.Core.Parsing;

/// <summary>
/// Guesses the legacy encoding of bytes that are not UTF-8 and carry no usable label, so that an undeclared
/// Shift_JIS or KOI8-R feed does not come out as windows-1252 mojibake. Deliberately small and conservative:
/// windows-1252 wins unless another candidate is clearly more plausible.
/// </summary>
/// <remarks>
/// Each candidate is scored on how natural the resulting text would be, from the structure of the writing
/// systems rather than from large frequency tables:
/// <list type="bullet">
/// <item>
/// Single-byte code pages (windows-1252/1251/1253/1255/1256/874, KOI8-R): words must not mix scripts, must be lower-case,
/// Capitalised or UPPER-CASE (KOI8-R read as windows-1251 and vice versa swaps the case of every letter),
/// Hebrew final forms must end words, combining marks must follow a letter, and common letters of the
/// language score higher than rare ones. For windows-1252, accented letters must sit inside mostly-ASCII
/// words ("forêt"), which is what tells Western text from Cyrillic or CJK bytes read as Latin-1.
/// </item>
/// <item>
/// CJK encodings are walked byte by byte using their code layouts: Hangul syllables in short, space-separated
/// runs say EUC-KR; kana says Japanese (and rules Chinese out); the first-level (most frequent) hanzi or
/// kanji blocks score higher than the second level; symbols, kana-in-Chinese and invalid sequences cost.
/// </item>
/// </list>
/// Undefined bytes, C1 controls and private-use characters cost the most. Central European (windows-1250)
/// is not a candidate: read as windows-1252 it looks just as plausible without per-language letter tables.
/// <para>
/// Kept over the maintained UTF.Unknown 2.8.0 (uchardet), measured in December 2026 in its place: both named all
/// 10 files of feedparser's corpus and TestData/encoding that reach this stage, and all 18 harder variants (the
/// same files cut to 200-800 bytes, declared windows-1251/1252 files with their declaration removed); a tie does
/// not pay for a dependency.
/// </para>
/// </remarks>
internal static partial class LegacyEncodingGuesser
{
    /// <summary>At most this much of the document is judged, which keeps the guess cheap on large feeds.</summary>
    private const int SampleLimit = 64 * 1024;

    /// <summary>This many non-ASCII bytes (a few thousand characters of text) are plenty to judge.</summary>
    private const int EvidenceLimit = 8 * 1024;

    /// <summary>How much better than windows-1252 another candidate must score.</summary>
    private const double Margin = 2;

    private static readonly (Charset Charset, Script Script)[] AlphabeticCandidates =
    [
        (new Charset("windows-1251", 1251), Script.Cyrillic),
        (new Charset("koi8-r", 20866), Script.Cyrillic),
        (new Charset("windows-1253", 1253), Script.Greek),
        (new Charset("windows-1255", 1255), Script.Hebrew),
        (new Charset("windows-1256", 1256), Script.Arabic),
        (new Charset("windows-874", 874), Script.Thai),
    ];

    private static readonly (Charset Charset, CjkScheme Scheme)[] CjkCandidates =
    [
        (new Charset("shift_jis", 932), CjkScheme.ShiftJis),
        (new Charset("euc-jp", 51932), CjkScheme.EucJp),
        (new Charset("euc-kr", 949), CjkScheme.EucKr),
        (new Charset("gb18030", 54936), CjkScheme.Gb),
        (new Charset("big5", 950), CjkScheme.Big5),
    ];

    private enum Script : byte
    {
        Other,
        Latin,
        Greek,
        Cyrillic,
        Hebrew,
        Arabic,
        Thai,
    }

    private enum CjkScheme : byte
    {
        ShiftJis,
        EucJp,
        EucKr,
        Gb,
        Big5,
    }

    private enum CjkClass : byte
    {
        Ascii,
        Punctuation,
        Kana,
        HalfwidthKana,
        Hangul,
        RareHangul,
        Jamo,
        Han,
        RareHan,
        Foreign,
        Invalid,
    }

    internal static Charset Guess(ReadOnlySpan<byte> bytes)
    {
        var sample = Sample(bytes);
        var baseline = ScoreAlphabetic(sample, Charset.Windows1252, Script.Latin);
        var (best, bestScore) = (Charset.Windows1252, baseline);

        foreach (var (charset, script) in AlphabeticCandidates)
        {
            var score = ScoreAlphabetic(sample, charset, script);
            if (score > bestScore)
            {
                (best, bestScore) = (charset, score);
            }
        }

        foreach (var (charset, scheme) in CjkCandidates)
        {
            var score = ScoreCjk(sample, scheme);
            if (score > bestScore)
            {
                (best, bestScore) = (charset, score);
            }
        }

        return bestScore > Math.Max(0, baseline) + Margin ? best : Charset.Windows1252;
    }

    /// <summary>
    /// The start of the document, up to <see cref="SampleLimit"/> bytes or <see cref="EvidenceLimit"/> non-ASCII
    /// bytes, whichever comes first, cut after an ASCII byte so that no character is split.
    /// </summary>
    private static ReadOnlySpan<byte> Sample(ReadOnlySpan<byte> bytes)
    {
        var limit = Math.Min(bytes.Length, SampleLimit);
        var end = 0;
        for (var seen = 0; seen < EvidenceLimit; seen++)
        {
            var next = bytes[end..limit].IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
            if (next < 0)
            {
                end = limit;
                break;
            }

            end += next + 1;
        }

        if (end == bytes.Length)
        {
            return bytes;
        }

        var lastAscii = bytes[..end].LastIndexOfAnyInRange((byte)0x00, (byte)0x7F);
        return lastAscii > 0 ? bytes[..(lastAscii + 1)] : bytes[..end];
    }
}
