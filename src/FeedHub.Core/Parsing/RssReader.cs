using System.Globalization;
using System.Xml.Linq;

namespace FeedHub.Core.Parsing;

/// <summary>Adapts RSS 0.9x/2.0 (&lt;rss&gt;), RSS 1.0/0.90 (RDF) and RSS 1.1 (&lt;Channel&gt;) documents to the feed model.</summary>
internal static class RssReader
{
    private static readonly XNamespace FeedBurner = "http://rssnamespace.org/feedburner/ext/1.0";

    public static ParsedFeed Read(XElement root, Uri? documentBase, List<string> warnings)
    {
        var isRdf = root.Name.LocalName == "RDF";
        var isRss11 = root.Name == FeedNamespaces.Rss11 + "Channel";
        var channel = isRss11 || root.Name.LocalName == "channel" ? root : Core(root, "channel");
        channel ??= root;

        // Items are children of <channel> in RSS 0.9x/2.0, siblings of it in RDF, and members of the channel's
        // <items rdf:parseType="Collection"> in RSS 1.1 (where RSS 1.0's <items> holds an rdf:Seq, no items); accept all.
        var itemElements = channel.Elements().Where(IsItem);
        if (!ReferenceEquals(channel, root))
        {
            itemElements = itemElements.Concat(root.Elements().Where(IsItem));
        }

        if (Core(channel, "items") is { } collection)
        {
            itemElements = itemElements.Concat(collection.Elements().Where(IsItem));
        }

        var feedLink = XmlText.Value(Core(channel, "link"));
        var channelBase = XmlText.BaseOf(channel, documentBase);
        var feedBase = FeedBase(channel, channelBase, feedLink);
        var language = XmlText.NormalizeLanguage(XmlText.Value(Core(channel, "language")) ?? XmlText.Value(channel.Element(FeedNamespaces.Dc + "language")))
            ?? XmlText.LanguageOf(channel, null);

        var feedAuthors = People(
            Core(channel, "managingEditor"), Core(channel, "webMaster"), Core(channel, "author"),
            channel.Elements(FeedNamespaces.Dc + "creator"), channel.Elements(FeedNamespaces.Dc + "author"), ITunes(channel, "author"));

        var items = new List<ParsedItem>();
        foreach (var element in itemElements)
        {
            if (element.Annotation<XmlFeedLoader.Incomplete>() is not null)
            {
                continue;
            }

            items.Add(ReadItem(element, feedBase, language, documentBase));
        }

        var selfLink = channel.Elements(FeedNamespaces.Atom10 + "link")
            .FirstOrDefault(l => string.Equals(l.Attribute("rel")?.Value, "self", StringComparison.OrdinalIgnoreCase));

        return new ParsedFeed
        {
            Format = isRss11 ? FeedFormat.Rss11 : isRdf ? FeedFormat.Rdf : FeedFormat.Rss,
            Version = isRss11 ? "1.1" : isRdf ? (IsRss090(root) ? "0.90" : "1.0") : XmlText.Attribute(root, "version"),
            Title = Text(XmlText.RssPlain, Core(channel, "title") ?? channel.Element(FeedNamespaces.Dc + "title"), channel, feedBase, language),
            Subtitle = Text(XmlText.RssHtml, Core(channel, "description") ?? channel.Element(FeedNamespaces.Dc + "description"), channel, feedBase, language)
                ?? Text(XmlText.RssPlain, ITunes(channel, "subtitle") ?? ITunes(channel, "summary"), channel, feedBase, language),
            Link = XmlText.ResolveLink(feedLink, channelBase),
            SelfLink = XmlText.ResolveLink(XmlText.Attribute(selfLink, "href"), channelBase),
            Id = isRdf ? XmlText.Attribute(channel, FeedNamespaces.Rdf + "about") : null,
            Language = language,
            Rights = Text(XmlText.RssPlain, Core(channel, "copyright") ?? channel.Element(FeedNamespaces.Dc + "rights"), channel, feedBase, language),
            Generator = XmlText.Value(Core(channel, "generator")),
            ImageUrl = XmlText.ResolveLink(XmlText.Value(Core(Core(channel, "image") ?? Core(root, "image"), "url")), channelBase),
            Updated = FeedDateParser.Parse(XmlText.Value(Core(channel, "lastBuildDate")))
                ?? FeedDateParser.Parse(XmlText.Value(Core(channel, "pubDate")))
                ?? FeedDateParser.Parse(XmlText.Value(channel.Element(FeedNamespaces.Dc + "date")))
                ?? FeedDateParser.Parse(XmlText.Value(channel.Element(FeedNamespaces.DcTerms + "modified"))),
            Authors = feedAuthors,
            Categories = Categories(channel),
            BaseUri = feedBase,
            Hints = ReadHints(channel, root),
            Items = items,
            Warnings = warnings,
        };
    }

