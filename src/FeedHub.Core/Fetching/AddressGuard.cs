using System.Net;
using System.Net.Sockets;

namespace FeedHub.Core.Fetching;

/// <summary>
/// Keeps sources off loopback, private, link-local, metadata and other non-public addresses (SSRF),
/// checked after DNS resolution on every connection, so redirects and DNS rebinding cannot slip past.
/// Networks listed in FeedHub:Fetch:AllowedNetworks are let through.
/// </summary>
public sealed class AddressGuard(IReadOnlyList<IPNetwork> allowedNetworks)
{
    private static readonly IPNetwork[] NonPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.88.99.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/96"), // unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d
        IPNetwork.Parse("64:ff9b:1::/48"), // local-use NAT64 (RFC 8215): translates to private IPv4
        IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001::/32"), // Teredo: tunnels to an embedded, possibly internal IPv4
        IPNetwork.Parse("2001:db8::/32"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"), // deprecated site-local, still routed inside some networks
        IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>Well-known NAT64 prefix: the IPv4 address is the last 32 bits.</summary>
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>6to4: the IPv4 address of the relay endpoint is bits 16 to 47.</summary>
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>A guard that lets nothing non-public through.</summary>
    public static AddressGuard Strict { get; } = new([]);

    /// <summary>True when a source may connect to the address.</summary>
    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && Nat64.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            address = new IPAddress(bytes[12..]);
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && SixToFour.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            address = new IPAddress(bytes[2..6]);
        }

        foreach (var network in allowedNetworks)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return true;
            }
        }

        foreach (var network in NonPublic)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A SocketsHttpHandler.ConnectCallback that resolves, vets and connects to the vetted address only.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(IsAllowed).ToList();
        if (allowed.Count == 0)
        {
            throw addresses.Length == 0
                ? new SocketException((int)SocketError.HostNotFound)
                : new BlockedAddressException(host, addresses[0]);
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
