using System.Text;

namespace FeedHub.Core.Processing;

/// <summary>
/// Turns parsed items into items ready to store: identity, sanitised HTML, plain-text titles, dates
/// in UTC with a first-seen fallback, tracking parameters stripped from links, and the keys storage
/// indexes them by (public id, duplicate keys, search text, tag keys).
/// </summary>
public sealed class ItemProcessor(HtmlCleaner cleaner)
{
    /// <summary>Dates before this are epoch-zero placeholders, not real publication dates.</summary>
    private static readonly DateTimeOffset EarliestPlausible = new(1995, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far in the future a date may be before it is treated as wrong (clock skew, time zones).</summary>
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    /// <summary>
    /// Raised when processing changes, so that stored items are processed again (their raw hashes no longer match).
    /// </summary>
    public const int ProcessingVersion = 1;

    /// <summary>Processes every item of a feed; duplicates within the document are resolved deterministically.</summary>
    /// <param name="feed">The parsed feed.</param>
    /// <param name="sourceId">The source it came from: part of each item's public id.</param>
    /// <param name="now">The time of this fetch: the fallback date for undated items.</param>
    /// <param name="warnings">Receives what was worked around (duplicates, bad dates).</param>
    public IReadOnlyList<ProcessedItem> Process(ParsedFeed feed, string sourceId, DateTimeOffset now, List<string>? warnings = null) =>
        [.. Identify(feed, warnings).Select(item => Process(item, feed, sourceId, now)).OfType<ProcessedItem>()];

    /// <summary>Processes one item; null when it carries nothing to publish (no title, link, id or text).</summary>
    public ProcessedItem? Process(ParsedItem item, ParsedFeed feed, string sourceId, DateTimeOffset now) =>
        Identify(item) is { } identified ? Process(identified, feed, sourceId, now) : null;

    /// <summary>
    /// The cheap first step: each item's identity and a hash of everything it says, without sanitising anything,
    /// so that items already stored unchanged can be skipped before the expensive step. Items with nothing to
    /// publish are dropped; duplicates within the document are resolved deterministically.
    /// </summary>
    public static IReadOnlyList<IdentifiedItem> Identify(ParsedFeed feed, List<string>? warnings = null)
    {
        var result = new List<IdentifiedItem>(feed.Items.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var firstLinkOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var item in feed.Items)
        {
            var identified = Identify(item);
            if (identified is null)
            {
                continue;
            }

            if (!seen.Add(identified.Identity))
            {
                // Two items with one guid: keep both when their links differ (a CMS reusing ids),
                // drop the repeat when they are the same article.
                var sameArticle = firstLinkOf.TryGetValue(identified.Identity, out var firstLink) && firstLink == identified.Link;
                var disambiguated = !sameArticle && identified.Link is not null && identified.ExternalId is not null
                    ? identified with { Identity = ItemIdentity.FromId(identified.ExternalId + "\n" + identified.Link) }
                    : null;
                if (disambiguated is null || !seen.Add(disambiguated.Identity))
                {
                    duplicates++;
                    continue;
                }

                identified = disambiguated;
            }
            else
            {
                firstLinkOf[identified.Identity] = identified.Link;
            }

            result.Add(identified);
        }

        if (duplicates > 0)
        {
            warnings?.Add($"{duplicates} duplicate item(s) in the feed were ignored");
        }

        return result;
    }

    private static IdentifiedItem? Identify(ParsedItem item)
    {
        var link = CleanLink(item.Link);
        var guid = Clean(item.Id);
        var title = item.Title is null ? null : Clean(TextCleaner.ToPlainText(item.Title));
        var text = NonBlank(item.Summary?.Value) ?? NonBlank(item.Content?.Value);
        if (title is null && link is null && guid is null && text is null)
        {
            return null;
        }

        var identity = guid is not null
            ? ItemIdentity.FromId(guid)
            : link is not null
                ? ItemIdentity.FromLink(link)
                : ItemIdentity.FromTitleAndDate(title, item.PublishedText ?? item.UpdatedText ?? text);
        return new IdentifiedItem(item, identity, guid, link, RawHash(item)) { Title = title };
    }

    /// <summary>The expensive step: sanitised HTML, plain-text title, dates; null when nothing is left to publish.</summary>
    public ProcessedItem? Process(IdentifiedItem identified, ParsedFeed feed, string sourceId, DateTimeOffset now)
    {
        var item = identified.Item;
        var baseUri = item.BaseUri ?? feed.BaseUri;

        // The parsers made links absolute against the document's base where they could. The identity keeps the link
        // as read (stored items keep theirs); only a web address is kept to publish (a file: source's relative
        // links resolved to file:///… paths, javascript:, data: ... are dropped).
        var link = PublicUrl.TryMakeSafe(identified.Link);
        var guid = identified.ExternalId;

        // xml:base on the summary or content element itself (or between it and the item) wins over the item's.
        var summaryHtml = CleanHtml(item.Summary, item.Summary?.BaseUri ?? baseUri);
        var contentHtml = CleanHtml(item.Content, item.Content?.BaseUri ?? baseUri);
        if (contentHtml is not null && summaryHtml is not null && contentHtml == summaryHtml)
        {
            summaryHtml = null;
        }

        var title = identified.Title ?? (item.Title is null ? null : Clean(TextCleaner.ToPlainText(item.Title)));
        if (title is null && link is null && guid is null && summaryHtml is null && contentHtml is null)
        {
            return null;
        }

        title ??= FallbackTitle(summaryHtml ?? contentHtml, link);

        var published = Plausible(item.Published, now) ?? Plausible(item.Updated, now);
        var updated = Plausible(item.Updated, now);
        var authors = item.Authors.Select(a => Clean(a.Name) ?? Clean(a.Email)).OfType<string>().Distinct().ToList();
        var tags = item.Categories.Select(c => Clean(c.Label ?? c.Term)).OfType<string>()
            .Select(TextCleaner.CollapseWhitespace).Distinct(StringComparer.Ordinal).ToList();
        var enclosures = item.Enclosures
            .Select(e => (Enclosure: e, Url: PublicUrl.TryMakeSafe(TextCleaner.StripInvalidXmlChars(e.Url))))
            .Where(e => e.Url is not null)
            .Select(e => e.Enclosure with { Url = e.Url!, Type = Clean(e.Enclosure.Type) })
            .DistinctBy(e => e.Url)
            .ToList();

        var entry = new ProcessedItem
        {
            Identity = identified.Identity,
            PublicId = string.Empty,
            ExternalId = guid,
            Link = link,
            Title = title,
            SummaryHtml = summaryHtml,
            ContentHtml = contentHtml,
            Authors = authors,
            Tags = tags,
            PublishedAt = published ?? now,
            PublishedIsFallback = published is null,
            UpdatedAt = updated,
            Enclosures = enclosures,
            Language = Clean(item.Language ?? feed.Language),
            ContentHash = string.Empty,
            RawHash = identified.RawHash,
        };
        return WithKeys(entry, sourceId) with { ContentHash = HashOf(entry) };
    }

    /// <summary>
    /// The values storage indexes an item by, computed from its fields: its public id (from its source and identity),
    /// its duplicate keys, its search text and its tag keys.
    /// </summary>
    public static ProcessedItem WithKeys(ProcessedItem item, string sourceId) => item with
    {
        PublicId = FeedIds.ForItem(sourceId, item.Identity),
        LinkKey = DuplicateKeys.ForLink(item.Link),
        GuidKey = DuplicateKeys.ForGuid(item.ExternalId),
        SearchText = TextCleaner.CollapseWhitespace(TextCleaner.HtmlToText((item.SummaryHtml ?? string.Empty) + " " + (item.ContentHtml ?? string.Empty))),
        TagKeys = [.. item.Tags.Select(CategoryKey.Normalize).Distinct()],
    };

    /// <summary>
    /// Hash of everything the item says as read (and of the processing version): equal raw hashes, equal entries,
    /// so an item whose raw hash is already stored needs no cleaning at all.
    /// </summary>
    private static string RawHash(ParsedItem item)
    {
        var builder = new StringBuilder(256 + (item.Content?.Value.Length ?? 0) + (item.Summary?.Value.Length ?? 0));
        builder.Append(ProcessingVersion).Append('\u0001').Append(item.Id).Append('\u0001').Append(item.IdIsPermalink).Append('\u0001')
            .Append(item.Link).Append('\u0001');
        AppendText(builder, item.Title);
        AppendText(builder, item.Summary);
        AppendText(builder, item.Content);
        foreach (var author in item.Authors)
        {
            builder.Append(author.Name).Append(' ').Append(author.Email).Append('\u0002');
        }

        builder.Append('\u0001');
        foreach (var category in item.Categories)
        {
            builder.Append(category.Term).Append(' ').Append(category.Label).Append('\u0002');
        }

        builder.Append('\u0001');
        foreach (var enclosure in item.Enclosures)
        {
            builder.Append(enclosure.Url).Append(' ').Append(enclosure.Type).Append(' ').Append(enclosure.Length).Append('\u0002');
        }

        builder.Append('\u0001').Append(item.PublishedText).Append('\u0001').Append(item.Published?.UtcTicks)
            .Append('\u0001').Append(item.UpdatedText).Append('\u0001').Append(item.Updated?.UtcTicks)
            .Append('\u0001').Append(item.Language).Append('\u0001').Append(item.BaseUri?.OriginalString);
        return ItemIdentity.Hash(builder.ToString());
    }

    private static void AppendText(StringBuilder builder, FeedText? text)
    {
        if (text is not null)
        {
            builder.Append((int)text.Kind).Append(' ').Append(text.BaseUri?.OriginalString).Append(' ').Append(text.Language).Append(' ').Append(text.Value);
        }

        builder.Append('\u0001');
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Hash of what readers see; the publication date only counts when the feed gave it.</summary>
    private static string HashOf(ProcessedItem entry)
    {
        var builder = new StringBuilder();
        builder.Append(entry.Title).Append('\u0001').Append(entry.Link).Append('\u0001')
            .Append(entry.SummaryHtml).Append('\u0001').Append(entry.ContentHtml).Append('\u0001')
            .AppendJoin('\u0002', entry.Authors).Append('\u0001').AppendJoin('\u0002', entry.Tags).Append('\u0001')
            .Append(entry.PublishedIsFallback ? string.Empty : entry.PublishedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Append('\u0001').Append(entry.UpdatedAt?.ToUnixTimeSeconds()).Append('\u0001').Append(entry.Language).Append('\u0001');
        foreach (var enclosure in entry.Enclosures)
        {
            builder.Append(enclosure.Url).Append(' ').Append(enclosure.Type).Append(' ').Append(enclosure.Length).Append('\u0002');
        }

        return ItemIdentity.Hash(builder.ToString());
    }

    private static DateTimeOffset? Plausible(DateTimeOffset? date, DateTimeOffset now) =>
        date is { } d && d >= EarliestPlausible && d <= now + FutureTolerance ? d.ToUniversalTime() : null;

    private string? CleanHtml(FeedText? text, Uri? baseUri)
    {
        if (text is null || string.IsNullOrWhiteSpace(text.Value))
        {
            return null;
        }

        var html = text.Kind == TextKind.Html
            ? cleaner.Clean(text.Value, baseUri)
            : TextCleaner.EscapeHtml(TextCleaner.StripInvalidXmlChars(text.Value.Trim())).Replace("\n", "<br>", StringComparison.Ordinal);
        return string.IsNullOrWhiteSpace(html) ? null : html;
    }

    private static string? CleanLink(string? link)
    {
        var cleaned = Clean(link);
        return cleaned is null ? null : TrackingParameters.Strip(cleaned);
    }

    private static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var cleaned = TextCleaner.StripInvalidXmlChars(value).Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }

    private static string FallbackTitle(string? html, string? link)
    {
        if (html is not null)
        {
            var text = TextCleaner.CollapseWhitespace(TextCleaner.HtmlToText(html));
            if (text.Length > 0)
            {
                return TextCleaner.Truncate(text, 80);
            }
        }

        return link ?? "(sans titre)";
    }
}
