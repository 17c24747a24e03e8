using System.Text;

namespace FeedHub.Core.Parsing;

public sealed record DecodedFeed(string Text, string EncodingName, IReadOnlyList<string> Warnings);

/// <summary>TEMPORARY stand-in; replaced by the real decoder.</summary>
public static class FeedDecoder
{
    public static DecodedFeed Decode(ReadOnlySpan<byte> bytes, string? contentType) => new(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'), "utf-8", []);
}
