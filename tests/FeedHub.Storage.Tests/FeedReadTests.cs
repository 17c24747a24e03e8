namespace FeedHub.Storage.Tests;

/// <summary>Feed pages: full-text search, filters and cursors, in SQL against a real SQLite file.</summary>
public abstract class FeedReadTests(StorageEngine engine)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<IStoreSet> WithArticlesAsync()
    {
        var db = await engine.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var gazette = await Entries.AddAnotherSourceAsync(db, "gazette", "societe");
        await db.Items.SaveFetchAsync(brief,
        [
            Entries.ToStore(Entries.Entry("a", "Économie : la croissance ralentit", Entries.Now.AddHours(-1), content: "<p>Le <b>PIB</b> progresse moins vite.</p>"), "societe"),
            Entries.ToStore(Entries.Entry("b", "Santé : les urgences sous tension", Entries.Now.AddHours(-2), content: "<p>Hôpitaux saturés.</p>"), "societe"),
            Entries.ToStore(Entries.Entry("c", "Football : la finale", Entries.Now.AddDays(-3), content: "<p>Une soirée de sport.</p>"), "societe"),
        ], Entries.Now, Token);
        await db.Items.SaveFetchAsync(gazette,
        [
            Entries.ToStore(Entries.Entry("d", "Budget : l'économie au cœur du débat", Entries.Now.AddHours(-5), content: "<p>Les députés votent.</p>"), "societe"),
        ], Entries.Now, Token);
        return db;
    }

    private static async Task<List<string>> TitlesAsync(IStoreSet db, FeedFilter filter) =>
        [.. (await db.Pages.ReadFeedAsync(filter, Token)).Items.Select(i => i.Title)];

    [Theory]
    [InlineData("economie", new[] { "Économie : la croissance ralentit", "Budget : l'économie au cœur du débat" })]
    [InlineData("ÉCONOMIE", new[] { "Économie : la croissance ralentit", "Budget : l'économie au cœur du débat" })]
    [InlineData("pib", new[] { "Économie : la croissance ralentit" })]
    [InlineData("hopitaux", new[] { "Santé : les urgences sous tension" })]
    [InlineData("econ*", new[] { "Économie : la croissance ralentit", "Budget : l'économie au cœur du débat" })]
    [InlineData("economie debat", new[] { "Budget : l'économie au cœur du débat" })]
    [InlineData("\"sous tension\"", new[] { "Santé : les urgences sous tension" })]
    [InlineData("NOT AND OR ( ^", new string[0])]
    [InlineData("\"croissance ralentit\"", new[] { "Économie : la croissance ralentit" })]
    [InlineData("\"ralentit croissance\"", new string[0])]
    [InlineData("\"la croiss*\"", new[] { "Économie : la croissance ralentit" })]
    [InlineData("econ* debat", new[] { "Budget : l'économie au cœur du débat" })]
    [InlineData("economie OR football", new string[0])]
    [InlineData("economie -budget", new[] { "Budget : l'économie au cœur du débat" })]
    [InlineData("l'economie\\ 'debat'", new[] { "Budget : l'économie au cœur du débat" })]
    public async Task SearchMatchesTitleAndTextIgnoringAccentsAndCase(string query, string[] expected)
    {
        await using var db = await WithArticlesAsync();

        var titles = await TitlesAsync(db, new FeedFilter(["societe"], 50) { Match = FullTextQuery.AllOf(query) ?? "\"nothing-at-all\"" });

        Assert.Equal(expected, titles);
    }

    [Theory]
    [InlineData("deces")]
    [InlineData("DÉCÈS")]
    [InlineData("décés")]
    [InlineData("dec*")]
    public async Task SearchFindsAWordWhateverItsAccentsOnEitherSide(string query)
    {
        await using var db = await engine.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        await db.Items.SaveFetchAsync(brief,
        [
            Entries.ToStore(Entries.Entry("a", "Décès d'un académicien", Entries.Now.AddHours(-1)), "societe"),
            Entries.ToStore(Entries.Entry("b", "Registre", Entries.Now.AddHours(-2), content: "<p>Les deces de l'annee.</p>"), "societe"),
            Entries.ToStore(Entries.Entry("c", "Naissances", Entries.Now.AddHours(-3)), "societe"),
        ], Entries.Now, Token);

        var titles = await TitlesAsync(db, new FeedFilter(["societe"], 50) { Match = FullTextQuery.AllOf(query) });

        Assert.Equal(["Décès d'un académicien", "Registre"], titles);
    }

    [Fact]
    public async Task ExcludeDropsItemsWithAnyOfTheWords()
    {
        await using var db = await WithArticlesAsync();

        var titles = await TitlesAsync(db, new FeedFilter(["societe"], 50) { Exclude = FullTextQuery.AnyOf("football, hopitaux") });
        var both = await TitlesAsync(db, new FeedFilter(["societe"], 50) { Match = FullTextQuery.AllOf("economie"), Exclude = FullTextQuery.AnyOf("budget") });

        Assert.Equal(["Économie : la croissance ralentit", "Budget : l'économie au cœur du débat"], titles);
        Assert.Equal(["Économie : la croissance ralentit"], both);
    }

    [Fact]
    public async Task ExcludeTakesPrefixesAndPhrasesToo()
    {
        await using var db = await WithArticlesAsync();

        var titles = await TitlesAsync(db, new FeedFilter(["societe"], 50) { Exclude = FullTextQuery.AnyOf("foot*, \"sous tension\" \"debat economie\"") });

        Assert.Equal(["Économie : la croissance ralentit", "Budget : l'économie au cœur du débat"], titles);
    }

    [Fact]
    public async Task SinceAndSourceNarrowTheFeed()
    {
        await using var db = await WithArticlesAsync();

        var recent = await TitlesAsync(db, new FeedFilter(["societe"], 50) { Since = Entries.Now.AddDays(-1) });
        var gazette = await TitlesAsync(db, new FeedFilter(["societe"], 50) { Sources = ["gazette"] });

        Assert.Equal(3, recent.Count);
        Assert.DoesNotContain("Football : la finale", recent);
        Assert.Equal(["Budget : l'économie au cœur du débat"], gazette);
    }

    [Fact]
    public async Task APageSaysWhereTheNextOneStartsAndTheLastPageSaysNothing()
    {
        await using var db = await WithArticlesAsync();

        var first = await db.Pages.ReadFeedAsync(new FeedFilter(["societe"], 3), Token);
        var second = await db.Pages.ReadFeedAsync(new FeedFilter(["societe"], 3) { Before = first.Next }, Token);

        Assert.Equal(3, first.Items.Count);
        Assert.Equal(new ItemCursor(first.Items[^1].PublishedAt, first.Items[^1].Id), first.Next);
        Assert.Equal(["Football : la finale"], second.Items.Select(i => i.Title));
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task SeveralCategoriesArePagedAsOneNewestFirstList()
    {
        await using var db = await engine.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        var entries = Enumerable.Range(0, 9).Select(i => Entries.ToStore(
            Entries.Entry($"i{i}", $"Article {i}", Entries.Now.AddHours(-i)), i % 3 == 0 ? ["societe", "economie"] : i % 3 == 1 ? ["societe"] : ["economie"])).ToList();
        await db.Items.SaveFetchAsync(brief, entries, Entries.Now, Token);

        var seen = new List<string>();
        ItemCursor? cursor = null;
        do
        {
            var page = await db.Pages.ReadFeedAsync(new FeedFilter(["societe", "economie"], 2) { Before = cursor }, Token);
            seen.AddRange(page.Items.Select(i => i.Title));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 9).Select(i => $"Article {i}"), seen);
    }

    [Fact]
    public async Task TheSearchIndexFollowsUpdatesAndPurges()
    {
        await using var db = await WithArticlesAsync();
        var brief = (await db.Sources.GetAsync("brief", Token))!;
        await db.Items.SaveFetchAsync(brief, [Entries.ToStore(Entries.Entry("b", "Santé : accalmie aux urgences", Entries.Now.AddHours(-2), content: "<p>Calme.</p>"), "societe")], Entries.Now, Token);

        Assert.Empty(await TitlesAsync(db, new FeedFilter(["societe"], 50) { Match = FullTextQuery.AllOf("tension") }));
        Assert.Single(await TitlesAsync(db, new FeedFilter(["societe"], 50) { Match = FullTextQuery.AllOf("accalmie") }));

        var finale = await TitlesAsync(db, new FeedFilter(["societe"], 50) { Match = FullTextQuery.AllOf("finale") });
        await db.Retention.PurgeAsync(Entries.Now.AddDays(-1), 0, null, Entries.Now, dryRun: false, Token);

        Assert.NotEmpty(finale);
        Assert.Empty(await TitlesAsync(db, new FeedFilter(["societe"], 50) { Match = FullTextQuery.AllOf("finale") }));
    }

    /// <summary>A category larger than the search's probe window: every item says "commun", even ones "pair", the five oldest "ancien".</summary>
    private async Task<(IStoreSet Db, List<string> NewestFirst)> WithLargeCategoryAsync()
    {
        var db = await engine.CreateAsync();
        var brief = await Entries.AddSourceAsync(db, "brief", "societe");
        // More rows than a search probes before it collects every match (SqlPageStore.SearchProbeWindow, 1,000).
        var count = 1150;
        var entries = Enumerable.Range(0, count).Select(i => Entries.ToStore(
            Entries.Entry($"i{i}", $"Article {i}", Entries.Now.AddMinutes(-i), content: $"<p>commun{(i % 2 == 0 ? " pair" : string.Empty)}{(i >= count - 5 ? " ancien" : string.Empty)}</p>"),
            "societe")).ToList();
        await db.Items.SaveFetchAsync(brief, entries, Entries.Now, Token);
        return (db, [.. Enumerable.Range(0, count).Select(i => $"Article {i}")]);
    }

    private static async Task<List<string>> AllPagesAsync(IStoreSet db, FeedFilter filter)
    {
        var seen = new List<string>();
        ItemCursor? cursor = null;
        do
        {
            var page = await db.Pages.ReadFeedAsync(filter with { Before = cursor }, Token);
            seen.AddRange(page.Items.Select(i => i.Title));
            cursor = page.Next;
        }
        while (cursor is not null);

        return seen;
    }

    [Fact]
    public async Task SearchInALargeCategoryReturnsExactlyTheNewestMatchesWhetherWordsAreCommonOrRare()
    {
        var (db, newestFirst) = await WithLargeCategoryAsync();
        await using var _ = db;
        var even = newestFirst.Where((_, i) => i % 2 == 0).ToList();
        var odd = newestFirst.Where((_, i) => i % 2 == 1).ToList();

        Assert.Equal(newestFirst.Take(10), await TitlesAsync(db, new FeedFilter(["societe"], 10) { Match = FullTextQuery.AllOf("commun") }));
        Assert.Equal(even.Take(10), await TitlesAsync(db, new FeedFilter(["societe"], 10) { Match = FullTextQuery.AllOf("pair") }));
        Assert.Equal(odd.Take(10), await TitlesAsync(db, new FeedFilter(["societe"], 10) { Exclude = FullTextQuery.AnyOf("pair") }));
        Assert.Equal(newestFirst.TakeLast(5), await TitlesAsync(db, new FeedFilter(["societe"], 10) { Match = FullTextQuery.AllOf("ancien") }));
        Assert.Equal(newestFirst.SkipLast(5).Take(10), await TitlesAsync(db, new FeedFilter(["societe"], 10) { Exclude = FullTextQuery.AnyOf("ancien") }));
    }

    [Fact]
    public async Task PagingASearchThroughALargeCategoryVisitsEveryMatchOnceInOrder()
    {
        var (db, newestFirst) = await WithLargeCategoryAsync();
        await using var _ = db;

        var even = await AllPagesAsync(db, new FeedFilter(["societe"], 100) { Match = FullTextQuery.AllOf("pair") });
        var oldOdd = await AllPagesAsync(db, new FeedFilter(["societe"], 7) { Match = FullTextQuery.AllOf("ancien"), Exclude = FullTextQuery.AnyOf("pair") });

        Assert.Equal(newestFirst.Where((_, i) => i % 2 == 0), even);
        Assert.Equal(newestFirst.Where((_, i) => i % 2 == 1 && i >= newestFirst.Count - 5), oldOdd);
        Assert.Equal(newestFirst.Count / 2, even.Distinct().Count());
    }
}
