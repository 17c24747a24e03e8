using FeedHub.Core.Model;
using FeedHub.Scheduling;

namespace FeedHub.Tests.Scheduling;

public sealed class NextFetchPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly Schedule Every15Minutes = Schedule.Parse("15m");

    private static NextFetchPolicy Policy() => new(new Random(42));

    [Fact]
    public void AfterSuccessTheScheduleDecides()
    {
        var next = Policy().AfterSuccess(Every15Minutes, Now, feedHint: null);

        Assert.Equal(new NextFetch(Now.AddMinutes(15), NextFetchReason.Schedule), next);
    }

    [Fact]
    public void AFeedAskingForLessTrafficIsHonoured()
    {
        var next = Policy().AfterSuccess(Every15Minutes, Now, TimeSpan.FromHours(1));

        Assert.Equal(new NextFetch(Now.AddHours(1), NextFetchReason.FeedTtl), next);
    }

    [Fact]
    public void AFeedNeverMakesFetchesMoreFrequentThanTheSchedule()
    {
        var next = Policy().AfterSuccess(Every15Minutes, Now, TimeSpan.FromMinutes(1));

        Assert.Equal(new NextFetch(Now.AddMinutes(15), NextFetchReason.Schedule), next);
    }

    [Fact]
    public void FeedHintsAreCappedAtTheMaximumInterval()
    {
        var next = Policy().AfterSuccess(Every15Minutes, Now, TimeSpan.FromDays(30));

        Assert.Equal(Now.AddHours(24), next.At);
    }

    [Fact]
    public void FailuresBackOffExponentiallyWithJitterUpToACap()
    {
        var policy = Policy();
        var delays = Enumerable.Range(1, 12).Select(n => policy.AfterFailure(Every15Minutes, Now, n, retryAfter: null).At - Now).ToList();

        for (var n = 2; n <= 5; n++)
        {
            var expected = TimeSpan.FromMinutes(15 * Math.Pow(2, n - 1));
            Assert.InRange(delays[n - 1], expected * 0.8, expected * 1.2);
        }

        Assert.All(delays, d => Assert.True(d <= TimeSpan.FromHours(12) * 1.2, $"{d} exceeds the cap"));
        Assert.InRange(delays[^1], TimeSpan.FromHours(12) * 0.8, TimeSpan.FromHours(12) * 1.2);
    }

    [Fact]
    public void RetryAfterIsHonouredAndCapped()
    {
        var policy = Policy();

        Assert.Equal(new NextFetch(Now.AddHours(2), NextFetchReason.RetryAfter), policy.AfterFailure(Every15Minutes, Now, 1, Now.AddHours(2)));
        Assert.Equal(new NextFetch(Now.AddHours(8), NextFetchReason.RetryAfter), policy.AfterFailure(Every15Minutes, Now, 1, Now.AddDays(365)));
        Assert.Equal(new NextFetch(Now.AddMinutes(15), NextFetchReason.Schedule), policy.AfterFailure(Every15Minutes, Now, 1, Now.AddMinutes(1)));
    }
}
