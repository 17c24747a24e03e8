namespace FeedHub.Core.Processing;

/// <summary>Removes click-tracking query parameters (utm_*, fbclid ...) from links.</summary>
public static class TrackingParameters
{
    private static readonly HashSet<string> Exact = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "yclid", "igshid",
        "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid", "vero_conv", "vero_id",
        "wickedid", "xtor", "at_medium", "at_campaign", "ref_src",
    };

    /// <summary>True for a query parameter name that only serves tracking.</summary>
    public static bool IsTracking(string name) =>
        name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || Exact.Contains(name);

    /// <summary>The URL without tracking parameters; other parameters keep their order and encoding.</summary>
    public static string Strip(string url)
    {
        // The fragment starts at the first '#'; a '?' after it belongs to the fragment, not the query.
        var fragment = url.IndexOf('#', StringComparison.Ordinal);
        var end = fragment < 0 ? url.Length : fragment;
        var query = url.IndexOf('?', 0, end);
        if (query < 0)
        {
            return url;
        }

        var parameters = url[(query + 1)..end].Split('&');
        var kept = parameters.Where(p =>
        {
            var equals = p.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? p : p[..equals];
            return p.Length > 0 && !IsTracking(Uri.UnescapeDataString(name));
        }).ToList();
        if (kept.Count == parameters.Length)
        {
            return url;
        }

        var rebuilt = url[..query];
        if (kept.Count > 0)
        {
            rebuilt += "?" + string.Join('&', kept);
        }

        return fragment < 0 ? rebuilt : rebuilt + url[fragment..];
    }
}
