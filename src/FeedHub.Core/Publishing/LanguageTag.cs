using System.Text.RegularExpressions;

namespace FeedHub.Core.Publishing;

/// <summary>
/// Language tags as feeds carry them (RSS &lt;language&gt;, Atom xml:lang, JSON Feed language): BCP 47 (RFC 5646) in
/// its common well-formed shape, a 2–3 letter language (or a private x- tag; no language has a longer subtag) and subtags of 1–8 letters or
/// digits, e.g. "fr", "fr-FR", "zh-Hant-TW", "de-CH-1996".
/// </summary>
public static partial class LanguageTag
{
    /// <summary>True when <paramref name="tag"/> is a well-formed language tag (at most 35 characters).</summary>
    public static bool IsWellFormed(string? tag) => tag is { Length: > 0 and <= 35 } && Shape().IsMatch(tag);

    /// <summary>
    /// The most common well-formed language among <paramref name="languages"/> (compared case-insensitively, the
    /// first spelling seen kept); ties go to the alphabetically first; null when none is well-formed.
    /// </summary>
    public static string? MostCommon(IEnumerable<string?> languages) =>
        languages
            .Select(l => l?.Trim())
            .Where(IsWellFormed)
            .GroupBy(l => l!, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First())
            .FirstOrDefault();

    [GeneratedRegex("^(?:[A-Za-z]{2,3}|[xX])(?:-[A-Za-z0-9]{1,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
