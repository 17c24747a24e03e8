using FeedHub.Ingest;

namespace FeedHub.Tests.Ingest;

/// <summary>Ingest's CPU work runs on its own threads, below the priority of the threads that answer requests.</summary>
public sealed class BackgroundCpuTests
{
    [Fact]
    public async Task AwaitingSwitchToContinuesOnAnIngestThreadNotTheCallersThread()
    {
        var caller = Environment.CurrentManagedThreadId;

        await BackgroundCpu.SwitchTo();

        Assert.NotEqual(caller, Environment.CurrentManagedThreadId);
        Assert.StartsWith("FeedHub ingest ", Thread.CurrentThread.Name, StringComparison.Ordinal);
        Assert.Same(BackgroundCpu.Scheduler, TaskScheduler.Current);
    }

    [Fact]
    public async Task IngestThreadsRunAtALowerLinuxPriorityThanTheRest()
    {
        // The process's own nice value (whatever the test runner was started with) plus the increment, at most 19.
        var process = NiceOf("/proc/self/stat");

        await BackgroundCpu.SwitchTo();

        Assert.Equal(Math.Min(19, process + BackgroundCpu.NiceIncrement), NiceOf("/proc/thread-self/stat"));
    }

    [Fact]
    public async Task WorkQueuedFromManyCallersAllRunsAndReturnsItsResults()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(async n =>
        {
            await BackgroundCpu.SwitchTo();
            return (n, Thread.CurrentThread.Name);
        }));

        Assert.Equal(Enumerable.Range(0, 100), results.Select(r => r.n));
        Assert.All(results, r => Assert.StartsWith("FeedHub ingest ", r.Name, StringComparison.Ordinal));
    }

    /// <summary>The nice value from a Linux stat file (field 19; the name in field 2 may hold spaces).</summary>
    private static int NiceOf(string path)
    {
        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
