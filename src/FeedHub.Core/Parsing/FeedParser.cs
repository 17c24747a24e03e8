namespace FeedHub.Core.Parsing;

/// <summary>
/// Reads any feed FeedHub supports into one model: decode the bytes, detect the format, then let the
/// format's reader adapt it. RSS 0.9x/2.0, RSS 1.0/0.90 (RDF), RSS 1.1, Atom 1.0/0.3 feeds and entry documents,
/// and JSON Feed 1.0/1.1.
/// </summary>
public static class FeedParser
{
    /// <summary>Parses a fetched document. Throws <see cref="FeedParseException"/> when it is not a readable feed.</summary>
    /// <param name="body">The body as received (after content decoding).</param>
    /// <param name="contentType">The HTTP Content-Type header, if any (its charset is honoured).</param>
    /// <param name="documentUri">Where the document came from: the base for relative links.</param>
    public static ParsedFeed Parse(ReadOnlySpan<byte> body, string? contentType, Uri? documentUri)
    {
        var decoded = FeedDecoder.Decode(body, contentType);
        var warnings = new List<string>(decoded.Warnings);
        return ParseText(decoded.Text, documentUri, warnings);
    }

    /// <summary>Parses feed text that is already decoded.</summary>
    public static ParsedFeed ParseText(string text, Uri? documentUri, List<string>? warnings = null)
    {
        warnings ??= [];
        var first = FirstSignificantChar(text);
        if (first == '{')
        {
            return JsonFeedReader.Read(text, documentUri, warnings);
        }

        var prepared = XmlPreparer.Prepare(text, warnings)
            ?? throw new FeedParseException(text.Length == 0 ? "empty document" : "not XML or JSON: no markup found") { NotAFeed = true };

        var (document, broken) = XmlFeedLoader.Load(prepared, warnings);
        var root = document.Root ?? throw new FeedParseException("document has no root element");
        var feed = root.Name.LocalName switch
        {
            "rss" or "channel" or "RDF" => RssReader.Read(root, documentUri, warnings),

            // RSS 1.1: <Channel> (capital C) in its own namespace, items in an rdf:parseType="Collection".
            "Channel" when root.Name.Namespace == FeedNamespaces.Rss11 => RssReader.Read(root, documentUri, warnings),

            // Atom 0.3 pre-releases used other namespaces (purl.org/pie, example.com/necho ...); their version attribute tells.
            "feed" when root.Name.Namespace == FeedNamespaces.Atom10 || root.Name.Namespace == FeedNamespaces.Atom03 || root.Name.Namespace == System.Xml.Linq.XNamespace.None
                || root.Attribute("version") is not null => AtomReader.Read(root, documentUri, warnings),

            // An Atom Entry Document (RFC 4287 §4.1.2): one entry, read as a feed of one item.
            "entry" when root.Name.Namespace == FeedNamespaces.Atom10 || root.Name.Namespace == FeedNamespaces.Atom03
                => AtomReader.ReadEntryDocument(root, documentUri, warnings),
            _ => throw new FeedParseException($"not a feed: root element <{root.Name.LocalName}> is not rss, rdf:RDF, an RSS 1.1 Channel, an Atom feed or entry") { NotAFeed = true },
        };

        return broken is null ? feed : feed with { Broken = broken };
    }

    private static char FirstSignificantChar(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && c != '\uFEFF')
            {
                return c;
            }
        }

        return '\0';
    }
}
