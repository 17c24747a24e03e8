using FeedHub.Core.Model;

namespace FeedHub.Storage.Tests;

/// <summary>Cross-source duplicates: stored per source, published once with every source.</summary>
public abstract class DuplicateClusterTests(StorageEngine engine)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ProcessedItem Article(string id, string link, string title, string? guid = null, DateTimeOffset? published = null, params string[] categories) =>
        Entries.ToStore(Entries.Entry(id, title, published) with { Link = link, ExternalId = guid ?? id }, categories);

    [Fact]
    public async Task TheSameLinkFromTwoSourcesIsPublishedOnceWithBothSources()
    {
        await using var db = await engine.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var gazette = await Entries.AddAnotherSourceAsync(db, "gazette", "politique");
        await db.Items.SaveFetchAsync(brief, [Article("a", "https://journal.example/loyers", "Loyers", categories: "societe")], Entries.Now, Token);

        var saved = await db.Items.SaveFetchAsync(gazette, [Article("x", "http://www.journal.example/loyers/?utm_source=gazette#top", "Loyers (reprise)", categories: "politique")], Entries.Now.AddMinutes(5), Token);

        var item = Assert.Single(await db.Pages.ReadCategoriesAsync(["societe", "politique"], 50, cancellationToken: Token));
        Assert.Equal("Loyers", item.Title);
        Assert.Equal(["brief", "gazette"], item.Sources.Select(s => s.Id));
        Assert.Equal(["politique", "societe"], item.Categories);
        Assert.Equal(Entries.Now.AddMinutes(5), item.ChangedAt);
        Assert.Equal(["politique", "societe"], saved.ChangedCategories);
        Assert.Equal("Loyers", Assert.Single(await db.Pages.ReadCategoriesAsync(["politique"], 50, cancellationToken: Token)).Title);
    }

    [Fact]
    public async Task TheSameUriGuidFromTwoSourcesIsOneArticle()
    {
        await using var db = await engine.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var gazette = await Entries.AddAnotherSourceAsync(db, "gazette", "societe");
        const string guid = "tag:journal.example,2026:loyers";
        await db.Items.SaveFetchAsync(brief, [Article("a", "https://journal.example/a", "Loyers", guid, categories: "societe")], Entries.Now, Token);
        await db.Items.SaveFetchAsync(gazette, [Article("b", "https://miroir.example/b", "Loyers", guid, categories: "societe")], Entries.Now, Token);

        var item = Assert.Single(await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token));
        Assert.Equal(2, item.Sources.Count);
    }

    [Fact]
    public async Task ShortGuidsAndDifferentLinksStaySeparateArticles()
    {
        await using var db = await engine.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var gazette = await Entries.AddAnotherSourceAsync(db, "gazette", "societe");
        await db.Items.SaveFetchAsync(brief, [Article("1", "https://journal.example/a", "Un", "1", categories: "societe")], Entries.Now, Token);
        await db.Items.SaveFetchAsync(gazette, [Article("1", "https://gazette.example/a", "Autre", "1", categories: "societe")], Entries.Now, Token);

        Assert.Equal(2, (await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token)).Count);
    }

    [Fact]
    public async Task TheSameArticleSavedFromTwoSourcesByTwoNodesAtOnceIsOneArticle()
    {
        await using var db = await engine.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var gazette = await Entries.AddAnotherSourceAsync(db, "gazette", "societe");
        await using var first = await db.ReopenAsync();
        await using var second = await db.ReopenAsync();
        const int Stories = 20;

        for (var i = 0; i < Stories; i++)
        {
            var link = $"https://journal.example/story{i}";
            await Task.WhenAll(
                Task.Run(() => first.Items.SaveFetchAsync(brief, [Article($"b{i}", link, $"Story {i}", categories: "societe")], Entries.Now, Token), Token),
                Task.Run(() => second.Items.SaveFetchAsync(gazette, [Article($"g{i}", link, $"Story {i} (reprise)", categories: "societe")], Entries.Now, Token), Token));
        }

        var items = await db.Pages.ReadCategoriesAsync(["societe"], 100, cancellationToken: Token);
        Assert.Equal(Stories, items.Count);
        Assert.All(items, item => Assert.Equal(2, item.Sources.Count));
    }

    [Fact]
    public async Task ACopySavedByOneNodeWhileAnotherPurgesTheFirstCopyJoinsTheHeir()
    {
        await using var db = await engine.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var gazette = await Entries.AddAnotherSourceAsync(db, "gazette", "societe");
        var tribune = await Entries.AddAnotherSourceAsync(db, "tribune", "societe");
        await using var first = await db.ReopenAsync();
        await using var second = await db.ReopenAsync();
        const int Rounds = 15;

        for (var i = 0; i < Rounds; i++)
        {
            var link = $"https://journal.example/story{i}";
            await db.Items.SaveFetchAsync(brief, [Article($"b{i}", link, $"Story {i}", published: Entries.Now.AddDays(-10), categories: "societe")], Entries.Now, Token);
            await db.Items.SaveFetchAsync(gazette, [Article($"g{i}", link, $"Story {i} (gazette)", published: Entries.Now.AddHours(-1), categories: "societe")], Entries.Now, Token);
            await Task.WhenAll(
                Task.Run(() => first.Retention.PurgeAsync(Entries.Now.AddDays(-5), 0, null, Entries.Now, dryRun: false, Token), Token),
                Task.Run(() => second.Items.SaveFetchAsync(tribune, [Article($"t{i}", link, $"Story {i} (tribune)", published: Entries.Now.AddMinutes(-30), categories: "societe")], Entries.Now, Token), Token));
        }

        var items = await db.Pages.ReadCategoriesAsync(["societe"], 100, cancellationToken: Token);
        Assert.Equal(Rounds, items.Count);
        Assert.All(items, item => Assert.Equal(["gazette", "tribune"], item.Sources.Select(s => s.Id)));
    }

    [Fact]
    public async Task PurgingTheFirstCopyHandsTheArticleToTheOtherSource()
    {
        await using var db = await engine.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var gazette = await Entries.AddAnotherSourceAsync(db, "gazette", "politique");
        await db.Items.SaveFetchAsync(brief, [Article("a", "https://journal.example/loyers", "Loyers", published: Entries.Now.AddDays(-10), categories: "societe")], Entries.Now, Token);
        await db.Items.SaveFetchAsync(gazette, [Article("x", "https://journal.example/loyers", "Loyers (reprise)", published: Entries.Now.AddHours(-1), categories: "politique")], Entries.Now, Token);

        var purge = await db.Retention.PurgeAsync(Entries.Now.AddDays(-5), 0, null, Entries.Now, dryRun: false, Token);

        Assert.Equal(1, purge.ByAge);
        Assert.Equal(["politique", "societe"], purge.ChangedCategories);
        var item = Assert.Single(await db.Pages.ReadCategoriesAsync(["politique"], 50, cancellationToken: Token));
        Assert.Equal("Loyers (reprise)", item.Title);
        Assert.Equal(["gazette"], item.Sources.Select(s => s.Id));
        Assert.Empty(await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token));
    }
}
