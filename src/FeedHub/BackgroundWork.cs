namespace FeedHub;

/// <summary>
/// The one rule for what a background loop catches (the dispatcher, a refresh in the fetch pool, a WebSub
/// delivery, the usage flush, the static export, the retention purge): everything except the cancellation of
/// its own shutdown token. What it catches it logs with its own event id (and the source or hub it was working
/// on), then carries on at the next tick or run — it never rethrows, so one failure never stops the loop or the
/// host. <see cref="RunAsync"/> is the rule for a run that is one call; a loop with more to it writes the pattern:
/// <code>
/// catch (Exception e) when (!BackgroundWork.IsShutdown(e, stoppingToken))
/// {
///     LogFailed(logger, e);
/// }
/// </code>
/// A cancellation that is not the shutdown (an HTTP client's timeout, a linked token) is a failure like any other.
/// </summary>
internal static class BackgroundWork
{
    /// <summary>True when <paramref name="exception"/> is the loop being stopped, the one exception it lets through.</summary>
    public static bool IsShutdown(Exception exception, CancellationToken stoppingToken) =>
        exception is OperationCanceledException && stoppingToken.IsCancellationRequested;

    /// <summary>Runs <paramref name="work"/> once; any failure but the shutdown goes to <paramref name="failed"/> (which logs it).</summary>
    public static async Task RunAsync(Func<CancellationToken, Task> work, Action<Exception> failed, CancellationToken stoppingToken)
    {
        try
        {
            await work(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!IsShutdown(e, stoppingToken))
        {
            failed(e);
        }
    }
}
