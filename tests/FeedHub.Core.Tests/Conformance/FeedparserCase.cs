using System.Text;

namespace FeedHub.Core.Tests.Conformance;

/// <summary>One file of the feedparser corpus with the header comment that carries its expectation.</summary>
internal sealed class FeedparserCase
{
    /// <summary>The address the original suite serves files from (their path contains "http").</summary>
    public const string ServerRoot = "http://127.0.0.1:8097/tests/";

    private FeedparserCase(string relativePath, byte[] bytes)
    {
        RelativePath = relativePath;
        Bytes = bytes;
    }

    /// <summary>The path below feedparser/, with forward slashes.</summary>
    public string RelativePath { get; }

    public byte[] Bytes { get; }

    public string? Description { get; private set; }

    public string? Expect { get; private set; }

    public string? SkipUnless { get; private set; }

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    /// <summary>True when the original suite serves the file over HTTP.</summary>
    public bool ServedOverHttp => RelativePath.Contains("http", StringComparison.Ordinal);

    /// <summary>The Content-Type to pass to the parser: the header, or text/xml (the test server's default) over HTTP.</summary>
    public string? ContentType => Header("Content-Type") ?? (ServedOverHttp ? "text/xml" : null);

    /// <summary>The document's address (honouring Content-Location) for files served over HTTP; null for local files.</summary>
    public Uri? DocumentUri
    {
        get
        {
            if (!ServedOverHttp)
            {
                return null;
            }

            var address = new Uri(ServerRoot + RelativePath);
            // Content-Location is the document's base when it is an http(s) address (never javascript: and the like).
            return Header("Content-Location") is { } location && Uri.TryCreate(address, location.Trim(), out var moved)
                && (moved.Scheme == Uri.UriSchemeHttp || moved.Scheme == Uri.UriSchemeHttps)
                ? moved
                : address;
        }
    }

    public static IEnumerable<FeedparserCase> Load(string root, string folder)
    {
        return Directory.EnumerateFiles(Path.Combine(root, folder), "*.xml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => Read(CorpusLocator.Relative(root, path), File.ReadAllBytes(path)));
    }

    private static FeedparserCase Read(string relativePath, byte[] bytes)
    {
        var result = new FeedparserCase(relativePath, bytes);
        var head = HeaderText(bytes);
        var start = head.IndexOf("<!--", StringComparison.Ordinal);
        var end = start < 0 ? -1 : head.IndexOf("-->", start, StringComparison.Ordinal);
        if (end < 0)
        {
            return result;
        }

        foreach (var rawLine in head[(start + 4)..end].Split('\n'))
        {
            var line = rawLine.Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            switch (line[..colon])
            {
                case "Description":
                    result.Description = value;
                    break;
                case "Expect":
                    result.Expect = value;
                    break;
                case "SkipUnless":
                    result.SkipUnless = value;
                    break;
                case "Header":
                    var separator = value.IndexOf(':', StringComparison.Ordinal);
                    if (separator > 0)
                    {
                        result.Headers.Add(new(value[..separator].Trim(), value[(separator + 1)..].Trim()));
                    }

                    break;
                default:
                    break;
            }
        }

        return result;
    }

    /// <summary>The start of the file as text: UTF-16/32 found by BOM or zero bytes, anything else read as Latin-1.</summary>
    private static string HeaderText(byte[] bytes)
    {
        var length = Math.Min(bytes.Length, 8192);
        var span = bytes.AsSpan(0, length);
        Encoding encoding = span switch
        {
            [0x00, 0x00, 0xFE, 0xFF, ..] or [0x00, 0x00, 0x00, (byte)'<', ..] => new UTF32Encoding(true, true),
            [0xFF, 0xFE, 0x00, 0x00, ..] or [(byte)'<', 0x00, 0x00, 0x00, ..] => new UTF32Encoding(false, true),
            [0xFE, 0xFF, ..] or [0x00, (byte)'<', ..] => new UnicodeEncoding(true, true),
            [0xFF, 0xFE, ..] or [(byte)'<', 0x00, ..] => new UnicodeEncoding(false, true),
            _ => Encoding.Latin1,
        };
        return encoding.GetString(span).Replace("\r", string.Empty, StringComparison.Ordinal);
    }
}
