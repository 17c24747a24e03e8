using System.Net;
using System.Text.RegularExpressions;
using FeedHub.Core.Model;
using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Conformance;

/// <summary>
/// Presents FeedHub's result in the shape of feedparser's result dictionary, for the keys FeedHub keeps.
/// </summary>
/// <remarks>
/// Mapping decisions (feedparser sanitises HTML and resolves relative URIs; FeedHub does both in ItemProcessor):
/// <list type="bullet">
/// <item>Entries are run through <see cref="ItemProcessor"/> one by one (so indexes stay aligned): summary,
/// description and content are the sanitised HTML of <see cref="ProcessedItem"/>, compared as normalised markup
/// (<see cref="HtmlNormalizer"/>: AngleSharp on both sides, attributes sorted, white space collapsed). When the
/// feed gave plain text, feedparser's value is that text, so the expected string is escaped before comparing.</item>
/// <item>Titles: an entry's title is <see cref="ItemContent.Title"/> (plain text), a feed's the text of its
/// <see cref="FeedText"/>. When the title is HTML and the expected value holds markup or an entity reference, the
/// title's sanitised HTML is compared as markup instead (see <see cref="TitleValue"/>).</item>
/// <item>As in feedparser: description = summary (entries) or subtitle (feed), tagline = subtitle, copyright =
/// rights, guid = id, url = href, category = tags[0].term; an entry without a summary gets its content as summary;
/// updated answers published when there is no updated date.</item>
/// <item>*_detail: type is text/plain or text/html (XHTML is kept as HTML, so application/xhtml+xml matches
/// text/html); language and base are the text construct's own (<see cref="FeedText.Language"/>,
/// <see cref="FeedText.BaseUri"/>).</item>
/// <item>RSS items have no link list in FeedHub: links is the item link (alternate, text/html) followed by the
/// enclosures (rel enclosure).</item>
/// <item>author: FeedHub keeps the parsed person; feedparser's string is accepted in any of its spellings.</item>
/// <item>bozo is <see cref="ParsedFeed.Recovered"/>; version maps Format and Version to feedparser's names.</item>
/// <item>Any other key (itunes_*, where, media_*, psc_*, image, textinput, cloud, publisher, entry rights, source
/// fields beyond title/id/link ...) is not kept by FeedHub: the case is not applicable.</item>
/// </list>
/// </remarks>
internal static partial class FeedparserView
{
    private static readonly HtmlCleaner Cleaner = new();
    private static readonly ItemProcessor Processor = new(Cleaner);
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly HashSet<string> FeedKeys = new(StringComparer.Ordinal)
    {
        "title", "title_detail", "subtitle", "subtitle_detail", "tagline", "tagline_detail", "description", "description_detail",
        "rights", "rights_detail", "copyright", "copyright_detail", "link", "links", "id", "guid", "language", "generator",
        "updated_parsed", "author", "author_detail", "authors", "tags", "category",
    };

    private static readonly HashSet<string> EntryKeys = new(StringComparer.Ordinal)
    {
        "title", "title_detail", "link", "links", "id", "guid", "guidislink", "published", "published_parsed", "updated",
        "updated_parsed", "summary", "summary_detail", "description", "description_detail", "content", "author",
        "author_detail", "authors", "contributors", "tags", "category", "enclosures", "source", "language",
    };

    private static readonly HashSet<string> DetailKeys = new(StringComparer.Ordinal) { "value", "type", "language", "base" };
    private static readonly HashSet<string> PersonKeys = new(StringComparer.Ordinal) { "name", "email", "href", "url" };
    private static readonly HashSet<string> LinkKeys = new(StringComparer.Ordinal) { "href", "rel", "type", "length", "title" };
    private static readonly HashSet<string> TagKeys = new(StringComparer.Ordinal) { "term", "scheme", "label" };
    private static readonly HashSet<string> EnclosureKeys = new(StringComparer.Ordinal) { "href", "url", "type", "length" };
    private static readonly HashSet<string> SourceKeys = new(StringComparer.Ordinal) { "title", "id", "href", "link" };

    private static readonly HashSet<string> AllKeys =
        [.. FeedKeys, .. EntryKeys, .. DetailKeys, .. PersonKeys, .. LinkKeys, .. TagKeys, .. EnclosureKeys, .. SourceKeys];

    /// <summary>
    /// The first key an expectation subscripts that FeedHub keeps nowhere (madeup_element, itunes_block ...), or null.
    /// Such a case is not applicable even when Python would have failed earlier (an empty entries list).
    /// </summary>
    public static string? UnkeptKey(string expect)
    {
        var keys = SubscriptKey().Matches(expect).Select(m => m.Groups[1].Value)
            .Concat(AttributeKey().Matches(StringLiteral().Replace(expect, "''")).Select(m => m.Groups[1].Value));
        return keys.FirstOrDefault(key => !AllKeys.Contains(key));
    }

