using System.Xml;
using System.Xml.Linq;

namespace FeedHub.Core.Parsing;

/// <summary>A feed listed in an OPML file, with the folders it sits in (outermost first).</summary>
public sealed record OpmlFeed(string Url, string? Title, string? HomePage, IReadOnlyList<string> Folders);

/// <summary>
/// Reads OPML subscription lists as readers export them in practice (OPML 1.0/2.0, folders nested at any depth,
/// title or text, type rss/atom or none), with the same safe XML settings as feeds (no DTD processed).
/// </summary>
public static class OpmlReader
{
    /// <summary>Every outline with an xmlUrl, in document order.</summary>
    public static IReadOnlyList<OpmlFeed> Read(Stream stream)
    {
        using var reader = XmlReader.Create(stream, SafeXml.CreateReaderSettings());
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
}
