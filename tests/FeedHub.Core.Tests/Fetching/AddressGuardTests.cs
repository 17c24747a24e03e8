using System.Net;
using System.Text;
using FeedHub.Core.Fetching;
using FeedHub.Core.Model;

namespace FeedHub.Core.Tests.Fetching;

public sealed class AddressGuardTests
{
    private static readonly AddressGuard LoopbackAllowed = new([IPNetwork.Parse("127.0.0.0/8")]);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // ------------------------------------------------------------------------------------------------
    // IsAllowed
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")] // cloud metadata
    [InlineData("100.64.0.1")] // carrier-grade NAT
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.2.1")]
    [InlineData("198.18.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fe80::1%2")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456:789a::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped loopback
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::7f00:1")] // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254
    [InlineData("64:ff9b:1::a00:1")] // local-use NAT64 prefix (RFC 8215)
    [InlineData("::127.0.0.1")] // deprecated IPv4-compatible form
    [InlineData("fec0::1")] // deprecated site-local
    [InlineData("2002:7f00:1::1")] // 6to4 of 127.0.0.1
    [InlineData("2002:c0a8:101::1")] // 6to4 of 192.168.1.1
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")] // Teredo
    public void RefusesNonPublicAddress(string address)
    {
        Assert.False(AddressGuard.Strict.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("1.1.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")] // just below 172.16.0.0/12
    [InlineData("172.32.0.0")] // just above it
    [InlineData("100.63.255.255")] // just below 100.64.0.0/10
    [InlineData("100.128.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("11.0.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4007:80f::200e")]
    [InlineData("::ffff:93.184.215.14")] // IPv4-mapped public
    [InlineData("64:ff9b::5db8:d70e")] // NAT64 of 93.184.215.14
    [InlineData("2002:5db8:d70e::1")] // 6to4 of 93.184.215.14
    public void AllowsPublicAddress(string address)
    {
        Assert.True(AddressGuard.Strict.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("::1", false)] // IPv6 loopback is another network
    [InlineData("8.8.8.8", true)]
    public void AllowedNetworksOpenOnlyWhatTheyList(string address, bool allowed)
    {
        Assert.Equal(allowed, LoopbackAllowed.IsAllowed(IPAddress.Parse(address)));
    }

    [Fact]
    public void AllowedNetworksOpenIPv6Ranges()
    {
        var guard = new AddressGuard([IPNetwork.Parse("fd00::/8")]);

        Assert.True(guard.IsAllowed(IPAddress.Parse("fd12::1")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("fc00::1")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("10.0.0.1")));
    }

    // ------------------------------------------------------------------------------------------------
    // ConnectAsync through a real SocketsHttpHandler and a loopback server
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("127.1")]
    [InlineData("2130706433")]
    [InlineData("0x7f000001")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task RefusesLoopbackBeforeConnecting(string host)
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(200, "ok"u8.ToArray()));
        using var client = Client(AddressGuard.Strict);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(server.Url("/feed", host), Token));

        var blocked = Assert.IsType<BlockedAddressException>(error.InnerException);
        Assert.True(IPAddress.IsLoopback(blocked.Address!.IsIPv4MappedToIPv6 ? blocked.Address.MapToIPv4() : blocked.Address), $"{blocked.Address} is loopback");
        Assert.Contains("AllowedNetworks", blocked.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Connections);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("127.1")]
    public async Task ConnectsWhenLoopbackIsInTheAllowedNetworks(string host)
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(200, "bonjour"u8.ToArray()));
        using var client = Client(LoopbackAllowed);

        using var response = await client.GetAsync(server.Url("/feed", host), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bonjour", Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(Token)));
        Assert.Equal(1, server.Connections);
    }

    /// <summary>
    /// What the guard relies on: Uri canonicalises numeric IPv4 shorthands before the callback sees them,
    /// names arrive as names (resolved by the guard itself), IPv6 literals keep their brackets.
    /// </summary>
    [Theory]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("localhost", "localhost")]
    [InlineData("LOCALHOST", "localhost")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("[::ffff:127.0.0.1]", "[::ffff:127.0.0.1]")]
    public async Task ReceivesCanonicalHostsFromTheHandler(string host, string expected)
    {
        var seen = new List<string>();
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = (context, token) =>
            {
                lock (seen)
                {
                    seen.Add(context.DnsEndPoint.Host);
                }

                return AddressGuard.Strict.ConnectAsync(context, token);
            },
        });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://{host}:9/feed"), Token));

        Assert.Equal([expected], seen);
    }

    [Fact]
    public async Task FetcherReportsGuardRefusalAsBlockedAddress()
    {
        await using var server = new LoopbackHttpServer(_ => new LoopbackResponse(200, "ok"u8.ToArray()));
        using var client = Client(AddressGuard.Strict);
        var fetcher = new FeedFetcher(client, new FetchOptions(), TimeProvider.System);

        var result = await fetcher.FetchAsync(server.Url("/feed"), null, null, Token);

        Assert.Equal(FetchStatus.Failed, result.Status);
        Assert.Equal(FetchErrorClass.BlockedAddress, result.ErrorClass);
        Assert.Contains("127.0.0.1", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task GuardsEveryRedirectHop()
    {
        // A public-looking first hop is not needed to prove it: the allowed server redirects to a refused one.
        await using var refused = new LoopbackHttpServer(_ => new LoopbackResponse(200, "secret"u8.ToArray()));
        await using var allowed = new LoopbackHttpServer(_ => new LoopbackResponse(302, [], ("Location", refused.Url("/admin", "127.0.0.2").AbsoluteUri)));
        using var client = Client(new AddressGuard([IPNetwork.Parse("127.0.0.1/32")]));
        var fetcher = new FeedFetcher(client, new FetchOptions(), TimeProvider.System);

        var result = await fetcher.FetchAsync(allowed.Url("/feed"), null, null, Token);

        Assert.Equal(FetchErrorClass.BlockedAddress, result.ErrorClass);
        Assert.Equal(1, allowed.Connections);
        Assert.Equal(0, refused.Connections);
    }

    private static HttpClient Client(AddressGuard guard) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = guard.ConnectAsync,
        })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
}
