using System.Net;
using FeedHub.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FeedHub.Tests.Configuration;

/// <summary>
/// The settings sections served as options from the last valid configuration: an accepted edit reaches
/// IOptionsMonitor consumers, a rejected one never does; the ranges are data annotations whose errors still
/// name the key and the value; the feed of every category takes its title and description from the configuration.
/// </summary>
public sealed class CatalogOptionsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "feedhub-options-" + Guid.NewGuid().ToString("N"));

    public CatalogOptionsTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string ConfigPath => Path.Combine(_directory, "feedhub.json");

    private void Write(string extra) => File.WriteAllText(ConfigPath, $$"""
        {
          "FeedHub": {
            "Categories": { "societe": {} },
            "Sources": { "brief": { "Url": "https://lebrief.example/feed", "Categories": [ "societe" ] } }
            {{extra}}
          }
        }
        """);

    private (ServiceProvider Services, CatalogMonitor Monitor) Start(string extra)
    {
        Write(extra);
        var loaded = ConfigLoader.Load(ConfigPath, []);
        var monitor = new CatalogMonitor(loaded.Config!, loaded.Settings!, [], NullLogger<CatalogMonitor>.Instance, new FakeTimeProvider(), watch: false);
        var services = new ServiceCollection().AddSingleton(monitor).AddFeedHubOptions().BuildServiceProvider();
        return (services, monitor);
    }

    [Fact]
    public void An_accepted_edit_reaches_the_options_monitor_and_a_rejected_one_never_does()
    {
        var (services, monitor) = Start(""", "Fetch": { "TimeoutSeconds": 30 }, "Retention": { "MaxAgeDays": 10 }""");
        using (services)
        {
            var fetch = services.GetRequiredService<IOptionsMonitor<FetchSettings>>();
            var retention = services.GetRequiredService<IOptionsMonitor<RetentionSettings>>();
            var seen = new List<int>();
            using var subscription = fetch.OnChange(settings => seen.Add(settings.TimeoutSeconds));
            Assert.Equal(30, fetch.CurrentValue.TimeoutSeconds);

            Write(""", "Fetch": { "TimeoutSeconds": 0 }, "Retention": { "MaxAgeDays": 20 }""");
            Assert.NotEmpty(monitor.Reload());
            Assert.Equal(30, fetch.CurrentValue.TimeoutSeconds);
            Assert.Equal(10, retention.CurrentValue.MaxAgeDays);
            Assert.Empty(seen);

            Write(""", "Fetch": { "TimeoutSeconds": 45 }, "Retention": { "MaxAgeDays": 20 }""");
            Assert.Empty(monitor.Reload());
            Assert.Equal(45, fetch.CurrentValue.TimeoutSeconds);
            Assert.Equal(20, retention.CurrentValue.MaxAgeDays);
            Assert.Equal([45], seen);
        }
    }

    [Fact]
    public void The_host_settings_stay_those_of_the_start_and_the_networks_and_public_url_follow_accepted_edits()
    {
        var (services, monitor) = Start(""", "Database": "a.db", "Roles": "web", "PublicUrl": "https://one.example", "Fetch": { "AllowedNetworks": [ "10.0.0.0/8" ] }""");
        using (services)
        {
            var host = services.GetRequiredService<IOptions<HostSettings>>();
            var networks = services.GetRequiredService<IOptionsMonitor<FetchNetworks>>();
            var publishing = services.GetRequiredService<IOptionsMonitor<PublishingConfig>>();
            Assert.Equal((Path.GetFullPath("a.db"), NodeRoles.Web), (host.Value.DatabasePath, host.Value.Roles));
            Assert.Equal([IPNetwork.Parse("10.0.0.0/8")], networks.CurrentValue.Allowed);

            Write(""", "Database": "a.db", "PublicUrl": "not a url", "Fetch": { "AllowedNetworks": [ "127.0.0.1" ] }""");
            Assert.NotEmpty(monitor.Reload());
            Assert.Equal([IPNetwork.Parse("10.0.0.0/8")], networks.CurrentValue.Allowed);
            Assert.Equal(new Uri("https://one.example/"), publishing.CurrentValue.PublicUrl);

            Write(""", "Database": "b.db", "PublicUrl": "https://two.example", "Fetch": { "AllowedNetworks": [ "127.0.0.1" ] }""");
            Assert.Empty(monitor.Reload());
            Assert.Equal([IPNetwork.Parse("127.0.0.1/32")], networks.CurrentValue.Allowed);
            Assert.Equal(new Uri("https://two.example/"), publishing.CurrentValue.PublicUrl);
            Assert.Equal((Path.GetFullPath("a.db"), NodeRoles.Web), (host.Value.DatabasePath, host.Value.Roles));
        }
    }

    [Fact]
    public void The_publishing_options_are_the_validated_section()
    {
        var (services, _) = Start(""", "Publishing": { "CacheMegabytes": 8, "StatsFlushSeconds": 5 }""");
        using (services)
        {
            var publishing = services.GetRequiredService<IOptions<PublishingConfig>>().Value;
            Assert.Equal(8L * 1024 * 1024, publishing.CacheBytes);
            Assert.Equal(TimeSpan.FromSeconds(5), publishing.StatsFlushInterval);
        }
    }

    [Fact]
    public void The_generated_validator_checks_the_same_ranges_as_the_loader()
    {
        var result = new FetchSettingsValidator().Validate(null, new FetchSettings { MaxConcurrentFetches = 0, MaxBodyBytes = 10 });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("MaxConcurrentFetches", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("MaxBodyBytes", StringComparison.Ordinal));
        Assert.True(new FetchSettingsValidator().Validate(null, new FetchSettings()).Succeeded);
    }

    [Theory]
    [InlineData("Fetch", "MaxBodyBytes", "10", "10 is outside 1024 … 1073741824")]
    [InlineData("Retention", "KeepTombstonesDays", "0", "0 is outside 1 … 36500")]
    [InlineData("Publishing", "WebSubRetrySeconds", "0.05", "0.05 is outside 0.1 … 3600")]
    [InlineData("Publishing", "StatsRetentionDays", "40000", "40000 is outside 1 … 36500")]
    public void A_range_error_names_the_key_and_the_value(string section, string key, string value, string message)
    {
        Write($$""", "{{section}}": { "{{key}}": {{value}} }""");

        var error = Assert.Single(ConfigLoader.Load(ConfigPath, []).Errors);

        Assert.Equal($"FeedHub:{section}:{key}", error.Path);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_feed_of_every_category_is_titled_by_the_configuration()
    {
        Write(string.Empty);
        var defaults = ConfigLoader.Load(ConfigPath, []).Settings!.Publishing;
        Assert.Equal("FeedHub — all categories", defaults.AllFeedTitle);
        Assert.Equal("Every item FeedHub publishes", defaults.AllFeedDescription);

        Write(""", "Publishing": { "AllFeedTitle": " Tout ", "AllFeedDescription": "Tous les articles" }""");
        var configured = ConfigLoader.Load(ConfigPath, []).Settings!.Publishing;
        Assert.Equal("Tout", configured.AllFeedTitle);
        Assert.Equal("Tous les articles", configured.AllFeedDescription);

        Write(""", "Publishing": { "AllFeedTitle": " " }""");
        var error = Assert.Single(ConfigLoader.Load(ConfigPath, []).Errors);
        Assert.Equal(("FeedHub:Publishing:AllFeedTitle", "is empty"), (error.Path, error.Message));
    }

    [Fact]
    public void The_shipped_config_keeps_the_french_title_of_the_feed_of_every_category()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "config", "feedhub.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(shipped))!["FeedHub"]!["Publishing"]!;

        Assert.Equal("FeedHub — toutes les catégories", (string?)json["AllFeedTitle"]);
        Assert.Equal("Tous les articles de FeedHub", (string?)json["AllFeedDescription"]);
    }
}
