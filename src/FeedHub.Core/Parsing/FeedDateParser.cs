using System.Globalization;

namespace FeedHub.Core.Parsing;

/// <summary>TEMPORARY stand-in; replaced by the lenient parser.</summary>
public static class FeedDateParser
{
    public static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value.ToUniversalTime() : null;
}
