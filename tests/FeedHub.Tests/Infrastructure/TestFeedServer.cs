using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FeedHub.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on 127.0.0.1 (random port) that plays sources: each path gets a handler, every
/// request is recorded. Tests change handlers while FeedHub polls it.
/// </summary>
public sealed class TestFeedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private TestFeedServer(WebApplication app) => _app = app;

    /// <summary>A request as the server saw it.</summary>
    public sealed record RecordedRequest(string Path, string? IfNoneMatch, string? IfModifiedSince, string? UserAgent, string? AcceptEncoding);

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Starts on <paramref name="address"/> (any 127.x.y.z works on Linux) and a free port.</summary>
    public static async Task<TestFeedServer> StartAsync(string address = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{address}:0");
        var app = builder.Build();
        var server = new TestFeedServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(bound + "/");
        return server;
    }

    public Uri Url(string path) => new(BaseUrl, path.TrimStart('/'));

    /// <summary>Serves <paramref name="path"/> with a custom handler.</summary>
    public void Map(string path, Func<HttpContext, Task> handler) => _routes["/" + path.TrimStart('/')] = handler;

    /// <summary>Serves a fixed feed body with an ETag, answering 304 to a matching If-None-Match.</summary>
    public void ServeFeed(string path, string body, string contentType = "application/rss+xml; charset=utf-8", string? etag = null) =>
        Map(path, async context =>
        {
            var tag = etag ?? "\"" + Core.Processing.ItemIdentity.Hash(body) + "\"";
            if (context.Request.Headers.IfNoneMatch.ToString() == tag)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            context.Response.Headers.ETag = tag;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body, Encoding.UTF8);
        });

    /// <summary>Answers every request to <paramref name="path"/> with a status code.</summary>
    public void ServeStatus(string path, int status) => Map(path, context =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    });

    /// <summary>How many requests reached <paramref name="path"/>.</summary>
    public int Hits(string path) => _requests.Count(r => r.Path == "/" + path.TrimStart('/'));

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue(new RecordedRequest(
            request.Path.Value ?? "/",
            request.Headers.IfNoneMatch.Count == 0 ? null : request.Headers.IfNoneMatch.ToString(),
            request.Headers.IfModifiedSince.Count == 0 ? null : request.Headers.IfModifiedSince.ToString(),
            request.Headers.UserAgent.ToString(),
            request.Headers.AcceptEncoding.ToString()));
        if (_routes.TryGetValue(request.Path.Value ?? "/", out var handler))
        {
            await handler(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
