using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FeedHub.Benchmarks;

/// <summary>How the corpus server answers.</summary>
public enum CorpusMode
{
    /// <summary>The files as they are, with ETag "v1", validators ignored.</summary>
    Fresh,

    /// <summary>Each body changed (a new build date) but not its items, ETag "v2", validators ignored.</summary>
    ChangedBodySameItems,

    /// <summary>304 to any conditional request.</summary>
    NotModified,
}

/// <summary>Serves the benchmark corpus from a local listener as 200 sources: /feed/{n}.</summary>
public sealed class CorpusServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly byte[][] _fresh;
    private readonly byte[][] _changed;
    private int _requests;

    private CorpusServer(WebApplication app, byte[][] fresh)
    {
        _app = app;
        _fresh = fresh;
        _changed = [.. fresh.Select(ChangeBody)];
    }

    public CorpusMode Mode { get; set; } = CorpusMode.Fresh;

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Stopwatch timestamp of the first request since the last reset.</summary>
    public long FirstRequestTimestamp { get; private set; }

    public int FeedCount => _fresh.Length;

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<CorpusServer> StartAsync(IReadOnlyList<string> files)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new CorpusServer(app, [.. files.Select(File.ReadAllBytes)]);
        app.MapGet("/feed/{n:int}", server.Serve);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return server;
    }

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _requests, 0);
        FirstRequestTimestamp = 0;
    }

    private IResult Serve(int n, HttpContext context)
    {
        if (Interlocked.Increment(ref _requests) == 1)
        {
            FirstRequestTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        if (n < 0 || n >= _fresh.Length)
        {
            return Results.NotFound();
        }

        switch (Mode)
        {
            case CorpusMode.NotModified when context.Request.Headers.IfNoneMatch.Count > 0 || context.Request.Headers.IfModifiedSince.Count > 0:
                context.Response.Headers.ETag = "\"v1\"";
                return Results.StatusCode(StatusCodes.Status304NotModified);
            case CorpusMode.ChangedBodySameItems:
                context.Response.Headers.ETag = "\"v2\"";
                return Results.Bytes(_changed[n], "application/xml; charset=utf-8");
            default:
                context.Response.Headers.ETag = "\"v1\"";
                context.Response.Headers.LastModified = "Thu, 26 Nov 2026 10:00:00 GMT";
                return Results.Bytes(_fresh[n], "application/xml; charset=utf-8");
        }
    }

    /// <summary>Adds a comment after the XML declaration: other bytes, the same items.</summary>
    private static byte[] ChangeBody(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        var end = text.IndexOf("?>", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text.Insert(end + 2, "\n<!-- rebuilt -->"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
