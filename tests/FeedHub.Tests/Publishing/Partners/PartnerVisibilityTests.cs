using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FeedHub.Publishing.Export;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Partners;

/// <summary>
/// A partner-only source's items never reach a reader who may not read its categories: not as the copy
/// of a cross-source duplicate, not through its own category tags, not in search, provenance, OPML,
/// counts or the static export; and a public source cannot push items into a partner-only category.
/// </summary>
public sealed class PartnerVisibilityTests : IDisposable
{
    private const string AcmeKey = "acme-0123456789abcdef";

    // "prive" is partner-only (economie); "public" files into societe. Both carry https://source.example/dup.
    private static readonly TestFeeds.Item PrivateCopy = new("dup", "Copie privée MOTSECRET", TestFeeds.Day(3));
    private static readonly TestFeeds.Item PrivateTagged = new("note", "Note interne confidentielle", TestFeeds.Day(2), "Société");
    private static readonly TestFeeds.Item PublicCopy = new("dup", "Copie publique du même article", TestFeeds.Day(1));
    private static readonly TestFeeds.Item PublicTagged = new("pub", "Article public étiqueté", TestFeeds.Day(1, 14), "Économie");

    private readonly List<string> _directories = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var directory in _directories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// The partner-only copy is stored first (so it is the cluster's first item), then the public source
    /// carries the same link.
    /// </summary>
    private async Task<(PublishingHub Run, string Export)> StartAsync()
    {
        var export = Path.Combine(Path.GetTempPath(), "feedhub-visibility-" + Guid.NewGuid().ToString("N"));
        _directories.Add(export);
        var run = await PublishingHub.StartAsync(
            new Dictionary<string, PublishingHub.SourceSpec>
            {
                ["prive"] = new(TestFeeds.Rss("La Lettre Confidentielle", PrivateCopy, PrivateTagged), "economie"),
                ["public"] = new(TestFeeds.Rss("Le Quotidien", new TestFeeds.Item("autre", "Autre sujet", TestFeeds.Day(5))), "societe") { Schedule = "2s" },
            },
            feedhub =>
            {
                feedhub["PublicUrl"] = "https://feeds.example/";
                feedhub["Publishing"] = new JsonObject
                {
                    ["PublicCategories"] = new JsonArray("societe"),
                    ["ExportSchedule"] = "1h",
                    ["ExportDirectory"] = export,
                    ["ExportUrl"] = "https://cdn.example/flux/",
                };
                feedhub["Partners"] = new JsonObject
                {
                    ["acme"] = new JsonObject { ["Key"] = AcmeKey, ["Categories"] = new JsonArray("economie"), ["RequestsPerMinute"] = 0 },
                };
            });
        await run.UpdateSourceAsync("public", TestFeeds.Rss("Le Quotidien", new TestFeeds.Item("autre", "Autre sujet", TestFeeds.Day(5)), PublicCopy, PublicTagged));
        return (run, export);
    }

