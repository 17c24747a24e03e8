using System.Text;

namespace FeedHub.Core.Processing;

/// <summary>
/// The comparison key for category names: case- and accent-insensitive, so that "Société", "SOCIETE",
/// "societe" and "société " all meet on "societe". Compatibility forms fold too (NFKD: "ﬁ" → "fi",
/// full-width letters), and so do typographic apostrophes ("l’économie" = "l'économie").
/// </summary>
public static class CategoryKey
{
    public static string Normalize(string name)
    {
        // Lone surrogates and noncharacters (U+FFFE …), which a URL, a JSON Feed tag or a config value can carry, are
        // dropped by the folding: a hostile name is a key like any other, never a 500.
        var decomposed = AccentFolding.RemoveAccents(name.Trim());
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (char.IsWhiteSpace(c) || c is '-' or '_')
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            // Ligatures common in French: "œ" → "oe", "æ" → "ae".
            switch (c)
            {
                case 'œ' or 'Œ':
                    builder.Append("oe");
                    break;
                case 'æ' or 'Æ':
                    builder.Append("ae");
                    break;
                case '\u2019' or '\u2018' or '\u02BC' or '\u2032':
                    builder.Append('\'');
                    break;
                default:
                    builder.Append(char.ToLowerInvariant(c));
                    break;
            }
        }

        return builder.ToString();
    }
}
