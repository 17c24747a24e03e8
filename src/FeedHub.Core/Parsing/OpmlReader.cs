using System.Xml;

namespace FeedHub.Core.Parsing;

/// <summary>A feed listed in an OPML file, with the folders it sits in (outermost first).</summary>
public sealed record OpmlFeed(string Url, string? Title, string? HomePage, IReadOnlyList<string> Folders);

/// <summary>
/// Reads OPML subscription lists as readers export them in practice (OPML 1.0/2.0, folders nested at any depth,
/// title or text, type rss/atom or none), with the same safe XML settings as feeds (no DTD processed).
/// </summary>
/// <remarks>
/// The file is read as a stream, never built into a tree, and the outlines open around the reader are kept on an
/// explicit stack: nesting at any depth costs neither the call stack nor more than linear time (LINQ to XML takes
/// time proportional to the square of the depth to build a tree, 200 s for 100,000 levels).
/// </remarks>
public static class OpmlReader
{
    /// <summary>
    /// Folders kept around a feed, outermost first: a feed in folders nested deeper than this is filed in the
    /// innermost of the folders kept.
    /// </summary>
    public const int MaxFolderDepth = 32;

    /// <summary>Every outline with an xmlUrl, in document order.</summary>
    public static IReadOnlyList<OpmlFeed> Read(Stream stream)
    {
        using var reader = XmlReader.Create(stream, SafeXml.CreateReaderSettings());
        if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "opml")
        {
            throw NotOpml();
        }

        var feeds = new List<OpmlFeed>();
        var rootDepth = reader.Depth;
        var found = false;
        var rootIsEmpty = reader.IsEmptyElement;
        while (!rootIsEmpty && reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == rootDepth + 1 && reader.LocalName == "body" && reader.NamespaceURI.Length == 0)
            {
                found = true;
                ReadBody(reader, feeds);
                break;
            }
        }

        if (!found)
        {
            throw NotOpml();
        }

        // The rest of the document must be well-formed too.
        while (reader.Read())
        {
        }

        return feeds;
    }

    private static FormatException NotOpml() => new("not an OPML document: no <opml><body>");

    /// <summary>
    /// The outlines of the body, in document order. An outline's outline children are read (others are not looked
    /// into); an outline with any child element is a folder for them.
    /// </summary>
    private static void ReadBody(XmlReader reader, List<OpmlFeed> feeds)
    {
        if (reader.IsEmptyElement)
        {
            return;
        }

        var bodyDepth = reader.Depth;
        var folders = new List<string>();
        var open = new List<Open>();
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement)
            {
                if (reader.Depth == bodyDepth)
                {
                    return;
                }

                if (open[^1].FolderAdded)
                {
                    folders.RemoveAt(folders.Count - 1);
                }

                open.RemoveAt(open.Count - 1);
                continue;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            var parentIsOutline = open.Count > 0 && open[^1].IsOutline;
            if (parentIsOutline && !open[^1].HasChildren)
            {
                // Its first child element: the outline is a folder.
                var parent = open[^1];
                var add = folders.Count < MaxFolderDepth;
                if (add)
                {
                    folders.Add(parent.Title ?? string.Empty);
                }

                open[^1] = parent with { HasChildren = true, FolderAdded = add };
            }

            var isOutline = (open.Count == 0 || parentIsOutline) && reader.LocalName == "outline" && reader.NamespaceURI.Length == 0;
            string? title = null;
            if (isOutline)
            {
                title = Attribute(reader, "title") ?? Attribute(reader, "text");
                var url = Attribute(reader, "xmlUrl") ?? Attribute(reader, "xmlurl");
                if (url is not null)
                {
                    var inFolders = folders.Count > 0 ? folders : CategoryAttribute(Attribute(reader, "category"));
                    feeds.Add(new OpmlFeed(url, title, Attribute(reader, "htmlUrl"), [.. inFolders]));
                }
            }

            if (!reader.IsEmptyElement)
            {
                open.Add(new Open(isOutline, title, false, false));
            }
        }
    }

    /// <summary>An element open around the reader: whether it is an outline read for feeds, and its folder.</summary>
    private readonly record struct Open(bool IsOutline, string? Title, bool HasChildren, bool FolderAdded);

    /// <summary>OPML 2.0's category attribute ("/Tech/Linux,/News"): the first path, as folders.</summary>
    private static List<string> CategoryAttribute(string? category) =>
        category is not null
            ? [.. category.Split(',')[0].Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [];

    private static string? Attribute(XmlReader reader, string name) =>
        reader.GetAttribute(name, string.Empty)?.Trim() is { Length: > 0 } value ? value : null;
}
