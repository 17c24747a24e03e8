using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>
/// A source that links to javascript:, vbscript:, data: or file: (its items, its enclosures and its own home link)
/// gets none of them published: not in RSS, Atom or JSON Feed, not in /opml/{slug}.
/// </summary>
public sealed class DangerousLinkPublishingTests
{
    private const string Hostile = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Hostile</title><link>javascript:alert('home')</link><description>x</description>
          <item><title>Script link</title><link>javascript:alert('item')</link><guid isPermaLink="true">javascript:alert('guid')</guid>
            <enclosure url="data:audio/mpeg;base64,AAAA" type="audio/mpeg" length="4"/></item>
          <item><title>VBScript link</title><link>vbscript:msgbox('item')</link><guid isPermaLink="false">v1</guid></item>
          <item><title>File link</title><link>file:///etc/passwd</link><guid isPermaLink="false">f1</guid></item>
          <item><title>Web link</title><link>https://journal.example/a/1</link><guid isPermaLink="false">w1</guid></item>
        </channel></rss>
        """;

    [Fact]
    public async Task No_document_publishes_a_link_that_is_not_http()
    {
        await using var run = await PublishingHub.StartAsync(
            new Dictionary<string, PublishingHub.SourceSpec> { ["hostile"] = new(Hostile, "societe") { Schedule = "1h" } },
            feedhub => feedhub["Categories"] = new JsonObject { ["societe"] = new JsonObject() });

        foreach (var path in (string[])["feeds/societe.rss", "feeds/societe.atom", "feeds/societe.json", "opml/societe"])
        {
            var body = await run.Client.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

            Assert.Contains(path.StartsWith("opml", StringComparison.Ordinal) ? run.Server.Url("hostile.rss").AbsoluteUri : "https://journal.example/a/1", body, StringComparison.Ordinal);
            foreach (var scheme in (string[])["javascript:", "vbscript:", "data:", "file:"])
            {
                Assert.DoesNotContain(scheme, body, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
