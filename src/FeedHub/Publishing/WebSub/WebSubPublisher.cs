using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using FeedHub.Configuration;
using FeedHub.Ingest;
using FeedHub.Publishing.Rendering;
using Microsoft.Extensions.Options;

namespace FeedHub.Publishing.WebSub;

/// <summary>
/// Tells WebSub hubs (FeedHub:Publishing:WebSubHubs) that feeds changed: POST
/// hub.mode=publish&amp;hub.url=&lt;feed URL&gt;, one request per hub and feed URL, in the background.
/// Listens to ingest (<see cref="IIngestListener.CategoriesChanged"/>): it only drops topics into a channel and never waits. A failing hub (network error, 429, 5xx)
/// is retried with exponential back-off (WebSubRetrySeconds, doubling, WebSubMaxAttempts in all); a
/// notification still waiting for a hub absorbs further changes of the same feed.
/// </summary>
public sealed partial class WebSubPublisher(
    IHttpClientFactory httpClients, CatalogMonitor config, IOptionsMonitor<PublishingConfig> publishing, TimeProvider timeProvider, ILogger<WebSubPublisher> logger) : BackgroundService, IIngestListener
{
    public const string HttpClientName = "websub";

    /// <summary>Notifications sent at once, all hubs together.</summary>
    public const int MaxConcurrentDeliveries = 4;

    private readonly Channel<string> _topics = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<(Uri Hub, string Topic), bool> _waiting = new();
    private readonly ConcurrentDictionary<Task, bool> _deliveries = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrentDeliveries, MaxConcurrentDeliveries);

    /// <summary>Items of these categories changed: their public feeds (and the 'all' feed) are topics to publish.</summary>
    public void CategoriesChanged(IReadOnlyCollection<string> categories)
    {
        var catalog = config.Current;
        if (publishing.CurrentValue is not { WebSubHubs.Count: > 0, PublicUrl: { } baseUrl })
        {
            return;
        }

        // The topics are the plain feed URLs of public categories, and the 'all' feed they are part of.
        var names = categories.Where(c => catalog.FindCategory(c) is not null && catalog.IsPublic(c)).ToList();
        if (names.Count == 0)
        {
            return;
        }

        names.Add("all");
        Publish(names.SelectMany(name => Enum.GetValues<OutputFormat>().Select(format => FeedRenderer.FeedUrl(baseUrl, name, format))));
    }

    /// <summary>Queues feed URLs whose content changed; returns at once.</summary>
    public void Publish(IEnumerable<Uri> topics)
    {
        foreach (var topic in topics)
        {
            _topics.Writer.TryWrite(topic.AbsoluteUri);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var topic in _topics.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var hub in publishing.CurrentValue.WebSubHubs)
                {
                    if (_waiting.TryAdd((hub, topic), true))
                    {
                        var delivery = DeliverAsync(hub, topic, stoppingToken);
                        _deliveries[delivery] = true;
                        _ = delivery.ContinueWith(t => _deliveries.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(_deliveries.Keys).ConfigureAwait(false);
    }

    private async Task DeliverAsync(Uri hub, string topic, CancellationToken stoppingToken)
    {
        var settings = publishing.CurrentValue;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                string? failure;
                bool retry;
                try
                {
                    // From here on a new change of the topic needs a new notification: the hub may already be reading.
                    _waiting.TryRemove((hub, topic), out _);
                    (failure, retry) = await PostAsync(hub, topic, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    _slots.Release();
                }

                if (failure is null)
                {
                    LogNotified(logger, hub, topic, attempt);
                    return;
                }

                if (!retry || attempt >= settings.WebSubMaxAttempts)
                {
                    LogGaveUp(logger, hub, topic, attempt, failure);
                    return;
                }

                var delay = settings.WebSubRetryDelay * Math.Pow(2, attempt - 1);
                LogRetrying(logger, hub, topic, attempt, failure, delay);
                if (!_waiting.TryAdd((hub, topic), true))
                {
                    // A newer change already queued its own notification for this hub and feed.
                    return;
                }

                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (BackgroundWork.IsShutdown(e, stoppingToken))
        {
        }
        catch (Exception e)
        {
            // Not foreseen by PostAsync (an unusable hub address ...): logged with the hub, and the publisher carries on.
            LogCrashed(logger, hub, topic, e);
        }
        finally
        {
            _waiting.TryRemove((hub, topic), out _);
        }
    }

    /// <summary>One notification: null on success, else why it failed and whether trying again may help.</summary>
    private async Task<(string? Failure, bool Retry)> PostAsync(Uri hub, string topic, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent([new("hub.mode", "publish"), new("hub.url", topic)]);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(hub, content, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return (null, false);
            }

            var transient = status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests || response.StatusCode == HttpStatusCode.RequestTimeout;
            return ($"HTTP {status}", transient);
        }
        catch (HttpRequestException e)
        {
            return (e.Message, true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ("no answer within 30 s", true);
        }
    }

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "WebSub hub {Hub} notified of {Topic} (attempt {Attempt})")]
    private static partial void LogNotified(ILogger logger, Uri hub, string topic, int attempt);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "WebSub hub {Hub}: notifying {Topic} failed (attempt {Attempt}: {Failure}); retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, Uri hub, string topic, int attempt, string failure, TimeSpan delay);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "WebSub hub {Hub}: notifying {Topic} failed in an unforeseen way; not retried")]
    private static partial void LogCrashed(ILogger logger, Uri hub, string topic, Exception exception);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "WebSub hub {Hub}: gave up notifying {Topic} after {Attempts} attempt(s): {Failure}")]
    private static partial void LogGaveUp(ILogger logger, Uri hub, string topic, int attempts, string failure);
}
