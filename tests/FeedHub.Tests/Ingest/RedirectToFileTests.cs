using System.Text.Json.Nodes;
using FeedHub.Cli;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Ingest;

/// <summary>
/// A source whose server redirects to file:, ftp:, gopher: or data: ends as a blocked-address error with the
/// normal back-off — in the service and in import-opml's probe — never as an exception retried at once.
/// </summary>
public sealed class RedirectToFileTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly TestFeeds.Item[] Items = [new("a", "Premier", TestFeeds.Day(1))];

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://files.example/feed.xml")]
    [InlineData("data:text/plain,secret")]
    public async Task A_redirect_to_a_file_url_is_a_blocked_address_with_backoff(string location)
    {
        await using var server = await TestFeedServer.StartAsync();
        server.Map("feed.rss", context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        });
        await using var hub = await HubHost.StartAsync(HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject
        {
            ["redirected"] = HubHost.Source(server.Url("feed.rss"), "1s", "societe"),
        }));

        // The second failure in a row is backed off (twice the 1 s interval, ±20 %): the source is not refetched at once.
        var source = await HubHost.EventuallyAsync(
            () => hub.SourceAsync("redirected"), s => (int)s["consecutiveFailures"]! >= 2, TimeSpan.FromSeconds(30), "two refused redirects");

        Assert.Equal("error", (string?)source["lastStatus"]);
        Assert.Equal("blocked-address", (string?)source["errorClass"]);
        Assert.Contains("redirect", (string?)source["lastError"], StringComparison.Ordinal);
        Assert.NotEqual("pending", (string?)source["state"]);
        var failures = (int)source["consecutiveFailures"]!;
        Assert.InRange(server.Hits("feed.rss"), failures, failures + 1);
        if (failures == 2)
        {
            Assert.Equal("backoff", (string?)source["nextFetchReason"]);
            Assert.Equal("backing-off", (string?)source["state"]);
        }
    }

    [Fact]
    public async Task Import_opml_reports_a_feed_redirecting_to_a_file_url_as_failed_and_imports_the_others()
    {
        using var folder = await CliFolder.CreateAsync(HubHost.Config(new JsonObject { ["societe"] = new JsonObject() }, new JsonObject()));
        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("good.rss", TestFeeds.Rss("Good", Items));
        server.Map("evil.rss", context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "file:///etc/passwd";
            return Task.CompletedTask;
        });
        var opml = Path.Combine(folder.Directory, "list.opml");
        await File.WriteAllTextAsync(opml, $"""
            <opml version="2.0"><body>
              <outline type="rss" text="Evil" xmlUrl="{server.Url("evil.rss")}"/>
              <outline type="rss" text="Good" xmlUrl="{server.Url("good.rss")}"/>
            </body></opml>
            """, Token);

        var result = await FeedHubProcess.RunAsync(folder.Directory, "import-opml", opml, "--category", "societe");

        Assert.Equal(ExitCodes.Problems, result.ExitCode);
        Assert.Contains("Imported 1 of 2 feeds", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^evil\s+failed\s+.*blocked-address", result.Output);
        Assert.DoesNotContain("Unhandled", result.Error, StringComparison.Ordinal);
    }
}
