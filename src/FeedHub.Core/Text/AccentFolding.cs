using System.Globalization;
using System.Text;

namespace FeedHub.Core.Text;

/// <summary>
/// Accent folding, in the two strengths FeedHub needs: "Société" meets "societe", "Ιούλ" meets "Ιουλ".
/// </summary>
/// <remarks>
/// <para>
/// <see cref="RemoveAccents"/> is the full rule, for keys built once per name (categories): Unicode compatibility
/// decomposition (NFKD), then every combining mark dropped, whatever the script ("ﬁ" → "fi", full-width letters
/// too).
/// </para>
/// <para>
/// <see cref="FoldLetter"/> and <see cref="WithoutAccent"/> are the per-character rule for hot paths that must not
/// allocate (every date of every item, every letter the encoding guesser scores): a fixed table of the accented
/// Latin and Greek letters feeds write, which NFKD would fold the same way. It is deliberately not NFKD: that
/// would split Hangul syllables into jamo, and the Korean date words ("오전", "년") must stay whole.
/// </para>
/// </remarks>
public static class AccentFolding
{
    /// <summary>The text in compatibility decomposition (NFKD) without its combining marks; case is kept.</summary>
    /// <remarks>
    /// Lone surrogates and noncharacters (U+FFFE …) are dropped first: <see cref="string.Normalize(NormalizationForm)"/>
    /// throws on them.
    /// </remarks>
    public static string RemoveAccents(string text)
    {
        var decomposed = WithoutInvalidCodePoints(text).Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Lower-cases and strips accents so that "Février", "fevrier" and "FÉVRIER" meet; '\0' drops a combining mark.</summary>
    public static char FoldLetter(char c)
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

        return WithoutAccent(char.ToLowerInvariant(c));
    }

    /// <summary>The base letter of an accented lower-case Latin or Greek letter; any other character unchanged.</summary>
    public static char WithoutAccent(char lower) => lower switch
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
        _ => lower,
    };

    private static string WithoutInvalidCodePoints(string text)
    {
        StringBuilder? kept = null;
        for (var i = 0; i < text.Length;)
        {
            var valid = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length) == System.Buffers.OperationStatus.Done
                && !IsNoncharacter(rune.Value);
            if (!valid)
            {
                kept ??= new StringBuilder(text, 0, i, text.Length);
            }
            else
            {
                kept?.Append(text, i, length);
            }

            i += Math.Max(length, 1);
        }

        return kept?.ToString() ?? text;
    }

    private static bool IsNoncharacter(int value) => (value & 0xFFFE) == 0xFFFE || value is >= 0xFDD0 and <= 0xFDEF;
}
