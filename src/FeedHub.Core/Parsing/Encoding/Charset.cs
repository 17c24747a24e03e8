using System.Text;

namespace FeedHub.Core.Parsing;

/// <summary>An encoding as FeedHub reports it: a WHATWG-style name and the .NET code page that decodes it.</summary>
internal sealed record Charset(string Name, int CodePage)
{
    public static readonly Charset Utf8 = new("utf-8", 65001);
    public static readonly Charset Utf16Le = new("utf-16le", 1200);
    public static readonly Charset Utf16Be = new("utf-16be", 1201);
    public static readonly Charset Utf32Le = new("utf-32le", 12000);
    public static readonly Charset Utf32Be = new("utf-32be", 12001);
    public static readonly Charset Windows1252 = new("windows-1252", 1252);

    /// <summary>U+FFFD rather than .NET's default "?" or best-fit, so that damage stays visible and countable.</summary>
    private static readonly DecoderReplacementFallback ReplacementFallback = new("\uFFFD");

    /// <summary>UTF-16 (either order), UTF-32 (either order), or the code page itself for everything else.</summary>
    public int Family() => CodePage switch
    {
        1200 or 1201 => 1200,
        12000 or 12001 => 12000,
        var other => other,
    };

    /// <summary>The decoding for this code page, with U+FFFD for what it cannot read.</summary>
    public Encoding GetStrictEncoding() =>
        Encoding.GetEncoding(CodePage, EncoderFallback.ReplacementFallback, ReplacementFallback);

    public bool IsAsciiCompatible()
    {
        if (this == Utf8 || this == Windows1252)
        {
            return true;
        }

        // Decoding must give back the same ASCII markup (EBCDIC, UTF-7 ... do not).
        const string Probe = "<?xml version=\"1.0\" encoding=\"x\"?><rss>AZaz09</rss>";
        var encoding = GetStrictEncoding();
        return encoding.GetString(Encoding.ASCII.GetBytes(Probe)) == Probe;
    }
}
