using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace FeedHub.Core.Parsing;

/// <summary>
/// Charset labels to encodings: the HTTP <c>charset</c> parameter, our WHATWG-style table, .NET's own names and
/// <c>cpNNNN</c>-style numbers.
/// </summary>
internal static class CharsetLabels
{
    private static readonly FrozenDictionary<string, Charset> Labels = BuildLabelTable();

    /// <summary>
    /// Maps a charset label to an encoding: our WHATWG-style table first, then whatever .NET knows, then
    /// <c>cpNNNN</c>-style numbers. Returns <see langword="null"/> for unknown labels; never throws.
    /// </summary>
    internal static Charset? Resolve(string label)
    {
        label = label.Trim().Trim('"', '\'').Trim();
        if (label.Length is 0 or > 64)
        {
            return null;
        }

        if (Labels.TryGetValue(label, out var known) || Labels.TryGetValue(Squash(label), out known))
        {
            return known;
        }

        if (TryGetEncoding(label) is { } byName)
        {
            return byName;
        }

        // "cp1251", "ms932", "x-cp1250", "ibm866": plain code page numbers that .NET does not know as names.
        var digitsAt = label.AsSpan().IndexOfAnyInRange('0', '9');
        if (digitsAt > 0
            && label.AsSpan(0, digitsAt).TrimEnd('-') is "cp" or "x-cp" or "ms" or "windows" or "ibm"
            && int.TryParse(label.AsSpan(digitsAt), NumberStyles.None, CultureInfo.InvariantCulture, out var codePage))
        {
            return TryGetEncoding(codePage);
        }

        return null;
    }

    private static Charset? TryGetEncoding(string name)
    {
        try
        {
            return ToCharset(Encoding.GetEncoding(name));
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static Charset? TryGetEncoding(int codePage)
    {
        try
        {
            return codePage is > 0 and < 65536 ? ToCharset(Encoding.GetEncoding(codePage)) : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static Charset? ToCharset(Encoding encoding) => encoding.CodePage switch
    {
        // UTF-7 can smuggle markup past filters and no feed uses it; .NET refuses it too.
        65000 => null,
        65001 => Charset.Utf8,
        1200 => Charset.Utf16Le,
        1201 => Charset.Utf16Be,
        12000 => Charset.Utf32Le,
        12001 => Charset.Utf32Be,
        var codePage => new Charset(encoding.WebName.ToLowerInvariant(), codePage),
    };

    private static string Squash(string label)
    {
        Span<char> buffer = stackalloc char[label.Length];
        var length = 0;
        foreach (var c in label)
        {
            if (c is not ('-' or '_' or ' ' or '.' or ':'))
            {
                buffer[length++] = c;
            }
        }

        return new string(buffer[..length]);
    }

    /// <summary>
    /// Labels whose meaning we fix ourselves: the WHATWG Encoding Standard's supersets (what browsers and feed
    /// readers actually decode with), plus names Python/feedparser users write that .NET does not know.
    /// </summary>
    private static FrozenDictionary<string, Charset> BuildLabelTable()
    {
        var table = new Dictionary<string, Charset>(StringComparer.OrdinalIgnoreCase);
        Add(Charset.Utf8, "utf-8 utf8 u8 unicode-1-1-utf-8 unicode11utf8 unicode20utf8 x-unicode20utf8");
        Add(Charset.Utf16Le, "utf-16 utf16 u16 utf-16le ucs-2 iso-10646-ucs-2 csunicode unicode unicodefeff");
        Add(Charset.Utf16Be, "utf-16be unicodefffe");
        Add(Charset.Utf32Le, "utf-32 utf32 u32 utf-32le ucs-4 iso-10646-ucs-4");
        Add(Charset.Utf32Be, "utf-32be");

        // US-ASCII and ISO-8859-1 are windows-1252 in every browser; real "Latin-1" feeds use its smart quotes.
        Add(Charset.Windows1252, "windows-1252 x-cp1252 cp1252 ms1252 iso-8859-1 iso8859-1 iso_8859-1 iso_8859-1:1987 "
            + "iso-ir-100 latin1 latin-1 l1 ibm819 cp819 csisolatin1 8859 us-ascii ascii us ansi_x3.4-1968 "
            + "ansi_x3.4-1986 iso-ir-6 iso646-us iso_646.irv:1991 ibm367 cp367 csascii 646");
        Add(new Charset("windows-1254", 1254), "windows-1254 x-cp1254 cp1254 iso-8859-9 iso8859-9 iso_8859-9 "
            + "iso_8859-9:1989 iso-ir-148 latin5 l5 csisolatin5");
        Add(new Charset("windows-874", 874), "windows-874 dos-874 cp874 tis-620 tis620 iso-8859-11 iso8859-11");

        // GB2312 and GBK documents routinely contain GBK/GB18030-only characters; GB18030 decodes all of them.
        Add(new Charset("gb18030", 54936), "gb18030 gb2312 gb_2312 gb_2312-80 gbk x-gbk cp936 ms936 windows-936 "
            + "chinese csgb2312 csiso58gb231280 iso-ir-58 euc-cn x-euc-cn");
        Add(new Charset("big5", 950), "big5 big-5 big5-hkscs cn-big5 csbig5 x-x-big5 cp950 ms950");

        // Windows-949 (UHC) is the superset every "EUC-KR" producer actually emits.
        Add(new Charset("euc-kr", 949), "euc-kr cseuckr csksc56011987 iso-ir-149 korean ks_c_5601-1987 "
            + "ks_c_5601-1989 ksc5601 ksc_5601 windows-949 cp949 ms949 uhc");
        Add(new Charset("shift_jis", 932), "shift_jis shift-jis sjis s-jis ms_kanji mskanji csshiftjis windows-31j "
            + "x-sjis cp932 ms932");
        Add(new Charset("euc-jp", 51932), "euc-jp eucjp x-euc-jp cseucpkdfmtjapanese ujis");
        Add(new Charset("koi8-r", 20866), "koi8-r koi8 koi cskoi8r");
        Add(new Charset("koi8-u", 21866), "koi8-u koi8-ru");
        Add(new Charset("macintosh", 10000), "macintosh mac x-mac-roman macroman csmacintosh");
        Add(new Charset("ibm866", 866), "ibm866 cp866 866 csibm866");

        foreach (var (label, charset) in table.ToList())
        {
            table.TryAdd(Squash(label), charset);
        }

        return table.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

        void Add(Charset charset, string labels)
        {
            foreach (var label in labels.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                table[label] = charset;
            }
        }
    }

    /// <summary>
    /// Extracts the <c>charset</c> parameter of a media type: <c>text/xml; charset="utf-8"</c>. Tolerates
    /// spaces around '=' and single quotes; ignores malformed parameters such as <c>charset:iso-8859-1</c>.
    /// </summary>
    internal static string? ParseCharsetParameter(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return null;
        }

        var parameters = contentType.AsSpan();
        var semicolon = parameters.IndexOf(';');
        while (semicolon >= 0)
        {
            parameters = parameters[(semicolon + 1)..];
            semicolon = parameters.IndexOf(';');
            var parameter = semicolon >= 0 ? parameters[..semicolon] : parameters;
            var equals = parameter.IndexOf('=');
            if (equals > 0 && parameter[..equals].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                var value = parameter[(equals + 1)..].Trim().Trim('"').Trim('\'').Trim();
                return value.IsEmpty ? null : value.ToString();
            }
        }

        return null;
    }
}
