using System.Diagnostics;
using System.IO.Compression;
using System.ServiceModel.Syndication;
using System.Xml;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FeedHub.Benchmarks;

/// <summary>The references each figure is compared with, measured in the same run.</summary>
public static class Baselines
{
    /// <summary>Items per second through bare SyndicationFeed.Load (warm, one thread), reading every item's fields.</summary>
    public static double SyndicationItemsPerSecond(IReadOnlyList<string> files)
    {
        var bodies = files.Select(File.ReadAllBytes).ToList();
        double best = 0;
        for (var round = 0; round < 3; round++)
        {
            var items = 0;
            var stopwatch = Stopwatch.StartNew();
            foreach (var body in bodies)
            {
                using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
                var feed = SyndicationFeed.Load(reader);
                foreach (var item in feed.Items)
                {
                    _ = item.Title?.Text;
                    _ = item.Id;
                    _ = item.Links.Count;
                    _ = item.PublishDate;
                    items++;
                }
            }

            best = Math.Max(best, items / stopwatch.Elapsed.TotalSeconds);
        }

        return best;
    }

    /// <summary>A bare Kestrel endpoint returning fixed bytes from memory: the serving ceiling of this machine.</summary>
    public sealed class BareKestrel : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private BareKestrel(WebApplication app) => _app = app;

        public Uri BaseUrl { get; private set; } = null!;

        public static async Task<BareKestrel> StartAsync(byte[] body, string contentType, string etag)
        {
            var gzipped = Gzip(body);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            // The headers HTTP asks of any server that negotiates encodings and answers conditional requests, on the 200s
            // and the 304 alike (RFC 9110 §12.5.5 Vary, §15.4.5: a 304 carries the ETag, Cache-Control and Vary a 200
            // would have): what FeedHub sends too, so that the ratio compares the same work.
            app.MapGet("/feed", (HttpContext context) =>
            {
                var headers = context.Response.Headers;
                headers.ETag = etag;
                headers.CacheControl = "public, max-age=300";
                headers.Vary = "Accept-Encoding";
                if (context.Request.Headers.IfNoneMatch.ToString() == etag)
                {
                    return Results.StatusCode(StatusCodes.Status304NotModified);
                }

                if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.Ordinal))
                {
                    context.Response.Headers.ContentEncoding = "gzip";
                    return Results.Bytes(gzipped, contentType);
                }

                return Results.Bytes(body, contentType);
            });
            await app.StartAsync();
            var bare = new BareKestrel(app)
            {
                BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/"),
            };
            return bare;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private static byte[] Gzip(byte[] body)
        {
            using var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
            {
                gzip.Write(body);
            }

            return output.ToArray();
        }
    }
}
