using System.Data.Common;
using System.Globalization;
using FeedHub.Core.Processing;
using Npgsql;
using NpgsqlTypes;

namespace FeedHub.Storage.Postgres;

/// <summary>
/// Copies a SQLite database (migrated to the latest version) into an empty PostgreSQL database (migrated too), table by
/// table with binary COPY, streamed: every row of every table, in one PostgreSQL transaction (a failure leaves the
/// target empty) and from one SQLite snapshot (a service still writing cannot tear the copy). The tables are those of
/// the two schemas, not a list kept here: a SQLite table without a PostgreSQL counterpart, or a column without one, stops
/// the copy before it starts. What SQLite keeps apart is derived: the full-text table <c>items_fts</c> (contentless)
/// becomes <c>items.search</c>, computed from the stored title and body as ingest computes it.
/// </summary>
public static class SqliteToPostgres
{
    /// <summary>SQLite's full-text table and its shadow tables; on PostgreSQL the <c>search</c> column of <c>items</c>.</summary>
    private const string SearchTables = "items_fts";

    /// <summary>One table copied: its rows on each side and how long the copy took.</summary>
    public sealed record TableCopy(string Table, long SqliteRows, long PostgresRows, TimeSpan Duration)
    {
        public bool Matches => SqliteRows == PostgresRows;

