using System.Net;

namespace FeedHub.Core.Fetching;

/// <summary>Thrown by the connection guard when a host resolves to an address sources may not reach.</summary>
public sealed class BlockedAddressException : Exception
{
    public BlockedAddressException()
    {
    }

    public BlockedAddressException(string message)
        : base(message)
    {
    }

    public BlockedAddressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BlockedAddressException(string host, IPAddress address)
        : base($"{host} resolves to {address}, a non-public address; allow it with FeedHub:Fetch:AllowedNetworks")
    {
        Host = host;
        Address = address;
    }

    public string? Host { get; }

    public IPAddress? Address { get; }
}
