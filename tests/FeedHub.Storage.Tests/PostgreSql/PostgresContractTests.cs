namespace FeedHub.Storage.Tests.PostgreSql;

// The storage contract suite on PostgreSQL: one concrete class per contract class, as on SQLite (Sqlite/SqliteContractTests.cs).
public sealed class PostgresSourceStoreTests(PostgresCluster cluster) : SourceStoreTests(new PostgresEngine(cluster));

public sealed class PostgresFetchLogStoreTests(PostgresCluster cluster) : FetchLogStoreTests(new PostgresEngine(cluster));

public sealed class PostgresStatsStoreTests(PostgresCluster cluster) : StatsStoreTests(new PostgresEngine(cluster));

public sealed class PostgresItemStoreTests(PostgresCluster cluster) : ItemStoreTests(new PostgresEngine(cluster));

public sealed class PostgresDuplicateClusterTests(PostgresCluster cluster) : DuplicateClusterTests(new PostgresEngine(cluster));

public sealed class PostgresVisibilityStorageTests(PostgresCluster cluster) : VisibilityStorageTests(new PostgresEngine(cluster));

public sealed class PostgresRetentionStoreTests(PostgresCluster cluster) : RetentionStoreTests(new PostgresEngine(cluster));

public sealed class PostgresFeedReadTests(PostgresCluster cluster) : FeedReadTests(new PostgresEngine(cluster));
