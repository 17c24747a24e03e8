using FeedHub.Core.Model;
using FeedHub.Core.Processing;

namespace FeedHub.Storage.Tests;

/// <summary>Builds entries and states for storage tests.</summary>
internal static class Entries
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    public static ProcessedItem Entry(string id, string title, DateTimeOffset? published = null, bool fallback = false, string? content = null, IReadOnlyList<string>? tags = null) => new()
    {
        Identity = ItemIdentity.FromId(id),
        PublicId = string.Empty,
        ExternalId = id,
        Link = $"https://example.org/{id}",
        Title = title,
        ContentHtml = content ?? $"<p>{title}</p>",
        PublishedAt = published ?? Now.AddHours(-1),
        PublishedIsFallback = fallback,
        Tags = tags ?? [],
        Authors = ["Claire Martin"],
        Enclosures = [new FeedEnclosure("https://example.org/a.mp3", "audio/mpeg", 1234)],
        ContentHash = ItemIdentity.Hash(title + "|" + (content ?? title) + "|" + (fallback ? string.Empty : published?.ToString("O"))),
    };

    /// <summary>The item as processing hands it to storage: with its keys (from its fields as they are now) and its categories.</summary>
    public static ProcessedItem ToStore(ProcessedItem entry, params string[] categories) =>
        ItemProcessor.WithKeys(entry, "test") with { Categories = categories };

    public static async Task<SourceState> AddSourceAsync(IStoreSet db, string id, params string[] categories)
    {
        await db.Sources.SyncAsync([new SourceDefinition(id, $"https://example.org/{id}.xml", true, categories)], Now, TestContext.Current.CancellationToken);
        return (await db.Sources.GetAsync(id, TestContext.Current.CancellationToken))!;
    }

    /// <summary>Adds a source and keeps every source already there configured.</summary>
    public static async Task<SourceState> AddAnotherSourceAsync(IStoreSet db, string id, params string[] categories)
    {
        var existing = (await db.Sources.ListAsync(TestContext.Current.CancellationToken)).Select(s => new SourceDefinition(s.State.Id, s.State.Url, true, []));
        await db.Sources.SyncAsync([.. existing, new SourceDefinition(id, $"https://example.org/{id}.xml", true, categories)], Now, TestContext.Current.CancellationToken);
        return (await db.Sources.GetAsync(id, TestContext.Current.CancellationToken))!;
    }
}
