using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace FeedHub.Core.Parsing;

/// <summary>
/// Loads feed text into an XDocument: a strict pass first, then a lenient pass for documents that are
/// not well-formed (undeclared prefixes are declared, and when the document is cut short or broken the
/// elements completed before the break are kept and the unfinished ones are marked). Elements nested deeper than
/// <see cref="MaxDepth"/> are unwrapped to their text on the way in (see <see cref="DepthCappedXmlReader"/>), with a
/// warning: no tree FeedHub holds is deep enough for a recursive walk to exhaust the stack.
/// </summary>
internal static partial class XmlFeedLoader
{
    /// <summary>
    /// Element nesting kept, counted from the root element (level 1): an item's markup keeps about 124 levels, below
    /// the HTML cleaner's own budget (<see cref="Processing.MarkupBudget.MaxDepth"/>), so what is kept keeps its markup.
    /// </summary>
    public const int MaxDepth = 128;

    /// <summary>Marks an element whose end tag was never read (the document broke inside it).</summary>
    internal sealed class Incomplete
    {
        public static readonly Incomplete Instance = new();
    }

    /// <summary>The document, and where it broke when only what came before could be kept (its warning is added).</summary>
    public static (XDocument Document, BrokenXml? Broken) Load(string preparedText, List<string> warnings)
    {
        try
        {
            return (Parse(preparedText, warnings), null);
        }
        catch (XmlException first)
        {
            var patched = DeclareMissingPrefixes(preparedText);
            if (patched is not null)
            {
                try
                {
                    var document = Parse(patched, warnings);
                    warnings.Add("undeclared namespace prefixes were declared");
                    return (document, null);
                }
                catch (XmlException)
                {
                    preparedText = patched;
                }
            }

            var salvaged = Salvage(preparedText, warnings, out var error);
            if (salvaged?.Root is null)
            {
                throw new FeedParseException($"not well-formed XML: {Describe(first)}", first);
            }

            var broken = new BrokenXml(Describe(error ?? first));
            warnings.Add(broken.Warning);
            return (salvaged, broken);
        }
    }

    /// <summary>Describes an XML error with its line and position, for the operator.</summary>
    public static string Describe(XmlException exception) =>
        exception.LineNumber > 0
            ? $"{TrimPosition(exception.Message)} (line {exception.LineNumber}, position {exception.LinePosition})"
            : exception.Message;

    private static string TrimPosition(string message)
    {
        var at = message.IndexOf(" Line ", StringComparison.Ordinal);
        return at > 0 ? message[..at].TrimEnd('.', ' ') : message;
    }

    private static XDocument Parse(string text, List<string> warnings)
    {
        using var reader = new DepthCappedXmlReader(XmlReader.Create(new StringReader(text), SafeXml.CreateReaderSettings()), MaxDepth);
        var document = XDocument.Load(reader, LoadOptions.None);
        WarnUnwrapped(reader, warnings);
        return document;
    }

    private static void WarnUnwrapped(DepthCappedXmlReader reader, List<string> warnings)
    {
        if (reader.Unwrapped > 0)
        {
            warnings.Add(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{reader.Unwrapped} element(s) nested deeper than {MaxDepth} levels were unwrapped to their text"));
        }
    }

    /// <summary>Adds xmlns declarations on the root element for prefixes used but never declared.</summary>
    private static string? DeclareMissingPrefixes(string text)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal) { "xml", "xmlns" };
        foreach (Match m in PrefixDeclaration().Matches(text))
        {
            declared.Add(m.Groups[1].Value);
        }

        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match m in PrefixUse().Matches(text))
        {
            var prefix = m.Groups["p"].Value;
            if (!declared.Contains(prefix))
            {
                missing.Add(prefix);
            }
        }

        if (missing.Count == 0)
        {
            return null;
        }

        var root = RootStartTag().Match(text);
        if (!root.Success)
        {
            return null;
        }

        var declarations = new StringBuilder();
        foreach (var prefix in missing)
        {
            var ns = FeedNamespaces.WellKnownPrefixes.TryGetValue(prefix, out var known) ? known : $"urn:feedhub:undeclared:{prefix}";
            declarations.Append(" xmlns:").Append(prefix).Append("=\"").Append(ns).Append('"');
        }

        var insertAt = root.Groups["name"].Index + root.Groups["name"].Length;
        return text.Insert(insertAt, declarations.ToString());
    }

    /// <summary>Copies nodes until the first error; elements left open are marked <see cref="Incomplete"/>.</summary>
    private static XDocument? Salvage(string text, List<string> warnings, out XmlException? error)
    {
        error = null;
        var document = new XDocument();
        var open = new Stack<XElement>();
        var settings = SafeXml.CreateReaderSettings();
        using var reader = new DepthCappedXmlReader(XmlReader.Create(new StringReader(text), settings), MaxDepth);
        try
        {
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                        if (reader.MoveToFirstAttribute())
                        {
                            do
                            {
                                if (reader.NamespaceURI == "http://www.w3.org/2000/xmlns/")
                                {
                                    continue;
                                }

                                element.SetAttributeValue(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value);
                            }
                            while (reader.MoveToNextAttribute());
                            reader.MoveToElement();
                        }

                        if (open.Count == 0)
                        {
                            if (document.Root is not null)
                            {
                                WarnUnwrapped(reader, warnings);
                                return document;
                            }

                            document.Add(element);
                        }
                        else
                        {
                            open.Peek().Add(element);
                        }

                        if (!reader.IsEmptyElement)
                        {
                            open.Push(element);
                        }

                        break;
                    case XmlNodeType.EndElement:
                        if (open.Count > 0)
                        {
                            open.Pop();
                        }

                        break;
                    case XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        if (open.Count > 0)
                        {
                            open.Peek().Add(new XText(reader.Value));
                        }

                        break;
                    case XmlNodeType.CDATA:
                        if (open.Count > 0)
                        {
                            open.Peek().Add(new XCData(reader.Value));
                        }

                        break;
                    default:
                        break;
                }
            }
        }
        catch (XmlException e)
        {
            error = e;
            foreach (var unfinished in open)
            {
                unfinished.AddAnnotation(Incomplete.Instance);
            }
        }

        WarnUnwrapped(reader, warnings);
        return document;
    }

    [GeneratedRegex(@"xmlns:([A-Za-z_][\w.-]*)\s*=", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixDeclaration();

    [GeneratedRegex(@"</?(?<p>[A-Za-z_][\w.-]*):[A-Za-z_]|\s(?<p>[A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixUse();

    [GeneratedRegex(@"<(?<name>[A-Za-z_][\w.:-]*)(?=[\s/>])", RegexOptions.CultureInvariant)]
    private static partial Regex RootStartTag();
}
