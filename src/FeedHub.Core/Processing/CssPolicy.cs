using System.Globalization;
using System.Text;
using AngleSharp.Css.Dom;
using AngleSharp.Dom;

namespace FeedHub.Core.Processing;

/// <summary>
/// What may stay in a <c>style</c> attribute: presentational properties (colours, fonts, borders, spacing,
/// alignment, sizes), never what hides content, moves it over the reader's page or loads anything.
/// </summary>
/// <remarks>
/// HtmlSanitizer keeps only the property names listed in <see cref="Properties"/> (AngleSharp.Css has already
/// expanded shorthands into longhands and dropped invalid declarations); <see cref="Apply"/> then checks the values:
/// <list type="bullet">
/// <item>no CSS image or resource at all (url(), image-set(), element()): a CSS image is a tracking pixel the
/// &lt;img&gt; checks never see, so background-image, list-style-image stay only as "none"/"initial";</item>
/// <item>nothing that hides: display:none, zero or tiny font-size, zero or 1px width/height, transparent text,
/// overflow:hidden/clip, cursor:none (visibility, opacity, clip, position, transform are not listed at all);</item>
/// <item>nothing that moves text off-screen or over the reader's own page: negative margins and text-indent,
/// and any length beyond <see cref="MaxLengthPx"/> (99999em) in margins, paddings, text-indent and sizes.</item>
/// </list>
/// Only elements that carry a style attribute pay for this, and no regular expression runs.
/// </remarks>
internal static class CssPolicy
{
    /// <summary>The largest margin, padding, indent or size kept, in CSS pixels (about two screens).</summary>
    private const double MaxLengthPx = 2000;

    /// <summary>Property names HtmlSanitizer lets through (longhands, and the shorthands that serialise them).</summary>
    public static readonly string[] Properties =
    [
        "color", "background", "background-color", "background-image", "background-position", "background-position-x",
        "background-position-y", "background-size", "background-repeat", "background-repeat-x", "background-repeat-y",
        "background-attachment", "background-origin", "background-clip",
        "border", "border-top", "border-right", "border-bottom", "border-left", "border-width", "border-style", "border-color",
        "border-top-width", "border-right-width", "border-bottom-width", "border-left-width",
        "border-top-style", "border-right-style", "border-bottom-style", "border-left-style",
        "border-top-color", "border-right-color", "border-bottom-color", "border-left-color",
        "border-collapse", "border-spacing", "border-radius", "border-top-left-radius", "border-top-right-radius",
        "border-bottom-right-radius", "border-bottom-left-radius",
        "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
        "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
        "font", "font-family", "font-size", "font-style", "font-variant", "font-variant-caps", "font-weight", "font-stretch",
        "line-height", "letter-spacing", "word-spacing",
        "text-align", "text-decoration", "text-decoration-line", "text-decoration-style", "text-decoration-color",
        "text-indent", "text-transform", "vertical-align", "white-space", "word-wrap", "overflow-wrap", "word-break", "direction",
        "list-style", "list-style-type", "list-style-position", "list-style-image",
        "display", "float", "clear", "width", "height", "max-width", "max-height", "overflow", "overflow-x", "overflow-y",
        "cursor", "caption-side", "empty-cells", "table-layout",
    ];

    /// <summary>
    /// Brackets a style may nest: AngleSharp.Css parses calc() and other bracketed values recursively, so that
    /// 10,000 nested "calc((((" exhaust the stack (and no exception can be caught for that). Real styles nest a few.
    /// </summary>
    public const int MaxNesting = 32;