    private static void AssertNothingPrivate(string document)
    {
        Assert.DoesNotContain("MOTSECRET", document, StringComparison.Ordinal);
        Assert.DoesNotContain("Copie privée", document, StringComparison.Ordinal);
        Assert.DoesNotContain("Note interne", document, StringComparison.Ordinal);
        Assert.DoesNotContain("Confidentielle", document, StringComparison.Ordinal);
        Assert.DoesNotContain("prive", document, StringComparison.Ordinal);
        Assert.DoesNotContain("Économie", document, StringComparison.Ordinal);
        Assert.DoesNotContain("economie", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anonymous_reader_sees_a_duplicate_only_through_the_public_copy_in_every_format()
    {
        var (run, _) = await StartAsync();
        await using var _run = run;

        foreach (var path in new[] { "feeds/societe.rss", "feeds/societe.atom", "feeds/societe.json", "feeds/all.rss", "feeds/all.atom", "feeds/all.json", "feeds/societe.rss?q=copie", "feeds/societe.json?exclude=autre" })
        {
            var body = await run.Client.GetStringAsync(path, Token);
            Assert.Contains("Copie publique du même article", body, StringComparison.Ordinal);
            AssertNothingPrivate(body);
        }

        var json = JsonDocument.Parse(await run.Client.GetStringAsync("feeds/societe.json", Token)).RootElement;
        var item = json.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetString() == PublicCopy.Title);
        Assert.Equal(["Le Quotidien"], item.GetProperty("_feedhub").GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Paging_never_shows_the_partner_only_copy_or_its_date()
    {
        var (run, _) = await StartAsync();
        await using var _run = run;

        var path = "feeds/societe.json?limit=1";
        var titles = new List<string>();
        for (var pages = 0; path is not null && pages < 10; pages++)
        {
            var page = await run.Client.GetStringAsync(path, Token);
            AssertNothingPrivate(page);
            var json = JsonDocument.Parse(page).RootElement;
            titles.AddRange(json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!));
            path = json.TryGetProperty("next_url", out var next) ? next.GetString()!.Replace("https://feeds.example/", string.Empty, StringComparison.Ordinal) : null;

            // The cursor names the public copy's own position, never the partner-only copy's date.
            Assert.DoesNotContain(PrivateCopy.Published.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), page, StringComparison.Ordinal);
        }

        Assert.Equal(["Article public étiqueté", "Copie publique du même article", "Autre sujet"], titles);
    }

    [Fact]
    public async Task Search_does_not_match_words_only_the_partner_only_copy_has()
    {
        var (run, _) = await StartAsync();
        await using var _run = run;

        var anonymous = JsonDocument.Parse(await run.Client.GetStringAsync("feeds/societe.json?q=MOTSECRET", Token)).RootElement;
        var everything = JsonDocument.Parse(await run.Client.GetStringAsync("feeds/all.json?q=confidentielle", Token)).RootElement;
        var partner = JsonDocument.Parse(await run.Client.GetStringAsync($"feeds/economie.json?q=MOTSECRET&key={AcmeKey}", Token)).RootElement;

        Assert.Empty(anonymous.GetProperty("items").EnumerateArray());
        Assert.Empty(everything.GetProperty("items").EnumerateArray());
        Assert.Single(partner.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Tags_never_file_items_across_visibility()
    {
        var (run, _) = await StartAsync();
        await using var _run = run;

        var societe = FeedXml.RssTitles(await FeedXml.GetAsync(run.Client, "feeds/societe.rss"));
        var economie = FeedXml.RssTitles(await FeedXml.GetAsync(run.Client, $"feeds/economie.rss?key={AcmeKey}"));

        // The partner-only source's item tagged "Société" stays out of the public category…
        Assert.DoesNotContain(PrivateTagged.Title, societe);
        Assert.Contains(PrivateTagged.Title, economie);

        // … and the public source's item tagged "Économie" cannot enter the partner-only one.
        Assert.Contains(PublicTagged.Title, societe);
        Assert.DoesNotContain(PublicTagged.Title, economie);
    }

    [Fact]
    public async Task A_partner_sees_its_own_copy_and_both_sources_once()
    {
        var (run, _) = await StartAsync();
        await using var _run = run;

        var json = JsonDocument.Parse(await run.Client.GetStringAsync($"feeds/societe+economie.json?key={AcmeKey}", Token)).RootElement;

        var duplicates = json.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("url").GetString() == "https://source.example/dup").ToList();
        var item = Assert.Single(duplicates);
        Assert.Equal(PrivateCopy.Title, item.GetProperty("title").GetString());
        Assert.Equal(["La Lettre Confidentielle", "Le Quotidien"], item.GetProperty("_feedhub").GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Opml_counts_and_the_static_export_show_no_partner_only_source_or_item()
    {
        var (run, export) = await StartAsync();
        await using var _run = run;

        var opml = await run.Client.GetStringAsync("opml/societe", Token);
        var categories = JsonDocument.Parse(await run.Client.GetStringAsync("categories", Token)).RootElement;
        await run.Hub.Services.GetRequiredService<StaticExporter>().ExportAsync(Token);

        Assert.Contains("public.rss", opml, StringComparison.Ordinal);
        Assert.DoesNotContain("prive", opml, StringComparison.Ordinal);
        Assert.DoesNotContain("Confidentielle", opml, StringComparison.Ordinal);
        Assert.Equal(3, categories.EnumerateArray().Single(c => c.GetProperty("slug").GetString() == "societe").GetProperty("itemCount").GetInt64());
        foreach (var file in Directory.GetFiles(export))
        {
            AssertNothingPrivate(await File.ReadAllTextAsync(file, Token));
        }
    }

    [Fact]
    public async Task A_config_reload_refiles_stored_items_by_the_same_rule()
    {
        var (run, _) = await StartAsync();
        await using var _run = run;
        Assert.DoesNotContain(PrivateTagged.Title, FeedXml.RssTitles(await FeedXml.GetAsync(run.Client, "feeds/societe.rss")));

        // economie becomes public: the partner-only source is public now, and its tag files it into societe.
        var config = JsonNode.Parse(await File.ReadAllTextAsync(run.Hub.ConfigPath, Token))!.AsObject();
        config["FeedHub"]!["Publishing"]!["PublicCategories"] = new JsonArray("societe", "economie");
        await run.Hub.WriteConfigAsync(config);
        await HubHost.EventuallyAsync(
            async () => FeedXml.RssTitles(await FeedXml.GetAsync(run.Client, "feeds/societe.rss")),
            titles => titles.Contains(PrivateTagged.Title),
            what: "the tagged item re-filed into societe");

        // And back: economie partner-only again takes it out.
        config["FeedHub"]!["Publishing"]!["PublicCategories"] = new JsonArray("societe");
        await run.Hub.WriteConfigAsync(config);
        var societe = await HubHost.EventuallyAsync(
            async () => await run.Client.GetStringAsync("feeds/societe.rss", Token),
            body => !body.Contains(PrivateTagged.Title, StringComparison.Ordinal),
            what: "the tagged item out of societe");
        AssertNothingPrivate(societe);
    }

    [Fact]
    public async Task A_source_the_reader_may_not_see_gets_the_same_answer_as_an_unknown_source()
    {
        var (run, _) = await StartAsync();
        await using var _run = run;

        using var hidden = await run.Client.GetAsync("feeds/societe.rss?source=prive", Token);
        using var unknown = await run.Client.GetAsync("feeds/societe.rss?source=prive2", Token);
        using var partner = await run.Client.GetAsync($"feeds/economie.rss?source=prive&key={AcmeKey}", Token);

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(unknown.StatusCode, hidden.StatusCode);
        Assert.Equal(
            (await unknown.Content.ReadAsStringAsync(Token)).Replace("prive2", "ID", StringComparison.Ordinal),
            (await hidden.Content.ReadAsStringAsync(Token)).Replace("prive", "ID", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, partner.StatusCode);
    }
}
