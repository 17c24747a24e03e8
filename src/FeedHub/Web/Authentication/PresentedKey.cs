using System.Text;

namespace FeedHub.Web.Authentication;

/// <summary>
/// A key as a request presents it. The one rule of every FeedHub endpoint: <c>?key=KEY</c> (for feed readers that
/// cannot set headers), else <c>Authorization: Bearer KEY</c>, else the password of <c>Authorization: Basic</c>
/// (any user name: what a browser sends after its prompt). An empty <c>?key=</c> is a key, and a wrong one.
/// </summary>
public sealed class PresentedKey
{
    /// <summary>The query parameter that carries a key.</summary>
    public const string QueryParameter = "key";

    private PresentedKey(string value, bool inQuery)
    {
        Value = value;
        InQuery = inQuery;
    }

    /// <summary>The key itself: compare it by its hash, never log it.</summary>
    public string Value { get; }

    /// <summary>The key came as ?key= (the reader needs it in the URLs it is given back).</summary>
    public bool InQuery { get; }

    /// <summary>
    /// The key of the request, or null when it presents none. A key found is kept on the request (a feature): the
    /// reader gate, the authentication handler and the feed's access decision each ask, and it is read once.
    /// </summary>
    public static PresentedKey? From(HttpRequest request)
    {
        var features = request.HttpContext.Features;
        if (features.Get<PresentedKey>() is { } known)
        {
            return known;
        }

        var key = Read(request);
        if (key is not null)
        {
            features.Set(key);
        }

        return key;
    }

    private static PresentedKey? Read(HttpRequest request)
    {
        if (request.Query.TryGetValue(QueryParameter, out var query) && query.Count > 0)
        {
            return new PresentedKey(query[0] ?? string.Empty, inQuery: true);
        }

        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return new PresentedKey(header["Bearer ".Length..].Trim(), inQuery: false);
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? null : new PresentedKey(decoded[(colon + 1)..], inQuery: false);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Never the key: a presented key must not reach a log line by accident.</summary>
    public override string ToString() => InQuery ? "key (in the query)" : "key (in Authorization)";
}
