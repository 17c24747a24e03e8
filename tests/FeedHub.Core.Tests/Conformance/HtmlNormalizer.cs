using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace FeedHub.Core.Tests.Conformance;

/// <summary>
/// Puts two HTML fragments in one canonical form so that harmless differences do not count: both are parsed
/// with AngleSharp (entities decoded, tags balanced), attributes are sorted, runs of white space collapse to one
/// space, a &lt;br&gt; counts as white space (FeedHub turns the line breaks of plain text into &lt;br&gt;), and the
/// rel="noopener noreferrer" that FeedHub's cleaner adds to every link is ignored.
/// </summary>
internal static class HtmlNormalizer
{
    private static readonly HtmlParser Parser = new();

    public static string Normalize(string html)
    {
        var document = Parser.ParseDocument("<!DOCTYPE html><html><body></body></html>");
        var nodes = Parser.ParseFragment(html, document.Body!);
        var builder = new StringBuilder();
        foreach (var node in nodes)
        {
            Write(node, builder);
        }

        return Collapse(builder.ToString());
    }

    /// <summary>Plain text: HTML-escaped so that it compares with markup.</summary>
    public static string NormalizeText(string text) => Collapse(Escape(text));

    private static void Write(INode node, StringBuilder builder)
    {
        switch (node)
        {
            case IText text:
                builder.Append(Escape(text.Data));
                break;
            case IElement element:
                var name = element.LocalName.ToLowerInvariant();
                if (name == "br")
                {
                    builder.Append(' ');
                    break;
                }

                builder.Append('<').Append(name);
                foreach (var attribute in element.Attributes.OrderBy(a => a.Name, StringComparer.Ordinal))
                {
                    if (name == "a" && attribute.Name == "rel" && attribute.Value == "noopener noreferrer")
                    {
                        continue;
                    }

                    builder.Append(' ').Append(attribute.Name.ToLowerInvariant()).Append("=\"").Append(Escape(attribute.Value).Replace("\"", "&quot;", StringComparison.Ordinal)).Append('"');
                }

                builder.Append('>');
                foreach (var child in element.ChildNodes)
                {
                    Write(child, builder);
                }

                builder.Append("</").Append(name).Append('>');
                break;
            default:
                break;
        }
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pending = false;
        foreach (var c in text)
        {
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                pending = builder.Length > 0;
                continue;
            }

            if (pending)
            {
                builder.Append(' ');
                pending = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
