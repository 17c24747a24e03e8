using System.Globalization;
using System.ServiceModel.Syndication;
using System.Xml.Linq;

namespace FeedHub.Core.Publishing;

/// <summary>
/// Writes RSS 2.0 with System.ServiceModel.Syndication, with the workarounds the W3C validator asks
/// for: no a10: extensions (authors go to dc:creator, the build date to lastBuildDate), an
/// atom:link rel="self", content:encoded for full text, and guids that never change.
/// </summary>
public static class RssWriter
{
    public const string MediaType = "application/rss+xml";

    public static byte[] Write(PublishedFeed feed)
    {
        feed = FeedWriterBase.XmlSafe(feed);
        var syndication = new SyndicationFeed(feed.Title, feed.Description ?? feed.Title, feed.HomeUrl)
        {
            Language = feed.Language,
            Generator = feed.Generator,
        };
        syndication.AttributeExtensions.Add(new System.Xml.XmlQualifiedName("atom", "http://www.w3.org/2000/xmlns/"), FeedNamespaces.Atom10.NamespaceName);
        syndication.AttributeExtensions.Add(new System.Xml.XmlQualifiedName("dc", "http://www.w3.org/2000/xmlns/"), FeedNamespaces.Dc.NamespaceName);
        syndication.AttributeExtensions.Add(new System.Xml.XmlQualifiedName("content", "http://www.w3.org/2000/xmlns/"), FeedNamespaces.Content.NamespaceName);
        syndication.ElementExtensions.Add(AtomLink(feed.SelfUrl, "self", MediaType));
        foreach (var hub in feed.Hubs)
        {
            syndication.ElementExtensions.Add(AtomLink(hub, "hub", null));
        }

        // RFC 5005 paging: RSS has no links of its own, atom:link carries them.
        if (feed.FirstUrl is { } first)
        {
            syndication.ElementExtensions.Add(AtomLink(first, "first", MediaType));
        }

        if (feed.NextUrl is { } next)
        {
            syndication.ElementExtensions.Add(AtomLink(next, "next", MediaType));
        }
        syndication.ElementExtensions.Add(new XElement("lastBuildDate", Rfc822(feed.Updated)));

        syndication.Items = feed.Items.Select(ToItem).ToList();

        var formatter = new Rss20FeedFormatter(syndication, serializeExtensionsAsAtom: false);
        return FeedWriterBase.Render(formatter.WriteTo);
    }

    private static SyndicationItem ToItem(PublishedItem item)
    {
        // PublishDate is deliberately left unset: Rss20FeedFormatter writes a UTC date as
        // "Thu, 26 Nov 2026 16:45:00 Z", a military zone the W3C validator warns about, and offers no
        // hook to change the format. pubDate is written here instead, as an element extension in no
        // namespace (exactly where RSS 2.0 expects it), with the numeric zone "+0000". This is cleaner
        // than rewriting the formatter's output afterwards: nothing depends on how it spells dates.
        var syndication = new SyndicationItem
        {
            Id = item.Id,
            Title = new TextSyndicationContent(item.Title),
        };
        if (item.Published != default)
        {
            syndication.ElementExtensions.Add(new XElement("pubDate", Rfc822(item.Published)));
        }

        if (PublicUrl.TryMakeSafeUri(item.Link) is { } link)
        {
            syndication.Links.Add(SyndicationLink.CreateAlternateLink(link));
        }

        var description = item.SummaryHtml ?? item.ContentHtml;
        if (description is not null)
        {
            syndication.Summary = new TextSyndicationContent(description, TextSyndicationContentKind.Html);
        }

        if (item.ContentHtml is not null)
        {
            // The XmlWriter splits a CDATA section around "]]>" by itself, so the HTML round-trips exactly;
            // escaping it here would change the content readers get.
            syndication.ElementExtensions.Add(new XElement(FeedNamespaces.Content + "encoded", new XCData(item.ContentHtml)));
        }

        foreach (var author in item.Authors)
        {
            syndication.ElementExtensions.Add(new XElement(FeedNamespaces.Dc + "creator", author));
        }

        foreach (var category in item.Categories)
        {
            syndication.Categories.Add(new SyndicationCategory(category));
        }

        foreach (var enclosure in item.Enclosures.Take(1))
        {
            // RSS allows one enclosure per item; the validator flags more.
            if (PublicUrl.TryMakeSafeUri(enclosure.Url) is { } url)
            {
                syndication.Links.Add(SyndicationLink.CreateMediaEnclosureLink(url, enclosure.Type ?? "application/octet-stream", enclosure.Length ?? 0));
            }
        }

        if (item.Source is { } source && PublicUrl.TryMakeSafeUri(source.Url) is { } sourceUrl)
        {
            syndication.SourceFeed = new SyndicationFeed(source.Title, null, null);
            syndication.SourceFeed.Links.Add(SyndicationLink.CreateSelfLink(sourceUrl));
        }

        // RSS allows one <source>; the other sources of a cross-source duplicate are atom:link rel="via".
        foreach (var other in item.AlsoFrom)
        {
            if (PublicUrl.TryMakeSafeUri(other.Url) is { } via)
            {
                syndication.ElementExtensions.Add(AtomLink(via, "via", null, other.Title));
            }
        }

        return syndication;
    }

    private static XElement AtomLink(Uri href, string rel, string? type, string? title = null) =>
        new(FeedNamespaces.Atom10 + "link",
            new XAttribute("href", href.AbsoluteUri),
            new XAttribute("rel", rel),
            type is null ? null : new XAttribute("type", type),
            title is null ? null : new XAttribute("title", title));

    /// <summary>RFC 822 date as the validator prefers it ("+0000", not "Z").</summary>
    public static string Rfc822(DateTimeOffset date) =>
        date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}
