namespace FeedHub.Storage.Sql;

/// <summary>Every store over one database, whichever its engine: the stores are written once (<c>Sql/</c>).</summary>
public static class SqlStores
{
    /// <summary>The stores over <paramref name="database"/> (a <see cref="FeedHubDatabase"/> or a <see cref="Postgres.PostgresDatabase"/>).</summary>
    public static StoreSet Create(IStoreDatabase database) => new(
        new SqlSourceStore(database),
        new SqlItemStore(database),
        new SqlPageStore(database),
        new SqlCategoryStore(database),
        new SqlFetchLogStore(database),
        new SqlRetentionStore(database),
        new SqlStatsStore(database));
}
