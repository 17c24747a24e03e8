using System.ServiceModel.Syndication;

namespace FeedHub.Core.Publishing;

/// <summary>
/// Writes Atom 1.0 with System.ServiceModel.Syndication, setting what its formatter would otherwise
/// invent (random ids, "now" as updated): stable ids, real dates, author names, rel="self", and the
/// right type on text constructs.
/// </summary>
public static class AtomWriter
{
    public const string MediaType = "application/atom+xml";

    public static byte[] Write(PublishedFeed feed)
    {
        feed = FeedWriterBase.XmlSafe(feed);

        // Atom10FeedFormatter writes the current time for an unset (default) updated date: never let it.
        var updated = feed.Updated != default
            ? feed.Updated
            : feed.Items.Select(FeedWriterBase.Updated).DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();
        var syndication = new SyndicationFeed
        {
            Id = feed.Id,
            Title = new TextSyndicationContent(feed.Title),
            LastUpdatedTime = updated,
            Language = feed.Language,
            Generator = feed.Generator,
        };
        if (feed.Description is not null)
        {
            syndication.Description = new TextSyndicationContent(feed.Description);
        }

        syndication.Links.Add(FeedWriterBase.Link(feed.SelfUrl, "self", MediaType));
        syndication.Links.Add(FeedWriterBase.Link(feed.HomeUrl, "alternate", "text/html"));
        foreach (var hub in feed.Hubs)
        {
            syndication.Links.Add(FeedWriterBase.Link(hub, "hub", null));
        }

        if (feed.FirstUrl is { } first)
        {
            syndication.Links.Add(FeedWriterBase.Link(first, "first", MediaType));
        }

        if (feed.NextUrl is { } next)
        {
            syndication.Links.Add(FeedWriterBase.Link(next, "next", MediaType));
        }

        // Entries without an author inherit the feed's: the validator requires one or the other.
        syndication.Authors.Add(new SyndicationPerson { Name = feed.Generator });
        syndication.Items = feed.Items.Select(ToEntry).ToList();

        var formatter = new Atom10FeedFormatter(syndication);
        return FeedWriterBase.Render(formatter.WriteTo);
    }

    private static SyndicationItem ToEntry(PublishedItem item)
    {
        var entry = new SyndicationItem
        {
            Id = item.Id,
            Title = new TextSyndicationContent(item.Title, TextSyndicationContentKind.Plaintext),
            PublishDate = item.Published,
            LastUpdatedTime = FeedWriterBase.Updated(item),
        };

        var hasAlternate = false;
        if (PublicUrl.TryMakeSafeUri(item.Link) is { } link)
        {
            entry.Links.Add(FeedWriterBase.Link(link, "alternate", "text/html"));
            hasAlternate = true;
        }

        // RFC 4287 §4.1.1: an entry without an alternate link must have content. Such an entry carries
        // its summary (or, lacking everything, empty text) as content rather than being invalid.
        var content = item.ContentHtml;
        var summary = item.SummaryHtml;
        if (content is null && !hasAlternate)
        {
            content = summary ?? string.Empty;
            summary = null;
        }

        if (content is not null)
        {
            entry.Content = new TextSyndicationContent(content, TextSyndicationContentKind.Html);
        }

        if (summary is not null)
        {
            entry.Summary = new TextSyndicationContent(summary, TextSyndicationContentKind.Html);
        }

        foreach (var author in item.Authors)
        {
            entry.Authors.Add(new SyndicationPerson { Name = author });
        }

        foreach (var category in item.Categories)
        {
            entry.Categories.Add(new SyndicationCategory(category));
        }

        foreach (var enclosure in item.Enclosures)
        {
            if (PublicUrl.TryMakeSafeUri(enclosure.Url) is { } url)
            {
                entry.Links.Add(new SyndicationLink(url, "enclosure", null, enclosure.Type, enclosure.Length ?? 0));
            }
        }

        if (item.Source is { } source)
        {
            var origin = new SyndicationFeed
            {
                Id = FeedIds.ForFeed("source\n" + source.Id),
                Title = new TextSyndicationContent(source.Title),
                LastUpdatedTime = source.Updated ?? item.Updated,
            };
            if (PublicUrl.TryMakeSafeUri(source.Url) is { } self)
            {
                origin.Links.Add(FeedWriterBase.Link(self, "self", null));
            }

            if (PublicUrl.TryMakeSafeUri(source.HomePage) is { } home)
            {
                origin.Links.Add(FeedWriterBase.Link(home, "alternate", "text/html"));
            }

            entry.SourceFeed = origin;
        }

        // Atom allows one <source>; the other sources of a cross-source duplicate are rel="via" links.
        foreach (var other in item.AlsoFrom)
        {
            if (PublicUrl.TryMakeSafeUri(other.Url) is { } via)
            {
                entry.Links.Add(FeedWriterBase.Link(via, "via", null, other.Title));
            }
        }

        return entry;
    }
}
