using System.Text.Json;

namespace FeedHub.Storage.Sql;

/// <summary>List columns (authors, tags, enclosures): JSON arrays, NULL when empty.</summary>
internal static class JsonColumns
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A list column: JSON, or null when the list is empty.</summary>
    public static string? ToJsonOrNull<T>(IReadOnlyList<T> values) => values.Count == 0 ? null : JsonSerializer.Serialize(values, Json);

    /// <summary>A list column read back: empty when NULL.</summary>
    public static List<T> ListOf<T>(string? json) => json is null ? [] : JsonSerializer.Deserialize<List<T>>(json, Json) ?? [];
}
