using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeedHub.Core.Model;

/// <summary>
/// The one name table of an enum: each value with the name it has on the wire — in the database, the JSON of
/// /sources, logs and metric labels. Those names are documented (README) and stored, so they never change;
/// the C# names may.
/// </summary>
/// <typeparam name="TEnum">The enum named.</typeparam>
public sealed class WireNames<TEnum>
    where TEnum : struct, Enum
{
    private readonly Dictionary<TEnum, string> _names = [];
    private readonly Dictionary<string, TEnum> _values = new(StringComparer.Ordinal);

    /// <summary>Builds the table; every value of <typeparamref name="TEnum"/> must appear once, every name once.</summary>
    public WireNames(params (TEnum Value, string Name)[] table)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var (value, name) in table)
        {
            if (!_names.TryAdd(value, name) || !_values.TryAdd(name, value))
            {
                throw new ArgumentException($"{typeof(TEnum).Name}: {value} or \"{name}\" is named twice", nameof(table));
            }
        }

        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (!_names.ContainsKey(value))
            {
                throw new ArgumentException($"{typeof(TEnum).Name}: {value} has no wire name", nameof(table));
            }
        }
    }

    /// <summary>Every value, in table order.</summary>
    public IReadOnlyCollection<TEnum> Values => _names.Keys;

    /// <summary>The wire name of <paramref name="value"/>.</summary>
    public string NameOf(TEnum value) =>
        _names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(TEnum).Name}");

    /// <summary>The value named <paramref name="name"/>, or null when the name is null or unknown (a row written by another version).</summary>
    public TEnum? Find(string? name) => name is not null && _values.TryGetValue(name, out var value) ? value : null;
}

/// <summary>Writes and reads an enum as its wire name in JSON.</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
public abstract class WireNameJsonConverter<TEnum>(WireNames<TEnum> names) : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        names.Find(reader.GetString()) ?? throw new JsonException($"not a {typeof(TEnum).Name}: {reader.GetString()}");

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(names.NameOf(value));
    }
}
