using System.Text;
using System.Xml.Linq;
using FeedHub.Core.Model;
using FeedHub.Core.Publishing;

namespace FeedHub.Core.Tests.Publishing;

/// <summary>A category feed with the awkward cases the writers must handle.</summary>
internal static class SampleFeeds
{
    public static readonly DateTimeOffset Updated = new(2026, 11, 26, 16, 45, 0, TimeSpan.Zero);

    /// <summary>HTML with French text, entities, a CDATA terminator and markup-like text.</summary>
    public const string TrickyHtml = "<p>L’été « chaud » &amp; <a href=\"https://journal.example/a?x=1&amp;y=2\">la suite</a></p><pre>if (a[b[0]]&gt;c) { x = \"]]&gt;\"; }</pre><p>]]> en clair, et ]]]]>> doublé</p>";

    public static PublishedItem First { get; } = new()
    {
        Id = FeedIds.ForItem("lemonde", "g:abc"),
        Title = "Réforme des retraites : « le débat continue » & après ?",
        Link = "https://journal.example/2026/11/26/reforme?id=1&page=2",
        SummaryHtml = "<p>Résumé de l’article.</p>",
        ContentHtml = TrickyHtml,
        Authors = ["Jean Dupont", "Marie-Hélène Lefèvre"],
        Categories = ["Société", "Politique"],
        Published = new DateTimeOffset(2026, 11, 26, 14, 30, 0, TimeSpan.Zero),
        Updated = new DateTimeOffset(2026, 11, 26, 15, 0, 0, TimeSpan.Zero),
        Enclosures =
        [
            new FeedEnclosure("https://cdn.journal.example/podcast/ep12.mp3", "audio/mpeg", 12_345_678),
            new FeedEnclosure("https://cdn.journal.example/img/une.jpg", "image/jpeg", null),
        ],
        Language = "fr",
        Source = new PublishedSource("lemonde", "Le Journal — À la une", "https://journal.example/rss/une.xml", "https://journal.example/"),
    };

    /// <summary>Content only, no link, no author, a date in a non-UTC zone.</summary>
    public static PublishedItem Second { get; } = new()
    {
        Id = FeedIds.ForItem("blog", "l:xyz"),
        Title = "Billet du matin",
        ContentHtml = "<p>Un billet sans lien ni auteur.</p>",
        Published = new DateTimeOffset(2026, 11, 26, 9, 5, 7, TimeSpan.FromHours(1)),
        Updated = new DateTimeOffset(2026, 11, 26, 9, 5, 7, TimeSpan.FromHours(1)),
    };

    /// <summary>Summary only, a title with markup characters.</summary>
    public static PublishedItem Third { get; } = new()
    {
        Id = FeedIds.ForItem("blog", "t:123"),
        Title = "<script> & \"guillemets\" 'simples'",
        Link = "https://blog.example/billet-2",
        SummaryHtml = "<p>Seulement un résumé.</p>",
        Authors = ["Zoé"],
        Published = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Updated = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    public static PublishedFeed Feed(Uri selfUrl) => new()
    {
        Title = "FeedHub — Société",
        Description = "Société, économie & cœur de l’actualité",
        Id = FeedIds.ForFeed("societe"),
        SelfUrl = selfUrl,
        HomeUrl = new Uri("https://hub.example/"),
        Language = "fr",
        Updated = Updated,
        Items = [First, Second, Third],
    };

    /// <summary>A feed of one item, for the edge cases.</summary>
    public static PublishedFeed With(PublishedItem item, Uri selfUrl) => Feed(selfUrl) with { Items = [item] };

    /// <summary>Text XML 1.0 cannot carry: controls, a non-character and a lone surrogate.</summary>
    public const string Unwritable = "\u0001\u0008\uFFFE\uD83D";

    public static XDocument Load(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return XDocument.Load(stream);
    }

    public static void AssertUtf8WithoutBom(byte[] bytes)
    {
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte order mark");
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        Assert.Contains("Société", strict.GetString(bytes), StringComparison.Ordinal);
    }
}
