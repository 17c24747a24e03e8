using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FeedHub.Core.Fetching;

namespace FeedHub.Core.Tests.Fetching;

/// <summary>What the loopback server answers: status, extra headers and the raw body bytes (sent as they are).</summary>
internal sealed record LoopbackResponse(int Status, byte[] Body, params (string Name, string Value)[] Headers);

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and a free port, speaking just enough HTTP over a TcpListener
/// for one request per connection. Counts accepted connections, so a test can prove nothing reached it.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, LoopbackResponse> _respond;
    private readonly Task _acceptLoop;
    private int _connections;

    public LoopbackHttpServer(Func<string, LoopbackResponse> respond)
    {
        _respond = respond;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>TCP connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public Uri Url(string pathAndQuery = "/", string host = "127.0.0.1") => new($"http://{host}:{Port}{pathAndQuery}");

    /// <summary>
    /// A client on a real SocketsHttpHandler set up as the service's (redirects left to FeedFetcher, decompression,
    /// no proxy, the address guard as connect callback) that may reach loopback servers.
    /// </summary>
    public static HttpClient RealClient() =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            UseProxy = false,
            ConnectCallback = new AddressGuard([IPNetwork.Parse("127.0.0.0/8")]).ConnectAsync,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream, _stop.Token);
                var target = head.Split(' ', 3) is [_, var path, ..] ? path : "/";
                var response = _respond(target);
                var builder = new StringBuilder();
                builder.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {response.Status} Scripted\r\n");
                foreach (var (name, value) in response.Headers)
                {
                    builder.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
                }

                builder.Append(CultureInfo.InvariantCulture, $"Content-Length: {response.Body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(builder.ToString()), _stop.Token);
                await stream.WriteAsync(response.Body, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client went away (e.g. it stopped reading at the size cap): nothing to do.
            }
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) == 1)
        {
            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString([.. head]);
    }
}
