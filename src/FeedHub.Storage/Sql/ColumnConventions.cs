using System.Data;

namespace FeedHub.Storage.Sql;

/// <summary>
/// FeedHub's column conventions taught to Dapper, so that a row maps straight into its model type: snake_case
/// column names, times as INTEGER milliseconds (<see cref="UnixTime"/>), lists as JSON arrays, NULL when empty
/// (<see cref="JsonColumns"/>). Both engines store times and lists the same way (PostgreSQL: bigint and text), so one
/// mapping serves both. Dapper's settings are process-wide: <see cref="FeedHubDatabase"/> and
/// <see cref="Postgres.PostgresDatabase"/> apply these before their first connection.
/// </summary>
internal static class ColumnConventions
{
    private static int _applied;

    /// <summary>Teaches Dapper the conventions, once per process.</summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1)
        {
            return;
        }

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new UnixMillisecondsHandler());
        SqlMapper.AddTypeHandler(new JsonListHandler<string>());
        SqlMapper.AddTypeHandler(new JsonListHandler<FeedEnclosure>());
    }

    private sealed class UnixMillisecondsHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override DateTimeOffset Parse(object value) => UnixTime.FromMs((long)value);

        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = UnixTime.ToMs(value);
    }

    private sealed class JsonListHandler<T> : SqlMapper.TypeHandler<IReadOnlyList<T>>
    {
        public override IReadOnlyList<T> Parse(object value) => JsonColumns.ListOf<T>((string)value);

        public override void SetValue(IDbDataParameter parameter, IReadOnlyList<T>? value) =>
            parameter.Value = JsonColumns.ToJsonOrNull(value ?? []) ?? (object)DBNull.Value;
    }
}