    /// <summary>Resolves the top-level names of an expectation.</summary>
    public static Func<string, object?> Names(ParsedFeed feed)
    {
        var feedObject = new Lazy<FeedparserObject>(() => Feed(feed));
        var entries = new Lazy<List<object?>>(() => [.. feed.Items.Select((item, i) => (object?)Entry(item, feed, i))]);
        return name => name switch
        {
            "bozo" => feed.Recovered,
            "feed" => feedObject.Value,
            "entries" => entries.Value,
            "version" => Version(feed),
            _ => throw new NotApplicableException($"'{name}' not kept"),
        };
    }

    private static AnyOfValue Version(ParsedFeed feed) => feed.Format switch
    {
        FeedFormat.Atom or FeedFormat.AtomEntry => new([feed.Version == "0.3" ? "atom03" : "atom10"]),
        FeedFormat.Rdf => new([feed.Version == "0.90" ? "rss090" : "rss10"]),
        FeedFormat.JsonFeed => new(["json1"]),
        _ => feed.Version switch
        {
            { } v when v.StartsWith('2') => new(["rss20"]),
            "0.91" => new(["rss091u", "rss091n"]),
            "0.92" => new(["rss092"]),
            "0.93" => new(["rss093"]),
            "0.94" => new(["rss094"]),
            _ => new(["rss"]),
        },
    };

    private static FeedparserObject Feed(ParsedFeed feed)
    {
        var o = new FeedparserObject("feed", FeedKeys);
        var baseUri = feed.BaseUri;
        Text(o, "title", feed.Title, null, feed.Language, baseUri);
        foreach (var key in new[] { "subtitle", "tagline", "description" })
        {
            Text(o, key, feed.Subtitle, null, feed.Language, baseUri);
        }

        foreach (var key in new[] { "rights", "copyright" })
        {
            Text(o, key, feed.Rights, null, feed.Language, baseUri);
        }

        SetIf(o, "link", feed.Link);
        var links = feed.Links.Count > 0 ? feed.Links.Select(Link).ToList<object?>() : feed.Link is null ? null : [Link(new FeedLink(feed.Link, "alternate", "text/html"))];
        SetIf(o, "links", links);
        SetIf(o, "id", feed.Id);
        SetIf(o, "guid", feed.Id);
        SetIf(o, "language", feed.Language);
        SetIf(o, "generator", feed.Generator);
        SetIf(o, "updated_parsed", feed.Updated is { } updated ? new DateValue(updated) : null);
        People(o, feed.Authors, null);
        Tags(o, feed.Categories);
        return o;
    }

    private static FeedparserObject Entry(ParsedItem item, ParsedFeed feed, int index)
    {
        var o = new FeedparserObject($"entries[{index}]", EntryKeys);
        var entry = Processor.Process(item, feed, "src", Now);
        var baseUri = item.BaseUri ?? feed.BaseUri;
        var language = item.Language ?? feed.Language;
        Text(o, "title", item.Title, entry?.Title, language, baseUri);
        SetIf(o, "link", entry?.Link);
        SetIf(o, "id", item.Id);
        SetIf(o, "guid", item.Id);
        o.Set("guidislink", item.Id is not null && item.IdIsPermalink && item.Link == item.Id);
        SetIf(o, "published", item.PublishedText);
        SetIf(o, "published_parsed", item.Published is { } published ? new DateValue(published) : null);
        // feedparser's dictionary answers 'updated' with 'published' when there is no updated date.
        SetIf(o, "updated", item.UpdatedText ?? item.PublishedText);
        SetIf(o, "updated_parsed", (item.Updated ?? item.Published) is { } updated ? new DateValue(updated) : null);
        SetIf(o, "language", item.Language);

        // feedparser copies text or HTML content to the summary when there is none. ItemProcessor drops a summary
        // that equals the content; feedparser keeps both.
        if ((item.Summary ?? item.Content) is { } summaryText)
        {
            var summary = new HtmlValue(
                (item.Summary is null ? null : entry?.SummaryHtml) ?? entry?.ContentHtml ?? string.Empty,
                summaryText.Kind == TextKind.Text,
                summaryText.Value);
            foreach (var key in new[] { "summary", "description" })
            {
                o.Set(key, summary);
                o.Set(key + "_detail", Detail(key, summary, summaryText, baseUri));
            }
        }

        if (item.Content is not null)
        {
            var content = new HtmlValue(entry?.ContentHtml ?? string.Empty, item.Content.Kind == TextKind.Text, item.Content.Value);
            o.Set("content", new List<object?> { Detail("content[0]", content, item.Content, baseUri) });
        }

        var links = item.Links.Count > 0
            ? item.Links.Select(Link).ToList<object?>()
            : [.. (item.Link is null ? [] : new[] { Link(new FeedLink(item.Link, "alternate", "text/html")) }),
                .. item.Enclosures.Select(e => Link(new FeedLink(e.Url, "enclosure", e.Type, e.Length)))];
        if (links.Count > 0)
        {
            o.Set("links", links);
        }

        People(o, item.Authors, item.Contributors);
        Tags(o, item.Categories);
        if (item.Enclosures.Count > 0)
        {
            o.Set("enclosures", item.Enclosures.Select(e => (object?)Enclosure(e)).ToList());
        }

        if (item.Source is { } source)
        {
            var s = new FeedparserObject($"entries[{index}]['source']", SourceKeys);
            SetIf(s, "title", source.Title);
            SetIf(s, "id", source.Id);
            SetIf(s, "href", source.Url);
            SetIf(s, "link", source.Url);
            o.Set("source", s);
        }

        return o;
    }

