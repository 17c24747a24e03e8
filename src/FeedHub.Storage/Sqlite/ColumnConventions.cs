using System.Data;

namespace FeedHub.Storage.Sqlite;

/// <summary>
/// FeedHub's column conventions taught to Dapper, so that a row maps straight into its model type: snake_case
/// column names, times as INTEGER milliseconds (<see cref="UnixTime"/>), lists as JSON arrays, NULL when empty
/// (<see cref="JsonColumns"/>). Dapper's settings are process-wide: <see cref="FeedHubDatabase"/> applies these
/// once, before its first connection.
/// </summary>
internal static class ColumnConventions
{
    public static void Apply()
    {
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
