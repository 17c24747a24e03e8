using System.Text;

namespace FeedHub.Core.Processing;

/// <summary>
/// Keys that recognise the same article reached through two sources: its link once normalised
/// (scheme, "www.", default port, tracking parameters, fragment and trailing slash ignored), or its
/// guid when the guid is globally unique by construction (a URI). Both are hashed to a short,
/// fixed-size key for the index.
/// </summary>
public static class DuplicateKeys
{
    /// <summary>The key of a link, or null when there is no usable absolute http(s) link.</summary>
    public static string? ForLink(string? link)
    {
        var normalised = NormaliseLink(link);
        return normalised is null ? null : ItemIdentity.Hash(normalised);
    }

    /// <summary>
    /// The key of a publisher's guid, or null. Only guids that are URIs (https://…, urn:…, tag:…)
    /// count: "1", "2", "post-3" are unique within one feed only and would merge unrelated articles.
    /// </summary>
    public static string? ForGuid(string? externalId)
    {
        var value = externalId?.Trim();
        if (string.IsNullOrEmpty(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return null;
        }

        if (uri.Scheme is "http" or "https")
        {
            // A permalink guid is a link: normalised the same way, so it also meets the other source's <link>.
            return ForLink(value);
        }

        return uri.Scheme is "urn" or "tag" && value.Length > uri.Scheme.Length + 4 ? ItemIdentity.Hash("guid:" + value) : null;
    }

    /// <summary>The normalised form of a link (for tests and diagnostics), or null.</summary>
    public static string? NormaliseLink(string? link)
    {
        var value = link?.Trim();
        if (string.IsNullOrEmpty(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            return null;
        }

        var host = uri.IdnHost.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        var builder = new StringBuilder(host);
        if (!uri.IsDefaultPort)
        {
            builder.Append(':').Append(uri.Port);
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        builder.Append(path);

        var query = TrackingParameters.Strip(uri.Query.Length > 0 ? "x" + uri.Query : "x")[1..];
        if (query.Length > 1)
        {
            builder.Append(query);
        }

        return builder.ToString();
    }
}
