using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace FeedHub.Core.Processing;

/// <summary>
/// The identity of an item within its source: its guid/id, else its link, else a hash of title and date
/// (as Miniflux does). Hashed to a fixed-size key so that absurdly long guids cost nothing in the index.
/// </summary>
public static class ItemIdentity
{
    public static string FromId(string id) => "g:" + Hash(id);

    public static string FromLink(string link) => "l:" + Hash(link);

    public static string FromTitleAndDate(string? title, string? date) => "t:" + Hash(title + "\n" + date);

    /// <summary>A short, stable, URL-safe hash (first 120 bits of SHA-256, base64url).</summary>
    public static string Hash(string value)
    {
        // Hashes run on every item's full text (raw and content hashes): its UTF-8 goes to a pooled buffer, not a new array.
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(value));
        Span<byte> digest = stackalloc byte[32];
        try
        {
            var length = Encoding.UTF8.GetBytes(value, buffer);
            SHA256.HashData(buffer.AsSpan(0, length), digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToBase64String(digest[..15]).Replace('+', '-').Replace('/', '_');
    }
}
