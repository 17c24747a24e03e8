using System.Collections.Frozen;

namespace FeedHub.Core.Processing;

/// <summary>
/// Decides, before anything is parsed, whether HTML can be sanitised in bounded time. An HTML5 tree builder does
/// work proportional to the depth of its stack of open elements for most tags (scope checks), and re-creates every
/// open formatting element after each block that closed them (the "reconstruct" step): 4,000 × &lt;div&gt;&lt;span&gt;&lt;b&gt;
/// (56 KB) costs AngleSharp 1.7 s, and 1,000 distinct unclosed &lt;b&gt; followed by 1,000 paragraphs (20 KB) builds
/// 19 MB of output in 6 s. A hostile feed must not be able to buy that.
/// </summary>
/// <remarks>
/// One pass over the characters, with no allocation, runs a small model of the tree builder: the stack of open
/// elements (void elements ignored, raw-text contents skipped, end tags closing only what the HTML rules would close,
/// stopping at the same scope boundaries) and the list of active formatting elements (with its three-of-a-kind rule
/// and markers), including the elements the parser re-creates. Where the model is unsure it assumes the element stays
/// open, so it over-estimates rather than under-estimates. The markup is over budget when the modelled depth (open
/// elements plus formatting elements waiting to be re-created) exceeds <see cref="MaxDepth"/>, when the parser's scope
/// walks (the depth at which each element is created, summed) exceed <see cref="MaxWork"/>, when it would create more
/// than <see cref="MaxElements"/> elements or re-create more than <see cref="CreatedPerTag"/> per start tag (plus
/// <see cref="MaxAmplification"/>), or when the text is longer than <see cref="MaxLength"/>.
/// Browsers cap the parser's depth too (Chromium at 512); real articles stay far below 100.
/// </remarks>
internal static class MarkupBudget
{
    /// <summary>Characters of HTML beyond which an item is not parsed at all.</summary>
    public const int MaxLength = 2 * 1024 * 1024;

    /// <summary>Open elements (plus formatting elements awaiting re-creation) the parser may hold at once.</summary>
    public const int MaxDepth = 160;

    /// <summary>Elements the parser may create, counting re-created formatting elements.</summary>
    public const int MaxElements = 100_000;

    /// <summary>Re-created formatting elements allowed beyond <see cref="CreatedPerTag"/> per start tag.</summary>
    public const int MaxAmplification = 2_000;

    /// <summary>Elements the parser may create per start tag of the input (the rest is amplification).</summary>
    public const int CreatedPerTag = 4;

    /// <summary>
    /// The parser's scope walks: the sum, over the elements it creates, of the depth each is created at.
    /// Ordinary articles stay below 200,000 (1 MB of flat paragraphs: about 150,000).
    /// </summary>
    public const int MaxWork = 1_000_000;

    [Flags]
    private enum Kind
    {
        None = 0,
        Void = 1 << 0,
        RawText = 1 << 1,
        Formatting = 1 << 2,
        Marker = 1 << 3,
        Scope = 1 << 4,
        Special = 1 << 5,
        ClosesP = 1 << 6,
        ListItem = 1 << 7,
        DdDt = 1 << 8,
        Heading = 1 << 9,
        TablePart = 1 << 10,
        Table = 1 << 11,
        List = 1 << 12,
        Button = 1 << 13,
        Paragraph = 1 << 14,
        Anchor = 1 << 15,
        Option = 1 << 16,
        Foreign = 1 << 17,
        Plaintext = 1 << 18,
        TableScope = 1 << 19,
        AddressDivP = 1 << 20,
        TableCell = 1 << 21,
        TableRow = 1 << 22,
        TableSection = 1 << 23,
        Reconstructs = 1 << 24,
    }

    private static readonly FrozenDictionary<string, (int Id, Kind Kind)> Elements = BuildElements();
    private static readonly FrozenDictionary<string, (int Id, Kind Kind)>.AlternateLookup<ReadOnlySpan<char>> ByName =
        Elements.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly int TbodyId = Elements["tbody"].Id;
    private static readonly int TrId = Elements["tr"].Id;

