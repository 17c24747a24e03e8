using System.Xml;

namespace FeedHub.Core.Publishing;

/// <summary>An OPML 2.0 subscription list: a title and one outline per feed.</summary>
public sealed record OpmlDocument(string Title, IReadOnlyList<OpmlOutline> Outlines)
{
    /// <summary>The URL of this very document (head/docs is the spec; ownerId points readers back here).</summary>
    public Uri? OwnerUrl { get; init; }

    /// <summary>When the lists' content last changed (head/dateModified), or null.</summary>
    public DateTimeOffset? DateModified { get; init; }
}

/// <summary>
/// A feed in an OPML list (type="rss" is what readers expect for every feed format), or a folder of feeds when
/// it has no <see cref="XmlUrl"/> and has <see cref="Children"/>.
/// </summary>
public sealed record OpmlOutline(string Text, Uri? XmlUrl, Uri? HtmlUrl, string? Description)
{
    /// <summary>OPML 2.0's category attribute ("/Société,/Économie"): the folders a feed belongs to.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The outlines of a folder.</summary>
    public IReadOnlyList<OpmlOutline> Children { get; init; } = [];

    /// <summary>A folder outline holding feeds.</summary>
    public static OpmlOutline Folder(string text, IReadOnlyList<OpmlOutline> children) => new(text, null, null, null) { Children = children };
}

/// <summary>Writes OPML 2.0 (http://opml.org/spec2.opml) subscription lists.</summary>
public static class OpmlWriter
{
    public const string MediaType = "text/x-opml";

    public static byte[] Write(OpmlDocument document) => FeedWriterBase.Render(xml =>
    {
        xml.WriteStartDocument();
        xml.WriteStartElement("opml");
        xml.WriteAttributeString("version", "2.0");
        xml.WriteStartElement("head");
        xml.WriteElementString("title", Safe(document.Title));
        if (document.DateModified is { } modified)
        {
            xml.WriteElementString("dateModified", RssWriter.Rfc822(modified));
        }

        if (document.OwnerUrl is { } owner)
        {
            xml.WriteElementString("ownerId", owner.AbsoluteUri);
        }

        xml.WriteElementString("docs", "http://opml.org/spec2.opml");
        xml.WriteEndElement();
        xml.WriteStartElement("body");
        foreach (var outline in document.Outlines)
        {
            WriteOutline(xml, outline);
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    });

    private static void WriteOutline(XmlWriter xml, OpmlOutline outline)
    {
        xml.WriteStartElement("outline");
        if (outline.XmlUrl is null)
        {
            xml.WriteAttributeString("text", Safe(outline.Text));
            xml.WriteAttributeString("title", Safe(outline.Text));
            foreach (var child in outline.Children)
            {
                WriteOutline(xml, child);
            }

            xml.WriteEndElement();
            return;
        }

        xml.WriteAttributeString("type", "rss");
        xml.WriteAttributeString("text", Safe(outline.Text));
        xml.WriteAttributeString("title", Safe(outline.Text));
        xml.WriteAttributeString("xmlUrl", outline.XmlUrl.AbsoluteUri);
        if (outline.HtmlUrl is { } html && PublicUrl.IsWeb(html))
        {
            xml.WriteAttributeString("htmlUrl", html.AbsoluteUri);
        }

        if (!string.IsNullOrWhiteSpace(outline.Description))
        {
            xml.WriteAttributeString("description", Safe(outline.Description));
        }

        if (outline.Categories.Count > 0)
        {
            xml.WriteAttributeString("category", Safe(string.Join(",", outline.Categories.Select(c => "/" + c))));
        }

        xml.WriteEndElement();
    }

    private static string Safe(string text) => TextCleaner.StripInvalidXmlChars(text);
}
