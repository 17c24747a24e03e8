using System.Xml.Linq;

namespace FeedHub.Core.Parsing;

/// <summary>Adapts Atom 1.0 and Atom 0.3 feed documents, and Atom Entry Documents, to the feed model.</summary>
internal static class AtomReader
{
    public static ParsedFeed Read(XElement root, Uri? documentBase, List<string> warnings)
    {
        var ns = root.Name.Namespace;
        // Atom 0.3 drafts were published under several namespaces (and none); version="0.3" is what identifies them.
        var atom03 = ns == FeedNamespaces.Atom03 || (ns != FeedNamespaces.Atom10 && XmlText.Attribute(root, "version") == "0.3");
        var feedBase = XmlText.BaseOf(root, documentBase);
        var language = XmlText.LanguageOf(root, null) ?? XmlText.NormalizeLanguage(XmlText.Value(root.Element(FeedNamespaces.Dc + "language")));
        var feedAuthors = People(root, ns, "author", feedBase);
        var links = Links(root, ns, documentBase);

        var items = new List<ParsedItem>();
        foreach (var entry in root.Elements(ns + "entry"))
        {
            if (entry.Annotation<XmlFeedLoader.Incomplete>() is not null)
            {
                continue;
            }

            items.Add(ReadEntry(entry, ns, atom03, documentBase, language, feedAuthors));
        }

        return new ParsedFeed
        {
            Format = FeedFormat.Atom,
            Version = atom03 ? "0.3" : "1.0",
            Title = Text(root.Element(ns + "title"), atom03, root, feedBase, language),
            Subtitle = Text(root.Element(ns + "subtitle") ?? root.Element(ns + "tagline"), atom03, root, feedBase, language),
            Link = Alternate(links),
            SelfLink = links.FirstOrDefault(l => l.Rel == "self")?.Href,
            Id = XmlText.Value(root.Element(ns + "id")),
            Language = language,
            Rights = Text(root.Element(ns + "rights") ?? root.Element(ns + "copyright"), atom03, root, feedBase, language),
            Generator = XmlText.Value(root.Element(ns + "generator")),
            ImageUrl = XmlText.ResolveLink(XmlText.Value(root.Element(ns + "logo") ?? root.Element(ns + "icon")), feedBase),
            Updated = FeedDateParser.Parse(XmlText.Value(root.Element(ns + "updated") ?? root.Element(ns + "modified"))),
            Authors = feedAuthors,
            Categories = Categories(root, ns),
            Links = links,
            BaseUri = feedBase,
            Items = items,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// An Atom Entry Document (RFC 4287 §4.1.2: one entry as the root) read as a feed of that one item. The feed is
    /// named by the entry's atom:source (the feed it was copied from) when it has one, else by the entry itself.
    /// </summary>
    public static ParsedFeed ReadEntryDocument(XElement entry, Uri? documentBase, List<string> warnings)
    {
        var ns = entry.Name.Namespace;
        var atom03 = ns == FeedNamespaces.Atom03;
        var entryBase = XmlText.BaseOf(entry, documentBase);
        var language = XmlText.LanguageOf(entry, null) ?? XmlText.NormalizeLanguage(XmlText.Value(entry.Element(FeedNamespaces.Dc + "language")));
        var source = entry.Element(ns + "source");
        var sourceBase = source is null ? entryBase : XmlText.BaseOf(source, documentBase);
        var sourceLinks = source is null ? [] : Links(source, ns, documentBase);
        var entryLinks = Links(entry, ns, documentBase);

        // A document cut short inside its only entry has nothing complete to read.
        ParsedItem? item = null;
        if (entry.Annotation<XmlFeedLoader.Incomplete>() is null)
        {
            item = ReadEntry(entry, ns, atom03, documentBase, language, []);
        }
        else
        {
            warnings.Add("the entry document was cut short: its entry was not read");
        }

        var sourceAuthors = source is null ? [] : People(source, ns, "author", sourceBase);
        var entryAuthors = People(entry, ns, "author", entryBase);
        return new ParsedFeed
        {
            Format = FeedFormat.AtomEntry,
            Version = atom03 ? "0.3" : "1.0",
            Title = (source is null ? null : Text(source.Element(ns + "title"), atom03, source, sourceBase, language))
                ?? Text(entry.Element(ns + "title"), atom03, entry, entryBase, language),
            Subtitle = source is null ? null : Text(source.Element(ns + "subtitle") ?? source.Element(ns + "tagline"), atom03, source, sourceBase, language),
            Link = Alternate(sourceLinks) ?? Alternate(entryLinks),

            // The entry's rel="self" is this document's own address; the source's is the feed the entry came from.
            SelfLink = entryLinks.FirstOrDefault(l => l.Rel == "self")?.Href,
            Id = XmlText.Value(source?.Element(ns + "id")) ?? XmlText.Value(entry.Element(ns + "id")),
            Language = language,
            Rights = (source is null ? null : Text(source.Element(ns + "rights") ?? source.Element(ns + "copyright"), atom03, source, sourceBase, language))
                ?? Text(entry.Element(ns + "rights") ?? entry.Element(ns + "copyright"), atom03, entry, entryBase, language),
            Generator = XmlText.Value(source?.Element(ns + "generator")),
            ImageUrl = source is null ? null : XmlText.ResolveLink(XmlText.Value(source.Element(ns + "logo") ?? source.Element(ns + "icon")), sourceBase),
            Updated = FeedDateParser.Parse(XmlText.Value(source?.Element(ns + "updated") ?? source?.Element(ns + "modified")))
                ?? FeedDateParser.Parse(XmlText.Value(entry.Element(ns + "updated") ?? entry.Element(ns + "modified"))),
            Authors = sourceAuthors.Count > 0 ? sourceAuthors : entryAuthors,
            Categories = source is null ? [] : Categories(source, ns),
            Links = source is null ? [.. entryLinks.Where(l => l.Rel != "enclosure")] : sourceLinks,
            BaseUri = entryBase,
            Items = item is null ? [] : [item],
            Warnings = warnings,
        };
    }

    private static ParsedItem ReadEntry(XElement entry, XNamespace ns, bool atom03, Uri? documentBase, string? feedLanguage, List<FeedPerson> feedAuthors)
    {
        var entryBase = XmlText.BaseOf(entry, documentBase);
        var links = Links(entry, ns, documentBase);
        var publishedText = XmlText.Value(entry.Element(ns + "published") ?? entry.Element(ns + "issued") ?? entry.Element(ns + "created")
            ?? entry.Element(FeedNamespaces.Dc + "date"));
        var updatedText = XmlText.Value(entry.Element(ns + "updated") ?? entry.Element(ns + "modified"));

        var source = entry.Element(ns + "source");
        var authors = People(entry, ns, "author", entryBase);
        if (authors.Count == 0 && source is not null)
        {
            authors = People(source, ns, "author", entryBase);
        }

        if (authors.Count == 0)
        {
            authors = People(entry, FeedNamespaces.Dc, "creator", entryBase);
        }

        if (authors.Count == 0)
        {
            // Atom: an entry without an author inherits the feed's.
            authors = feedAuthors;
        }

        var contentElement = entry.Element(ns + "content");
        var entryLanguage = XmlText.LanguageOf(entry, feedLanguage);
        return new ParsedItem
        {
            Id = XmlText.Value(entry.Element(ns + "id")),
            Link = Alternate(links),
            Title = Text(entry.Element(ns + "title"), atom03, entry, entryBase, entryLanguage),
            Summary = Text(entry.Element(ns + "summary"), atom03, entry, entryBase, entryLanguage),
            Content = Text(contentElement, atom03, entry, entryBase, entryLanguage),
            Authors = authors,
            Contributors = People(entry, ns, "contributor", entryBase),
            Categories = Categories(entry, ns),
            Links = links,
            Enclosures = [.. links.Where(l => l.Rel == "enclosure").Select(l => new FeedEnclosure(l.Href, l.Type, l.Length))],
            PublishedText = publishedText,
            Published = FeedDateParser.Parse(publishedText),
            UpdatedText = updatedText,
            Updated = FeedDateParser.Parse(updatedText),
            Language = XmlText.LanguageOf(contentElement ?? entry, null) ?? XmlText.LanguageOf(entry, feedLanguage),
            BaseUri = entryBase,
            Source = source is null
                ? null
                : new FeedSourceRef(
                    XmlText.Value(source.Element(ns + "id")),
                    XmlText.AtomText(source.Element(ns + "title"), atom03)?.Value,
                    Links(source, ns, documentBase).FirstOrDefault(l => l.Rel == "self")?.Href ?? Alternate(Links(source, ns, documentBase))),
        };
    }

    private static List<FeedLink> Links(XElement parent, XNamespace ns, Uri? documentBase)
    {
        var links = new List<FeedLink>();
        foreach (var link in parent.Elements(ns + "link"))
        {
            var linkBase = XmlText.BaseOf(link, documentBase);

            // href="" is a reference to the base itself (RFC 3986 §5.2), e.g. a rel="self" link under xml:base.
            var href = XmlText.Attribute(link, "href") ?? XmlText.Value(link)
                ?? (link.Attribute("href") is not null && linkBase is { IsAbsoluteUri: true } ? linkBase.OriginalString : null);
            if (href is null)
            {
                continue;
            }

            links.Add(new FeedLink(
                XmlText.ResolveLink(href, linkBase) ?? href,
                (XmlText.Attribute(link, "rel") ?? "alternate").ToLowerInvariant(),
                XmlText.Attribute(link, "type"),
                RssReader.Length(XmlText.Attribute(link, "length")),
                XmlText.Attribute(link, "title")));
        }

        return links;
    }

    /// <summary>The rel="alternate" link, preferring HTML; else the first link that is not self or enclosure.</summary>
    private static string? Alternate(List<FeedLink> links) =>
        links.FirstOrDefault(l => l.Rel == "alternate" && (l.Type is null || l.Type.Contains("html", StringComparison.OrdinalIgnoreCase)))?.Href
        ?? links.FirstOrDefault(l => l.Rel == "alternate")?.Href
        ?? links.FirstOrDefault(l => l.Rel is not "self" and not "enclosure" and not "hub" and not "next" and not "previous")?.Href;

    private static FeedText? Text(XElement? element, bool atom03, XElement container, Uri? containerBase, string? containerLanguage) =>
        XmlText.InContext(XmlText.AtomText(element, atom03), element, container, containerBase, containerLanguage);

    private static List<FeedPerson> People(XElement parent, XNamespace ns, string localName, Uri? parentBase)
    {
        var people = new List<FeedPerson>();
        foreach (var element in parent.Elements(ns + localName))
        {
            if (!element.HasElements)
            {
                // dc:creator, or a sloppy <author>Name</author>.
                var parsed = PersonParser.Parse(XmlText.Value(element));
                if (parsed is not null)
                {
                    people.Add(parsed);
                }

                continue;
            }

            var elementNs = element.Name.Namespace;
            var name = XmlText.Value(element.Element(elementNs + "name"));
            var email = XmlText.Value(element.Element(elementNs + "email"));
            // Atom 1.0 uri, Atom 0.3 url (and the homepage of early drafts); relative references resolve like links.
            var uriElement = element.Element(elementNs + "uri") ?? element.Element(elementNs + "url") ?? element.Element(elementNs + "homepage");
            var uri = uriElement is null ? null : XmlText.ResolveLink(XmlText.Value(uriElement), XmlText.BaseWithin(uriElement, parent, parentBase));
            if (name is not null || email is not null || uri is not null)
            {
                people.Add(new FeedPerson(name, email, uri));
            }
        }

        return people;
    }

    private static List<FeedCategory> Categories(XElement parent, XNamespace ns)
    {
        var categories = new List<FeedCategory>();
        foreach (var element in parent.Elements(ns + "category"))
        {
            var term = XmlText.Attribute(element, "term") ?? XmlText.Value(element);
            if (term is not null)
            {
                categories.Add(new FeedCategory(term, XmlText.Attribute(element, "scheme"), XmlText.Attribute(element, "label")));
            }
        }

        foreach (var subject in parent.Elements(FeedNamespaces.Dc + "subject"))
        {
            var term = XmlText.Value(subject);
            if (term is not null)
            {
                categories.Add(new FeedCategory(term));
            }
        }

        return categories;
    }
}
