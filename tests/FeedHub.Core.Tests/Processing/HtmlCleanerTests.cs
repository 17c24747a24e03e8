using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Processing;

public sealed class HtmlCleanerTests
{
    private static readonly HtmlCleaner Cleaner = new();
    private static readonly Uri Base = new("https://journal.example/dir/page.html");

    private static string Clean(string html, Uri? baseUri = null) => Cleaner.Clean(html, baseUri ?? Base);

    /// <summary>The cleaned output parsed back, to inspect elements and attributes rather than substrings.</summary>
    private static IDocument Parsed(string cleaned) => new HtmlParser().ParseDocument("<!DOCTYPE html><body>" + cleaned);

    private static IEnumerable<IElement> All(string cleaned) => Parsed(cleaned).Body!.QuerySelectorAll("*");

    // ------------------------------------------------------------------------------------------------
    // What must not survive
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("<p>avant<script>alert('x')</script>après</p>")]
    [InlineData("<p>avant<SCRIPT type=\"text/javascript\">alert('x')</SCRIPT>après</p>")]
    [InlineData("<p>avant<script src=\"https://evil.example/alert.js\"></script>après</p>")]
    [InlineData("<p>avant<noscript><img src=x onerror=alert('x')></noscript>après</p>")]
    [InlineData("<p>avant<template><script>alert('x')</script></template>après</p>")]
    [InlineData("<p>avant<!--[if IE]><script>alert('x')</script><![endif]-->après</p>")]
    public void RemovesScriptsWithTheirContent(string html)
    {
        var cleaned = Clean(html);

        Assert.Equal("<p>avantaprès</p>", cleaned);
    }

    [Theory]
    [InlineData("<p onclick=\"alert('x')\">texte</p>", "<p>texte</p>")]
    [InlineData("<img src=\"/i.png\" alt=\"i\" onerror=\"alert('x')\">", "<img src=\"https://journal.example/i.png\" alt=\"i\">")]
    [InlineData("<a href=\"/a\" onmouseover=\"alert('x')\" ONFOCUS=\"alert('x')\">lien</a>", "<a href=\"https://journal.example/a\" rel=\"noopener noreferrer\">lien</a>")]
    [InlineData("<div onload=\"alert('x')\" onanimationstart=\"alert('x')\">d</div>", "<div>d</div>")]
    public void RemovesEventHandlerAttributes(string html, string expected)
    {
        var cleaned = Clean(html);

        Assert.Equal(expected, cleaned);
        Assert.DoesNotContain(All(cleaned).SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("<a href=\"javascript:alert('x')\">lien</a>")]
    [InlineData("<a href=\"JaVaScRiPt:alert('x')\">lien</a>")]
    [InlineData("<a href=\" javascript:alert('x')\">lien</a>")]
    [InlineData("<a href=\"jav&#x09;ascript:alert('x')\">lien</a>")]
    [InlineData("<a href=\"&#106;avascript:alert('x')\">lien</a>")]
    [InlineData("<a href=\"vbscript:msgbox('x')\">lien</a>")]
    [InlineData("<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">lien</a>")]
    public void RemovesScriptAndDataUrlsFromLinks(string html)
    {
        var cleaned = Clean(html);

        var anchor = Assert.Single(All(cleaned));
        Assert.Equal("A", anchor.NodeName);
        Assert.False(anchor.HasAttribute("href"), cleaned);
        Assert.Equal("lien", anchor.TextContent);
    }

    [Theory]
    [InlineData("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"inline\">")]
    [InlineData("<img src=\"javascript:alert('x')\" alt=\"inline\">")]
    public void RemovesScriptAndDataUrlsFromImages(string html)
    {
        var cleaned = Clean(html);

        var image = Assert.Single(All(cleaned));
        Assert.False(image.HasAttribute("src"), cleaned);
        Assert.Equal("inline", image.GetAttribute("alt"));
    }

    [Theory]
    [InlineData("<iframe src=\"https://video.example/embed/1\">cadre</iframe>")]
    [InlineData("<frameset><frame src=\"https://evil.example/\"></frameset>")]
    [InlineData("<object data=\"movie.swf\"><param name=\"movie\" value=\"movie.swf\"><embed src=\"movie.swf\"></object>")]
    [InlineData("<embed src=\"movie.swf\" type=\"application/x-shockwave-flash\">")]
    [InlineData("<applet code=\"Evil.class\"></applet>")]
    [InlineData("<canvas>toile</canvas>")]
    public void RemovesEmbeddedContent(string html)
    {
        var cleaned = Clean("<p>début</p>" + html + "<p>fin</p>");

        Assert.Equal("<p>début</p><p>fin</p>", cleaned);
    }

    [Theory]
    [InlineData("<object data=\"movie.swf\" classid=\"clsid:D27CDB6E\"><param name=\"movie\" value=\"movie.swf\"><embed src=\"movie.swf\"><b>repli</b></object>")]
    [InlineData("<applet code=\"Evil.class\"><param name=\"x\" value=\"y\"><b>repli</b></applet>")]
    public void KeepsTheFallbackContentOfObjectsButNotThePlugin(string html)
    {
        // Browsers show an object's children when the plugin is missing: that fallback is ordinary (sanitised) HTML.
        var cleaned = Clean("<p>début</p>" + html + "<p>fin</p>");

        Assert.Equal("<p>début</p><b>repli</b><p>fin</p>", cleaned);
    }

    [Theory]
    [InlineData("<form action=\"https://evil.example/steal\" method=\"post\"><input name=\"password\" type=\"password\"><button>Envoyer</button></form>")]
    [InlineData("<input type=\"text\" value=\"valeur\">")]
    [InlineData("<textarea>zone</textarea>")]
    [InlineData("<select><option>choix</option></select>")]
    [InlineData("<button type=\"submit\">bouton</button>")]
    public void RemovesFormsAndInputs(string html)
    {
        var cleaned = Clean("<p>début</p>" + html + "<p>fin</p>");

        Assert.Equal("<p>début</p><p>fin</p>", cleaned);
    }

    [Theory]
    [InlineData("<style>p { background: url(https://tracker.example/p.gif) }</style><p>texte</p>", "<p>texte</p>")]
    [InlineData("<p style=\"position:fixed;top:0;left:0;width:100%;height:100%\">texte</p>", "<p style=\"width: 100%; height: 100%\">texte</p>")]
    [InlineData("<link rel=\"stylesheet\" href=\"https://evil.example/s.css\"><p>texte</p>", "<p>texte</p>")]
    [InlineData("<p class=\"big\" id=\"top\" data-track=\"1\">texte</p>", "<p>texte</p>")]
    public void RemovesStyleSheetsPositioningClassesAndIds(string html, string expected)
    {
        Assert.Equal(expected, Clean(html));
    }

    [Theory]
    [InlineData("<svg width=\"10\" height=\"10\"><script>alert('x')</script><text>dessin</text></svg>")]
    [InlineData("<svg><a xlink:href=\"javascript:alert('x')\"><circle r=\"5\"/></a></svg>")]
    [InlineData("<math><mi xlink:href=\"javascript:alert('x')\">x</mi></math>")]
    public void RemovesSvgAndMathWithTheirContent(string html)
    {
        var cleaned = Clean("<p>début</p>" + html + "<p>fin</p>");

        Assert.Equal("<p>début</p><p>fin</p>", cleaned);
    }

    [Fact]
    public void RemovesBaseAndItDoesNotRedirectRelativeUrls()
    {
        var cleaned = Clean("<base href=\"https://evil.example/\"><a href=\"/article\">lien</a>");

        Assert.Equal("<a href=\"https://journal.example/article\" rel=\"noopener noreferrer\">lien</a>", cleaned);
    }

    [Theory]
    [InlineData("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">")]
    [InlineData("<meta charset=\"koi8-r\">")]
    [InlineData("<title>titre</title>")]
    [InlineData("<head><title>titre</title></head>")]
    public void RemovesMetaAndHeadElements(string html)
    {
        Assert.Equal("<p>texte</p>", Clean(html + "<p>texte</p>"));
    }

    [Fact]
    public void RemovesComments()
    {
        Assert.Equal("<p>texte</p>", Clean("<!-- secret --><p>texte<!-- encore --></p>"));
    }

    [Theory]
    [InlineData("<p>a&#1;b</p>", "<p>ab</p>")]
    [InlineData("<p>a&#x1F;b</p>", "<p>ab</p>")]
    [InlineData("<p>a&#xFFFE;b&#xFFFF;c</p>", "<p>abc</p>")]
    [InlineData("<p>a\u0001b\u0008c\uFFFEd</p>", "<p>abcd</p>")]
    [InlineData("<p title=\"t&#2;t\">x</p>", "<p title=\"tt\">x</p>")]
    public void RemovesCharactersXmlCannotCarryEvenWhenWrittenAsReferences(string html, string expected)
    {
        Assert.Equal(expected, Clean(html));
    }

    // ------------------------------------------------------------------------------------------------
    // URLs
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("<a href=\"/racine\">x</a>", "href", "https://journal.example/racine")]
    [InlineData("<a href=\"voisin.html\">x</a>", "href", "https://journal.example/dir/voisin.html")]
    [InlineData("<a href=\"../haut\">x</a>", "href", "https://journal.example/haut")]
    [InlineData("<a href=\"//cdn.example/p\">x</a>", "href", "https://cdn.example/p")]
    [InlineData("<a href=\"#note-1\">x</a>", "href", "https://journal.example/dir/page.html#note-1")]
    [InlineData("<a href=\"?page=2\">x</a>", "href", "https://journal.example/dir/page.html?page=2")]
    [InlineData("<a href=\"https://autre.example/a\">x</a>", "href", "https://autre.example/a")]
    [InlineData("<a href=\"mailto:redaction@journal.example\">x</a>", "href", "mailto:redaction@journal.example")]
    [InlineData("<img src=\"images/photo.jpg\" alt=\"\">", "src", "https://journal.example/dir/images/photo.jpg")]
    [InlineData("<img srcset=\"/a.jpg 1x, /b.jpg 2x\" alt=\"\">", "srcset", "https://journal.example/a.jpg 1x, https://journal.example/b.jpg 2x")]
    [InlineData("<video poster=\"/p.jpg\" src=\"/v.mp4\"></video>", "poster", "https://journal.example/p.jpg")]
    [InlineData("<blockquote cite=\"/source\">c</blockquote>", "cite", "https://journal.example/source")]
    public void MakesRelativeUrlsAbsoluteAgainstTheBase(string html, string attribute, string expected)
    {
        var element = All(Clean(html)).First();

        Assert.Equal(expected, element.GetAttribute(attribute));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("file:///var/feeds/local.xml")]
    public void KeepsRelativeUrlsRelativeWithoutAnHttpBase(string? baseUrl)
    {
        var cleaned = Cleaner.Clean("<a href=\"/article?utm_source=rss\">x</a>", baseUrl is null ? null : new Uri(baseUrl));

        Assert.Equal("<a href=\"/article\" rel=\"noopener noreferrer\">x</a>", cleaned);
    }

    [Theory]
    [InlineData("https://journal.example/a?utm_source=rss&utm_medium=feed&id=3#suite", "https://journal.example/a?id=3#suite")]
    [InlineData("https://journal.example/a?fbclid=IwAR0abc", "https://journal.example/a")]
    [InlineData("/a?page=2&utm_campaign=x", "https://journal.example/a?page=2")]
    public void StripsTrackingParametersFromLinks(string href, string expected)
    {
        var anchor = All(Clean($"<a href=\"{href}\">x</a>")).Single();

        Assert.Equal(expected, anchor.GetAttribute("href"));
    }

    [Fact]
    public void StripsTrackingParametersFromImageSources()
    {
        var image = All(Clean("<img src=\"/photo.jpg?utm_source=rss&w=640\" alt=\"photo\">")).Single();

        Assert.Equal("https://journal.example/photo.jpg?w=640", image.GetAttribute("src"));
    }

    [Fact]
    public void MakesLinksOpenWithoutReferrer()
    {
        var anchor = All(Clean("<a href=\"https://autre.example/\" target=\"_blank\" rel=\"opener\">x</a>")).Single();

        Assert.Equal("noopener noreferrer", anchor.GetAttribute("rel"));
        Assert.False(anchor.HasAttribute("target"));
    }

    // ------------------------------------------------------------------------------------------------
    // Tracking pixels
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("<img src=\"https://cdn.example/p.gif\" width=\"1\" height=\"1\">")]
    [InlineData("<img src=\"https://cdn.example/p.gif\" width=\"1px\" height=\"1px\">")]
    [InlineData("<img src=\"https://cdn.example/p.gif\" width=\"0\" height=\"0\">")]
    [InlineData("<img src=\"https://cdn.example/p.gif\" width=1 height=1 alt=\"\">")]
    [InlineData("<img src=\"https://feeds.feedburner.com/~r/journal/~4/abc\">")]
    [InlineData("<img src=\"https://pixel.wp.com/b.gif?host=journal.example\" alt=\"\">")]
    [InlineData("<img src=\"https://stats.wordpress.com/b.gif\">")]
    [InlineData("<img src=\"https://www.google-analytics.com/collect?v=1\">")]
    [InlineData("<img src=\"https://sb.scorecardresearch.com/p?c1=2\">")]
    [InlineData("<img src=\"https://ad.doubleclick.net/ad/x\">")]
    public void RemovesTrackingPixels(string pixel)
    {
        Assert.Equal("<p>texte</p>", Clean("<p>texte" + pixel + "</p>"));
    }

    [Theory]
    [InlineData("<img src=\"https://cdn.example/photo.jpg\" alt=\"Une photo\">")]
    [InlineData("<img src=\"https://cdn.example/barre.png\" width=\"1\" height=\"300\">")]
    [InlineData("<img src=\"https://cdn.example/icone.png\" width=\"16\" height=\"16\">")]
    public void KeepsOrdinaryImages(string image)
    {
        var cleaned = Clean(image);

        Assert.Single(All(cleaned), e => e.NodeName == "IMG");
    }

    // ------------------------------------------------------------------------------------------------
    // What must survive
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("<p>Un <strong>paragraphe</strong> avec <em>emphase</em> et <code>code</code>.</p>")]
    [InlineData("<ul><li>un</li><li>deux</li></ul><ol start=\"3\"><li>trois</li></ol>")]
    [InlineData("<dl><dt>terme</dt><dd>définition</dd></dl>")]
    [InlineData("<table><caption>Résultats</caption><thead><tr><th scope=\"col\">Parti</th></tr></thead><tbody><tr><td colspan=\"2\">12 %</td></tr></tbody></table>")]
    [InlineData("<blockquote><p>Citation</p></blockquote>")]
    [InlineData("<h2>Titre</h2><p>Texte<br>suite</p><hr><pre>  espacé  </pre>")]
    [InlineData("<figure><img src=\"https://cdn.example/photo.jpg\" alt=\"Photo\" width=\"640\" height=\"480\"><figcaption>Légende</figcaption></figure>")]
    [InlineData("<p><abbr title=\"Organisation des Nations unies\">ONU</abbr> <time datetime=\"2026-11-26\">jeudi</time></p>")]
    public void KeepsOrdinaryMarkup(string html)
    {
        Assert.Equal(html, Clean(html));
    }

    [Fact]
    public void KeepsLinkHrefAndImageSourceAndAlt()
    {
        var cleaned = Clean("<p><a href=\"https://journal.example/a\" title=\"Lire\">Lire</a> <img src=\"https://cdn.example/p.jpg\" alt=\"Photo du jour\"></p>");

        Assert.Equal("<p><a href=\"https://journal.example/a\" title=\"Lire\" rel=\"noopener noreferrer\">Lire</a> <img src=\"https://cdn.example/p.jpg\" alt=\"Photo du jour\"></p>", cleaned);
    }

    [Theory]
    [InlineData("<p>L’été « chaud » à Paris — ça ira, Noël et cœur.</p>", "<p>L’été « chaud » à Paris — ça ira, Noël et cœur.</p>")]
    [InlineData("<p>L&rsquo;&eacute;t&eacute; &laquo;&nbsp;chaud&nbsp;&raquo; &agrave; Paris &mdash; &ccedil;a ira, No&euml;l et c&oelig;ur.</p>", "<p>L’été «&nbsp;chaud&nbsp;» à Paris — ça ira, Noël et cœur.</p>")]
    [InlineData("<p>5 &lt; 6 &amp;&amp; 7 &gt; 3</p>", "<p>5 &lt; 6 &amp;&amp; 7 &gt; 3</p>")]
    [InlineData("<p>Émoji 🇫🇷 et 𝔘𝔫𝔦𝔠𝔬𝔡𝔢</p>", "<p>Émoji 🇫🇷 et 𝔘𝔫𝔦𝔠𝔬𝔡𝔢</p>")]
    public void KeepsFrenchTextAndEntities(string html, string expected)
    {
        Assert.Equal(expected, Clean(html));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t")]
    public void ReturnsEmptyForBlankInput(string html)
    {
        Assert.Equal(string.Empty, Clean(html));
    }

    [Fact]
    public void SurvivesDeepNesting()
    {
        const int depth = 512;
        var html = string.Concat(Enumerable.Repeat("<div>", depth)) + "profond" + string.Concat(Enumerable.Repeat("</div>", depth));

        var cleaned = Clean(html);

        Assert.Contains("profond", cleaned, StringComparison.Ordinal);
        Assert.StartsWith("<div><div>", cleaned, StringComparison.Ordinal);
        Assert.Equal(depth, Parsed(cleaned).Body!.QuerySelectorAll("div").Length);
    }

    [Fact]
    public void SurvivesPathologicalUnclosedNesting()
    {
        var html = string.Concat(Enumerable.Repeat("<div><span><b>", 1200)) + "fond";

        var cleaned = Clean(html);

        Assert.Contains("fond", cleaned, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", cleaned, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GivesTheSameResultFromManyThreads()
    {
        const string html = "<p onclick=\"x()\">Bonjour <a href=\"/a?utm_source=x\">lien</a><img src=\"/p.gif\" width=\"1\" height=\"1\"><script>x</script></p>";
        var expected = Clean(html);

        var results = new string[64];
        Parallel.For(0, results.Length, i => results[i] = Clean(html));

        Assert.All(results, r => Assert.Equal(expected, r));
        Assert.Equal("<p>Bonjour <a href=\"https://journal.example/a\" rel=\"noopener noreferrer\">lien</a></p>", expected);
    }

    [Fact]
    public void CleansARealisticWordPressArticle()
    {
        var html = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Html", "wordpress-feedburner-article.html"));

        var cleaned = Cleaner.Clean(html, new Uri("https://journal.example/2026/11/26/budget/"));
        var body = Parsed(cleaned).Body!;

        Assert.Empty(body.QuerySelectorAll("script, form, input, button, iframe, style"));
        Assert.DoesNotContain(body.QuerySelectorAll("*").SelectMany(e => e.Attributes), a => a.Name is "class" or "onclick");
        Assert.Equal(["font-family: Georgia"], body.QuerySelectorAll("[style]").Select(e => e.GetAttribute("style")));
        Assert.Equal(["https://journal.example/wp-content/uploads/2026/11/conseil.jpg"], body.QuerySelectorAll("img").Select(i => i.GetAttribute("src")));
        Assert.Equal(
            "https://journal.example/wp-content/uploads/2026/11/conseil.jpg 1024w, https://journal.example/wp-content/uploads/2026/11/conseil-300x200.jpg 300w",
            body.QuerySelector("img")!.GetAttribute("srcset"));
        Assert.Equal(
            ["https://journal.example/2026/11/20/ecoles/", "https://journal.example/2026/11/26/budget/", "https://journal.example"],
            body.QuerySelectorAll("a").Take(3).Select(a => a.GetAttribute("href")));
        Assert.Contains("12,4\u00A0millions d’euros", body.TextContent, StringComparison.Ordinal);
        Assert.Contains("« Un budget de raison », selon la maire.", body.QuerySelector("blockquote")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Écoles : 4,1 M€", "Voirie : 2,8 M€"], body.QuerySelectorAll("li").Select(li => li.TextContent));
        Assert.DoesNotContain("evil.example", cleaned, StringComparison.Ordinal);
        Assert.DoesNotContain("Partager", cleaned, StringComparison.Ordinal);
    }
}
