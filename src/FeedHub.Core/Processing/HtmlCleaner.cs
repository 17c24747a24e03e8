using AngleSharp.Dom;
using Ganss.Xss;

namespace FeedHub.Core.Processing;

/// <summary>
/// Sanitises item HTML with an allow-list: no scripts, event handlers, javascript:/vbscript:/data: URLs, iframes,
/// forms, embedded objects, SVG/MathML or styles that hide content survive (harmless presentational styles do, see
/// <see cref="CssPolicy"/>); relative URLs become absolute; tracking pixels and tracking query parameters go. Markup
/// too deep or too large to parse in bounded time is degraded to plain text first (<see cref="MarkupBudget"/>), and
/// styles that nest too deep for AngleSharp.Css's recursive parser are emptied before parsing
/// (<see cref="CssPolicy.WithoutDeepNesting"/>): no input can exhaust the stack.
/// One configured instance is shared: Sanitize is thread-safe.
/// </summary>
public sealed class HtmlCleaner
{
    private static readonly string[] Tags =
    [
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blockquote",
        "br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "dir", "div", "dl",
        "dt", "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img",
        "ins", "kbd", "li", "map", "mark", "menu", "meter", "nav", "ol", "p", "picture", "pre", "progress", "q", "rp", "rt",
        "ruby", "s", "samp", "section", "small", "source", "span", "strike", "strong", "sub", "summary", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "video", "wbr",
    ];

    /// <summary>
    /// Attributes kept on any allowed element: descriptive ones, table/list/image-map structure, and the presentational
    /// vocabulary of older HTML (bgcolor, border, cellpadding, font color/face/size, hspace ...), which renders as it
    /// always did and hides nothing. Deliberately absent: every on* handler; id, name and class (they would clobber the
    /// reader page's DOM names and pick up its stylesheet); hidden; accesskey, tabindex, autofocus, contenteditable and
    /// target (they take over the reader's keyboard, focus or windows); ping, background, dynsrc, lowsrc, data, icon
    /// and preload (they fetch something beyond the img/video/audio sources the URL and tracking checks cover); the
    /// attributes of forms and form controls, which are removed; and obsolete proprietary names no browser implements.
    /// </summary>
    private static readonly string[] Attributes =
    [
        "abbr", "align", "alt", "axis", "bgcolor", "border", "bordercolor", "cellpadding", "cellspacing", "char", "charoff",
        "charset", "cite", "clear", "color", "colspan", "compact", "controls", "coords", "datetime", "default", "dir",
        "draggable", "face", "frame", "headers", "height", "high", "href", "hreflang", "hspace", "ismap", "label", "lang",
        "longdesc", "loop", "low", "max", "media", "min", "muted", "nohref", "noshade", "nowrap", "open", "optimum",
        "poster", "rel", "rev", "reversed", "rowspan", "rules", "scope", "shape", "size", "sizes", "span", "src", "srcset",
        "start", "style", "summary", "title", "type", "usemap", "valign", "value", "vspace", "width",
    ];

