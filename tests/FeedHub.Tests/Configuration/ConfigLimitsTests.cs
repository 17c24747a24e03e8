using System.Text;
using FeedHub.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace FeedHub.Tests.Configuration;

/// <summary>
/// A config that is huge, wrong many times over, not JSON, or that reaches into feedhub.json from
/// sources.d/ with a key holding ':': refused with a bounded list of clear errors, each naming its file.
/// </summary>
public sealed class ConfigLimitsTests : IDisposable
{
    private const int BadSources = 20_000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "feedhub-limits-" + Guid.NewGuid().ToString("N"));

    public ConfigLimitsTests() => Directory.CreateDirectory(Path.Combine(_directory, SourcesFolder.FolderName));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string ConfigPath => Path.Combine(_directory, "feedhub.json");

    private const string Config = """
        {
          "FeedHub": {
            "Database": "test.db",
            "Categories": { "societe": {} },
            "Sources": {
              "brief": { "Url": "https://lebrief.example/feed", "Categories": [ "societe" ] }
            }
          }
        }
        """;

    private void Write(string relative, string text) => File.WriteAllText(Path.Combine(_directory, relative), text);

    /// <summary>sources.d/bulk.json with <see cref="BadSources"/> sources, each with one mistake (a schedule that is not one).</summary>
    private void WriteBulk()
    {
        var json = new StringBuilder("""{ "FeedHub": { "Sources": {""");
        for (var i = 0; i < BadSources; i++)
        {
            json.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""{{(i == 0 ? string.Empty : ",")}}"s{{i}}": { "Url": "https://s{{i}}.example/rss", "Categories": [ "societe" ], "Schedule": "often" }""").Append('\n');
        }

        Write("sources.d/bulk.json", json.Append("} } }").ToString());
    }

    [Fact]
    public void A_file_with_20000_bad_sources_keeps_the_first_50_errors_and_counts_them_all()
    {
        Write("feedhub.json", Config);
        WriteBulk();

        var result = ConfigLoader.Load(ConfigPath, []);

        Assert.Null(result.Config);
        Assert.Equal(ConfigLoader.MaxErrorsKept, result.Errors.Count);
        Assert.Equal(BadSources, result.ErrorCount);
        Assert.Equal(51, result.ErrorsAndCount.Count);
        Assert.Equal("… and 19,950 more problems: only the first 50 are kept", result.ErrorsAndCount[^1].ToString());
    }

    [Fact]
    public void A_rejected_edit_with_20000_problems_logs_50_lines_and_one_count()
    {
        Write("feedhub.json", Config);
        var initial = ConfigLoader.Load(ConfigPath, []);
        var logger = new CollectingLogger();
        using var monitor = new CatalogMonitor(initial.Config!, initial.Settings!, [], logger, new FakeTimeProvider(), watch: false);
        WriteBulk();

        var errors = monitor.Reload();

        Assert.Equal(51, errors.Count);
        Assert.Equal(51, monitor.LastRejection!.Count);
        Assert.Equal(BadSources, monitor.LastRejectionCount);
        Assert.Equal(51, logger.Lines.Count);
        Assert.Contains("19950 more problems", logger.Lines[^1], StringComparison.Ordinal);
        Assert.Equal("brief", Assert.Single(monitor.Current.Sources).Id);
    }

    [Fact]
    public void A_config_file_over_16_MiB_is_refused_naming_the_file_and_the_limit_without_reading_it()
    {
        Write("feedhub.json", Config);
        var huge = Path.Combine(_directory, "sources.d", "huge.json");

        // 17 MiB of zero bytes (a sparse file): were it read, the error would be about JSON, not about its size.
        using (var file = File.Create(huge))
        {
            file.SetLength(17L * 1024 * 1024);
        }

        var result = ConfigLoader.Load(ConfigPath, []);

        var error = Assert.Single(result.Errors);
        Assert.Equal(Path.Combine("sources.d", "huge.json"), error.Path);
        Assert.Contains("17 MiB, over the limit of 16 MiB for a config file; it was not read", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "FeedHub": { "Sources": { "brief:Url": "https://evil.example/rss" } } }""", "brief:Url", 1)]
    [InlineData("""
        {
          "FeedHub:Sources": {
            "brief": { "Url": "https://evil.example/rss" }
          }
        }
        """, "FeedHub:Sources", 2)]
    [InlineData("""
        { "FeedHub": { "Sources": {
            "brief:Categories": { "0": "societe", "1": "other" },
            "a:b": { "Url": "https://a.example/rss" } } } }
        """, "brief:Categories", 2)]
    public void A_key_with_a_colon_in_sources_d_is_refused_naming_the_file_the_key_and_the_line(string fragment, string key, int line)
    {
        Write("feedhub.json", Config);
        Write("sources.d/evil.json", fragment);

        var result = ConfigLoader.Load(ConfigPath, []);

        Assert.Null(result.Config);
        var error = result.Errors.First(e => e.Message.Contains($"'{key}'", StringComparison.Ordinal));
        Assert.Equal($"{Path.Combine("sources.d", "evil.json")}:{line}", error.Path);
        Assert.Contains("contains ':'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_id_with_a_colon_in_sources_d_is_refused()
    {
        Write("feedhub.json", Config);
        Write("sources.d/evil.json", """{ "FeedHub": { "Sources": { "a:b": { "Url": "https://a.example/rss" } } } }""");

        var result = ConfigLoader.Load(ConfigPath, []);

        Assert.Null(result.Config);
        Assert.Contains(result.Errors, e => e.Path == $"{Path.Combine("sources.d", "evil.json")}:1" && e.Message.Contains("'a:b'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_config_with_a_JSON_syntax_error_names_the_file_the_line_and_the_column()
    {
        Write("feedhub.json", "{ \"FeedHub\": {\n  \"Database\": \"x.db\",\n  \"Sources\": { x }\n} }");

        var result = ConfigLoader.Load(ConfigPath, []);

        var error = Assert.Single(result.Errors);
        Assert.Equal("feedhub.json:3:16", error.Path);
        Assert.StartsWith("cannot be read as JSON: 'x' is an invalid start of a property name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feedhub_json_may_still_write_a_setting_as_one_key_with_colons_and_sources_d_cannot_redefine_it()
    {
        Write("feedhub.json", """{ "FeedHub:Database": "test.db", "FeedHub:Categories:societe:Title": "Société", "FeedHub:Sources:brief:Url": "https://lebrief.example/feed" }""");
        Write("sources.d/more.json", """{ "FeedHub": { "Sources": { "brief": { "Url": "https://evil.example/rss" } } } }""");

        var result = ConfigLoader.Load(ConfigPath, []);

        Assert.Null(result.Config);
        Assert.Contains(result.Errors, e => e.Path == "FeedHub:Sources:brief" && e.Message.Contains("is defined in both 'feedhub.json' and", StringComparison.Ordinal));
    }

    private sealed class CollectingLogger : ILogger<CatalogMonitor>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception));
            }
        }
    }
}
