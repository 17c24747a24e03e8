using System.Text.Json;

namespace FeedHub.Core.Parsing;

/// <summary>Adapts JSON Feed 1.0 and 1.1 documents to the feed model.</summary>
internal static class JsonFeedReader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64,
    };

    public static ParsedFeed Read(string text, Uri? documentBase, List<string> warnings)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
        }
        catch (JsonException e)
        {
            throw new FeedParseException($"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            var version = root.ValueKind == JsonValueKind.Object ? String(root, "version") : null;
            if (version is null || !version.Contains("jsonfeed.org", StringComparison.OrdinalIgnoreCase))
            {
                throw new FeedParseException("JSON document is not a JSON Feed (no jsonfeed.org version)") { NotAFeed = true };
            }

            var homePage = String(root, "home_page_url");
            var baseUri = XmlText.ResolveUri(homePage, documentBase) ?? documentBase;
            var language = String(root, "language");
            var feedAuthors = Authors(root);
            var items = new List<ParsedItem>();
            if (root.TryGetProperty("items", out var itemArray) && itemArray.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in itemArray.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        items.Add(ReadItem(item, baseUri, language, feedAuthors));
                    }
                }
            }

            return new ParsedFeed
            {
                Format = FeedFormat.JsonFeed,
                Version = version.EndsWith("1.1", StringComparison.Ordinal) ? "1.1" : "1.0",
                Title = String(root, "title") is { } title ? FeedText.Plain(title) : null,
                Subtitle = String(root, "description") is { } description ? FeedText.Plain(description) : null,
                Link = XmlText.ResolveLink(homePage, documentBase),
                SelfLink = XmlText.ResolveLink(String(root, "feed_url"), documentBase),
                Language = language,
                ImageUrl = XmlText.ResolveLink(String(root, "icon") ?? String(root, "favicon"), baseUri),
                Authors = feedAuthors,
                BaseUri = baseUri,
                Items = items,
                Warnings = warnings,
            };
        }
    }

    private static ParsedItem ReadItem(JsonElement item, Uri? baseUri, string? feedLanguage, List<FeedPerson> feedAuthors)
    {
        var id = item.TryGetProperty("id", out var idElement)
            ? idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                _ => null,
            }
            : null;
        var html = String(item, "content_html");
        var text = String(item, "content_text");
        var published = String(item, "date_published");
        var modified = String(item, "date_modified");
        var authors = Authors(item);

        var tags = new List<FeedCategory>();
        if (item.TryGetProperty("tags", out var tagArray) && tagArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var tag in tagArray.EnumerateArray())
            {
                if (tag.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(tag.GetString()))
                {
                    tags.Add(new FeedCategory(tag.GetString()!.Trim()));
                }
            }
        }

        var enclosures = new List<FeedEnclosure>();
        if (item.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array)
        {
            foreach (var attachment in attachments.EnumerateArray())
            {
                var url = attachment.ValueKind == JsonValueKind.Object ? XmlText.ResolveLink(String(attachment, "url"), baseUri) : null;
                if (url is not null)
                {
                    long? size = attachment.TryGetProperty("size_in_bytes", out var s) && s.TryGetInt64(out var n) && n >= 0 ? n : null;
                    enclosures.Add(new FeedEnclosure(url, String(attachment, "mime_type"), size));
                }
            }
        }

        return new ParsedItem
        {
            Id = string.IsNullOrWhiteSpace(id) ? null : id.Trim(),
            Link = XmlText.ResolveLink(String(item, "url") ?? String(item, "external_url"), baseUri),
            Title = String(item, "title") is { } title ? FeedText.Plain(title) : null,
            Summary = String(item, "summary") is { } summary ? FeedText.Plain(summary) : null,
            Content = html is not null ? FeedText.Html(html) : text is not null ? FeedText.Plain(text) : null,
            Authors = authors.Count > 0 ? authors : feedAuthors,
            Categories = tags,
            Enclosures = enclosures,
            PublishedText = published,
            Published = FeedDateParser.Parse(published),
            UpdatedText = modified,
            Updated = FeedDateParser.Parse(modified),
            Language = String(item, "language") ?? feedLanguage,
            BaseUri = baseUri,
        };
    }

    private static List<FeedPerson> Authors(JsonElement parent)
    {
        var people = new List<FeedPerson>();
        if (parent.TryGetProperty("authors", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var author in array.EnumerateArray())
            {
                AddPerson(author, people);
            }
        }
        else if (parent.TryGetProperty("author", out var single))
        {
            AddPerson(single, people);
        }

        return people;
    }

    private static void AddPerson(JsonElement author, List<FeedPerson> people)
    {
        if (author.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var name = String(author, "name");
        var url = String(author, "url");
        if (name is not null || url is not null)
        {
            people.Add(new FeedPerson(name, null, url));
        }
    }

    private static string? String(JsonElement parent, string property) =>
        parent.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!.Trim()
            : null;
}
