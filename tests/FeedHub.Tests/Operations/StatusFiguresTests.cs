using FeedHub.Configuration;
using FeedHub.Operations;
using FeedHub.Scheduling;

namespace FeedHub.Tests.Operations;

/// <summary>The figures the status page and /metrics derive: fetches per hour, overload, times as read, metric labels.</summary>
public sealed class StatusFiguresTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("15m", 4)]
    [InlineData("1h", 1)]
    [InlineData("30s", 120)]
    [InlineData("0 0/10 * * * ?", 6)]
    [InlineData("0 0 12 * * ?", 1 / 24.0)]
    public void ASchedulesFetchesPerHourAreCountedOverTheNextDay(string schedule, double expected) =>
        Assert.Equal(expected, StatusReportBuilder.FetchesPerHour(Schedule.Parse(schedule), Now), 6);

    [Theory]
    [InlineData(100, 1000.0, 0, false)]
    [InlineData(900, 1000.0, 0, true)]
    [InlineData(100, null, 0, false)]
    [InlineData(100, 1000.0, 120, true)]
    public void TheSchedulerIsOverloadedAboveEightyPercentOrAMinuteLate(double asked, double? possible, int lagSeconds, bool overloaded) =>
        Assert.Equal(overloaded, new SchedulerCapacity(asked, possible, TimeSpan.FromSeconds(1), 8, TimeSpan.FromSeconds(lagSeconds)).Overloaded);

    [Theory]
    [InlineData(-45, "45 s ago")]
    [InlineData(-600, "10 min ago")]
    [InlineData(3 * 3600 + 300, "in 3 h 5 min")]
    [InlineData(-3 * 86400, "3 d ago")]
    [InlineData(0, "now")]
    public void TimesReadRelativeToNowWithTheExactTimeInATooltip(int seconds, string text)
    {
        var html = StatusPage.Time(Now.AddSeconds(seconds), Now).ToString();

        Assert.Contains($">{text}</time>", html, StringComparison.Ordinal);
        Assert.Contains($"title=\"{Now.AddSeconds(seconds):yyyy-MM-dd HH:mm:ss} UTC\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("societe", "rss", "societe", "rss")]
    [InlineData("all", "atom", "all", "atom")]
    [InlineData("societe+politique", "rss", "several", "rss")]
    [InlineData("made-up-123", "rss", "unknown", "rss")]
    [InlineData("societe", "php", "societe", "other")]
    [InlineData(null, null, "unknown", "other")]
    public void FeedRequestLabelsNeverCarryMadeUpText(string? name, string? extension, string category, string format)
    {
        var config = ConfigLoaderFixture.Minimal();

        Assert.Equal((category, format), OperationsServiceCollectionExtensions.FeedRequestLabels(name, extension, config));
    }

    /// <summary>A validated configuration with two categories.</summary>
    private static class ConfigLoaderFixture
    {
        public static Catalog Minimal()
        {
            var path = Path.Combine(Path.GetTempPath(), "feedhub-figures-" + Guid.NewGuid().ToString("N") + ".json");
            File.WriteAllText(path, """{ "FeedHub": { "Categories": { "societe": {}, "politique": {} } } }""");
            try
            {
                return ConfigLoader.Load(path, []).Config!;
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
