using FeedHub.Core.Model;

namespace FeedHub.Storage.Tests;

/// <summary>
/// A cluster's copy in a category is one every reader of that category may see; tags are re-filed within
/// visibility when the mapping changes; search text never contains a character FTS5 cannot take.
/// </summary>
public abstract class VisibilityStorageTests(StorageEngine engine)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, IReadOnlyList<string>> Mapping = new() { ["prive"] = ["economie"], ["public"] = ["societe"] };

    private static readonly Dictionary<string, string> Keys = new() { ["societe"] = "societe", ["economie"] = "economie" };

    // economie is partner-only: "prive" may be tag-filed nowhere new, "public" only into societe.
    private static readonly CategoryVisibility Visibility = new(["economie"], new Dictionary<string, IReadOnlyList<string>> { ["prive"] = [], ["public"] = ["societe"] });

    private static ProcessedItem Article(string id, string title, DateTimeOffset published, string[] tags, params string[] categories) =>
        Entries.ToStore(Entries.Entry(id, title, published, content: $"<p>{title}</p>", tags: tags) with { Link = "https://journal.example/" + id }, categories);

    private async Task<(IStoreSet Db, SourceState Prive, SourceState Public)> CreateAsync()
    {
        var db = await engine.CreateAsync();
        var prive = await Entries.AddSourceAsync(db, "prive", "economie");
        var pub = await Entries.AddAnotherSourceAsync(db, "public", "societe");
        Assert.True(await db.Categories.ApplyCategoryMappingAsync(Mapping, Keys, Visibility, Token));
        return (db, prive, pub);
    }

    [Fact]
    public async Task A_partner_only_first_copy_is_never_the_copy_shown_in_a_public_category()
    {
        var (db, prive, pub) = await CreateAsync();
        await using var _ = db;
        await db.Items.SaveFetchAsync(prive, [Article("loyers", "Copie privée motsecret", Entries.Now.AddDays(-3), [], "economie")], Entries.Now, Token);
        var saved = await db.Items.SaveFetchAsync(pub, [Article("loyers", "Copie publique", Entries.Now.AddDays(-1), [], "societe")], Entries.Now.AddMinutes(5), Token);

        var anonymous = await db.Pages.ReadFeedAsync(new FeedFilter(["societe"], 50) { Visible = ["societe"] }, Token);
        var searched = await db.Pages.ReadFeedAsync(new FeedFilter(["societe"], 50) { Visible = ["societe"], Match = FullTextQuery.AllOf("motsecret") }, Token);
        var since = await db.Pages.ReadFeedAsync(new FeedFilter(["societe"], 50) { Visible = ["societe"], Since = Entries.Now.AddDays(-2) }, Token);
        var partner = await db.Pages.ReadFeedAsync(new FeedFilter(["societe", "economie"], 50), Token);

        var item = Assert.Single(anonymous.Items);
        Assert.Equal("Copie publique", item.Title);
        Assert.Equal(Entries.Now.AddDays(-1), item.PublishedAt);
        Assert.Equal(["public"], item.Sources.Select(s => s.Id));
        Assert.Equal(["societe"], item.Categories);
        Assert.Empty(searched.Items);
        Assert.Single(since.Items);
        var both = Assert.Single(partner.Items);
        Assert.Equal("Copie privée motsecret", both.Title);
        Assert.Equal(["prive", "public"], both.Sources.Select(s => s.Id));
        Assert.Equal(["economie", "societe"], both.Categories);
        Assert.Equal(["economie", "societe"], saved.ChangedCategories);
        Assert.Equal(["public"], await db.Categories.SourcesOfCategoryAsync("societe", Token));
    }

    [Fact]
    public async Task Category_activity_names_the_sources_of_the_copy_shown_in_each_category()
    {
        var (db, prive, pub) = await CreateAsync();
        await using var _ = db;
        await db.Items.SaveFetchAsync(prive, [Article("loyers", "Copie privée", Entries.Now.AddDays(-3), [], "economie")], Entries.Now, Token);
        await db.Items.SaveFetchAsync(pub, [Article("loyers", "Copie publique", Entries.Now.AddDays(-1), [], "societe")], Entries.Now.AddMinutes(5), Token);

        var activity = await db.Categories.CategoryActivityAsync(Entries.Now.AddMinutes(1), Token);

        // The societe row points to the public copy, not to the cluster's first (partner-only) copy.
        Assert.Equal(["public"], activity["societe"].SourceIds);
        Assert.Equal(1, activity["societe"].AddedSince);
        Assert.Equal(["prive"], activity["economie"].SourceIds);
        Assert.Equal(0, activity["economie"].AddedSince);
        Assert.Equal(["public"], await db.Categories.SourcesOfCategoryAsync("societe", Token));
    }

    [Fact]
    public async Task Several_categories_show_a_duplicate_once_on_exactly_one_page()
    {
        var (db, prive, pub) = await CreateAsync();
        await using var _ = db;
        await db.Items.SaveFetchAsync(prive, [Article("dup", "Privée", Entries.Now.AddDays(-1), [], "economie"), Article("p2", "Autre privée", Entries.Now.AddDays(-2), [], "economie")], Entries.Now, Token);
        await db.Items.SaveFetchAsync(pub, [Article("dup", "Publique", Entries.Now.AddDays(-3), [], "societe"), Article("s2", "Autre publique", Entries.Now.AddDays(-4), [], "societe")], Entries.Now, Token);

        var titles = new List<string>();
        ItemCursor? cursor = null;
        do
        {
            var page = await db.Pages.ReadFeedAsync(new FeedFilter(["societe", "economie"], 1) { Before = cursor }, Token);
            titles.AddRange(page.Items.Select(i => i.Title));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(["Privée", "Autre privée", "Autre publique"], titles);
    }

    [Fact]
    public async Task A_mapping_change_refiles_tags_within_visibility_only()
    {
        await using var db = await engine.CreateAsync();
        var prive = await Entries.AddSourceAsync(db, "prive", "economie");
        var pub = await Entries.AddAnotherSourceAsync(db, "public", "societe");

        // Stored as an older FeedHub filed them: by tags, whatever the visibility.
        await db.Items.SaveFetchAsync(prive, [Article("note", "Note interne", Entries.Now.AddDays(-1), ["Société"], "economie", "societe")], Entries.Now, Token);
        await db.Items.SaveFetchAsync(pub, [Article("pub", "Article public", Entries.Now.AddDays(-1), ["Économie"], "societe", "economie")], Entries.Now, Token);
        Assert.Equal(2, (await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token)).Count);

        Assert.True(await db.Categories.ApplyCategoryMappingAsync(Mapping, Keys, Visibility, Token));

        Assert.Equal(["Article public"], (await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token)).Select(i => i.Title));
        Assert.Equal(["Note interne"], (await db.Pages.ReadCategoriesAsync(["economie"], 50, cancellationToken: Token)).Select(i => i.Title));

        // Making economie public (no partner-only category left) lets both tags file again.
        Assert.True(await db.Categories.ApplyCategoryMappingAsync(Mapping, Keys, new CategoryVisibility([], new Dictionary<string, IReadOnlyList<string>> { ["prive"] = ["societe", "economie"], ["public"] = ["societe", "economie"] }), Token));
        Assert.Equal(2, (await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token)).Count);
        Assert.Equal(2, (await db.Pages.ReadCategoriesAsync(["economie"], 50, cancellationToken: Token)).Count);
    }

    [Fact]
    public async Task Purging_the_public_copy_leaves_the_public_category_empty()
    {
        var (db, prive, pub) = await CreateAsync();
        await using var _ = db;
        await db.Items.SaveFetchAsync(prive, [Article("loyers", "Privée", Entries.Now.AddHours(-1), [], "economie")], Entries.Now, Token);
        await db.Items.SaveFetchAsync(pub, [Article("loyers", "Publique", Entries.Now.AddDays(-10), [], "societe")], Entries.Now, Token);

        var purge = await db.Retention.PurgeAsync(Entries.Now.AddDays(-5), 0, null, Entries.Now, dryRun: false, Token);

        Assert.Equal(1, purge.ByAge);
        Assert.Contains("societe", purge.ChangedCategories);
        Assert.Empty(await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token));
        Assert.Equal("Privée", Assert.Single(await db.Pages.ReadCategoriesAsync(["economie"], 50, cancellationToken: Token)).Title);
    }

    [Theory]
    [InlineData("loy\0ers")]
    [InlineData("\0")]
    [InlineData("a\u0001b\u001Fc\u007F")]
    [InlineData("mot\uD800")]
    [InlineData("\uDC00mot")]
    [InlineData("\"\0\"*")]
    public async Task Control_characters_and_lone_surrogates_in_a_search_are_word_separators(string text)
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        await db.Items.SaveFetchAsync(state, [Entries.ToStore(Entries.Entry("a", "Loyers ers mot"), "societe")], Entries.Now, Token);

        var match = FullTextQuery.AllOf(text);
        var exclude = FullTextQuery.AnyOf(text);

        foreach (var query in new[] { match, exclude })
        {
            Assert.DoesNotContain(query ?? string.Empty, c => char.IsControl(c) || char.IsSurrogate(c));
        }

        if (match is not null)
        {
            await db.Pages.ReadFeedAsync(new FeedFilter(["societe"], 50) { Match = match }, Token);
            await db.Pages.ReadFeedAsync(new FeedFilter(["societe"], 50) { Exclude = exclude }, Token);
        }
    }
}
