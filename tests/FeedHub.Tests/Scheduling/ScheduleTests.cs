using FeedHub.Scheduling;

namespace FeedHub.Tests.Scheduling;

public sealed class ScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 3, 20, TimeSpan.Zero);

    [Theory]
    [InlineData("1s", 1)]
    [InlineData("30s", 30)]
    [InlineData("15m", 900)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    public void IntervalsFireThatLongAfterTheLastFetch(string text, int seconds)
    {
        var schedule = Schedule.Parse(text);

        Assert.Equal(Start.AddSeconds(seconds), schedule.NextAfter(Start));
    }

    [Fact]
    public void CronExpressionsFireOnTheirNextMatchInUtc()
    {
        var schedule = Schedule.Parse("0 0/10 * * * ?");

        Assert.Equal(new DateTimeOffset(2026, 11, 27, 10, 10, 0, TimeSpan.Zero), schedule.NextAfter(Start));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 10, 20, 0, TimeSpan.Zero), schedule.NextAfter(schedule.NextAfter(Start)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("15 minutes")]
    [InlineData("0.5m")]
    [InlineData("-5m")]
    [InlineData("*/5 * * * *")]
    [InlineData("0 0 25 * * ?")]
    [InlineData("0 0 0 30 2 ? 2030")]
    public void RejectsWhatIsNeitherAnIntervalNorACronExpression(string text)
    {
        Assert.False(Schedule.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
