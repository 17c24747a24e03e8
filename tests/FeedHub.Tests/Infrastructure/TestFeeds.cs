using System.Text;

namespace FeedHub.Tests.Infrastructure;

/// <summary>Sample feeds: files under TestData/ and small RSS documents built per test.</summary>
public static class TestFeeds
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    public static byte[] ReadBytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    /// <summary>One RSS item.</summary>
    public sealed record Item(string Id, string Title, DateTimeOffset Published, params string[] Categories);

    /// <summary>An RSS 2.0 document with the given items.</summary>
    public static string Rss(string title, params Item[] items)
    {
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>")
            .Append("<title>").Append(Escape(title)).Append("</title><link>https://source.example/</link><description>test</description>");
        foreach (var item in items)
        {
            xml.Append("<item><guid isPermaLink=\"false\">").Append(Escape(item.Id)).Append("</guid>")
                .Append("<title>").Append(Escape(item.Title)).Append("</title>")
                .Append("<link>https://source.example/").Append(Uri.EscapeDataString(item.Id)).Append("</link>")
                .Append("<pubDate>").Append(item.Published.ToString("r", System.Globalization.CultureInfo.InvariantCulture)).Append("</pubDate>")
                .Append("<description>").Append(Escape("<p>" + item.Title + "</p>")).Append("</description>");
            foreach (var category in item.Categories)
            {
                xml.Append("<category>").Append(Escape(category)).Append("</category>");
            }

            xml.Append("</item>");
        }

        return xml.Append("</channel></rss>").ToString();
    }

    /// <summary>XML-escapes text, leaving non-ASCII characters as they are (UTF-8).</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>A date a few days before the tests run, so items are never "in the future".</summary>
    public static DateTimeOffset Day(int daysAgo, int hour = 12) =>
        new DateTimeOffset(2026, 1, 15, hour, 0, 0, TimeSpan.Zero).AddDays(-daysAgo);
}