    private static void Text(FeedparserObject o, string key, FeedText? text, string? plain, string? language, Uri? baseUri)
    {
        if (text is null)
        {
            return;
        }

        var isHtml = text.Kind == TextKind.Html;
        var html = isHtml ? Cleaner.Clean(text.Value, text.BaseUri ?? baseUri) : WebUtility.HtmlEncode(text.Value);
        // A feed title is not processed by ItemProcessor: its plain text is the value itself (tags dropped from HTML).
        object value = key == "title"
            ? new TitleValue(plain ?? (isHtml ? TextCleaner.HtmlToText(text.Value) : text.Value), html, isHtml)
            : new HtmlValue(html, !isHtml, text.Value);
        o.Set(key, value);
        o.Set(key + "_detail", Detail(key, value, text, baseUri));
    }

    /// <summary>A *_detail dictionary: language and base are the text construct's own when the reader set them.</summary>
    private static FeedparserObject Detail(string path, object value, FeedText text, Uri? baseUri)
    {
        var detail = new FeedparserObject(path + "_detail", DetailKeys)
            .Set("value", value)
            .Set("type", new TypeValue(text.Kind == TextKind.Html))
            .Set("language", text.Language);
        SetIf(detail, "base", (text.BaseUri ?? baseUri)?.AbsoluteUri);
        return detail;
    }

    private static FeedparserObject Link(FeedLink link)
    {
        var o = new FeedparserObject("link", LinkKeys).Set("href", link.Href).Set("rel", link.Rel);
        SetIf(o, "type", link.Type);
        SetIf(o, "length", link.Length);
        SetIf(o, "title", link.Title);
        return o;
    }

    private static FeedparserObject Enclosure(FeedEnclosure enclosure)
    {
        var o = new FeedparserObject("enclosure", EnclosureKeys).Set("href", enclosure.Url).Set("url", enclosure.Url);
        SetIf(o, "type", enclosure.Type);
        SetIf(o, "length", enclosure.Length);
        return o;
    }

    private static void People(FeedparserObject o, IReadOnlyList<FeedPerson> authors, IReadOnlyList<FeedPerson>? contributors)
    {
        if (authors.Count > 0)
        {
            var first = authors[0];
            o.Set("author", new AnyOfValue(AuthorSpellings(first)));
            o.Set("author_detail", Person(first));
            o.Set("authors", authors.Select(a => (object?)Person(a)).ToList());
        }

        if (contributors is { Count: > 0 })
        {
            o.Set("contributors", contributors.Select(a => (object?)Person(a)).ToList());
        }
    }

    private static List<string> AuthorSpellings(FeedPerson person)
    {
        var spellings = new List<string>();
        if (person.Name is not null && person.Email is not null)
        {
            spellings.Add($"{person.Name} ({person.Email})");
            spellings.Add($"{person.Email} ({person.Name})");
            spellings.Add($"{person.Name} <{person.Email}>");
        }

        if (person.Name is not null)
        {
            spellings.Add(person.Name);
        }

        if (person.Email is not null)
        {
            spellings.Add(person.Email);
        }

        if (spellings.Count == 0 && person.Uri is not null)
        {
            spellings.Add(person.Uri);
        }

        return spellings;
    }

    private static FeedparserObject Person(FeedPerson person)
    {
        var o = new FeedparserObject("person", PersonKeys);
        SetIf(o, "name", person.Name);
        SetIf(o, "email", person.Email);
        SetIf(o, "href", person.Uri);
        SetIf(o, "url", person.Uri);
        return o;
    }

    private static void Tags(FeedparserObject o, IReadOnlyList<FeedCategory> categories)
    {
        if (categories.Count == 0)
        {
            return;
        }

        o.Set("tags", categories.Select(c => (object?)new FeedparserObject("tag", TagKeys).Set("term", c.Term).Set("scheme", c.Scheme).Set("label", c.Label)).ToList());
        o.Set("category", categories[0].Term);
    }

    private static void SetIf(FeedparserObject o, string key, object? value)
    {
        if (value is not null)
        {
            o.Set(key, value);
        }
    }

    [GeneratedRegex(@"\[\s*u?'([A-Za-z_-]+)'\s*\]")]
    private static partial Regex SubscriptKey();

    [GeneratedRegex(@"(?:\]|\bfeed|\bentries)\s*\.([A-Za-z_]+)\b(?!\s*\()")]
    private static partial Regex AttributeKey();

    [GeneratedRegex(@"'(?:[^'\\]|\\.)*'|""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();
}
