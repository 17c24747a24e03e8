namespace FeedHub.Core.Processing;

/// <summary>
/// The one rule for every URL FeedHub writes into what it publishes (feeds in every format, OPML, pages): only an
/// absolute http or https URL with a host leaves FeedHub. A relative reference is made absolute against an http(s)
/// base; against any other base (a local file: source) or none it is dropped, as is every other scheme
/// (javascript:, vbscript:, data:, file:, ftp: ...). Applied when items are processed and again when documents are
/// written, so rows stored before the rule are covered too.
/// </summary>
public static class PublicUrl
{
    /// <summary>The URL as it may be published (the publisher's spelling when it needs no escaping), or null.</summary>
    public static string? TryMakeSafe(string? url, Uri? baseUri = null) =>
        Vet(url, baseUri, out var asWritten) is { } uri ? asWritten ?? uri.AbsoluteUri : null;

    /// <summary>As <see cref="TryMakeSafe(string?, Uri?)"/>, as a <see cref="Uri"/>.</summary>
    public static Uri? TryMakeSafeUri(string? url, Uri? baseUri = null) => Vet(url, baseUri, out _);

    /// <summary>
    /// The web address <paramref name="url"/> names (made absolute against a web <paramref name="baseUri"/>), or null;
    /// <paramref name="asWritten"/> is the publisher's spelling when it is absolute and needs no escaping.
    /// </summary>
    private static Uri? Vet(string? url, Uri? baseUri, out string? asWritten)
    {
        asWritten = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        var trimmed = url.Trim();
        if (IsAbsoluteReference(trimmed))
        {
            if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var absolute) || !IsWeb(absolute))
            {
                return null;
            }

            asWritten = NeedsEscaping(trimmed) ? null : trimmed;
            return absolute;
        }

        return baseUri is not null && IsWeb(baseUri) && Uri.TryCreate(baseUri, trimmed, out var resolved) && IsWeb(resolved)
            ? resolved
            : null;
    }

    /// <summary>True for an absolute http(s) URL with a host.</summary>
    public static bool IsWeb(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    /// <summary>
    /// True when the text names its own scheme ("x:" before any '/', '?' or '#'). "/path" is host-relative for a
    /// feed even where the platform would read it as a file path, and "//host/path" is scheme-relative.
    /// </summary>
    private static bool IsAbsoluteReference(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ':')
            {
                return i > 0;
            }

            if (c is '/' or '\\' or '?' or '#')
            {
                return false;
            }
        }

        return false;
    }

    private static bool NeedsEscaping(string url)
    {
        foreach (var c in url)
        {
            if (c <= ' ' || c >= '\u007f' || c is '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}')
            {
                return true;
            }
        }

        return false;
    }
}
