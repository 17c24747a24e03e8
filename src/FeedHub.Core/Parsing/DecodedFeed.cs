namespace FeedHub.Core.Parsing;

/// <summary>
/// The result of <see cref="FeedDecoder.Decode"/>: the feed as text ready for an XML parser.
/// </summary>
/// <param name="Text">
/// The decoded document without any byte order mark. The XML declaration's <c>encoding</c> pseudo-attribute,
/// if present, says <c>utf-8</c>, because the text is no longer bytes in the declared encoding.
/// </param>
/// <param name="EncodingName">
/// The encoding actually used, as a lower-case WHATWG-style name such as <c>utf-8</c>, <c>windows-1252</c>,
/// <c>utf-16le</c>, <c>shift_jis</c> or <c>gb18030</c>.
/// </param>
/// <param name="Warnings">
/// Human-readable notes about what the decoder had to guess or repair, e.g.
/// "declared utf-8 but the bytes are not valid utf-8; read as windows-1252". Empty when the feed was consistent.
/// </param>
public sealed record DecodedFeed(string Text, string EncodingName, IReadOnlyList<string> Warnings);
