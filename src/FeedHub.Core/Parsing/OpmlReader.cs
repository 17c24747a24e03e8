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
    /// <summary>
    /// Folders kept around a feed, outermost first: a feed in folders nested deeper than this is filed in the
    /// innermost of the folders kept. (Reading does not recurse, so any depth is read.)
    /// </summary>
    public const int MaxFolderDepth = 32;

    /// <summary>Every outline with an xmlUrl, in document order.</summary>
    public static IReadOnlyList<OpmlFeed> Read(Stream stream)
    {
        using var reader = XmlReader.Create(stream, SafeXml.CreateReaderSettings());
        var document = XDocument.Load(reader);
        var body = (document.Root?.Name.LocalName == "opml" ? document.Root.Element("body") : null)
            ?? throw new FormatException("not an OPML document: no <opml><body>");
        var feeds = new List<OpmlFeed>();
        Walk(body, feeds);
        return feeds;
    }

    /// <summary>A depth-first walk in document order with an explicit stack of the enumerations left open.</summary>
    private static void Walk(XElement body, List<OpmlFeed> feeds)
    {
        var folders = new List<string>();
        var open = new Stack<IEnumerator<XElement>>();
        open.Push(body.Elements("outline").GetEnumerator());
        while (open.Count > 0)
        {
            var siblings = open.Peek();
            if (!siblings.MoveNext())
            {
                siblings.Dispose();
                open.Pop();
                if (open.Count > 0 && open.Count <= MaxFolderDepth)
                {
                    folders.RemoveAt(folders.Count - 1);
                }

                continue;
            }

            var outline = siblings.Current;
            var title = Attribute(outline, "title") ?? Attribute(outline, "text");
            var url = Attribute(outline, "xmlUrl") ?? Attribute(outline, "xmlurl");
            if (url is not null)
            {
                var inFolders = folders.Count > 0 ? folders : CategoryAttribute(outline);
                feeds.Add(new OpmlFeed(url, title, Attribute(outline, "htmlUrl"), [.. inFolders]));
            }

            if (outline.HasElements)
            {
                if (open.Count <= MaxFolderDepth)
                {
                    folders.Add(title ?? string.Empty);
                }

                open.Push(outline.Elements("outline").GetEnumerator());
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