    /// <summary>
    /// The text of markup that is over budget, without parsing it: tags, comments and the contents of script, style
    /// and the other raw-text elements dropped, character references decoded.
    /// </summary>
    public static string TextOf(string html)
    {
        var text = new System.Text.StringBuilder(Math.Min(html.Length, 64 * 1024));
        Span<char> lower = stackalloc char[16];
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0)
            {
                text.Append(html, i, html.Length - i);
                break;
            }

            text.Append(html, i, lt - i);
            var next = lt + 1 < html.Length ? html[lt + 1] : ' ';
            if (!(char.IsAsciiLetter(next) || next is '/' or '!' or '?'))
            {
                text.Append('<');
                i = lt + 1;
                continue;
            }

            var comment = html.AsSpan(lt).StartsWith("<!--", StringComparison.Ordinal);
            var end = comment ? html.IndexOf("-->", lt + 4, StringComparison.Ordinal) : html.IndexOf('>', lt);
            if (end < 0)
            {
                break;
            }

            i = end + (comment ? 3 : 1);
            var nameEnd = lt + 1;
            while (nameEnd < html.Length && char.IsAsciiLetterOrDigit(html[nameEnd]))
            {
                nameEnd++;
            }

            var name = html.AsSpan(lt + 1, nameEnd - lt - 1);
            var kind = char.IsAsciiLetter(next) ? Identify(name, lower).Kind : Kind.None;
            if ((kind & (Kind.RawText | Kind.Plaintext)) != 0)
            {
                var close = (kind & Kind.Plaintext) != 0 ? -1 : IndexOfEndTag(html, i, name);
                if (close < 0)
                {
                    break;
                }

                i = close;
            }
            else
            {
                text.Append(' ');
            }
        }

        return System.Net.WebUtility.HtmlDecode(text.ToString());
    }

    /// <summary>Whether <paramref name="html"/> can be parsed within the budget.</summary>
    public static bool Fits(string html)
    {
        if (html.Length > MaxLength)
        {
            return false;
        }

        var model = new TreeModel(stackalloc int[6 * (MaxDepth + 2)]);
        Span<char> lower = stackalloc char[16];
        var i = 0;
        var textPending = false;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0)
            {
                textPending |= i < html.Length;
                break;
            }

            textPending |= lt > i;
            if (lt + 1 >= html.Length)
            {
                break;
            }

            var next = html[lt + 1];
            if (next == '!' && html.AsSpan(lt).StartsWith("<!--", StringComparison.Ordinal))
            {
                var close = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
                if (close < 0)
                {
                    break;
                }

                i = close + 3;
                continue;
            }

            var isEnd = next == '/';
            var nameStart = isEnd ? lt + 2 : lt + 1;
            if (nameStart >= html.Length || !char.IsAsciiLetter(html[nameStart]))
            {
                // "<!doctype", "<?pi", "</ >", "< " ...: a bogus comment up to '>', or plain text.
                var gt = next is '!' or '?' || isEnd ? html.IndexOf('>', lt) : lt;
                if (gt < 0)
                {
                    break;
                }

                textPending |= gt == lt;
                i = gt + 1;
                continue;
            }

            var nameEnd = nameStart;
            while (nameEnd < html.Length && html[nameEnd] is not (' ' or '\t' or '\n' or '\r' or '\f' or '/' or '>'))
            {
                nameEnd++;
            }

            var tagEnd = html.IndexOf('>', nameEnd);
            var name = html.AsSpan(nameStart, nameEnd - nameStart);
            var (id, kind) = Identify(name, lower);
            if (textPending)
            {
                if (!model.Text())
                {
                    return false;
                }

                textPending = false;
            }

            if (tagEnd < 0)
            {
                // An unterminated tag at the end is dropped by the tokenizer.
                break;
            }

            if (isEnd)
            {
                model.EndTag(id, kind);
                i = tagEnd + 1;
                continue;
            }

            if ((kind & Kind.Plaintext) != 0)
            {
                return model.StartTag(id, kind, 0);
            }

            var attributes = html.AsSpan(nameEnd, tagEnd - nameEnd);
            if (!model.StartTag(id, kind, string.GetHashCode(attributes, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }

            i = tagEnd + 1;
            if ((kind & Kind.RawText) != 0 && !model.InForeignContent)
            {
                // script, style, textarea, title, xmp, iframe, noembed, noframes: text up to the first "</name".
                var close = IndexOfEndTag(html, i, name);
                if (close < 0)
                {
                    break;
                }

                model.EndTag(id, kind);
                i = close;
            }
        }

        return !textPending || model.Text();
    }

    private static int IndexOfEndTag(string html, int from, ReadOnlySpan<char> name)
    {
        var at = from;
        while ((at = html.IndexOf("</", at, StringComparison.Ordinal)) >= 0)
        {
            if (html.AsSpan(at + 2).StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                return at;
            }

            at += 2;
        }

        return -1;
    }

    /// <summary>A known element's id and kind, or a per-process hash of an unknown name (never equal to an id).</summary>
    private static (int Id, Kind Kind) Identify(ReadOnlySpan<char> name, Span<char> lower)
    {
        if (name.Length <= lower.Length)
        {
            var length = name.ToLowerInvariant(lower);
            if (ByName.TryGetValue(lower[..length], out var known))
            {
                return known;
            }
        }

        return ((string.GetHashCode(name, StringComparison.OrdinalIgnoreCase) & 0x3FFF_FFFF) | 0x4000_0000, Kind.None);
    }

    private static FrozenDictionary<string, (int Id, Kind Kind)> BuildElements()
    {
        var kinds = new Dictionary<string, Kind>(StringComparer.Ordinal);
        void Add(Kind kind, params string[] names)
        {
            foreach (var name in names)
            {
                kinds[name] = kinds.GetValueOrDefault(name) | kind;
            }
        }

        // The HTML standard's "special" category (plus svg and math, conservatively).
        Add(Kind.Special, "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body", "br",
            "button", "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt", "embed", "fieldset",
            "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header",
            "hgroup", "hr", "html", "iframe", "img", "input", "keygen", "li", "link", "listing", "main", "marquee", "menu", "meta",
            "nav", "noembed", "noframes", "noscript", "object", "ol", "p", "param", "plaintext", "pre", "script", "search", "section",
            "select", "source", "style", "summary", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title",
            "tr", "track", "ul", "wbr", "xmp", "mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc", "svg", "math");
        Add(Kind.Void, "area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "image", "input", "keygen", "link",
            "meta", "param", "source", "track", "wbr", "frame", "html", "head", "body", "frameset");
        Add(Kind.RawText, "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes");
        Add(Kind.Plaintext, "plaintext");
        Add(Kind.Formatting, "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u");
        Add(Kind.Anchor, "a");
        Add(Kind.Marker, "applet", "caption", "marquee", "object", "template", "td", "th");

        // Default scope boundaries (and the foreign-content ones), svg and math included to stay conservative.
        Add(Kind.Scope, "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "mi", "mo", "mn", "ms",
            "mtext", "annotation-xml", "foreignobject", "desc", "svg", "math");
        Add(Kind.TableScope, "html", "table", "template");
        Add(Kind.Foreign, "svg", "math");
        Add(Kind.ClosesP, "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
            "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "search", "section", "summary",
            "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "li", "dd", "dt");
        Add(Kind.ListItem, "li");
        Add(Kind.DdDt, "dd", "dt");
        Add(Kind.Heading, "h1", "h2", "h3", "h4", "h5", "h6");
        Add(Kind.TablePart, "td", "th", "tr", "tbody", "thead", "tfoot", "caption", "colgroup");
        Add(Kind.TableCell, "td", "th");
        Add(Kind.TableRow, "tr");
        Add(Kind.TableSection, "tbody", "thead", "tfoot");
        Add(Kind.AddressDivP, "address", "div", "p");

        // Special elements before which the parser still re-creates formatting elements (all others do too).
        Add(Kind.Reconstructs, "applet", "marquee", "object", "area", "br", "embed", "img", "image", "keygen", "wbr", "input", "xmp", "select");
        Add(Kind.Table, "table");
        Add(Kind.List, "ol", "ul");
        Add(Kind.Button, "button");
        Add(Kind.Paragraph, "p");
        Add(Kind.Option, "option", "optgroup");

        var id = 0;
        return kinds.ToFrozenDictionary(k => k.Key, k => (++id, k.Value), StringComparer.Ordinal);
    }

    /// <summary>
    /// The model: a stack of open elements (id, kind, list entry) and the list of active formatting elements
    /// (id, attribute hash, whether on the stack; 0 as id is a marker), in fixed-size spans.
    /// </summary>
    private ref struct TreeModel(Span<int> memory)
    {
        private const int Size = MaxDepth + 2;
        private readonly Span<int> _stackIds = memory[..Size];
        private readonly Span<int> _stackEntries = memory.Slice(Size, Size);
        private readonly Span<int> _stackKinds = memory.Slice(2 * Size, Size);
        private readonly Span<int> _listIds = memory.Slice(3 * Size, Size);
        private readonly Span<int> _listHashes = memory.Slice(4 * Size, Size);
        private readonly Span<int> _listOffStack = memory.Slice(5 * Size, Size);
        private int _depth;
        private int _listCount;
        private int _offStackCount;
        private int _created;
        private int _tags;
        private long _work;

        public readonly bool InForeignContent
        {
            get
            {
                for (var i = 0; i < _depth; i++)
                {
                    if ((KindAt(i) & Kind.Foreign) != 0)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>Text: the parser re-creates the formatting elements that blocks closed.</summary>
        public bool Text() => Reconstruct();

        public bool StartTag(int id, Kind kind, int attributeHash)
        {
            _tags++;
            if ((kind & Kind.Void) != 0)
            {
                return ((kind & Kind.Special) != 0 && (kind & Kind.Reconstructs) == 0) || (Reconstruct() && Count(1));
            }

            if ((kind & Kind.ClosesP) != 0)
            {
                PopTo(Find(Kind.Paragraph, 0, Kind.Scope | Kind.Button));
            }

            if ((kind & Kind.ListItem) != 0)
            {
                PopTo(Find(Kind.ListItem, 0, Kind.Special, except: Kind.AddressDivP));
            }
            else if ((kind & Kind.DdDt) != 0)
            {
                PopTo(Find(Kind.DdDt, 0, Kind.Special, except: Kind.AddressDivP));
            }
            else if ((kind & Kind.Heading) != 0 && _depth > 0 && (KindAt(_depth - 1) & Kind.Heading) != 0)
            {
                PopTo(_depth - 1);
            }
            else if ((kind & Kind.Option) != 0 && _depth > 0 && (KindAt(_depth - 1) & Kind.Option) != 0)
            {
                PopTo(_depth - 1);
            }
            else if ((kind & (Kind.TableCell | Kind.TableRow | Kind.TableSection)) != 0 && !OpenTableParts(kind))
            {
                return false;
            }

            if ((kind & Kind.Anchor) != 0 && LastInList(id) >= 0)
            {
                Adopt(id);
                var left = LastInList(id);
                if (left >= 0)
                {
                    RemoveFromList(left);
                }
            }

            if (((kind & Kind.Special) == 0 || (kind & Kind.Reconstructs) != 0) && !Reconstruct())
            {
                return false;
            }

            var entry = -1;
            if ((kind & Kind.Formatting) != 0)
            {
                entry = AddToList(id, attributeHash);
                if (entry < 0)
                {
                    return false;
                }
            }
            else if ((kind & Kind.Marker) != 0)
            {
                entry = AddToList(0, 0);
                if (entry < 0)
                {
                    return false;
                }
            }

            return Push(id, kind, entry) && Count(1);
        }

        public void EndTag(int id, Kind kind)
        {
            if ((kind & Kind.Void) != 0)
            {
                return;
            }

            if ((kind & Kind.Formatting) != 0)
            {
                Adopt(id);
            }
            else if ((kind & Kind.Paragraph) != 0)
            {
                PopTo(Find(Kind.Paragraph, 0, Kind.Scope | Kind.Button));
            }
            else if ((kind & Kind.ListItem) != 0)
            {
                PopTo(Find(Kind.ListItem, 0, Kind.Scope | Kind.List));
            }
            else if ((kind & Kind.Heading) != 0)
            {
                PopTo(Find(Kind.Heading, 0, Kind.Scope));
            }
            else if ((kind & (Kind.TablePart | Kind.Table)) != 0)
            {
                PopTo(Find(Kind.None, id, Kind.TableScope));
            }
            else if ((kind & Kind.Special) != 0)
            {
                PopTo(Find(Kind.None, id, Kind.Scope));
            }
            else
            {
                // Any other end tag: the nearest element of that name, unless a special element is in the way.
                PopTo(Find(Kind.None, id, Kind.Special));
            }
        }

        /// <summary>
        /// A cell closes the open cell, a row the open row, a section the open section (within the table); a cell
        /// or row directly in a table gets the row and section the parser implies.
        /// </summary>
        private bool OpenTableParts(Kind kind)
        {
            var same = (kind & Kind.TableCell) != 0 ? Kind.TableCell : (kind & Kind.TableRow) != 0 ? Kind.TableRow : Kind.TableSection;
            PopTo(Find(same, 0, Kind.TableScope));
            if (same == Kind.TableSection || _depth == 0)
            {
                return true;
            }

            var top = KindAt(_depth - 1);
            if ((top & Kind.Table) != 0 && !(Push(TbodyId, Elements["tbody"].Kind, -1) && Count(1)))
            {
                return false;
            }

            top = KindAt(_depth - 1);
            return same != Kind.TableCell || (top & Kind.TableSection) == 0 || (Push(TrId, Elements["tr"].Kind, -1) && Count(1));
        }

        /// <summary>
        /// The stack index of the nearest element with <paramref name="id"/> (or any of <paramref name="wanted"/>),
        /// looking down from the top and giving up at an element of <paramref name="stop"/> kind; -1 if none.
        /// </summary>
        private readonly int Find(Kind wanted, int id, Kind stop, Kind except = Kind.None)
        {
            for (var i = _depth - 1; i >= 0; i--)
            {
                var kind = KindAt(i);
                if ((wanted != Kind.None && (kind & wanted) != 0) || (id != 0 && _stackIds[i] == id))
                {
                    return i;
                }

                if ((kind & stop) != 0 && (kind & except) == 0)
                {
                    return -1;
                }
            }

            return -1;
        }

        /// <summary>The adoption agency, as far as sizes go.</summary>
        private void Adopt(int id)
        {
            var entry = LastInList(id);
            if (entry < 0)
            {
                PopTo(Find(Kind.None, id, Kind.Special));
                return;
            }

            var at = StackIndexOf(entry);
            if (at < 0)
            {
                RemoveFromList(entry);
                return;
            }

            for (var i = _depth - 1; i > at; i--)
            {
                if ((KindAt(i) & Kind.Scope) != 0)
                {
                    return;
                }
            }

            for (var i = _depth - 1; i > at; i--)
            {
                if ((KindAt(i) & Kind.Special) != 0)
                {
                    // A furthest block: the element is replaced by a clone, stack and list keep their sizes.
                    return;
                }
            }

            PopTo(at);
            var left = LastInList(id);
            if (left >= 0 && StackIndexOf(left) < 0)
            {
                RemoveFromList(left);
            }
        }

        /// <summary>Pops the stack down to (and including) <paramref name="index"/>; -1 pops nothing.</summary>
        private void PopTo(int index)
        {
            if (index < 0)
            {
                return;
            }

            while (_depth > index)
            {
                _depth--;
                var entry = _stackEntries[_depth];
                if (entry < 0 || entry >= _listCount)
                {
                    continue;
                }

                if (_listIds[entry] == 0)
                {
                    // A marker closes: the list is cleared back to it.
                    while (_listCount > entry)
                    {
                        _listCount--;
                        SetOffStack(_listCount, false);
                    }
                }
                else
                {
                    SetOffStack(entry, true);
                }
            }
        }

        /// <summary>Re-creates the formatting elements after the last marker that are no longer open.</summary>
        private bool Reconstruct()
        {
            if (_offStackCount == 0)
            {
                return true;
            }

            for (var entry = LastMarker() + 1; entry < _listCount; entry++)
            {
                if (IsOffStack(entry))
                {
                    SetOffStack(entry, false);
                    if (!Push(_listIds[entry], Kind.Formatting, entry) || !Count(1))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private bool Push(int id, Kind kind, int entry)
        {
            _work += _depth;
            if (_depth + _offStackCount >= MaxDepth || _work > MaxWork)
            {
                return false;
            }

            _stackIds[_depth] = id;
            _stackEntries[_depth] = entry;
            _stackKinds[_depth] = (int)kind;
            _depth++;
            return true;
        }

        private bool Count(int elements)
        {
            _created += elements;
            return _created <= MaxElements && _created <= (CreatedPerTag * _tags) + MaxAmplification;
        }

        private int AddToList(int id, int attributeHash)
        {
            if (id != 0)
            {
                // Noah's ark: at most three identical entries after the last marker; the earliest goes.
                var same = 0;
                var earliest = -1;
                for (var i = _listCount - 1; i >= 0 && _listIds[i] != 0; i--)
                {
                    if (_listIds[i] == id && _listHashes[i] == attributeHash)
                    {
                        same++;
                        earliest = i;
                    }
                }

                if (same >= 3)
                {
                    RemoveFromList(earliest);
                }
            }

            if (_listCount >= MaxDepth)
            {
                return -1;
            }

            _listIds[_listCount] = id;
            _listHashes[_listCount] = attributeHash;
            SetOffStack(_listCount, false);
            return _listCount++;
        }

        private void RemoveFromList(int entry)
        {
            SetOffStack(entry, false);
            for (var i = 0; i < _depth; i++)
            {
                if (_stackEntries[i] == entry)
                {
                    _stackEntries[i] = -1;
                }
                else if (_stackEntries[i] > entry)
                {
                    _stackEntries[i]--;
                }
            }

            for (var i = entry; i < _listCount - 1; i++)
            {
                _listIds[i] = _listIds[i + 1];
                _listHashes[i] = _listHashes[i + 1];
                SetOffStack(i, IsOffStack(i + 1));
            }

            _listCount--;
            SetOffStack(_listCount, false);
        }

        private readonly int LastInList(int id)
        {
            for (var i = _listCount - 1; i >= 0 && _listIds[i] != 0; i--)
            {
                if (_listIds[i] == id)
                {
                    return i;
                }
            }

            return -1;
        }

        private readonly int LastMarker()
        {
            for (var i = _listCount - 1; i >= 0; i--)
            {
                if (_listIds[i] == 0)
                {
                    return i;
                }
            }

            return -1;
        }

        private readonly int StackIndexOf(int entry)
        {
            for (var i = _depth - 1; i >= 0; i--)
            {
                if (_stackEntries[i] == entry)
                {
                    return i;
                }
            }

            return -1;
        }

        private readonly Kind KindAt(int index) => (Kind)_stackKinds[index];

        private readonly bool IsOffStack(int entry) => _listOffStack[entry] != 0;

        private void SetOffStack(int entry, bool off)
        {
            if (IsOffStack(entry) == off)
            {
                return;
            }

            _offStackCount += off ? 1 : -1;
            _listOffStack[entry] = off ? 1 : 0;
        }
    }
}
