using System.Globalization;
using System.Text.Json;

namespace FeedHub.Core.Tests.Publishing;

/// <summary>
/// The JSON Feed 1.1 field rules (https://www.jsonfeed.org/version/1.1/), checked on a document: what
/// a strict reader would reject. Shared by the writer's unit tests and the host's tests.
/// </summary>
public static class JsonFeedRules
{
    /// <summary>Every rule the document breaks, as "path: problem"; empty when it is valid.</summary>
    public static List<string> Violations(JsonElement feed)
    {
        var problems = new List<string>();
        if (feed.ValueKind != JsonValueKind.Object)
        {
            return ["$: the top level is not an object"];
        }

        if (Text(feed, "version") != "https://jsonfeed.org/version/1.1")
        {
            problems.Add("$.version: not https://jsonfeed.org/version/1.1");
        }

        if (string.IsNullOrEmpty(Text(feed, "title")))
        {
            problems.Add("$.title: required string missing");
        }

        foreach (var url in new[] { "home_page_url", "feed_url", "next_url", "icon", "favicon" })
        {
            CheckUrl(feed, url, "$", problems);
        }

        CheckAuthors(feed, "$", problems);
        if (feed.TryGetProperty("hubs", out var hubs))
        {
            foreach (var (hub, i) in hubs.EnumerateArray().Select((h, i) => (h, i)))
            {
                if (string.IsNullOrEmpty(Text(hub, "type")) || !IsAbsoluteUrl(Text(hub, "url")))
                {
                    problems.Add($"$.hubs[{i}]: needs a type and an absolute url");
                }
            }
        }

        if (!feed.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            problems.Add("$.items: required array missing");
            return problems;
        }

        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            CheckItem(item, $"$.items[{index++}]", problems);
        }

        return problems;
    }

    private static void CheckItem(JsonElement item, string path, List<string> problems)
    {
        if (!item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString()!.Length == 0)
        {
            problems.Add($"{path}.id: required non-empty string missing");
        }

        if (!item.TryGetProperty("content_html", out _) && !item.TryGetProperty("content_text", out _))
        {
            problems.Add($"{path}: neither content_html nor content_text");
        }

        foreach (var name in new[] { "content_html", "content_text", "summary", "title", "language" })
        {
            if (item.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                problems.Add($"{path}.{name}: not a string");
            }
        }

        CheckUrl(item, "url", path, problems);
        CheckUrl(item, "external_url", path, problems);
        foreach (var name in new[] { "date_published", "date_modified" })
        {
            if (item.TryGetProperty(name, out var date) && !IsRfc3339(date.GetString()))
            {
                problems.Add($"{path}.{name}: '{date}' is not an RFC 3339 date-time");
            }
        }

        CheckAuthors(item, path, problems);
        if (item.TryGetProperty("tags", out var tags) && tags.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
        {
            problems.Add($"{path}.tags: not an array of strings");
        }

        if (item.TryGetProperty("attachments", out var attachments))
        {
            var i = 0;
            foreach (var attachment in attachments.EnumerateArray())
            {
                if (!IsAbsoluteUrl(Text(attachment, "url")) || string.IsNullOrEmpty(Text(attachment, "mime_type")))
                {
                    problems.Add($"{path}.attachments[{i}]: url and mime_type are required");
                }

                if (attachment.TryGetProperty("size_in_bytes", out var size) && size.ValueKind != JsonValueKind.Number)
                {
                    problems.Add($"{path}.attachments[{i}].size_in_bytes: not a number");
                }

                i++;
            }
        }

        foreach (var property in item.EnumerateObject())
        {
            if (!Known.Contains(property.Name) && !property.Name.StartsWith('_'))
            {
                problems.Add($"{path}.{property.Name}: not a JSON Feed field (extensions start with '_')");
            }
        }
    }

    private static readonly HashSet<string> Known =
    [
        "id", "url", "external_url", "title", "content_html", "content_text", "summary", "image", "banner_image",
        "date_published", "date_modified", "authors", "author", "tags", "language", "attachments",
    ];

    private static void CheckAuthors(JsonElement element, string path, List<string> problems)
    {
        if (!element.TryGetProperty("authors", out var authors))
        {
            return;
        }

        if (authors.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{path}.authors: not an array");
            return;
        }

        foreach (var author in authors.EnumerateArray())
        {
            if (author.ValueKind != JsonValueKind.Object || (Text(author, "name") is null && Text(author, "url") is null && Text(author, "avatar") is null))
            {
                problems.Add($"{path}.authors: an author must be an object with name, url or avatar");
            }
        }
    }

    private static void CheckUrl(JsonElement element, string name, string path, List<string> problems)
    {
        if (element.TryGetProperty(name, out var value) && !IsAbsoluteUrl(value.ValueKind == JsonValueKind.String ? value.GetString() : null))
        {
            problems.Add($"{path}.{name}: not an absolute URL");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsAbsoluteUrl(string? value) => value is not null && Uri.TryCreate(value, UriKind.Absolute, out _);

    private static bool IsRfc3339(string? value) =>
        value is not null && value.Length >= 20 && value[10] == 'T'
        && DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
