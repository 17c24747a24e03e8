namespace FeedHub.Storage.Postgres;

/// <summary>
/// Partner request windows in the shared database (table <c>partner_windows</c>): each request is one upsert that
/// returns the window's count, so every node sees every node's requests. The first request of a window deletes the
/// windows before it.
/// </summary>
public sealed class PostgresPartnerWindows(PostgresDatabase database) : IPartnerWindows
{
    public async Task<long> CountAsync(string partner, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        const string count = """
            INSERT INTO partner_windows (partner, window_start, requests)
            VALUES (@Partner, @WindowStart, 1)
            ON CONFLICT (partner, window_start) DO UPDATE SET requests = partner_windows.requests + 1
            RETURNING requests
            """;
        const string forgetOlder = "DELETE FROM partner_windows WHERE window_start < @WindowStart";
        var start = UnixTime.ToMs(windowStart);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var requests = await connection.ExecuteScalarAsync<long>(new CommandDefinition(count, new { Partner = partner, WindowStart = start }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (requests == 1)
        {
            await connection.ExecuteAsync(new CommandDefinition(forgetOlder, new { WindowStart = start }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return requests;
    }
}
