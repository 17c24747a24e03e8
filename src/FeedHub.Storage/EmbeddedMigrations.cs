namespace FeedHub.Storage;

/// <summary>The numbered migrations of one engine, embedded in this assembly as Migrations/{Engine}/NNNN_name.sql.</summary>
internal static class EmbeddedMigrations
{
    /// <summary>The engine's migrations in order; numbered 1, 2, 3 … without gaps, or this throws.</summary>
    public static List<(int Version, string Name, string Sql)> Load(string engine)
    {
        var assembly = typeof(EmbeddedMigrations).Assembly;
        var prefix = $"FeedHub.Storage.Migrations.{engine}.";
        var migrations = new List<(int Version, string Name, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..^4];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(fileName[..underscore], System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add((version, fileName[(underscore + 1)..], reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new StorageException($"store: {engine} migrations must be numbered 1, 2, 3 … without gaps; found {migrations[i].Version} at position {i + 1}");
            }
        }

        return migrations;
    }
}