        public double RowsPerSecond => Duration > TimeSpan.Zero ? SqliteRows / Duration.TotalSeconds : 0;
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="target"/>, then counts the rows of each table on both
    /// sides. Throws <see cref="StorageException"/> when
    /// the target is not empty or the schemas do not match; nothing is written then.
    /// </summary>
    public static async Task<IReadOnlyList<TableCopy>> CopyAsync(
        FeedHubDatabase source, PostgresDatabase target, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await using var sqlite = await source.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var snapshot = sqlite.BeginTransaction(deferred: true);
        await using var postgres = await target.OpenAsync(cancellationToken).ConfigureAwait(false);

        var tables = await PlanAsync(snapshot, postgres, cancellationToken).ConfigureAwait(false);
        foreach (var table in tables)
        {
            if (await postgres.ExecuteScalarAsync<bool>(new CommandDefinition($"SELECT EXISTS (SELECT 1 FROM {Quote(table.Name)})", cancellationToken: cancellationToken)).ConfigureAwait(false))
            {
                throw new StorageException($"store: the PostgreSQL database is not empty (table {table.Name} has rows): migrate-storage copies into an empty database only; nothing was copied");
            }
        }

        var durations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        await using (var transaction = await postgres.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var table in tables)
            {
                var started = timeProvider.GetTimestamp();
                await CopyTableAsync(snapshot, postgres, table, cancellationToken).ConfigureAwait(false);
                durations[table.Name] = timeProvider.GetElapsedTime(started);
            }

            foreach (var table in tables)
            {
                foreach (var identity in table.Columns.Where(c => c.IsIdentity))
                {
                    // The next id continues after the copied ones.
                    var sql = $"""
                        SELECT setval(pg_get_serial_sequence(@Table, @Column), GREATEST(COALESCE(MAX({Quote(identity.Name)}), 0), 1), COALESCE(MAX({Quote(identity.Name)}), 0) > 0)
                        FROM {Quote(table.Name)}
                        """;
                    await postgres.ExecuteAsync(new CommandDefinition(sql, new { Table = table.Name, Column = identity.Name }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var result = new List<TableCopy>();
        foreach (var table in tables)
        {
            var count = $"SELECT COUNT(*) FROM {Quote(table.Name)}";
            result.Add(new TableCopy(
                table.Name,
                table.InSqlite ? await sqlite.ExecuteScalarAsync<long>(new CommandDefinition(count, transaction: snapshot, cancellationToken: cancellationToken)).ConfigureAwait(false) : 0,
                await postgres.ExecuteScalarAsync<long>(new CommandDefinition(count, cancellationToken: cancellationToken)).ConfigureAwait(false),
                durations[table.Name]));
        }

        return result;
    }

    /// <summary>A PostgreSQL column: its name, its type and whether it is an identity (its sequence is moved on).</summary>
    private sealed record Column(string Name, string DataType, bool IsIdentity);

    /// <summary>A table to copy: the PostgreSQL columns, and which of them SQLite has.</summary>
    private sealed record Table(string Name, IReadOnlyList<Column> Columns, IReadOnlyList<Column> Shared, bool InSqlite);

    /// <summary>The tables of both schemas, matched; a SQLite table or column PostgreSQL lacks stops the copy.</summary>
    private static async Task<List<Table>> PlanAsync(SqliteTransaction snapshot, NpgsqlConnection postgres, CancellationToken cancellationToken)
    {
        var sqlite = snapshot.Connection!;
        const string postgresTables = """
            SELECT table_name
            FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
            ORDER BY table_name
            """;
        const string postgresColumns = """
            SELECT column_name AS Name, data_type AS DataType, is_identity = 'YES' AS IsIdentity
            FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = @Table
            ORDER BY ordinal_position
            """;
        const string sqliteTables = """
            SELECT name FROM sqlite_schema
            WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE 'items\_fts%' ESCAPE '\'
            ORDER BY name
            """;
        const string sqliteColumns = "SELECT name FROM pragma_table_info(@Table)";

        var inPostgres = (await postgres.QueryAsync<string>(new CommandDefinition(postgresTables, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        var inSqlite = (await sqlite.QueryAsync<string>(new CommandDefinition(sqliteTables, transaction: snapshot, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        if (inSqlite.Except(inPostgres, StringComparer.Ordinal).ToList() is { Count: > 0 } missing)
        {
            throw new StorageException($"store: the PostgreSQL schema has no table {string.Join(", ", missing)} of the SQLite database; nothing was copied (is this FeedHub older than the database?)");
        }

        var tables = new List<Table>();
        foreach (var name in inPostgres)
        {
            var columns = (await postgres.QueryAsync<Column>(new CommandDefinition(postgresColumns, new { Table = name }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            if (!inSqlite.Contains(name, StringComparer.Ordinal))
            {
                tables.Add(new Table(name, columns, [], InSqlite: false));
                continue;
            }

            var sqliteNames = (await sqlite.QueryAsync<string>(new CommandDefinition(sqliteColumns, new { Table = name }, snapshot, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            if (sqliteNames.Except(columns.Select(c => c.Name), StringComparer.Ordinal).ToList() is { Count: > 0 } lost)
            {
                throw new StorageException($"store: the PostgreSQL table {name} has no column {string.Join(", ", lost)} of the SQLite table; nothing was copied");
            }

            tables.Add(new Table(name, columns, [.. columns.Where(c => sqliteNames.Contains(c.Name, StringComparer.Ordinal))], InSqlite: true));
        }

        return tables;
    }

    /// <summary>
    /// Streams one table's rows into PostgreSQL with binary COPY. Items go through a temporary table with their search
    /// text beside them, then into <c>items</c> with the search vector computed there (one write of each item).
    /// </summary>
    private static async Task CopyTableAsync(SqliteTransaction snapshot, NpgsqlConnection postgres, Table table, CancellationToken cancellationToken)
    {
        if (!table.InSqlite)
        {
            return;
        }

        var derivesSearch = table.Name == "items" && table.Columns.Any(c => c.Name == "search") && !table.Shared.Any(c => c.Name == "search");
        var names = string.Join(", ", table.Shared.Select(c => Quote(c.Name)));
        var into = table.Name;
        if (derivesSearch)
        {
            into = "migrate_items";
            const string staging = """
                CREATE TEMPORARY TABLE migrate_items (LIKE items) ON COMMIT DROP;
                ALTER TABLE migrate_items DROP COLUMN search, ADD COLUMN search_text text NOT NULL
                """;
            await postgres.ExecuteAsync(new CommandDefinition(staging, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var writers = table.Shared.Select(c => Writer(table.Name, c)).ToList();
        await using (var command = snapshot.Connection!.CreateCommand())
        {
            command.Transaction = snapshot;
            command.CommandText = $"SELECT {names} FROM {Quote(table.Name)}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var summary = derivesSearch ? reader.GetOrdinal("summary_html") : -1;
            var content = derivesSearch ? reader.GetOrdinal("content_html") : -1;
            await using var importer = await postgres.BeginBinaryImportAsync(
                $"COPY {Quote(into)} ({names}{(derivesSearch ? ", search_text" : string.Empty)}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < writers.Count; i++)
                {
                    await writers[i](importer, reader, i, cancellationToken).ConfigureAwait(false);
                }

                if (derivesSearch)
                {
                    // As ingest computes it (ItemProcessor): the plain text of the summary and the content.
                    var text = TextCleaner.CollapseWhitespace(TextCleaner.HtmlToText(
                        (reader.IsDBNull(summary) ? string.Empty : reader.GetString(summary)) + " " + (reader.IsDBNull(content) ? string.Empty : reader.GetString(content))));
                    await importer.WriteAsync(text, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                }

            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (derivesSearch)
        {
            var insert = $"""
                INSERT INTO items ({names}, search) OVERRIDING SYSTEM VALUE
                SELECT {names}, {SqlDialect.PostgresSearchVector("title", "search_text")} FROM migrate_items
                """;
            await postgres.ExecuteAsync(new CommandDefinition(insert, commandTimeout: 0, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    private delegate Task ValueWriter(NpgsqlBinaryImporter importer, DbDataReader reader, int ordinal, CancellationToken cancellationToken);

    /// <summary>How a SQLite value (integer, real, text, blob or null) is written as the PostgreSQL column's type.</summary>
    private static ValueWriter Writer(string table, Column column) => column.DataType switch
    {
        "bigint" => (i, r, o, c) => r.IsDBNull(o) ? i.WriteNullAsync(c) : i.WriteAsync(Convert.ToInt64(r.GetValue(o), CultureInfo.InvariantCulture), NpgsqlDbType.Bigint, c),
        "integer" => (i, r, o, c) => r.IsDBNull(o) ? i.WriteNullAsync(c) : i.WriteAsync(Convert.ToInt32(r.GetValue(o), CultureInfo.InvariantCulture), NpgsqlDbType.Integer, c),
        "smallint" => (i, r, o, c) => r.IsDBNull(o) ? i.WriteNullAsync(c) : i.WriteAsync(Convert.ToInt16(r.GetValue(o), CultureInfo.InvariantCulture), NpgsqlDbType.Smallint, c),
        "boolean" => (i, r, o, c) => r.IsDBNull(o) ? i.WriteNullAsync(c) : i.WriteAsync(Convert.ToBoolean(r.GetValue(o), CultureInfo.InvariantCulture), NpgsqlDbType.Boolean, c),
        "double precision" => (i, r, o, c) => r.IsDBNull(o) ? i.WriteNullAsync(c) : i.WriteAsync(Convert.ToDouble(r.GetValue(o), CultureInfo.InvariantCulture), NpgsqlDbType.Double, c),
        "text" or "character varying" => (i, r, o, c) => r.IsDBNull(o) ? i.WriteNullAsync(c) : i.WriteAsync(Convert.ToString(r.GetValue(o), CultureInfo.InvariantCulture)!, NpgsqlDbType.Text, c),
        "bytea" => (i, r, o, c) => r.IsDBNull(o) ? i.WriteNullAsync(c) : i.WriteAsync((byte[])r.GetValue(o), NpgsqlDbType.Bytea, c),
        _ => throw new StorageException($"store: column {table}.{column.Name} is of type {column.DataType}, which migrate-storage cannot fill from SQLite; nothing was copied"),
    };

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
