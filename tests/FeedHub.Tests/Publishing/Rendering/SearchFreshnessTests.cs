using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>
/// ?q= finds an item soon after it arrives: its search row is queued with it and indexed right after the commit, and a
/// search asked before that (then cached) does not hide it afterwards.
/// </summary>
public sealed class SearchFreshnessTests
{
    [Fact]
    public async Task A_new_item_is_found_by_search_within_seconds_of_its_arrival()
    {
        await using var run = await PublishingHub.StartAsync(new Dictionary<string, PublishingHub.SourceSpec>
        {
            ["brief"] = new(TestFeeds.Rss("Le Brief", new TestFeeds.Item("b1", "Économie : la croissance ralentit", TestFeeds.Day(1))), "societe") { Schedule = "1s" },
        });
        Assert.Empty(await TitlesAsync(run, "feeds/societe.rss?q=tramway"));

        run.Server.ServeFeed("brief.rss", TestFeeds.Rss("Le Brief",
            new TestFeeds.Item("b1", "Économie : la croissance ralentit", TestFeeds.Day(1)),
            new TestFeeds.Item("b2", "Tramway : la ligne prolongée", TestFeeds.Day(0))));

        var found = await HubHost.EventuallyAsync(
            () => TitlesAsync(run, "feeds/societe.rss?q=tramway"),
            titles => titles.Count > 0,
            timeout: TimeSpan.FromSeconds(10),
            what: "the new item found by ?q=");

        Assert.Equal(["Tramway : la ligne prolongée"], found);
    }

    private static async Task<List<string>> TitlesAsync(PublishingHub run, string path) =>
        FeedXml.RssTitles(await FeedXml.GetAsync(run.Client, path));
}
