using AngleSharp.Dom;
using Ganss.Xss;

namespace FeedHub.Core.Processing;

/// <summary>
/// Sanitises item HTML with an allow-list: no scripts, event handlers, javascript: URLs, iframes,
/// styles, forms or embedded objects survive; relative URLs become absolute; tracking pixels and
/// tracking query parameters go. One configured instance is shared: Sanitize is thread-safe.
/// </summary>
public sealed class HtmlCleaner
{
    private static readonly string[] Tags =
    [
        "a", "abbr", "acronym", "address", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blockquote", "br",
        "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "dir", "div", "dl", "dt",
        "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img",
        "ins", "kbd", "li", "mark", "menu", "nav", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp",
        "section", "small", "source", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "video", "wbr",
    ];

    private static readonly string[] Attributes =
    [
        "abbr", "align", "alt", "cite", "colspan", "controls", "datetime", "dir", "headers", "height", "href", "hreflang",
        "lang", "loop", "muted", "poster", "reversed", "rowspan", "scope", "sizes", "span", "src", "srcset", "start",
        "summary", "title", "type", "valign", "width",
    ];

    /// <summary>Elements whose content is code or a widget, never reading matter: dropped with their children.</summary>
    private static readonly HashSet<string> DropWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "template", "form",
        "select", "textarea", "button", "input", "svg", "math", "canvas", "head", "title", "meta", "link", "base",
    };

    private static readonly string[] TrackerHosts =
    [
        "feeds.feedburner.com/~r/", "feedburner.com/~ff/", "pixel.wp.com", "stats.wordpress.com", "www.google-analytics.com",
        "pixel.quantserve.com", "sb.scorecardresearch.com", "ad.doubleclick.net", "feedsportal.com", "pi.feedsportal.com",
        "rss.feedsportal.com/c/", "statcounter.com", "analytics.twitter.com", "/tracking/pixel", "api.mixpanel.com/track",
    ];

    private readonly HtmlSanitizer _sanitizer;

    public HtmlCleaner()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(Attributes, StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href", "src", "cite", "poster", "action", "longdesc", "background"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
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
        _sanitizer.FilterUrl += (_, e) =>
        {
            if (e.SanitizedUrl is not null)
            {
                e.SanitizedUrl = TrackingParameters.Strip(e.SanitizedUrl);
            }
        };
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { NodeName: "IMG" } image && IsTrackingPixel(image))
            {
                image.Remove();
            }
            else if (e.Node is IElement { NodeName: "A" } anchor && anchor.HasAttribute("href"))
            {
                // Links in republished content open outside the reader and leak no referrer.
                anchor.SetAttribute("rel", "noopener noreferrer");
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

        var baseUrl = baseUri is { IsAbsoluteUri: true } && (baseUri.Scheme == Uri.UriSchemeHttp || baseUri.Scheme == Uri.UriSchemeHttps)
            ? baseUri.AbsoluteUri
            : string.Empty;
        // Stripped again after sanitising: character references such as "&#1;" or "&#xFFFE;" only become
        // characters XML cannot carry once the HTML is parsed, and the serialiser writes them out raw.
        return TextCleaner.StripInvalidXmlChars(_sanitizer.Sanitize(TextCleaner.StripInvalidXmlChars(html), baseUrl)).Trim();
    }

    private static bool IsTrackingPixel(IElement image)
    {
        var src = image.GetAttribute("src") ?? string.Empty;
        if (TrackerHosts.Any(host => src.Contains(host, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return IsTiny(image.GetAttribute("width")) && IsTiny(image.GetAttribute("height"));
    }

    private static bool IsTiny(string? dimension) =>
        dimension is not null && dimension.Trim().TrimEnd('x', 'p').Trim() is "0" or "1";
}
