using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;

namespace FeedHub.Core.Publishing;

/// <summary>Shared pieces of the XML writers: settings and the SyndicationFeed skeleton.</summary>
internal static class FeedWriterBase
{
    public static XmlWriterSettings Settings { get; } = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
        CloseOutput = false,
    };

    public static byte[] Render(Action<XmlWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, Settings))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    public static SyndicationLink Link(Uri uri, string relationship, string? mediaType, string? title = null) =>
        new(uri, relationship, title, mediaType, 0);

    /// <summary>
    /// The feed with every string made writable as XML. Processing already strips what XML cannot carry;
    /// this is defence in depth, because one bad stored string would otherwise make XmlWriter throw and
    /// take the whole category feed down, not just the item.
    /// </summary>
    public static PublishedFeed XmlSafe(PublishedFeed feed) => feed with
    {
        Title = Safe(feed.Title),
        Description = SafeOrNull(feed.Description),
        Language = SafeOrNull(feed.Language),
        Generator = Safe(feed.Generator),
        Items = feed.Items.Select(XmlSafe).ToList(),
    };

    /// <summary>When the item last changed; its publication date when no update time was given.</summary>
    public static DateTimeOffset Updated(PublishedItem item) => item.Updated == default ? item.Published : item.Updated;

    private static PublishedItem XmlSafe(PublishedItem item) => item with
    {
        Id = Safe(item.Id),
        Title = Safe(item.Title),
        Link = SafeOrNull(item.Link),
        SummaryHtml = SafeOrNull(item.SummaryHtml),
        ContentHtml = SafeOrNull(item.ContentHtml),
        Authors = item.Authors.Select(Safe).ToList(),
        Categories = item.Categories.Select(Safe).ToList(),
        Enclosures = item.Enclosures.Select(e => e with { Url = Safe(e.Url), Type = SafeOrNull(e.Type) }).ToList(),
        Language = SafeOrNull(item.Language),
        Source = item.Source is { } source ? XmlSafe(source) : null,
        AlsoFrom = [.. item.AlsoFrom.Select(XmlSafe)],
    };

    private static PublishedSource XmlSafe(PublishedSource source) =>
        new(Safe(source.Id), Safe(source.Title), SafeOrNull(source.Url), SafeOrNull(source.HomePage)) { Updated = source.Updated };

    private static string Safe(string value) => TextCleaner.StripInvalidXmlChars(value);

    private static string? SafeOrNull(string? value) => value is null ? null : TextCleaner.StripInvalidXmlChars(value);
}
