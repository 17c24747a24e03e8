using Dapper;

namespace FeedHub.Storage.Tests;

/// <summary>Cross-source duplicates: stored per source, published once with every source.</summary>
public sealed class DuplicateClusterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static EntryToStore Article(string id, string link, string title, string? guid = null, DateTimeOffset? published = null, params string[] categories) =>
        Entries.ToStore(Entries.Entry(id, title, published) with { Link = link, ExternalId = guid ?? id }, categories);

    [Fact]
    public async Task TheSameLinkFromTwoSourcesIsPublishedOnceWithBothSources()
    {
        await using var db = await TestDatabase.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var gazette = await Entries.AddAnotherSourceAsync(db, "gazette", "politique");
        await db.Items.SaveFetchAsync(brief, [Article("a", "https://journal.example/loyers", "Loyers", categories: "societe")], Entries.Now, Token);

        var saved = await db.Items.SaveFetchAsync(gazette, [Article("x", "http://www.journal.example/loyers/?utm_source=gazette#top", "Loyers (reprise)", categories: "politique")], Entries.Now.AddMinutes(5), Token);

        var item = Assert.Single(await db.Items.ReadCategoriesAsync(["societe", "politique"], 50, cancellationToken: Token));
        Assert.Equal("Loyers", item.Title);
        Assert.Equal(["brief", "gazette"], item.Sources.Select(s => s.Id));
        Assert.Equal(["politique", "societe"], item.Categories);
        Assert.Equal(Entries.Now.AddMinutes(5), item.ChangedAt);
        Assert.Equal(["politique", "societe"], saved.ChangedCategories);
        Assert.Equal("Loyers", Assert.Single(await db.Items.ReadCategoriesAsync(["politique"], 50, cancellationToken: Token)).Title);
    }

    [Fact]
    public async Task TheSameUriGuidFromTwoSourcesIsOneArticle()
    {
        await using var db = await TestDatabase.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var gazette = await Entries.AddAnotherSourceAsync(db, "gazette", "societe");
        const string guid = "tag:journal.example,2026:loyers";
        await db.Items.SaveFetchAsync(brief, [Article("a", "https://journal.example/a", "Loyers", guid, categories: "societe")], Entries.Now, Token);
        await db.Items.SaveFetchAsync(gazette, [Article("b", "https://miroir.example/b", "Loyers", guid, categories: "societe")], Entries.Now, Token);

        var item = Assert.Single(await db.Items.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token));
        Assert.Equal(2, item.Sources.Count);
    }

    [Fact]
    public async Task ShortGuidsAndDifferentLinksStaySeparateArticles()
    {
        await using var db = await TestDatabase.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var gazette = await Entries.AddAnotherSourceAsync(db, "gazette", "societe");
        await db.Items.SaveFetchAsync(brief, [Article("1", "https://journal.example/a", "Un", "1", categories: "societe")], Entries.Now, Token);
        await db.Items.SaveFetchAsync(gazette, [Article("1", "https://gazette.example/a", "Autre", "1", categories: "societe")], Entries.Now, Token);

        Assert.Equal(2, (await db.Items.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token)).Count);
    }

    [Fact]
    public async Task PurgingTheFirstCopyHandsTheArticleToTheOtherSource()
    {
        await using var db = await TestDatabase.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var gazette = await Entries.AddAnotherSourceAsync(db, "gazette", "politique");
        await db.Items.SaveFetchAsync(brief, [Article("a", "https://journal.example/loyers", "Loyers", published: Entries.Now.AddDays(-10), categories: "societe")], Entries.Now, Token);
        await db.Items.SaveFetchAsync(gazette, [Article("x", "https://journal.example/loyers", "Loyers (reprise)", published: Entries.Now.AddHours(-1), categories: "politique")], Entries.Now, Token);

        var purge = await new RetentionStore(db.Database).PurgeAsync(Entries.Now.AddDays(-5), 0, null, Entries.Now, dryRun: false, Token);

        Assert.Equal(1, purge.ByAge);
        Assert.Equal(["politique", "societe"], purge.ChangedCategories);
        var item = Assert.Single(await db.Items.ReadCategoriesAsync(["politique"], 50, cancellationToken: Token));
        Assert.Equal("Loyers (reprise)", item.Title);
        Assert.Equal(["gazette"], item.Sources.Select(s => s.Id));
        Assert.Empty(await db.Items.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token));
    }

    [Fact]
    public async Task ItemsStoredBeforeDuplicateDetectionAreCompletedAtStart()
    {
        await using var db = await TestDatabase.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var gazette = await Entries.AddAnotherSourceAsync(db, "gazette", "societe");
        await db.Items.SaveFetchAsync(brief, [Article("a", "https://journal.example/loyers", "Économie des loyers", categories: "societe")], Entries.Now, Token);
        await db.Items.SaveFetchAsync(gazette, [Article("x", "https://autre.example/x", "Autre", categories: "societe")], Entries.Now, Token);

        // As the rows were before migration 3: no keys, no cluster, no search row, one category row each.
        await using (var connection = await db.Database.OpenAsync(Token))
        {
            await connection.ExecuteAsync("""
                UPDATE items SET link_key = NULL, guid_key = NULL, cluster_id = NULL, link = 'https://journal.example/loyers/?utm_medium=x';
                DELETE FROM items_fts;
                """);
        }

        var completed = await db.Items.CompleteLegacyItemsAsync(Token);

        Assert.Equal(2, completed);
        var item = Assert.Single(await db.Items.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token));
        Assert.Equal(2, item.Sources.Count);
        Assert.Single((await db.Items.ReadFeedAsync(new FeedFilter(["societe"], 50) { Match = FullTextQuery.AllOf("economie") }, Token)).Items);
        Assert.Equal(0, await db.Items.CompleteLegacyItemsAsync(Token));
    }
}
