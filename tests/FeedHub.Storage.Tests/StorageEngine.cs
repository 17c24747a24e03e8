namespace FeedHub.Storage.Tests;

/// <summary>
/// A database engine the storage contract suite runs against. Every contract test class is abstract and takes an
/// engine; each engine has one concrete subclass per contract class (see Sqlite/SqliteContractTests.cs), so a second
/// engine runs the same suite by adding its engine and those one-line subclasses.
/// </summary>
public abstract class StorageEngine
{
    /// <summary>A fresh, migrated, empty database of this engine, with every store over it.</summary>
    public abstract Task<IStoreSet> CreateAsync();
}

/// <summary>The stores of one database, as the host gets them.</summary>
public interface IStoreSet : IAsyncDisposable
{
    SourceStore Sources { get; }

    ItemStore Items { get; }

    PageStore Pages { get; }

    CategoryStore Categories { get; }

    RetentionStore Retention { get; }

    StatsStore Stats { get; }

    FetchLogStore FetchLog { get; }

    /// <summary>The same database opened again, as a restarted service would.</summary>
    Task<IStoreSet> ReopenAsync();

    /// <summary>How many rows a table of the schema holds (items, item_categories, tombstones, fetch_log …).</summary>
    Task<long> CountRowsAsync(string table);
}

/// <summary>SQLite: a temp file per test (see <see cref="TestDatabase"/>).</summary>
public sealed class SqliteEngine : StorageEngine
{
    public override async Task<IStoreSet> CreateAsync() => await TestDatabase.CreateAsync();
}
