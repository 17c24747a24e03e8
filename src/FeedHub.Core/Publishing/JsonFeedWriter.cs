using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FeedHub.Core.Publishing;

/// <summary>
/// Writes JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): the same items, ids and dates as the
/// RSS and Atom writers, WebSub hubs, next_url for paging, and FeedHub's provenance in the
/// <c>_feedhub</c> extension object (custom keys start with an underscore, as the spec asks).
/// </summary>
public static class JsonFeedWriter
{
    public const string MediaType = "application/feed+json";

    public const string Version = "https://jsonfeed.org/version/1.1";

    private static readonly JsonWriterOptions Options = new()
    {
        // Accents and typographic quotes stay readable; the document is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static byte[] Write(PublishedFeed feed)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("version", Version);
            json.WriteString("title", feed.Title);
            json.WriteString("home_page_url", feed.HomeUrl.AbsoluteUri);
            json.WriteString("feed_url", feed.SelfUrl.AbsoluteUri);
            WriteIfPresent(json, "description", feed.Description);
            WriteIfPresent(json, "language", feed.Language);
            if (feed.NextUrl is { } next)
            {
                json.WriteString("next_url", next.AbsoluteUri);
            }

            json.WriteStartArray("authors");
            json.WriteStartObject();
            json.WriteString("name", feed.Generator);
            json.WriteEndObject();
            json.WriteEndArray();

            if (feed.Hubs.Count > 0)
            {
                json.WriteStartArray("hubs");
                foreach (var hub in feed.Hubs)
                {
                    json.WriteStartObject();
                    json.WriteString("type", "WebSub");
                    json.WriteString("url", hub.AbsoluteUri);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteStartArray("items");
            foreach (var item in feed.Items)
            {
                WriteItem(json, item);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteItem(Utf8JsonWriter json, PublishedItem item)
    {
        json.WriteStartObject();
        json.WriteString("id", item.Id);
        if (PublicUrl.TryMakeSafeUri(item.Link) is { } link)
        {
            json.WriteString("url", link.AbsoluteUri);
        }

        json.WriteString("title", item.Title);

        // JSON Feed requires content_html or content_text: the full text, else the summary, else nothing but an empty text.
        var html = item.ContentHtml ?? item.SummaryHtml;
        if (html is not null)
        {
            json.WriteString("content_html", html);
        }
        else
        {
            json.WriteString("content_text", string.Empty);
        }

        if (item.SummaryHtml is not null)
        {
            // summary is plain text in JSON Feed.
            var summary = TextCleaner.CollapseWhitespace(TextCleaner.HtmlToText(item.SummaryHtml));
            if (summary.Length > 0)
            {
                json.WriteString("summary", summary);
            }
        }

        json.WriteString("date_published", Rfc3339(item.Published));
        json.WriteString("date_modified", Rfc3339(FeedWriterBase.Updated(item)));

        if (item.Authors.Count > 0)
        {
            json.WriteStartArray("authors");
            foreach (var author in item.Authors)
            {
                json.WriteStartObject();
                json.WriteString("name", author);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (item.Categories.Count > 0)
        {
            json.WriteStartArray("tags");
            foreach (var tag in item.Categories)
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
        }

        WriteIfPresent(json, "language", item.Language);

        var attachments = item.Enclosures.Select(e => (Enclosure: e, Url: PublicUrl.TryMakeSafeUri(e.Url))).Where(e => e.Url is not null).ToList();
        if (attachments.Count > 0)
        {
            json.WriteStartArray("attachments");
            foreach (var (enclosure, url) in attachments)
            {
                json.WriteStartObject();
                json.WriteString("url", url!.AbsoluteUri);
                json.WriteString("mime_type", string.IsNullOrWhiteSpace(enclosure.Type) ? "application/octet-stream" : enclosure.Type);
                if (enclosure.Length is > 0 and var length)
                {
                    json.WriteNumber("size_in_bytes", length);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (item.Source is { } source)
        {
            json.WriteStartObject("_feedhub");
            json.WritePropertyName("source");
            WriteSource(json, source);
            json.WriteStartArray("sources");
            WriteSource(json, source);
            foreach (var other in item.AlsoFrom)
            {
                WriteSource(json, other);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteSource(Utf8JsonWriter json, PublishedSource source)
    {
        json.WriteStartObject();
        json.WriteString("id", FeedIds.ForFeed("source\n" + source.Id));
        json.WriteString("title", source.Title);
        if (PublicUrl.TryMakeSafeUri(source.Url) is { } url)
        {
            json.WriteString("feed_url", url.AbsoluteUri);
        }

        if (PublicUrl.TryMakeSafeUri(source.HomePage) is { } home)
        {
            json.WriteString("home_page_url", home.AbsoluteUri);
        }

        json.WriteEndObject();
    }

    private static void WriteIfPresent(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>RFC 3339 in UTC with a 'Z', as JSON Feed asks.</summary>
    public static string Rfc3339(DateTimeOffset date) =>
        date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
