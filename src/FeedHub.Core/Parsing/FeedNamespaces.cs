using System.Xml.Linq;

namespace FeedHub.Core.Parsing;

/// <summary>The XML namespaces feeds use, in one place: read by the parsers, written by RssWriter.</summary>
internal static class FeedNamespaces
{
    public static readonly XNamespace Atom10 = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace Atom03 = "http://purl.org/atom/ns#";
    public static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public static readonly XNamespace Rss10 = "http://purl.org/rss/1.0/";
    public static readonly XNamespace Rss090 = "http://my.netscape.com/rdf/simple/0.9/";
    public static readonly XNamespace Rss11 = "http://purl.org/net/rss1.1#";

    /// <summary>RSS 1.1's payload module: an item's full content as XHTML (rdf:parseType="Literal").</summary>
    public static readonly XNamespace Rss11Payload = "http://purl.org/net/rss1.1/payload#";
    public static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    public static readonly XNamespace DcTerms = "http://purl.org/dc/terms/";
    public static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    public static readonly XNamespace Syndication = "http://purl.org/rss/1.0/modules/syndication/";
    public static readonly XNamespace Media = "http://search.yahoo.com/mrss/";
    public static readonly XNamespace ITunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    public static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    public static readonly XNamespace Xml = XNamespace.Xml;

    /// <summary>Prefixes commonly used without a declaration, mapped to what the author meant.</summary>
    public static readonly IReadOnlyDictionary<string, string> WellKnownPrefixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["atom"] = Atom10.NamespaceName,
        ["dc"] = Dc.NamespaceName,
        ["dcterms"] = DcTerms.NamespaceName,
        ["content"] = Content.NamespaceName,
        ["sy"] = Syndication.NamespaceName,
        ["media"] = Media.NamespaceName,
        ["itunes"] = ITunes.NamespaceName,
        ["rdf"] = Rdf.NamespaceName,
        ["xhtml"] = Xhtml.NamespaceName,
    };

    /// <summary>True for the namespaces a plain RSS element may carry (none, or a legacy RSS namespace).</summary>
    public static bool IsRssCore(XNamespace ns) =>
        ns == XNamespace.None
        || ns == Rss10
        || ns == Rss090
        || ns == Rss11
        || ns.NamespaceName.StartsWith("http://backend.userland.com/rss", StringComparison.Ordinal)
        || ns.NamespaceName.StartsWith("http://blogs.law.harvard.edu/tech/rss", StringComparison.Ordinal);
}
