using System.Text;
using FeedHub.Core.Model;
using FeedHub.Core.Parsing;
using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Processing;

/// <summary>
/// No markup, however deep, may end the process (a stack overflow cannot be caught): every place where markup
/// arrives is fed 10,000, 18,700 (the depth that crashed FeedHub) and 100,000 levels of nesting, as real XML elements
/// and as escaped HTML, and must come out parsed, cleaned and bounded. The documents are generated here, not stored.
/// </summary>
public sealed class DeepMarkupTests
{
    private static readonly Uri DocumentUri = new("https://deep.example/feed.xml");
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ItemProcessor Processor = new(new HtmlCleaner());

    public static TheoryData<int> Depths => [10_000, 18_700, 100_000];

    /// <summary>"&lt;b&gt;" repeated, the text, then the closing tags: real nesting <paramref name="depth"/> deep.</summary>
    private static string Nested(int depth, string element, string text, string attributes = "")
    {
        var builder = new StringBuilder(depth * ((2 * element.Length) + attributes.Length + 6) + text.Length);
        for (var i = 0; i < depth; i++)
        {
            builder.Append('<').Append(element).Append(attributes).Append('>');
        }

        builder.Append(text);
        for (var i = 0; i < depth; i++)
        {
            builder.Append("</").Append(element).Append('>');
        }

        return builder.ToString();
    }

    private static string Escaped(string markup) => System.Net.WebUtility.HtmlEncode(markup);

    private static string Rss(string item) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
        <title>Profondeurs</title><link>https://deep.example/</link><description>d</description>
        <item><title>Avant</title><link>https://deep.example/before</link><description>rien de spécial</description></item>
        {item}
        <item><title>Après</title><link>https://deep.example/after</link><description>toujours là</description></item>
        </channel></rss>
        """;

    private static string Atom(string entryBody) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Profondeurs</title><id>urn:deep</id><updated>2029-12-01T00:00:00Z</updated>
        <entry><id>urn:before</id><title>Avant</title><updated>2029-12-01T00:00:00Z</updated><summary>rien</summary></entry>
        <entry><id>urn:deep:1</id><updated>2029-12-01T00:00:00Z</updated>{entryBody}</entry>
        <entry><id>urn:after</id><title>Après</title><updated>2029-12-01T00:00:00Z</updated><summary>toujours là</summary></entry>
        </feed>
        """;

    /// <summary>Parses and cleans the document; the deep item and its neighbours must all come out.</summary>
    private static (ParsedFeed Feed, ProcessedItem Deep) ParseAndProcess(string text, string deepIdentity)
    {
        var feed = FeedParser.ParseText(text, DocumentUri);
        var entries = Processor.Process(feed, "src", Now);
        Assert.Equal(3, entries.Count);
        Assert.Equal("Avant", entries[0].Title);
        Assert.Equal("Après", entries[2].Title);
        var deep = entries[1];
        Assert.True(deep.Link == deepIdentity || deep.ExternalId == deepIdentity);
        AssertBounded(deep.SummaryHtml);
        AssertBounded(deep.ContentHtml);
        Assert.True(deep.Title.Length < 1_000, "a title stays short");
        return (feed, deep);
    }

    /// <summary>The cleaned HTML nests no deeper than the HTML budget (counted without a parser).</summary>
    private static void AssertBounded(string? html)
    {
        if (html is null)
        {
            return;
        }

        var depth = 0;
        var max = 0;
        for (var i = html.IndexOf('<', StringComparison.Ordinal); i >= 0; i = html.IndexOf('<', i + 1))
        {
            var end = html.IndexOf('>', i);
            if (end < 0)
            {
                break;
            }

            if (html[i + 1] == '/')
            {
                depth--;
            }
            else if (html[end - 1] != '/' && !html.AsSpan(i + 1).StartsWith("br", StringComparison.Ordinal)
                && !html.AsSpan(i + 1).StartsWith("img", StringComparison.Ordinal) && !html.AsSpan(i + 1).StartsWith("hr", StringComparison.Ordinal))
            {
                max = Math.Max(max, ++depth);
            }
        }

        Assert.InRange(max, 0, MarkupBudget.MaxDepth);
    }