    /// <summary>
    /// Empties, before the HTML is parsed (AngleSharp parses a style as soon as it builds the element), every style
    /// attribute value and &lt;style&gt; element text whose brackets nest deeper than <see cref="MaxNesting"/>. It
    /// over-estimates, never under-estimates: any "style" followed by "=" is taken for an attribute (quoted or not),
    /// every "&amp;#" or "&amp;l" (a character reference that could decode to a bracket) counts as an opening
    /// bracket. Returns <paramref name="html"/> itself when nothing nests that deep.
    /// </summary>
    public static string WithoutDeepNesting(string html)
    {
        List<(int Start, int End)>? doomed = null;
        var at = 0;
        while ((at = html.IndexOf("style", at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var after = at + 5;
            int start;
            int end;
            if (at > 0 && html[at - 1] == '<')
            {
                // A style element: its text runs to the first "</style" (raw text: no character references).
                var gt = html.IndexOf('>', after);
                start = gt < 0 ? html.Length : gt + 1;
                var close = html.IndexOf("</style", start, StringComparison.OrdinalIgnoreCase);
                end = close < 0 ? html.Length : close;
            }
            else
            {
                var i = after;
                while (i < html.Length && char.IsWhiteSpace(html[i]))
                {
                    i++;
                }

                if (i >= html.Length || html[i] != '=')
                {
                    at = after;
                    continue;
                }

                i++;
                while (i < html.Length && char.IsWhiteSpace(html[i]))
                {
                    i++;
                }

                if (i < html.Length && html[i] is '"' or '\'')
                {
                    start = i + 1;
                    var close = html.IndexOf(html[i], start);
                    end = close < 0 ? html.Length : close;
                }
                else
                {
                    start = i;
                    end = i;
                    while (end < html.Length && !char.IsWhiteSpace(html[end]) && html[end] != '>')
                    {
                        end++;
                    }
                }
            }

            if (NestingOf(html.AsSpan(start, end - start)) > MaxNesting)
            {
                (doomed ??= []).Add((start, end));
            }

            at = Math.Max(end, after);
        }

        if (doomed is null)
        {
            return html;
        }

        var kept = new StringBuilder(html.Length);
        var from = 0;
        foreach (var (start, end) in doomed)
        {
            kept.Append(html, from, start - from);
            from = end;
        }

        return kept.Append(html, from, html.Length - from).ToString();
    }

    /// <summary>The deepest bracket nesting in CSS text (an unmatched closing bracket counts for nothing).</summary>
    private static int NestingOf(ReadOnlySpan<char> css)
    {
        var depth = 0;
        var deepest = 0;
        for (var i = 0; i < css.Length; i++)
        {
            switch (css[i])
            {
                case '(' or '[' or '{':
                case '&' when i + 1 < css.Length && css[i + 1] is '#' or 'l' or 'L':
                    deepest = Math.Max(deepest, ++depth);
                    break;
                case ')' or ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
                default:
                    break;
            }
        }

        return deepest;
    }

    /// <summary>Removes the declarations of <paramref name="element"/>'s style that hide content or load resources.</summary>
    public static void Apply(IElement element)
    {
        var style = element.GetStyle();
        var backgroundImage = style.GetPropertyValue("background-image");
        var backgroundColor = style.GetPropertyValue("background-color");
        var backgroundShorthand = backgroundImage is "initial" or "none" && backgroundColor is { Length: > 0 } && backgroundColor != "initial";
        List<string>? doomed = null;
        foreach (var property in style)
        {
            if (!IsAllowed(property.Name, property.Value, backgroundShorthand))
            {
                (doomed ??= []).Add(property.Name);
            }
        }

        if (doomed is null)
        {
            return;
        }

        var kept = new StringBuilder();
        foreach (var property in style)
        {
            if (!doomed.Contains(property.Name, StringComparer.Ordinal))
            {
                kept.Append(property.Name).Append(": ").Append(property.Value);
                kept.Append(property.IsImportant ? " !important; " : "; ");
            }
        }

        if (kept.Length == 0)
        {
            element.RemoveAttribute("style");
        }
        else
        {
            element.SetAttribute("style", kept.ToString().TrimEnd());
        }
    }

    /// <summary>Whether one declaration (as AngleSharp.Css serialises it: longhand name, canonical value) may stay.</summary>
    /// <param name="name">The longhand property name.</param>
    /// <param name="value">Its canonical value.</param>
    /// <param name="backgroundShorthand">
    /// The style sets a background colour and no image: the other background longhands (initial) make up the shorthand.
    /// </param>
    public static bool IsAllowed(string name, string value, bool backgroundShorthand)
    {
        var v = value.Trim();
        if (LoadsResource(v))
        {
            return false;
        }

        switch (name)
        {
            case "background-image":
                return v is "none" or "initial" && backgroundShorthand;
            case "background-color":
                return v != "initial";
            case "list-style-image":
                return v is "none" or "initial";
            case "background-position" or "background-position-x" or "background-position-y" or "background-size"
                or "background-repeat" or "background-repeat-x" or "background-repeat-y" or "background-attachment"
                or "background-origin" or "background-clip":
                // Without an image (FeedHub allows none) these do nothing: kept only as the initial values that
                // make up a "background: <colour>" shorthand.
                return v == "initial" && backgroundShorthand;
            case "display":
                return v != "none";
            case "color":
                return !IsTransparent(v);
            case "overflow" or "overflow-x" or "overflow-y":
                return v is not ("hidden" or "clip");
            case "cursor":
                return v != "none";
            case "font-size":
                return Length(v, percentPx: 0.16) is not { } size || (size.Px >= 6 && size.Px <= MaxLengthPx);
            case "width" or "height" or "max-width" or "max-height":
                return Length(v) is not { } extent || (extent.Px > 1 && extent.Px <= MaxLengthPx * 5);
            case "margin-top" or "margin-right" or "margin-bottom" or "margin-left" or "text-indent":
                return Length(v) is not { } offset || (offset.Px >= 0 && offset.Px <= MaxLengthPx);
            case "padding-top" or "padding-right" or "padding-bottom" or "padding-left":
                return Length(v) is not { } padding || padding.Px <= MaxLengthPx;
            case "letter-spacing" or "word-spacing":
                return Length(v) is not { } spacing || (spacing.Px >= -2 && spacing.Px <= 100);
            default:
                return true;
        }
    }

    private static bool LoadsResource(string value) =>
        value.Contains("url(", StringComparison.OrdinalIgnoreCase)
        || value.Contains("image-set(", StringComparison.OrdinalIgnoreCase)
        || value.Contains("image(", StringComparison.OrdinalIgnoreCase)
        || value.Contains("element(", StringComparison.OrdinalIgnoreCase)
        || value.Contains("expression", StringComparison.OrdinalIgnoreCase);

    private static bool IsTransparent(string value) =>
        value == "transparent"
        || (value.StartsWith("rgba(", StringComparison.Ordinal) && value.EndsWith(", 0)", StringComparison.Ordinal));

    /// <summary>
    /// A single length in CSS pixels (a percentage as <paramref name="percentPx"/> pixels, viewport units generously), or
    /// null for keywords.
    /// A value that is neither (calc(), several values) counts as a huge length, so that checked properties drop it.
    /// </summary>
    private static CssLength? Length(string value, double percentPx = 10)
    {
        if (value.Length == 0 || !(char.IsAsciiDigit(value[0]) || value[0] is '-' or '+' or '.'))
        {
            return value.Contains('(', StringComparison.Ordinal) || value.Contains(' ', StringComparison.Ordinal)
                ? new CssLength(double.MaxValue)
                : null;
        }

        var end = 1;
        while (end < value.Length && (char.IsAsciiDigit(value[end]) || value[end] is '.' or 'e' or 'E') && !IsUnitStart(value, end))
        {
            end++;
        }

        if (!double.TryParse(value.AsSpan(0, end), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return new CssLength(double.MaxValue);
        }

        var factor = value[end..].ToLowerInvariant() switch
        {
            "" or "px" => 1.0,
            "em" or "rem" or "pc" => 16,
            "ex" or "ch" => 8,
            "pt" => 4.0 / 3,
            "in" => 96,
            "cm" => 96 / 2.54,
            "mm" => 96 / 25.4,
            "q" => 96 / 101.6,
            "%" => percentPx,
            "vw" or "vh" or "vmin" or "vmax" or "dvw" or "dvh" or "svw" or "svh" or "lvw" or "lvh" => 20,
            _ => double.NaN,
        };
        return double.IsNaN(factor) ? new CssLength(double.MaxValue) : new CssLength(number * factor);
    }

    /// <summary>An "e" that starts a unit (em, ex) rather than an exponent.</summary>
    private static bool IsUnitStart(string value, int index) =>
        value[index] is 'e' or 'E' && index + 1 < value.Length && char.IsAsciiLetter(value[index + 1]);

    private readonly record struct CssLength(double Px);
}
