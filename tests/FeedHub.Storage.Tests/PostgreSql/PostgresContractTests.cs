namespace FeedHub.Storage.Tests.PostgreSql;

// The storage contract suite on PostgreSQL: one concrete class per contract class, as on SQLite (Sqlite/SqliteContractTests.cs).
public sealed class PostgresSourceStoreTests(PostgresCluster cluster) : SourceStoreTests(new PostgresEngine(cluster));

public sealed class PostgresFetchLogStoreTests(PostgresCluster cluster) : FetchLogStoreTests(new PostgresEngine(cluster));

public sealed class PostgresStatsStoreTests(PostgresCluster cluster) : StatsStoreTests(new PostgresEngine(cluster));
