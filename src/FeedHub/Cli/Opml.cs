using System.Xml;
using System.Xml.Linq;

namespace FeedHub.Cli;

/// <summary>A feed listed in an OPML file, with the folders it sits in (outermost first).</summary>
public sealed record OpmlFeed(string Url, string? Title, string? HomePage, IReadOnlyList<string> Folders);

/// <summary>A folder of feeds for <see cref="Opml.Write"/>.</summary>
public sealed record OpmlFolder(string? Title, IReadOnlyList<OpmlFeed> Feeds);

/// <summary>
/// OPML 2.0 subscription lists, read and written. Reading accepts what readers export in practice
/// (OPML 1.0/2.0, folders nested at any depth, title or text, type rss/atom or none) and never
/// processes a DTD.
/// </summary>
public static class Opml
{
    /// <summary>Every outline with an xmlUrl, in document order.</summary>
    public static IReadOnlyList<OpmlFeed> Read(Stream stream)
    {
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        var document = XDocument.Load(reader);
        var body = (document.Root?.Name.LocalName == "opml" ? document.Root.Element("body") : null)
            ?? throw new FormatException("not an OPML document: no <opml><body>");
        var feeds = new List<OpmlFeed>();
        Walk(body, [], feeds);
        return feeds;
    }

    private static void Walk(XElement parent, List<string> folders, List<OpmlFeed> feeds)
    {
        foreach (var outline in parent.Elements("outline"))
        {
            var title = Attribute(outline, "title") ?? Attribute(outline, "text");
            var url = Attribute(outline, "xmlUrl") ?? Attribute(outline, "xmlurl");
            if (url is not null)
            {
                var inFolders = folders.Count > 0 ? folders : CategoryAttribute(outline);
                feeds.Add(new OpmlFeed(url, title, Attribute(outline, "htmlUrl"), [.. inFolders]));
            }

            if (outline.HasElements)
            {
                folders.Add(title ?? string.Empty);
                Walk(outline, folders, feeds);
                folders.RemoveAt(folders.Count - 1);
            }
        }
    }

    /// <summary>OPML 2.0's category attribute ("/Tech/Linux,/News"): the first path, as folders.</summary>
    private static List<string> CategoryAttribute(XElement outline) =>
        Attribute(outline, "category") is { } category
            ? [.. category.Split(',')[0].Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [];

    private static string? Attribute(XElement element, string name) =>
        element.Attribute(name)?.Value.Trim() is { Length: > 0 } value ? value : null;

    /// <summary>Writes an OPML 2.0 document: one outline per folder, feeds without a folder at the top.</summary>
    public static void Write(Stream stream, string title, DateTimeOffset created, IEnumerable<OpmlFolder> folders)
    {
        var body = new XElement("body");
        foreach (var folder in folders)
        {
            var feeds = folder.Feeds.Select(FeedOutline);
            if (folder.Title is null)
            {
                body.Add(feeds);
            }
            else
            {
                body.Add(new XElement("outline", new XAttribute("text", folder.Title), new XAttribute("title", folder.Title), feeds));
            }
        }

        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement("opml", new XAttribute("version", "2.0"),
                new XElement("head", new XElement("title", title), new XElement("dateCreated", created.ToString("r", System.Globalization.CultureInfo.InvariantCulture))),
                body));
        using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) });
        document.Save(writer);
    }

    private static XElement FeedOutline(OpmlFeed feed)
    {
        var outline = new XElement("outline", new XAttribute("type", "rss"), new XAttribute("text", feed.Title ?? feed.Url), new XAttribute("title", feed.Title ?? feed.Url), new XAttribute("xmlUrl", feed.Url));
        if (feed.HomePage is not null)
        {
            outline.Add(new XAttribute("htmlUrl", feed.HomePage));
        }

        if (feed.Folders.Count > 0)
        {
            outline.Add(new XAttribute("category", string.Join(",", feed.Folders.Select(f => "/" + f))));
        }

        return outline;
    }
}
