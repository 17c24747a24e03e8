using System.Collections;
using System.Reflection;

namespace FeedHub.Configuration;

/// <summary>
/// Finds keys the options do not have — a misspelt "Schedul" would otherwise be ignored in silence and
/// the source fetched on the default schedule — and suggests the key that was probably meant.
/// </summary>
public static class ConfigShape
{
    /// <summary>Every key under <paramref name="section"/> that <paramref name="type"/> does not bind.</summary>
    public static IReadOnlyList<ConfigError> UnknownKeys(IConfigurationSection section, Type type)
    {
        var errors = new List<ConfigError>();
        Walk(section, type, errors);
        return errors;
    }

    private static void Walk(IConfigurationSection section, Type type, List<ConfigError> errors)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return;
        }

        if (IsScalar(type))
        {
            errors.Add(new ConfigError(section.Path, $"expects a single value, not {(children.All(c => int.TryParse(c.Key, out _)) ? "a list" : "an object")}"));
            return;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            foreach (var child in children)
            {
                Walk(child, valueType, errors);
            }

            return;
        }

        if (ListItemType(type) is { } itemType)
        {
            foreach (var child in children)
            {
                if (!int.TryParse(child.Key, out _))
                {
                    errors.Add(new ConfigError(child.Path, "is not a list position: this setting is a list ([ … ]), not an object"));
                    continue;
                }

                Walk(child, itemType, errors);
            }

            return;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        foreach (var child in children)
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                errors.Add(new ConfigError(child.Path, "is not a FeedHub setting" + Hint(child.Key, properties.Select(p => p.Name))));
                continue;
            }

            Walk(child, property.PropertyType, errors);
        }
    }

    /// <summary>" (did you mean 'X'?)" for a close name, else the list of known names.</summary>
    public static string Hint(string key, IEnumerable<string> known)
    {
        var names = known.ToList();
        var best = names
            .Select(n => (Name: n, Distance: Distance(key.ToLowerInvariant(), n.ToLowerInvariant())))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        var closeEnough = Math.Max(2, key.Length / 3);
        if (best.Name is not null && (best.Distance <= closeEnough
            || best.Name.StartsWith(key, StringComparison.OrdinalIgnoreCase) || key.StartsWith(best.Name, StringComparison.OrdinalIgnoreCase)))
        {
            return $" (did you mean '{best.Name}'?)";
        }

        return names.Count == 0 ? string.Empty : $" (known here: {string.Join(", ", names)})";
    }

    /// <summary>Levenshtein distance, with a swap of two neighbours counted as one edit.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri);
    }

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    private static Type? ListItemType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments().Length == 1 ? type.GetGenericArguments()[0]
        : null;
}
