using FeedHub.Storage.Tests.PostgreSql;

namespace FeedHub.Tests.Infrastructure;

/// <summary>
/// The host tests on PostgreSQL share one private cluster (<see cref="PostgresCluster"/>, the storage tests' own), started
/// only when one of them runs; each test takes a database of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedPostgres : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}