    private static ParsedItem ReadItem(XElement item, Uri? feedBase, string? feedLanguage, Uri? documentBase)
    {
        var itemBase = item.Attribute(FeedNamespaces.Xml + "base") is null ? feedBase : XmlText.BaseOf(item, feedBase ?? documentBase);

        var guidElement = Core(item, "guid");
        var guid = XmlText.Value(guidElement);
        var permalinkAttribute = XmlText.Attribute(guidElement, "isPermaLink");
        var guidIsPermalink = guid is not null && !string.Equals(permalinkAttribute, "false", StringComparison.OrdinalIgnoreCase);
        var id = guid ?? XmlText.Attribute(item, FeedNamespaces.Rdf + "about") ?? XmlText.Value(item.Element(FeedNamespaces.Dc + "identifier"));

        var link = XmlText.Value(item.Element(FeedBurner + "origLink"))
            ?? XmlText.Value(Core(item, "link"))
            ?? AtomAlternate(item);
        if (link is null && guidIsPermalink && guid!.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            link = guid;
        }

        var publishedText = XmlText.Value(Core(item, "pubDate"))
            ?? XmlText.Value(item.Element(FeedNamespaces.Dc + "date"))
            ?? XmlText.Value(item.Element(FeedNamespaces.DcTerms + "issued"))
            ?? XmlText.Value(item.Element(FeedNamespaces.DcTerms + "created"))
            ?? XmlText.Value(item.Element(FeedNamespaces.Atom10 + "published"));
        var updatedText = XmlText.Value(item.Element(FeedNamespaces.DcTerms + "modified"))
            ?? XmlText.Value(item.Element(FeedNamespaces.Atom10 + "updated"));

        var language = XmlText.NormalizeLanguage(XmlText.Value(item.Element(FeedNamespaces.Dc + "language"))) ?? XmlText.LanguageOf(item, feedLanguage);
        var content = Text(XmlText.RssHtml, item.Element(FeedNamespaces.Content + "encoded"), item, itemBase, language)
            ?? XhtmlBody(item, itemBase, language);
        var summary = Text(XmlText.RssHtml, Core(item, "description") ?? item.Element(FeedNamespaces.Dc + "description"), item, itemBase, language)
            ?? Text(XmlText.RssPlain, ITunes(item, "summary"), item, itemBase, language);
        var sourceElement = Core(item, "source");

        return new ParsedItem
        {
            Id = id,
            IdIsPermalink = guidIsPermalink,
            Link = XmlText.ResolveLink(link, itemBase),
            Title = Text(XmlText.RssPlain, Core(item, "title") ?? item.Element(FeedNamespaces.Dc + "title") ?? item.Element(FeedNamespaces.Media + "title"), item, itemBase, language),
            Summary = summary,
            Content = content,
            Authors = People(Core(item, "author"), item.Elements(FeedNamespaces.Dc + "creator"), item.Elements(FeedNamespaces.Dc + "author"), ITunes(item, "author")),
            Contributors = People(item.Elements(FeedNamespaces.Dc + "contributor")),
            Categories = Categories(item),
            Enclosures = Enclosures(item, itemBase),
            PublishedText = publishedText,
            Published = FeedDateParser.Parse(publishedText),
            UpdatedText = updatedText,
            Updated = FeedDateParser.Parse(updatedText),
            Language = language,
            BaseUri = itemBase,
            Source = sourceElement is null
                ? null
                : new FeedSourceRef(null, XmlText.Value(sourceElement), XmlText.ResolveLink(XmlText.Attribute(sourceElement, "url"), itemBase)),
        };
    }

