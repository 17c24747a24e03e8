using System.Security.Cryptography;
using System.Text;

namespace FeedHub.Core.Publishing;

/// <summary>
/// Stable, globally unique ids for what FeedHub publishes, as urn:uuid (a registered URI scheme the
/// W3C validator accepts): derived by hashing, so the same item or category always gets the same id.
/// </summary>
public static class FeedIds
{
    /// <summary>The id of a published item, from its source and its identity within that source.</summary>
    public static string ForItem(string sourceId, string identity) => Uuid("item\n" + sourceId + "\n" + identity);

    /// <summary>The id of a category feed (or of a combination of categories).</summary>
    public static string ForFeed(string key) => Uuid("feed\n" + key);

    private static string Uuid(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];

        // RFC 9562 version 8 (custom, name-based) with the RFC variant bits.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return "urn:uuid:" + new Guid(bytes, bigEndian: true).ToString("D");
    }
}
