using System.Xml.Linq;

namespace FeedHub.Tests.Infrastructure;

/// <summary>Reads FeedHub's own output back, as a feed reader would.</summary>
public static class FeedXml
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    public static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";

    public static async Task<XDocument> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public static List<XElement> RssItems(XDocument rss) => [.. rss.Root!.Element("channel")!.Elements("item")];

    public static List<XElement> AtomEntries(XDocument atom) => [.. atom.Root!.Elements(Atom + "entry")];

    public static List<string> RssTitles(XDocument rss) => [.. RssItems(rss).Select(i => (string)i.Element("title")!)];
}
