namespace FeedHub.Storage.Tests;

public abstract class ItemStoreTests(StorageEngine engine)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Counts and changed categories equal (records compare lists by reference).</summary>
    private static bool SameSave(SaveResult expected, SaveResult actual) =>
        expected == actual with { ChangedCategories = expected.ChangedCategories } && expected.ChangedCategories.SequenceEqual(actual.ChangedCategories);

    [Fact]
    public async Task SavingTheSameEntriesTwiceStoresThemOnce()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        var entries = new[] { Entries.Entry("a", "Un"), Entries.Entry("b", "Deux") }.Select(e => Entries.ToStore(e, "societe")).ToList();

        var first = await db.Items.SaveFetchAsync(state, entries, Entries.Now, Token);
        var second = await db.Items.SaveFetchAsync(state, entries, Entries.Now.AddMinutes(5), Token);

        Assert.Equal(new SaveResult(2, 0, 0) { ChangedCategories = ["societe"] }, first, SameSave);
        Assert.Equal(new SaveResult(0, 0, 2), second, SameSave);
        Assert.Equal(2, (await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token)).Count);
    }

    [Fact]
    public async Task AChangedEntryIsUpdatedInPlaceKeepingItsPublicId()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        await db.Items.SaveFetchAsync(state, [Entries.ToStore(Entries.Entry("a", "Titre"), "societe")], Entries.Now, Token);
        var before = Assert.Single(await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token));

        var result = await db.Items.SaveFetchAsync(state, [Entries.ToStore(Entries.Entry("a", "Titre corrigé"), "societe")], Entries.Now.AddMinutes(10), Token);

        Assert.Equal(new SaveResult(0, 1, 0) { ChangedCategories = ["societe"] }, result, SameSave);
        var after = Assert.Single(await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token));
        Assert.Equal("Titre corrigé", after.Title);
        Assert.Equal(before.PublicId, after.PublicId);
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(Entries.Now.AddMinutes(10), after.ChangedAt);
    }

    [Fact]
    public async Task AFallbackDateNeverReplacesTheDateAnItemAlreadyHas()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        var firstSeen = Entries.Now.AddDays(-2);
        await db.Items.SaveFetchAsync(state, [Entries.ToStore(Entries.Entry("a", "Sans date", firstSeen, fallback: true), "societe")], firstSeen, Token);

        await db.Items.SaveFetchAsync(state, [Entries.ToStore(Entries.Entry("a", "Sans date, corrigé", Entries.Now, fallback: true), "societe")], Entries.Now, Token);

        var item = Assert.Single(await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token));
        Assert.Equal("Sans date, corrigé", item.Title);
        Assert.Equal(firstSeen, item.PublishedAt);
    }

    [Fact]
    public async Task ReadsNewestFirstWithinTheLimitAndPagesWithACursor()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        var entries = Enumerable.Range(1, 10)
            .Select(i => Entries.ToStore(Entries.Entry($"item-{i}", $"Article {i}", Entries.Now.AddHours(-i)), "societe"))
            .ToList();
        await db.Items.SaveFetchAsync(state, entries, Entries.Now, Token);

        var page1 = await db.Pages.ReadCategoriesAsync(["societe"], 4, cancellationToken: Token);
        var last = page1[^1];
        var page2 = await db.Pages.ReadCategoriesAsync(["societe"], 4, new ItemCursor(last.PublishedAt, last.Id), Token);

        Assert.Equal(["Article 1", "Article 2", "Article 3", "Article 4"], page1.Select(i => i.Title));
        Assert.Equal(["Article 5", "Article 6", "Article 7", "Article 8"], page2.Select(i => i.Title));
    }

    [Fact]
    public async Task AnItemInSeveralRequestedCategoriesIsReadOnce()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        await db.Items.SaveFetchAsync(state, [Entries.ToStore(Entries.Entry("a", "Loyers"), "societe", "economie")], Entries.Now, Token);

        var items = await db.Pages.ReadCategoriesAsync(["societe", "economie"], 50, cancellationToken: Token);

        var item = Assert.Single(items);
        Assert.Equal(["economie", "societe"], item.Categories);
    }

    [Fact]
    public async Task ItemsOfSourcesNoLongerConfiguredAreKeptButNotPublished()
    {
        await using var db = await engine.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        await db.Items.SaveFetchAsync(brief, [Entries.ToStore(Entries.Entry("a", "Un"), "societe")], Entries.Now, Token);

        await db.Sources.SyncAsync([new SourceDefinition("other", "https://example.org/other.xml", true, ["societe"])], Entries.Now, Token);

        Assert.Empty(await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token));
        Assert.Equal(1, await db.CountRowsAsync("items"));
    }

    [Fact]
    public async Task ChangingTheCategoryMappingRefilesStoredItems()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        var tagged = Entries.Entry("b", "Budget", tags: ["Économie"]);
        await db.Categories.ApplyCategoryMappingAsync(new Dictionary<string, IReadOnlyList<string>> { ["brief"] = ["societe"] }, new Dictionary<string, string>(), Token);
        await db.Items.SaveFetchAsync(state, [Entries.ToStore(Entries.Entry("a", "Loyers"), "societe"), Entries.ToStore(tagged, "societe")], Entries.Now, Token);

        // The source moves to "politique", and a new category "economie" claims the tag of item b.
        var rebuilt = await db.Categories.ApplyCategoryMappingAsync(
            new Dictionary<string, IReadOnlyList<string>> { ["brief"] = ["politique"] },
            new Dictionary<string, string> { ["economie"] = "economie" },
            Token);

        Assert.True(rebuilt);
        Assert.Empty(await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token));
        Assert.Equal(2, (await db.Pages.ReadCategoriesAsync(["politique"], 50, cancellationToken: Token)).Count);
        Assert.Equal("Budget", Assert.Single(await db.Pages.ReadCategoriesAsync(["economie"], 50, cancellationToken: Token)).Title);
    }

    [Fact]
    public async Task AnUnchangedCategoryMappingIsNotRebuilt()
    {
        await using var db = await engine.CreateAsync();
        var mapping = new Dictionary<string, IReadOnlyList<string>> { ["brief"] = ["societe"] };
        var keys = new Dictionary<string, string> { ["societe"] = "societe" };

        Assert.True(await db.Categories.ApplyCategoryMappingAsync(mapping, keys, Token));
        Assert.False(await db.Categories.ApplyCategoryMappingAsync(mapping, keys, Token));
    }

    [Fact]
    public async Task NodesApplyingTheSameMappingAtOnceRebuildItOnceWithoutColliding()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        await db.Items.SaveFetchAsync(state, [Entries.ToStore(Entries.Entry("a", "Loyers", tags: ["Économie"]), "societe")], Entries.Now, Token);
        var mapping = new Dictionary<string, IReadOnlyList<string>> { ["brief"] = ["societe", "politique"] };
        var keys = new Dictionary<string, string> { ["societe"] = "societe", ["economie"] = "economie" };
        var nodes = new List<IStoreSet>();
        for (var i = 0; i < 4; i++)
        {
            nodes.Add(await db.ReopenAsync());
        }

        try
        {
            var rebuilt = await Task.WhenAll(nodes.Select(n => Task.Run(() => n.Categories.ApplyCategoryMappingAsync(mapping, keys, Token), Token)));

            Assert.Equal(1, rebuilt.Count(r => r));
            Assert.Equal("Loyers", Assert.Single(await db.Pages.ReadCategoriesAsync(["politique"], 50, cancellationToken: Token)).Title);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task StoredFieldsRoundTrip()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        var entry = Entries.Entry("a", "Élève à la forêt", Entries.Now.AddHours(-3), content: "<p>Français « guillemets » ’</p>", tags: ["Société", "Éducation"]);
        await db.Items.SaveFetchAsync(state, [Entries.ToStore(entry, "societe")], Entries.Now, Token);

        var item = Assert.Single(await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token));

        Assert.Equal(entry.Title, item.Title);
        Assert.Equal(entry.ContentHtml, item.ContentHtml);
        Assert.Equal(entry.Link, item.Link);
        Assert.Equal(entry.PublishedAt, item.PublishedAt);
        Assert.Equal(["Claire Martin"], item.Authors);
        Assert.Equal(["Société", "Éducation"], item.Tags);
        Assert.Equal(entry.Enclosures, item.Enclosures);
        Assert.StartsWith("urn:uuid:", item.PublicId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CategoryStatsCountItemsPerCategory()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        await db.Items.SaveFetchAsync(state, [Entries.ToStore(Entries.Entry("a", "Un"), "societe"), Entries.ToStore(Entries.Entry("b", "Deux"), "societe", "economie")], Entries.Now, Token);

        var stats = await db.Categories.CategoryStatsAsync(Token);

        Assert.Equal(2, stats["societe"].ItemCount);
        Assert.Equal(1, stats["economie"].ItemCount);
    }

    [Fact]
    public async Task KnownRawHashesNameStoredAndPurgedIdentities()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        var a = Entries.Entry("a", "Un") with { RawHash = "raw-a" };
        var b = Entries.Entry("b", "Deux") with { RawHash = "raw-b" };
        await db.Items.SaveFetchAsync(state, [Entries.ToStore(a, "societe"), Entries.ToStore(b, "societe")], Entries.Now, Token);
        await db.Retention.PurgeAsync(null, 1, null, Entries.Now, dryRun: false, Token);

        var known = await db.Items.KnownRawHashesAsync("brief", [a.Identity, b.Identity, "unknown"], Token);

        Assert.Equal(2, known.Count);
        Assert.Contains(ItemStore.Purged, known.Values);
        Assert.Contains(known.Values, v => v is "raw-a" or "raw-b");
    }

    [Fact]
    public async Task NewInputWithTheSameOutputOnlyUpdatesTheRawHash()
    {
        await using var db = await engine.CreateAsync();
        var state = await Entries.AddSourceAsync(db, "brief", "societe");
        var entry = Entries.Entry("a", "Un") with { RawHash = "raw-1" };
        await db.Items.SaveFetchAsync(state, [Entries.ToStore(entry, "societe")], Entries.Now, Token);

        var result = await db.Items.SaveFetchAsync(state, [Entries.ToStore(entry with { RawHash = "raw-2" }, "societe")], Entries.Now.AddHours(1), Token);

        Assert.Equal(1, result.Unchanged);
        Assert.Equal("raw-2", (await db.Items.KnownRawHashesAsync("brief", [entry.Identity], Token))[entry.Identity]);
        Assert.Equal(Entries.Now, Assert.Single(await db.Pages.ReadCategoriesAsync(["societe"], 50, cancellationToken: Token)).ChangedAt);
    }
}
