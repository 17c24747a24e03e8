using System.Text.Json.Nodes;
using FeedHub.Operations;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Operations;

/// <summary>
/// A category fed only by the items' own tags (the shipped config's Culture and Sciences) counts the sources whose
/// items are filed in it and the items added in 24 h, on the status page and in the categories command alike.
/// </summary>
public sealed class TagFedCategoryTests : IAsyncLifetime
{
    private PublishingHub _run = null!;

    private HubHost Hub => _run.Hub;

    public async ValueTask InitializeAsync()
    {
        var esprit = TestFeeds.Rss(
            "Esprit Libre",
            new TestFeeds.Item("c1", "Exposition", TestFeeds.Day(1), "Culture"),
            new TestFeeds.Item("c2", "Festival", TestFeeds.Day(2), "Arts & lettres"),
            new TestFeeds.Item("s1", "Découverte", TestFeeds.Day(1), "Science"));
        _run = await PublishingHub.StartAsync(
            new Dictionary<string, PublishingHub.SourceSpec>
            {
                ["esprit"] = new(esprit) { Schedule = "1h" },
                ["brief"] = new(TestFeeds.Rss("Le Brief", new TestFeeds.Item("b1", "Réforme", TestFeeds.Day(1))), "societe") { Schedule = "1h" },
            },
            feedhub => feedhub["Categories"] = new JsonObject
            {
                ["societe"] = new JsonObject { ["Title"] = "Société" },
                ["culture"] = new JsonObject { ["Title"] = "Culture", ["Aliases"] = new JsonArray("Arts & lettres") },
                ["sciences"] = new JsonObject { ["Title"] = "Sciences", ["Aliases"] = new JsonArray("Science") },
            });
        await HubHost.EventuallyAsync(() => Hub.GetJsonArrayAsync("sources"), s => s.All(x => (int?)x!["itemCount"] > 0), what: "both sources fetched");
    }

    public ValueTask DisposeAsync() => _run.DisposeAsync();

    [Fact]
    public async Task The_status_page_counts_a_tag_fed_categorys_sources_and_the_items_added_in_24_hours()
    {
        var report = await Hub.Services.GetRequiredService<StatusReportBuilder>().BuildAsync(TestContext.Current.CancellationToken);
        var html = await Hub.Client.GetStringAsync(new Uri("status", UriKind.Relative), TestContext.Current.CancellationToken);

        var culture = report.Categories.Single(c => c.Slug == "culture");
        var sciences = report.Categories.Single(c => c.Slug == "sciences");
        var societe = report.Categories.Single(c => c.Slug == "societe");
        Assert.Equal((2L, 2, 1), (culture.ItemCount, culture.Added24h, culture.SourceCount));
        Assert.Equal((1L, 1, 1), (sciences.ItemCount, sciences.Added24h, sciences.SourceCount));
        Assert.Equal((1L, 1, 1), (societe.ItemCount, societe.Added24h, societe.SourceCount));
        Assert.Matches("data-category=\"culture\">.*<td data-label=\"Added 24 h\">2</td><td data-label=\"Sources\">1</td>", html);
    }

    [Fact]
    public async Task The_categories_command_lists_the_sources_a_category_is_fed_by_through_tags()
    {
        var result = await FeedHubProcess.RunAsync(Hub.Directory, "categories", "--config", Hub.ConfigPath, "--json");

        var rows = JsonNode.Parse(result.Output)!.AsArray();
        var culture = rows.Single(r => (string?)r!["slug"] == "culture")!;
        Assert.Equal(["esprit"], culture["sources"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(2, (int)culture["added24h"]!);
    }
}