    /// <summary>
    /// Relative links in RSS resolve against an explicit xml:base first, then the channel's own link (the site the
    /// content was written for: a feed served from feeds.feedburner.com or a file still means the site's paths),
    /// then the document's URL.
    /// </summary>
    private static Uri? FeedBase(XElement channel, Uri? channelBase, string? feedLink)
    {
        var explicitBase = channel.AncestorsAndSelf().Any(e => e.Attribute(FeedNamespaces.Xml + "base") is not null);
        if (explicitBase && IsHttp(channelBase))
        {
            return channelBase;
        }

        var link = XmlText.ResolveUri(feedLink, channelBase);
        return IsHttp(link) ? link : channelBase;
    }

    private static bool IsHttp(Uri? uri) => uri is not null && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool IsItem(XElement element) => element.Name.LocalName == "item" && FeedNamespaces.IsRssCore(element.Name.Namespace);

    private static XElement? Core(XElement? parent, string localName) =>
        parent is null ? null : XmlText.Child(parent, localName, FeedNamespaces.IsRssCore);

    private static string? AtomAlternate(XElement item) =>
        item.Elements(FeedNamespaces.Atom10 + "link")
            .Where(l => (l.Attribute("rel")?.Value ?? "alternate") == "alternate")
            .Select(l => XmlText.Attribute(l, "href"))
            .FirstOrDefault(h => h is not null);

    /// <summary>
    /// Full content given as XHTML (xhtml:body, xhtml:div, RSS 1.1's p:payload) or, in old Radio UserLand feeds,
    /// as a bare body or fullitem.
    /// </summary>
    private static FeedText? XhtmlBody(XElement item, Uri? itemBase, string? language)
    {
        var body = item.Element(FeedNamespaces.Xhtml + "body") ?? item.Element(FeedNamespaces.Xhtml + "div")
            ?? item.Element(FeedNamespaces.Rss11Payload + "payload") ?? Core(item, "body");
        if (body is not null)
        {
            return XmlText.InContext(FeedText.Html(XmlText.InnerHtml(body)), body, item, itemBase, language);
        }

        return Text(XmlText.RssHtml, Core(item, "fullitem"), item, itemBase, language);
    }

    private static FeedText? Text(Func<XElement?, FeedText?> read, XElement? element, XElement container, Uri? containerBase, string? containerLanguage) =>
        XmlText.InContext(read(element), element, container, containerBase, containerLanguage);

    /// <summary>An iTunes element; feeds write its namespace URI in either case (…/DTDs/PodCast-1.0.dtd).</summary>
    private static XElement? ITunes(XElement parent, string localName) =>
        XmlText.Child(parent, localName, ns => string.Equals(ns.NamespaceName, FeedNamespaces.ITunes.NamespaceName, StringComparison.OrdinalIgnoreCase));

    /// <summary>RSS 0.90: the RDF root's elements are in the Netscape 0.9 namespace.</summary>
    private static bool IsRss090(XElement root) =>
        root.GetDefaultNamespace() == FeedNamespaces.Rss090 || root.Elements().Any(e => e.Name.Namespace == FeedNamespaces.Rss090);

