using System.Security.Cryptography;

namespace FeedHub.Storage.Sql;

/// <summary><see cref="StatsStore"/> in SQL both engines speak.</summary>
public sealed class SqlStatsStore(IStoreDatabase database) : StatsStore
{
    public override Task FlushAsync(
        IReadOnlyList<UsageCount> counts, IReadOnlyList<UsageClient> clients, IReadOnlyList<UsageSubscribers> subscribers, CancellationToken cancellationToken = default)
    {
        const string countSql = """
            INSERT INTO feed_requests (day, feed, partner, requests, not_modified)
            VALUES (@Day, @Feed, @Partner, @Requests, @NotModified)
            ON CONFLICT (day, feed, partner) DO UPDATE SET
                requests = feed_requests.requests + excluded.requests,
                not_modified = feed_requests.not_modified + excluded.not_modified
            """;
        const string clientSql = """
            INSERT INTO feed_clients (day, feed, partner, client) VALUES (@Day, @Feed, @Partner, @Client)
            ON CONFLICT DO NOTHING
            """;
        // A report already kept is raised to the day's highest; a new one is kept while the (day, feed, partner)
        // holds fewer than MaxAggregatorsPerFeedDay; a count out of range is never kept.
        const string subscribersSql = """
            INSERT INTO feed_subscribers (day, feed, partner, aggregator, subscribers)
            SELECT @Day, @Feed, @Partner, @Aggregator, @Subscribers
            WHERE @Subscribers BETWEEN 0 AND @MaxSubscribers
              AND (EXISTS (SELECT 1 FROM feed_subscribers
                           WHERE day = @Day AND feed = @Feed AND partner = @Partner AND aggregator = @Aggregator)
                   OR (SELECT COUNT(*) FROM feed_subscribers
                       WHERE day = @Day AND feed = @Feed AND partner = @Partner) < @MaxAggregators)
            ON CONFLICT (day, feed, partner, aggregator) DO UPDATE SET
                subscribers = CASE WHEN excluded.subscribers > feed_subscribers.subscribers
                                   THEN excluded.subscribers ELSE feed_subscribers.subscribers END
            """;
        if (counts.Count == 0 && clients.Count == 0 && subscribers.Count == 0)
        {
            return Task.CompletedTask;
        }

        return database.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(countSql, counts, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(clientSql, clients, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                subscribersSql,
                subscribers.Select(s => new { s.Day, s.Feed, s.Partner, s.Aggregator, s.Subscribers, MaxAggregators = MaxAggregatorsPerFeedDay, MaxSubscribers = MaxSubscribersPerReport }),
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }, cancellationToken);
    }

    public override Task<int> PurgeBeforeAsync(string beforeDay, CancellationToken cancellationToken = default)
    {
        const string sql = """
            DELETE FROM feed_requests WHERE day < @Before;
            DELETE FROM feed_clients WHERE day < @Before;
            DELETE FROM feed_subscribers WHERE day < @Before;
            """;
        return database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(sql, new { Before = beforeDay }, transaction, cancellationToken: cancellationToken)),
            cancellationToken);
    }

    public override async Task<IReadOnlyList<UsageDay>> ReadAsync(string fromDay, string toDay, CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT r.day, r.feed, r.partner, r.requests, r.not_modified,
                   (SELECT COUNT(*) FROM feed_clients c WHERE c.day = r.day AND c.feed = r.feed AND c.partner = r.partner) AS clients
            FROM feed_requests r
            WHERE r.day BETWEEN @From AND @To
            ORDER BY r.day, r.feed, r.partner
            """;
        const string subscribersSql = """
            SELECT day, feed, partner, aggregator, subscribers
            FROM feed_subscribers
            WHERE day BETWEEN @From AND @To
            """;
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new { From = fromDay, To = toDay };
        var subscribers = (await connection.QueryAsync<(string Day, string Feed, string Partner, string Aggregator, long Subscribers)>(
                new CommandDefinition(subscribersSql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToLookup(s => (s.Day, s.Feed, s.Partner));
        var rows = await connection.QueryAsync<(string Day, string Feed, string Partner, long Requests, long NotModified, long Clients)>(
            new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new UsageDay(r.Day, r.Feed, r.Partner, r.Requests, r.NotModified, r.Clients)
        {
            Subscribers = subscribers[(r.Day, r.Feed, r.Partner)].ToDictionary(s => s.Aggregator, s => s.Subscribers, StringComparer.Ordinal),
        })];
    }

    public override Task<byte[]> ClientSecretAsync(CancellationToken cancellationToken = default)
    {
        // Insert-if-absent, then read: nodes starting together on one PostgreSQL database all read the one secret that
        // won (a read first, then an insert, let the second node's insert fail on the key the first had just written).
        const string insertSql = "INSERT INTO meta (key, value) VALUES ('stats_client_secret', @Value) ON CONFLICT (key) DO NOTHING";
        const string readSql = "SELECT value FROM meta WHERE key = 'stats_client_secret'";
        return database.WriteAsync(async (connection, transaction) =>
        {
            var candidate = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            await connection.ExecuteAsync(new CommandDefinition(insertSql, new { Value = candidate }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var stored = await connection.ExecuteScalarAsync<string>(new CommandDefinition(readSql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return Convert.FromBase64String(stored!);
        }, cancellationToken);
    }
}
