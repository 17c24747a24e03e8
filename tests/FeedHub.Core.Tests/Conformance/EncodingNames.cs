namespace FeedHub.Core.Tests.Conformance;

/// <summary>
/// feedparser reports Python codec names; FeedHub reports the encoding it decoded with, named as the WHATWG
/// Encoding Standard maps the label (US-ASCII and ISO-8859-1 are windows-1252, GB2312 is GB18030, ...).
/// </summary>
internal static class EncodingNames
{
    public static string FeedHubName(string feedparserName) => feedparserName.ToLowerInvariant() switch
    {
        "us-ascii" or "ascii" or "iso-8859-1" or "latin-1" => "windows-1252",
        "gb2312" or "gbk" => "gb18030",
        "tis-620" or "iso-8859-11" => "windows-874",
        var other => other,
    };
}