    private static List<FeedPerson> People(params object?[] sources)
    {
        var people = new List<FeedPerson>();
        foreach (var source in sources)
        {
            IEnumerable<XElement> elements = source switch
            {
                XElement e => [e],
                IEnumerable<XElement> many => many,
                _ => [],
            };
            foreach (var element in elements)
            {
                var person = PersonParser.Parse(XmlText.Value(element));
                if (person is not null && !people.Contains(person))
                {
                    people.Add(person);
                }
            }

            if (people.Count > 0)
            {
                // The first source that names anyone wins: dc:creator only stands in for a missing author.
                break;
            }
        }

        return people;
    }

    private static List<FeedCategory> Categories(XElement parent)
    {
        var categories = new List<FeedCategory>();
        foreach (var element in parent.Elements())
        {
            var isCategory = element.Name.LocalName == "category" && FeedNamespaces.IsRssCore(element.Name.Namespace);
            var isSubject = element.Name == FeedNamespaces.Dc + "subject";
            if (!isCategory && !isSubject)
            {
                continue;
            }

            var term = XmlText.Value(element);
            if (term is not null)
            {
                categories.Add(new FeedCategory(term, XmlText.Attribute(element, "domain")));
            }
        }

        return categories;
    }

    private static List<FeedEnclosure> Enclosures(XElement item, Uri? itemBase)
    {
        var enclosures = new List<FeedEnclosure>();
        foreach (var element in item.Elements().Where(e => e.Name.LocalName == "enclosure" && FeedNamespaces.IsRssCore(e.Name.Namespace)))
        {
            var url = XmlText.ResolveLink(XmlText.Attribute(element, "url"), itemBase);
            if (url is not null)
            {
                enclosures.Add(new FeedEnclosure(url, XmlText.Attribute(element, "type"), Length(XmlText.Attribute(element, "length"))));
            }
        }

        if (enclosures.Count == 0)
        {
            var media = item.Elements(FeedNamespaces.Media + "content")
                .Concat(item.Elements(FeedNamespaces.Media + "group").Elements(FeedNamespaces.Media + "content"));
            foreach (var element in media)
            {
                var url = XmlText.ResolveLink(XmlText.Attribute(element, "url"), itemBase);
                if (url is not null && !enclosures.Any(e => e.Url == url))
                {
                    enclosures.Add(new FeedEnclosure(url, XmlText.Attribute(element, "type"), Length(XmlText.Attribute(element, "fileSize"))));
                }
            }
        }

        return enclosures;
    }

    /// <summary>Enclosure lengths in the wild include "12 MB" and "": read digits, never fail the item.</summary>
    internal static long? Length(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : null;

    private static FeedHints ReadHints(XElement channel, XElement root)
    {
        int? ttl = int.TryParse(XmlText.Value(Core(channel, "ttl")), NumberStyles.Integer, CultureInfo.InvariantCulture, out var minutes) && minutes > 0
            ? minutes
            : null;

        var period = XmlText.Value(channel.Element(FeedNamespaces.Syndication + "updatePeriod") ?? root.Element(FeedNamespaces.Syndication + "updatePeriod"));
        var frequencyText = XmlText.Value(channel.Element(FeedNamespaces.Syndication + "updateFrequency") ?? root.Element(FeedNamespaces.Syndication + "updateFrequency"));
        TimeSpan? interval = null;
        if (period is not null)
        {
            var frequency = int.TryParse(frequencyText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1;
            TimeSpan? unit = period.ToLowerInvariant() switch
            {
                "hourly" => TimeSpan.FromHours(1),
                "daily" => TimeSpan.FromDays(1),
                "weekly" => TimeSpan.FromDays(7),
                "monthly" => TimeSpan.FromDays(30),
                "yearly" => TimeSpan.FromDays(365),
                _ => null,
            };
            interval = unit / frequency;
        }

        return ttl is null && interval is null ? FeedHints.None : new FeedHints { TtlMinutes = ttl, UpdateInterval = interval };
    }
}
