using System.Xml;

namespace FeedHub.Core.Parsing;

/// <summary>A feed listed in an OPML file, with the folders it sits in (outermost first).</summary>
public sealed record OpmlFeed(string Url, string? Title, string? HomePage, IReadOnlyList<string> Folders);

/// <summary>
/// Reads OPML subscription lists as readers export them in practice (OPML 1.0/2.0, folders nested at any depth,
/// title or text, type rss/atom or none), with the same safe XML settings as feeds (no DTD processed).
/// </summary>
/// <remarks>
/// The file is read as a stream, never built into a tree, and the titles of the outlines open around the reader are
/// kept in a list: nesting at any depth costs neither the call stack nor more than linear time (LINQ to XML takes
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

        var rootIsEmpty = reader.IsEmptyElement;
        while (!rootIsEmpty && reader.Read())
        {
            // The first <body> child of the root.
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1 && reader.LocalName == "body" && reader.NamespaceURI.Length == 0)
            {
                var feeds = ReadBody(reader);

                // The rest of the document must be well-formed too.
                while (reader.Read())
                {
                }

                return feeds;
            }
        }

        throw NotOpml();
    }

    private static FormatException NotOpml() => new("not an OPML document: no <opml><body>");

    /// <summary>
    /// The outlines of the body, in document order. An outline's outline children are read (other elements are
    /// skipped, not looked into); an outline with any child element is a folder for them.
    /// </summary>
    /// <remarks>
    /// Since only outlines are looked into, every element open around the reader is an outline: how many are open is
    /// the reader's depth below the body, and a feed's folders are their titles.
    /// </remarks>
    private static List<OpmlFeed> ReadBody(XmlReader reader)
    {
        var feeds = new List<OpmlFeed>();
        if (reader.IsEmptyElement)
        {
            return feeds;
        }

        var bodyDepth = reader.Depth;

        // The titles of the outlines open around the reader, outermost first, and of some closed since (cut below).
        var titles = new List<string>();
        reader.Read();
        while (reader.Depth > bodyDepth)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }

            var open = reader.Depth - bodyDepth - 1;
            titles.RemoveRange(open, titles.Count - open);
            if (reader.LocalName != "outline" || reader.NamespaceURI.Length != 0)
            {
                reader.Skip();
                continue;
            }

            var title = Attribute(reader, "title") ?? Attribute(reader, "text");
            var url = Attribute(reader, "xmlUrl") ?? Attribute(reader, "xmlurl");
            if (url is not null)
            {
                var inFolders = open > 0 ? titles.Take(MaxFolderDepth) : CategoryAttribute(Attribute(reader, "category"));
                feeds.Add(new OpmlFeed(url, title, Attribute(reader, "htmlUrl"), [.. inFolders]));
            }

            titles.Add(title ?? string.Empty);
            reader.Read();
        }

        return feeds;
    }

    /// <summary>OPML 2.0's category attribute ("/Tech/Linux,/News"): the first path, as folders.</summary>
    private static List<string> CategoryAttribute(string? category) =>
        category is not null
            ? [.. category.Split(',')[0].Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [];

    private static string? Attribute(XmlReader reader, string name) =>
        reader.GetAttribute(name, string.Empty)?.Trim() is { Length: > 0 } value ? value : null;
}