    // ------------------------------------------------------------------------------------------------
    // RSS
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Depths))]
    public void An_rss_description_of_deeply_nested_elements_is_parsed_cleaned_and_bounded(int depth)
    {
        var text = Rss($"<item><title>Profond</title><link>https://deep.example/1</link><description>{Nested(depth, "div", "tout au fond")}</description></item>");

        var (feed, deep) = ParseAndProcess(text, "https://deep.example/1");

        Assert.Contains("tout au fond", deep.SummaryHtml, StringComparison.Ordinal);
        Assert.Contains(feed.Warnings, w => w.Contains("nested deeper than", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void An_rss_title_of_deeply_nested_elements_becomes_its_plain_text(int depth)
    {
        var text = Rss($"<item><title>{Nested(depth, "b", "titre profond")}</title><link>https://deep.example/1</link></item>");

        var (_, deep) = ParseAndProcess(text, "https://deep.example/1");

        Assert.Equal("titre profond", deep.Title);
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void Rss_content_encoded_of_deeply_nested_elements_is_parsed_cleaned_and_bounded(int depth)
    {
        var text = Rss($"<item><title>Profond</title><link>https://deep.example/1</link><content:encoded>{Nested(depth, "span", "tout au fond")}</content:encoded></item>");

        var (_, deep) = ParseAndProcess(text, "https://deep.example/1");

        Assert.Contains("tout au fond", deep.ContentHtml, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void An_rss_description_of_deeply_nested_escaped_html_is_degraded_to_its_text(int depth)
    {
        var text = Rss($"<item><title>{Escaped(Nested(depth, "i", "titre"))}</title><link>https://deep.example/1</link><description>{Escaped(Nested(depth, "div", "tout au fond"))}</description></item>");

        var (_, deep) = ParseAndProcess(text, "https://deep.example/1");

        Assert.Equal("titre", deep.Title);
        Assert.StartsWith("<p>" + HtmlCleaner.DegradedMarker + "</p>", deep.SummaryHtml, StringComparison.Ordinal);
        Assert.Contains("tout au fond", deep.SummaryHtml, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void Deeply_nested_elements_keep_their_markup_down_to_the_cap_and_their_text_below(int depth)
    {
        var text = Rss($"<item><title>Profond</title><link>https://deep.example/1</link><description>{Nested(depth, "blockquote", "mot", " title=\"t\"")}</description></item>");

        var (_, deep) = ParseAndProcess(text, "https://deep.example/1");

        // rss, channel, item and description use four levels of the cap; the quotes below them keep their markup.
        var kept = XmlFeedLoader.MaxDepth - 4;
        Assert.StartsWith(string.Concat(Enumerable.Repeat("<blockquote title=\"t\">", kept)) + " mot", deep.SummaryHtml, StringComparison.Ordinal);
        Assert.Contains("mot", deep.SummaryHtml, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------------------------------------
    // Atom
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Depths))]
    public void Atom_xhtml_title_summary_and_content_of_deeply_nested_elements_are_parsed_cleaned_and_bounded(int depth)
    {
        const string Xhtml = "http://www.w3.org/1999/xhtml";
        var text = Atom(
            $"""<title type="xhtml"><div xmlns="{Xhtml}">{Nested(depth, "em", "titre")}</div></title>"""
            + $"""<summary type="xhtml"><div xmlns="{Xhtml}">{Nested(depth, "div", "résumé profond")}</div></summary>"""
            + $"""<content type="xhtml"><div xmlns="{Xhtml}">{Nested(depth, "blockquote", "contenu profond")}</div></content>""");

        var (feed, deep) = ParseAndProcess(text, "urn:deep:1");

        Assert.Equal("titre", deep.Title);
        Assert.Contains("résumé profond", deep.SummaryHtml, StringComparison.Ordinal);
        Assert.Contains("contenu profond", deep.ContentHtml, StringComparison.Ordinal);
        Assert.Contains(feed.Warnings, w => w.Contains("nested deeper than", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void Atom_html_title_summary_and_content_of_deeply_nested_escaped_markup_are_degraded_to_their_text(int depth)
    {
        var text = Atom(
            $"""<title type="html">{Escaped(Nested(depth, "em", "titre"))}</title>"""
            + $"""<summary type="html">{Escaped(Nested(depth, "div", "résumé profond"))}</summary>"""
            + $"""<content type="html">{Escaped(Nested(depth, "table", "contenu profond"))}</content>""");

        var (_, deep) = ParseAndProcess(text, "urn:deep:1");

        Assert.Equal("titre", deep.Title);
        Assert.Contains("résumé profond", deep.SummaryHtml, StringComparison.Ordinal);
        Assert.StartsWith("<p>" + HtmlCleaner.DegradedMarker + "</p>", deep.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("contenu profond", deep.ContentHtml, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void Atom_html_content_written_as_real_elements_is_parsed_cleaned_and_bounded(int depth)
    {
        var text = Atom($"""<title>Profond</title><content type="html">{Nested(depth, "section", "contenu profond")}</content>""");

        var (_, deep) = ParseAndProcess(text, "urn:deep:1");

        Assert.Contains("contenu profond", deep.ContentHtml, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void A_document_broken_below_deeply_nested_elements_is_salvaged_without_recursion(int depth)
    {
        // Not well-formed (the deep item is never closed): the lenient pass builds the tree itself.
        var text = $"""
            <rss version="2.0"><channel><title>t</title>
            <item><title>Avant</title><link>https://deep.example/before</link></item>
            <item><title>Profond</title><link>https://deep.example/1</link><description>{Nested(depth, "div", "fond")[..(depth * 5)]}
            """;

        var feed = FeedParser.ParseText(text, DocumentUri);

        Assert.True(feed.Recovered);
        Assert.Equal("Avant", Processor.Process(feed, "src", Now)[0].Title);
    }

    // ------------------------------------------------------------------------------------------------
    // JSON Feed
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Depths))]
    public void Json_feed_content_html_of_deep_markup_is_degraded_to_its_text(int depth)
    {
        var html = System.Text.Json.JsonSerializer.Serialize(Nested(depth, "div", "tout au fond"));
        var text = $$"""
            {"version":"https://jsonfeed.org/version/1.1","title":"Profondeurs","items":[
              {"id":"before","title":"Avant","content_text":"rien"},
              {"id":"deep","title":"Profond","content_html":{{html}}},
              {"id":"after","title":"Après","content_text":"toujours là"}]}
            """;

        var (_, deep) = ParseAndProcess(text, "deep");

        Assert.StartsWith("<p>" + HtmlCleaner.DegradedMarker + "</p>", deep.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("tout au fond", deep.ContentHtml, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void Json_nested_deeper_than_the_json_limit_is_a_parse_error_not_a_crash(int depth)
    {
        var arrays = new string('[', depth) + new string(']', depth);
        var objects = new StringBuilder().Insert(0, "{\"a\":", depth).Append('1').Append('}', depth).ToString();

        foreach (var deepValue in new[] { arrays, objects })
        {
            var text = $$"""{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":"t","_ext":{{deepValue}}}]}""";

            var error = Assert.Throws<FeedParseException>(() => FeedParser.ParseText(text, DocumentUri));

            Assert.Contains("depth", error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("div")]
    [InlineData("b")]
    [InlineData("a href=\"https://deep.example/\"")]
    [InlineData("font color=\"red\"")]
    [InlineData("table")]
    [InlineData("ul")]
    [InlineData("li")]
    [InlineData("svg")]
    [InlineData("math")]
    [InlineData("object")]
    [InlineData("template")]
    [InlineData("select")]
    [InlineData("blockquote style=\"color: red\"")]
    public void Html_of_any_element_nested_100000_deep_is_cleaned_without_recursion(string element)
    {
        var name = element.Split(' ')[0];
        var html = string.Concat(Enumerable.Repeat($"<{element}>", 100_000)) + "fond" + string.Concat(Enumerable.Repeat($"</{name}>", 100_000));

        var cleaned = new HtmlCleaner().Clean(html, DocumentUri);

        // Most come out as their text; li closes the li before it, so 100,000 of them are a flat list, kept.
        AssertBounded(cleaned);
        Assert.Contains("fond", cleaned, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------------------------------------
    // CSS and attributes
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Depths))]
    public void Deeply_nested_css_in_a_style_attribute_or_element_is_dropped_before_it_is_parsed(int depth)
    {
        var cleaner = new HtmlCleaner();
        foreach (var (open, close) in new[] { ("calc(", ")"), ("(", ")"), ("[", "]"), ("{", "}"), ("var(--a,", ")"), ("calc(&#40;", "&#41;)") })
        {
            var css = "width: " + string.Concat(Enumerable.Repeat(open, depth)) + "1px" + string.Concat(Enumerable.Repeat(close, depth));
            foreach (var html in new[]
            {
                $"<p style=\"color: red; {css}\">texte</p>",
                $"<p style='{css}'>texte</p>",
                $"<p style={css.Replace(" ", string.Empty, StringComparison.Ordinal)}>texte</p>",
                $"<style>p {{ {css} }}</style><p>texte</p>",
            })
            {
                var cleaned = cleaner.Clean(html, DocumentUri);

                Assert.Contains("texte", cleaned, StringComparison.Ordinal);
                Assert.True(cleaned.Length < 1_000, $"{open}: the deep style is not kept");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void A_long_flat_style_is_cleaned(int length)
    {
        var html = "<p style=\"margin: " + string.Concat(Enumerable.Repeat("1px ", length)) + "; font-family: " + string.Join(", ", Enumerable.Repeat("a", length)) + "\">texte</p>";

        var cleaned = new HtmlCleaner().Clean(html, DocumentUri);

        Assert.Contains("texte", cleaned, StringComparison.Ordinal);
    }

    [Fact]
    public void Styles_that_nest_a_little_are_kept()
    {
        var cleaned = new HtmlCleaner().Clean("<p style=\"color: rgb(1, 2, 3); font-family: &quot;Georgia&quot;\">texte</p>", DocumentUri);

        Assert.Contains("font-family: &quot;Georgia&quot;", cleaned, StringComparison.Ordinal);
        Assert.Contains("color: rgba(1, 2, 3, 1)", cleaned, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------------------------------------
    // OPML
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Depths))]
    public void Opml_outlines_nested_deep_are_read_without_recursion_and_keep_a_bounded_folder_path(int depth)
    {
        var builder = new StringBuilder("<opml version=\"2.0\"><body>");
        for (var i = 0; i < depth; i++)
        {
            builder.Append("<outline text=\"d").Append(i).Append("\" xmlUrl=\"https://deep.example/").Append(i).Append("\">");
        }

        builder.Append(new StringBuilder().Insert(0, "</outline>", depth)).Append("<outline text=\"après\" xmlUrl=\"https://after.example/\"/></body></opml>");

        var feeds = OpmlReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(builder.ToString())));

        Assert.Equal(depth + 1, feeds.Count);
        Assert.Equal("https://after.example/", feeds[^1].Url);
        Assert.Equal(["d0", "d1"], feeds[2].Folders);
        Assert.All(feeds, f => Assert.InRange(f.Folders.Count, 0, OpmlReader.MaxFolderDepth));
    }
}
