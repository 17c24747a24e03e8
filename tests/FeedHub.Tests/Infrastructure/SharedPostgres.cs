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

    /// <summary>The message of a store not yet ported to PostgreSQL (issue 12: the item side is ported on its own branch).</summary>
    public const string NotPorted = "is not available on PostgreSQL in this build yet";

    /// <summary>
    /// Skips a test that needs the item side on PostgreSQL while it is not ported (issue 12 in progress): the service
    /// refuses to start on it then, naming the missing store. Once the port is merged this never skips.
    /// </summary>
    public static void SkipWhileNotPorted(Exception e)
    {
        if (e.ToString().Contains(NotPorted, StringComparison.Ordinal))
        {
            Assert.Skip("the item side of storage is not ported to PostgreSQL in this build yet (issue 12): " + e.Message);
        }
    }
}