    /// <summary>
    /// Elements whose content is code or a widget, never reading matter: dropped with their children. Other elements
    /// that are not allowed lose only their tags: the children of object and applet are the fallback content browsers
    /// show when the plugin is missing, so they stay (param and embed inside go).
    /// </summary>
    private static readonly HashSet<string> DropWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "iframe", "frame", "frameset", "embed", "noscript", "template", "form", "select", "textarea",
        "button", "input", "svg", "math", "canvas", "head", "title", "meta", "link", "base",
    };

    private static readonly string[] TrackerHosts =
    [
        "feeds.feedburner.com/~r/", "feedburner.com/~ff/", "pixel.wp.com", "stats.wordpress.com", "www.google-analytics.com",
        "pixel.quantserve.com", "sb.scorecardresearch.com", "ad.doubleclick.net", "feedsportal.com", "pi.feedsportal.com",
        "rss.feedsportal.com/c/", "statcounter.com", "analytics.twitter.com", "/tracking/pixel", "api.mixpanel.com/track",
    ];

    /// <summary>Opens the plain-text stand-in for markup that could not be cleaned in bounded time.</summary>
    public const string DegradedMarker = "[FeedHub: this content's markup is too deeply nested or too large to clean safely; its text follows]";

    /// <summary>The text kept of such markup.</summary>
    private const int MaxDegradedTextLength = 100_000;

    private readonly HtmlSanitizer _sanitizer;

    public HtmlCleaner()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(Attributes, StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href", "src", "cite", "poster", "action", "longdesc", "background"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(CssPolicy.Properties, StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
        };
        _sanitizer = new HtmlSanitizer(options) { KeepChildNodes = true, AllowDataAttributes = false };
        _sanitizer.UriListAttributes.Add("srcset");
        _sanitizer.RemovingTag += (_, e) =>
        {
            if (DropWithContent.Contains(e.Tag.NodeName))
            {
                // Children of code and widgets are not text worth keeping.
                e.Tag.Remove();
                e.Cancel = true;
            }
        };
        _sanitizer.RemovingAttribute += (_, e) =>
        {
            // An image map is found by its name; map names are not DOM-clobbering names (only embed, form, iframe,
            // img and object names are exposed on document).
            if (e.Tag.NodeName == "MAP" && e.Attribute.Name == "name")
            {
                e.Cancel = true;
            }
        };
        _sanitizer.FilterUrl += (_, e) =>
        {
            if (e.SanitizedUrl is not null)
            {
                e.SanitizedUrl = TrackingParameters.Strip(e.SanitizedUrl);
            }
        };
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is not IElement element)
            {
                return;
            }

            if (element.HasAttribute("style"))
            {
                CssPolicy.Apply(element);
            }

            if (element.NodeName == "IMG" && IsTrackingPixel(element))
            {
                element.Remove();
            }
            else if (element.NodeName is "A" or "AREA")
            {
                // Links in republished content open outside the reader and leak no referrer; a feed's own rel goes.
                if (element.HasAttribute("href"))
                {
                    element.SetAttribute("rel", "noopener noreferrer");
                }
                else
                {
                    element.RemoveAttribute("rel");
                }
            }
        };
    }

    /// <summary>Returns safe HTML; relative URLs are resolved against <paramref name="baseUri"/> when it is absolute.</summary>
    public string Clean(string html, Uri? baseUri)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return string.Empty;
        }

        var baseUrl = baseUri is not null && PublicUrl.IsWeb(baseUri) ? baseUri.AbsoluteUri : string.Empty;
        var input = TextCleaner.StripInvalidXmlChars(html);

        // No tag at all (most summaries): nothing to sanitise, only entities to normalise. Decoding then escaping
        // keeps "&lt;script&gt;" as text, exactly as the sanitiser would, without building a DOM.
        if (input.IndexOf('<', StringComparison.Ordinal) < 0)
        {
            return TextCleaner.EscapeHtml(TextCleaner.StripInvalidXmlChars(TextCleaner.DecodeHtmlText(input))).Trim();
        }

        if (!MarkupBudget.Fits(input))
        {
            return Degraded(input);
        }

        // Most feeds' markup is a few well-nested paragraphs, lists, links and images: one pass writes what the DOM
        // sanitiser would, and anything else takes the DOM path below.
        if (SimpleMarkup.TryClean(input) is { } simple)
        {
            return TextCleaner.StripInvalidXmlChars(simple).Trim();
        }

        return CleanWithDom(input, baseUrl);
    }

    /// <summary>The DOM sanitiser alone, for markup within the budget (the fast path's reference).</summary>
    internal string CleanWithDom(string input, string baseUrl)
    {
        input = CssPolicy.WithoutDeepNesting(input);

        // Stripped again after sanitising: character references such as "&#1;" or "&#xFFFE;" only become
        // characters XML cannot carry once the HTML is parsed, and the serialiser writes them out raw.
        return TextCleaner.StripInvalidXmlChars(_sanitizer.Sanitize(input, baseUrl)).Trim();
    }

    /// <summary>
    /// Markup too deep or too large to parse in bounded time (a hostile feed can make an HTML parser's work grow with
    /// the square of its input): its text only, escaped, after a marker saying so.
    /// </summary>
    private static string Degraded(string html)
    {
        var text = TextCleaner.CollapseWhitespace(TextCleaner.StripInvalidXmlChars(MarkupBudget.TextOf(html)));
        text = TextCleaner.Truncate(text, MaxDegradedTextLength);
        var marker = "<p>" + TextCleaner.EscapeHtml(DegradedMarker) + "</p>";
        return text.Length == 0 ? marker : marker + "<p>" + TextCleaner.EscapeHtml(text) + "</p>";
    }

    private static bool IsTrackingPixel(IElement image) =>
        IsTrackingPixel(image.GetAttribute("src") ?? string.Empty, image.GetAttribute("width"), image.GetAttribute("height"));

    /// <summary>An image from a known tracker, or 1×1 (or 0×0) pixels: removed.</summary>
    internal static bool IsTrackingPixel(string src, string? width, string? height) =>
        TrackerHosts.Any(host => src.Contains(host, StringComparison.OrdinalIgnoreCase)) || (IsTiny(width) && IsTiny(height));

    private static bool IsTiny(string? dimension) =>
        dimension is not null && dimension.Trim().TrimEnd('x', 'p').Trim() is "0" or "1";
}
