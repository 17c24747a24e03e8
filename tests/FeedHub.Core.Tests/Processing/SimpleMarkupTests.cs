using System.Text;
using FeedHub.Core.Processing;

namespace FeedHub.Core.Tests.Processing;

/// <summary>
/// The sanitiser's fast path may only recognise markup whose DOM result it knows: what it accepts it must write
/// exactly as the DOM sanitiser does, and anything unusual or hostile must go to the DOM path (null).
/// </summary>
public sealed class SimpleMarkupTests
{
    private static readonly HtmlCleaner Cleaner = new();
    private const string Base = "https://journal.example/dir/page.html";

    [Theory]
    [InlineData("<p>Un paragraphe, avec des accents : été, Noël.</p>")]
    [InlineData("<p>Un <strong>mot</strong> et un <em>autre</em>, <a href=\"https://journal.example/a?x=1&amp;y=2\">un lien</a>.</p>")]
    [InlineData("<p>Lien <a href=\"https://journal.example/a?utm_source=rss&amp;id=3\" title=\"t\" class=\"c\">suivi</a></p>")]
    [InlineData("<ul><li>un</li><li>deux <b>gras</b></li></ul><ol start=\"3\"><li>trois</li></ol>")]
    [InlineData("<blockquote><p>Citation &laquo;&nbsp;ici&nbsp;&raquo; &amp; là &#233;&#x263A;</p></blockquote>")]
    [InlineData("<h2>Titre</h2><p>AT & T, 3 > 2</p><hr><p>fin<br>ligne<br/></p>")]
    [InlineData("<figure><img src=\"https://img.example/a.jpg\" alt=\"une image\" width=\"640\" height=\"480\"><figcaption>Légende</figcaption></figure>")]
    [InlineData("<div data-id=\"7\" aria-label=\"x\" id=\"y\"><p>Attributs abandonnés</p></div>")]
    public void Writes_common_markup_exactly_as_the_dom_sanitiser_does(string html)
    {
        var fast = SimpleMarkup.TryClean(html);

        Assert.NotNull(fast);
        Assert.Equal(Cleaner.CleanWithDom(html, Base), fast.Trim());
    }

    [Theory]
    [InlineData("<p><a href=\"javascript:alert(1)\">x</a></p>")]
    [InlineData("<p><a href=\"https://ok.example/\" onclick=\"alert(1)\">x</a></p>")]
    [InlineData("<p><a href=\"https://ok.example/&quot; onmouseover=&quot;alert(1)\">x</a></p>")]
    [InlineData("<p><a href=\"/relative\">x</a></p>")]
    [InlineData("<p><a href=\"mailto:a@b.example\">x</a></p>")]
    [InlineData("<p style=\"color:red\">x</p>")]
    [InlineData("<p>x<script>alert(1)</script></p>")]
    [InlineData("<p>x<iframe src=\"https://evil.example/\"></iframe></p>")]
    [InlineData("<svg><script>alert(1)</script></svg>")]
    [InlineData("<img src=\"https://img.example/a.jpg\" srcset=\"javascript:alert(1) 1x\">")]
    [InlineData("<img src=\"https://pixel.example/p.gif\" width=\"1\" height=\"1\">")]
    [InlineData("<p>unclosed <b>bold</p>")]
    [InlineData("<p>a block <div>inside</div> a paragraph</p>")]
    [InlineData("<p>a comment <!-- here --></p>")]
    [InlineData("<P>upper case</P>")]
    [InlineData("<p>an unknown entity &foo;</p>")]
    [InlineData("<p title='x' title='y'>duplicate attribute</p>")]
    [InlineData("<p>a carriage\r\nreturn</p>")]
    public void Leaves_unusual_or_hostile_markup_to_the_dom_sanitiser(string html)
    {
        Assert.Null(SimpleMarkup.TryClean(html));
    }

    [Fact]
    public void Leaves_a_tag_with_more_attributes_than_it_reads_to_the_dom_sanitiser()
    {
        var attributes = new StringBuilder();
        for (var i = 0; i < SimpleMarkup.MaxAttributes + 1; i++)
        {
            attributes.Append(" data-a").Append((char)('a' + (i % 26))).Append((char)('a' + (i / 26))).Append("=\"v\"");
        }

        var within = "<p" + string.Concat(attributes.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(SimpleMarkup.MaxAttributes).Select(a => " " + a)) + ">x</p>";
        var beyond = "<p" + attributes + ">x</p>";

        Assert.Equal("<p>x</p>", SimpleMarkup.TryClean(within));
        Assert.Null(SimpleMarkup.TryClean(beyond));
        Assert.Equal("<p>x</p>", Cleaner.Clean(beyond, new Uri(Base)));
    }
}
