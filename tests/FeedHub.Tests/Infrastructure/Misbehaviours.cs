using System.IO.Compression;
using System.Text;

namespace FeedHub.Tests.Infrastructure;

/// <summary>What hostile or broken sources do, played by <see cref="TestFeedServer"/>.</summary>
public static class Misbehaviours
{
    private static readonly Lazy<byte[]> Bomb = new(BuildGzipBomb);

    /// <summary>Headers at once, then the body one byte per <paramref name="interval"/>, forever.</summary>
    public static void ServeDrip(this TestFeedServer server, string path, TimeSpan interval) => server.Map(path, async context =>
    {
        context.Response.ContentType = "application/rss+xml";
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var body = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>drip</title>" + new string(' ', 100_000));
        foreach (var b in body)
        {
            await context.Response.Body.WriteAsync(new[] { b }, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(interval, context.RequestAborted);
        }
    });

    /// <summary>Accepts the request and never answers.</summary>
    public static void ServeStall(this TestFeedServer server, string path) => server.Map(path, async context =>
        await Task.Delay(Timeout.Infinite, context.RequestAborted));

    public static void ServeRedirect(this TestFeedServer server, string path, Uri to, int status = 301) => server.Map(path, context =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = to.AbsoluteUri;
        return Task.CompletedTask;
    });

    /// <summary>About 1 MiB of gzip that inflates to 1 GiB of zeros.</summary>
    public static void ServeGzipBomb(this TestFeedServer server, string path) => server.Map(path, async context =>
    {
        context.Response.ContentType = "application/rss+xml";
        context.Response.Headers.ContentEncoding = "gzip";
        context.Response.ContentLength = Bomb.Value.Length;
        await context.Response.Body.WriteAsync(Bomb.Value, context.RequestAborted);
    });

    /// <summary>A huge body with an honest Content-Length, streamed without end in sight.</summary>
    public static void ServeHuge(this TestFeedServer server, string path, long bytes, bool announceLength) => server.Map(path, async context =>
    {
        context.Response.ContentType = "application/rss+xml";
        if (announceLength)
        {
            context.Response.ContentLength = bytes;
        }

        var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
        for (long sent = 0; sent < bytes; sent += chunk.Length)
        {
            await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, bytes - sent)), context.RequestAborted);
        }
    });

    /// <summary>429 or 503 with a Retry-After header as given (seconds or an HTTP date).</summary>
    public static void ServeRateLimited(this TestFeedServer server, string path, int status, string retryAfter) => server.Map(path, context =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.RetryAfter = retryAfter;
        return Task.CompletedTask;
    });

    /// <summary>Raw bytes with a content type.</summary>
    public static void ServeBytes(this TestFeedServer server, string path, byte[] body, string contentType) => server.Map(path, async context =>
    {
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    });

    /// <summary>Concatenated gzip members of 16 MiB of zeros: tiny on the wire, 1 GiB inflated.</summary>
    private static byte[] BuildGzipBomb()
    {
        using var member = new MemoryStream();
        using (var gzip = new GZipStream(member, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 16; i++)
            {
                gzip.Write(zeros);
            }
        }

        var one = member.ToArray();
        using var bomb = new MemoryStream();
        for (var i = 0; i < 64; i++)
        {
            bomb.Write(one);
        }

        return bomb.ToArray();
    }
}
