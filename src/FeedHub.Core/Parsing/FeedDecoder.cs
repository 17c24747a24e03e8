using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace FeedHub.Core.Parsing;

/// <summary>
/// Turns the raw bytes of a fetched feed, plus the HTTP <c>Content-Type</c> header if there was one, into text
/// that an XML parser can read without second-guessing the encoding again.
/// </summary>
/// <remarks>
/// <para>
/// The rules follow RFC 7303 (which replaced RFC 3023) and the XML 1.0 spec, appendix F, the way real aggregators
/// apply them, i.e. bent where feeds in the wild routinely lie:
/// </para>
/// <list type="number">
/// <item>A byte order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins over everything.</item>
/// <item>
/// Without a BOM, UTF-16/32 is recognised from the zero-byte pattern of the first characters (appendix F:
/// <c>00 3C 00 3F</c> ...). The bytes cannot be anything else, so labels that disagree are ignored.
/// </item>
/// <item>
/// Otherwise the HTTP <c>charset</c> parameter, then the XML declaration's <c>encoding</c>, then UTF-8. Unlike
/// RFC 3023, <c>text/*</c> without a charset does not mean US-ASCII: RFC 7303 dropped that rule and so do
/// browsers and aggregators.
/// </item>
/// <item>
/// Labels are mapped the WHATWG way: ISO-8859-1 and US-ASCII read as windows-1252 (its C1 range is smart quotes
/// in practice), GB2312/GBK as GB18030, EUC-KR as its superset windows-949, TIS-620 as windows-874.
/// </item>
/// <item>
/// Bytes that are valid UTF-8 and contain non-ASCII are read as UTF-8 whatever a legacy label says (as Miniflux
/// does): a legacy text that happens to be valid UTF-8 is vanishingly rare, mislabelled UTF-8 is common.
/// </item>
/// <item>
/// When the claim is UTF-8 (or there is none) but the bytes are not valid UTF-8: if most non-ASCII sequences are
/// valid, it is a UTF-8 template around some Latin-1 content, so it stays UTF-8 and only the stray bytes are read
/// as windows-1252; otherwise it is legacy text, and the code page it reads most naturally in is guessed
/// (windows-1252 unless another one is clearly better). An HTTP "utf-8" that the bytes contradict yields to a
/// legacy encoding named by the XML declaration.
/// </item>
/// </list>
/// <para>
/// The returned text has no BOM, and its XML declaration (if it has an <c>encoding</c>) says <c>utf-8</c>, so that
/// System.Xml does not trip over a declaration naming an encoding the string is no longer in. Nothing else changes.
/// </para>
/// <para>
/// The decoder never throws: unknown labels, truncated UTF-16, garbage and empty input all produce some text and
/// a warning. Only the first kilobyte is searched for the XML declaration, and the document is decoded once (the
/// guesser, used only for unlabelled non-UTF-8 bytes, also decodes a sample of at most 64 KB per candidate).
/// </para>
/// </remarks>
public static class FeedDecoder
{
    /// <summary>How far into the document the XML declaration is looked for (it must come first anyway).</summary>
    private const int DeclarationScanLimit = 1024;

    private const string HttpSource = "HTTP charset";
    private const string DeclarationSource = "XML declaration";

    private static readonly Charset Utf8Charset = new("utf-8", 65001);
    private static readonly Charset Utf16LeCharset = new("utf-16le", 1200);
    private static readonly Charset Utf16BeCharset = new("utf-16be", 1201);
    private static readonly Charset Utf32LeCharset = new("utf-32le", 12000);
    private static readonly Charset Utf32BeCharset = new("utf-32be", 12001);
    private static readonly Charset Windows1252Charset = new("windows-1252", 1252);

    /// <summary>U+FFFD rather than .NET's default "?" or best-fit, so that damage stays visible and countable.</summary>
    private static readonly DecoderReplacementFallback ReplacementFallback = new("\uFFFD");

    /// <summary>What windows-1252 maps bytes 0x80-0x9F to (WHATWG keeps the five undefined ones as C1 controls).</summary>
    private const string Windows1252HighControls =
        "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
        "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

    private static readonly FrozenDictionary<string, Charset> Labels = BuildLabelTable();

    // windows-125x, ISO-8859-x, KOI8, Shift_JIS, EUC-*, Big5, GB18030 ... are not in .NET by default.
    static FeedDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// Decodes a fetched feed.
    /// </summary>
    /// <param name="bytes">The response body exactly as received (after any Content-Encoding was undone).</param>
    /// <param name="contentType">The HTTP <c>Content-Type</c> header value, or <see langword="null"/> when unknown.</param>
    /// <returns>The text (BOM stripped, declaration set to utf-8), the encoding used and any warnings.</returns>
    public static DecodedFeed Decode(ReadOnlySpan<byte> bytes, string? contentType)
    {
        var warnings = new List<string>();
        if (bytes.IsEmpty)
        {
            return new DecodedFeed(string.Empty, Utf8Charset.Name, warnings);
        }

        var httpLabel = ParseCharsetParameter(contentType);
        var (text, charset) = DecodeCore(bytes, httpLabel, warnings);
        return new DecodedFeed(PrepareForXml(text), charset.Name, warnings);
    }

    private static (string Text, Charset Charset) DecodeCore(
        ReadOnlySpan<byte> bytes, string? httpLabel, List<string> warnings)
    {
        if (DetectByteOrderMark(bytes) is { } bom)
        {
            var body = bytes[bom.Length..];
            var text = bom.Charset == Utf8Charset
                ? DecodeUtf8AfterBom(body, warnings)
                : DecodeWithCodePage(body, bom.Charset, warnings);
            NoteOverriddenLabels(httpLabel, text, bom.Charset, "the byte order mark", warnings);
            return (text, bom.Charset);
        }

        if (DetectWideEncoding(bytes) is { } wide)
        {
            var text = DecodeWithCodePage(bytes, wide, warnings);
            NoteOverriddenLabels(httpLabel, text, wide, "the byte pattern", warnings);
            return (text, wide);
        }

        return DecodeAsciiCompatible(bytes, httpLabel, warnings);
    }

    /// <summary>
    /// The common case: no BOM, an ASCII-compatible encoding. Decides between the HTTP charset, the XML
    /// declaration, UTF-8 and a guess, checking each claim against the bytes.
    /// </summary>
    private static (string Text, Charset Charset) DecodeAsciiCompatible(
        ReadOnlySpan<byte> bytes, string? httpLabel, List<string> warnings)
    {
        var http = ResolveUsableLabel(httpLabel, HttpSource, warnings);
        var declared = ResolveUsableLabel(SniffDeclaredEncoding(bytes), DeclarationSource, warnings);
        if (http is not null && declared is not null && http.CodePage != declared.CodePage)
        {
            // RFC 7303 section 3: the charset parameter is authoritative. Worth a note: one of them is wrong.
            warnings.Add($"the HTTP charset {http.Name} overrides the XML declaration's {declared.Name}");
        }

        var claimed = http ?? declared;
        var claimSource = http is not null ? HttpSource : DeclarationSource;

        if (Utf8.IsValid(bytes))
        {
            if (claimed is null || claimed == Utf8Charset)
            {
                return (Encoding.UTF8.GetString(bytes), Utf8Charset);
            }

            if (!Ascii.IsValid(bytes))
            {
                // Miniflux's rule: a legacy label on bytes that are valid UTF-8 with non-ASCII is a mislabel
                // (typically Apache's AddDefaultCharset ISO-8859-1, or a CMS template saying windows-1251 over
                // UTF-8 content). A real legacy text that forms only valid UTF-8 sequences is vanishingly rare:
                // Latin-1 would need every accented capital to be followed by a C1/symbol byte, and Cyrillic or
                // CJK lead bytes are mostly not even UTF-8 lead/continuation pairs.
                warnings.Add($"the {claimSource} says {claimed.Name} but the bytes are valid utf-8; read as utf-8");
                return (Encoding.UTF8.GetString(bytes), Utf8Charset);
            }

            // Pure ASCII: every ASCII-compatible encoding gives the same text, so honour the label.
            return (DecodeWithCodePage(bytes, claimed, warnings), claimed);
        }

        if (claimed is not null && claimed != Utf8Charset)
        {
            return (DecodeWithCodePage(bytes, claimed, warnings), claimed);
        }

        // Either nothing usable was declared, or a label said UTF-8 and the bytes disagree.
        if (http == Utf8Charset && declared is not null && declared != Utf8Charset)
        {
            // The server claims UTF-8 (often a blanket default) but the document itself names a legacy
            // encoding that fits the bytes: believe the document.
            warnings.Add($"the HTTP charset says utf-8 but the bytes are not valid utf-8; used the XML declaration's {declared.Name}");
            return (DecodeWithCodePage(bytes, declared, warnings), declared);
        }

        var what = claimed is null ? "no charset is declared and" : $"the {claimSource} says utf-8 but";
        var (validSequences, invalidSequences) = CountUtf8Sequences(bytes);
        if (validSequences >= invalidSequences)
        {
            // Mostly real UTF-8 with a few stray legacy bytes (e.g. a UTF-8 template around Latin-1 content):
            // reading everything as windows-1252 would turn every good sequence into mojibake. Legacy text, on
            // the other hand, forms valid UTF-8 sequences only by accident, far fewer than its invalid ones.
            warnings.Add($"{what} {invalidSequences} byte sequence(s) are not valid utf-8; read those as windows-1252");
            return (DecodeUtf8WithWindows1252Repair(bytes), Utf8Charset);
        }

        var guess = LegacyEncodingGuesser.Guess(bytes);
        warnings.Add(claimed is null
            ? $"no charset is declared and the bytes are not valid utf-8; {(guess == Windows1252Charset ? "read as" : "guessed")} {guess.Name}"
            : $"the {claimSource} says utf-8 but the bytes are not valid utf-8; read as {guess.Name}");
        return (DecodeWithCodePage(bytes, guess, warnings), guess);
    }

    private static string DecodeUtf8AfterBom(ReadOnlySpan<byte> body, List<string> warnings)
    {
        if (Utf8.IsValid(body))
        {
            return Encoding.UTF8.GetString(body);
        }

        // A UTF-8 BOM is strong evidence that the producer meant UTF-8, so keep the valid sequences and only
        // reinterpret the stray bytes.
        var (_, invalidSequences) = CountUtf8Sequences(body);
        warnings.Add($"the byte order mark says utf-8 but {invalidSequences} byte sequence(s) are not valid utf-8; read those as windows-1252");
        return DecodeUtf8WithWindows1252Repair(body);
    }

    private static string DecodeWithCodePage(ReadOnlySpan<byte> bytes, Charset charset, List<string> warnings)
    {
        var encoding = Encoding.GetEncoding(charset.CodePage, EncoderFallback.ReplacementFallback, ReplacementFallback);
        var text = encoding.GetString(bytes);

        // Counting U+FFFD afterwards is simpler than a counting fallback (Encoding.GetString may run the fallback
        // twice: once to size, once to decode). It over-counts only a U+FFFD that was really in UTF-16/32/GB18030.
        var replaced = text.AsSpan().Count('\uFFFD');
        if (replaced > 0)
        {
            warnings.Add($"{replaced} byte sequence(s) are not valid {charset.Name}; replaced with U+FFFD");
        }

        return text;
    }

    /// <summary>
    /// Decodes UTF-8, reading each byte of an invalid sequence as windows-1252 instead of U+FFFD.
    /// </summary>
    private static string DecodeUtf8WithWindows1252Repair(ReadOnlySpan<byte> bytes)
    {
        // UTF-8 never yields more UTF-16 code units than bytes, and the repair maps one byte to one char.
        var buffer = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            var written = 0;
            while (!bytes.IsEmpty)
            {
                var status = Utf8.ToUtf16(
                    bytes, buffer.AsSpan(written), out var read, out var produced, replaceInvalidSequences: false);
                written += produced;
                bytes = bytes[read..];
                if (status != OperationStatus.InvalidData)
                {
                    break;
                }

                // Rune reports the maximal invalid subsequence (Unicode's "best practice" length, at least 1).
                _ = Rune.DecodeFromUtf8(bytes, out _, out var invalidLength);
                invalidLength = Math.Clamp(invalidLength, 1, bytes.Length);
                foreach (var b in bytes[..invalidLength])
                {
                    buffer[written++] = Windows1252Char(b);
                }

                bytes = bytes[invalidLength..];
            }

            return new string(buffer, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Counts the valid multi-byte and the invalid sequences of bytes that are not entirely UTF-8.</summary>
    private static (int Valid, int Invalid) CountUtf8Sequences(ReadOnlySpan<byte> bytes)
    {
        int valid = 0, invalid = 0;
        while (true)
        {
            // Skip ASCII in bulk (vectorised), then classify one sequence.
            var next = bytes.IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
            if (next < 0)
            {
                return (valid, invalid);
            }

            bytes = bytes[next..];
            if (Rune.DecodeFromUtf8(bytes, out _, out var consumed) == OperationStatus.Done)
            {
                valid++;
            }
            else
            {
                invalid++;
            }

            bytes = bytes[Math.Clamp(consumed, 1, bytes.Length)..];
        }
    }

    private static char Windows1252Char(byte b) => b is >= 0x80 and <= 0x9F ? Windows1252HighControls[b - 0x80] : (char)b;

    /// <summary>
    /// Strips any leftover BOM character and makes the XML declaration say utf-8, because the text is no longer in
    /// the declared encoding and System.Xml readers may reject or misread a declaration that names another one.
    /// </summary>
    private static string PrepareForXml(string text)
    {
        // A second BOM (e.g. a UTF-8 BOM encoded again as UTF-8) would sit before the declaration and break it.
        var start = 0;
        while (start < text.Length && text[start] == '\uFEFF')
        {
            start++;
        }

        var head = text.AsSpan(start, Math.Min(text.Length - start, DeclarationScanLimit));
        if (!TryFindEncodingValue(head, out var valueStart, out var valueLength, out var quoted))
        {
            return start == 0 ? text : text[start..];
        }

        if (quoted && head.Slice(valueStart, valueLength).Equals(Utf8Charset.Name, StringComparison.OrdinalIgnoreCase))
        {
            return start == 0 ? text : text[start..];
        }

        // Only the value changes (an unquoted value, which XML forbids, gets quotes); the rest stays as it was.
        var replacement = quoted ? Utf8Charset.Name : "\"utf-8\"";
        return string.Concat(
            text.AsSpan(start, valueStart),
            replacement,
            text.AsSpan(start + valueStart + valueLength));
    }

    private static (Charset Charset, int Length)? DetectByteOrderMark(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (Utf8Charset, 3),
        [0x00, 0x00, 0xFE, 0xFF, ..] => (Utf32BeCharset, 4),

        // FF FE 00 00 could also be a UTF-16LE BOM followed by U+0000, which XML forbids: UTF-32LE it is.
        [0xFF, 0xFE, 0x00, 0x00, ..] => (Utf32LeCharset, 4),
        [0xFE, 0xFF, ..] => (Utf16BeCharset, 2),
        [0xFF, 0xFE, ..] => (Utf16LeCharset, 2),
        _ => null,
    };

    /// <summary>
    /// XML spec appendix F: without a BOM, an XML document's first characters are ASCII ('&lt;' or whitespace),
    /// so the position of the zero bytes gives away UTF-16/32 and its byte order. Generalised from '&lt;?xm' to any
    /// ASCII start so that BOM-less UTF-16 without a declaration is recognised too.
    /// </summary>
    private static Charset? DetectWideEncoding(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0, 0, 0, > 0 and < 0x80, ..] => Utf32BeCharset,
        [> 0 and < 0x80, 0, 0, 0, ..] => Utf32LeCharset,
        [0, > 0 and < 0x80, 0, > 0 and < 0x80, ..] => Utf16BeCharset,
        [> 0 and < 0x80, 0, > 0 and < 0x80, 0, ..] => Utf16LeCharset,
        [0, (byte)'<'] or [0, (byte)'<', _] => Utf16BeCharset,
        [(byte)'<', 0] or [(byte)'<', 0, _] => Utf16LeCharset,
        _ => null,
    };

    /// <summary>
    /// For a BOM or byte-pattern decision: mentions labels that named a different encoding family, because that
    /// is a producer bug worth seeing (e.g. a UTF-8 file whose declaration still says utf-16).
    /// </summary>
    private static void NoteOverriddenLabels(
        string? httpLabel, string text, Charset used, string evidence, List<string> warnings)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, DeclarationScanLimit));
        var declaredLabel = TryFindEncodingValue(head, out var start, out var length, out _)
            ? head.Slice(start, length).ToString()
            : null;

        foreach (var (label, source) in new[] { (httpLabel, HttpSource), (declaredLabel, DeclarationSource) })
        {
            if (string.IsNullOrWhiteSpace(label))
            {
                continue;
            }

            var charset = ResolveLabel(label);
            if (charset is null || Family(charset) != Family(used))
            {
                warnings.Add($"the {source} says \"{label}\" but {evidence} says {used.Name}; used {used.Name}");
            }
        }
    }

    /// <summary>UTF-16 (either order), UTF-32 (either order), or the code page itself for everything else.</summary>
    private static int Family(Charset charset) => charset.CodePage switch
    {
        1200 or 1201 => 1200,
        12000 or 12001 => 12000,
        var other => other,
    };

    /// <summary>
    /// Resolves a label for an ASCII-compatible document, dropping (with a warning) labels that are unknown or
    /// that cannot describe these bytes (UTF-16/32, EBCDIC ...).
    /// </summary>
    private static Charset? ResolveUsableLabel(string? label, string source, List<string> warnings)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return null;
        }

        var charset = ResolveLabel(label);
        if (charset is null)
        {
            warnings.Add($"unknown charset \"{label}\" in the {source}; ignored");
            return null;
        }

        if (Family(charset) is 1200 or 12000)
        {
            // Common with .NET producers: an XmlWriter over a StringWriter declares utf-16, then the string is
            // saved as UTF-8. The zero-byte check already ruled UTF-16/32 out.
            warnings.Add($"the {source} says \"{label}\" but the bytes are not UTF-16 or UTF-32; ignored");
            return null;
        }

        if (!IsAsciiCompatible(charset))
        {
            warnings.Add($"the {source} says \"{label}\", which does not encode ASCII markup as ASCII; ignored");
            return null;
        }

        return charset;
    }

    private static bool IsAsciiCompatible(Charset charset)
    {
        if (charset == Utf8Charset || charset == Windows1252Charset)
        {
            return true;
        }

        // Decoding must give back the same ASCII markup (EBCDIC, UTF-7 ... do not).
        const string Probe = "<?xml version=\"1.0\" encoding=\"x\"?><rss>AZaz09</rss>";
        var encoding = Encoding.GetEncoding(charset.CodePage, EncoderFallback.ReplacementFallback, ReplacementFallback);
        return encoding.GetString(Encoding.ASCII.GetBytes(Probe)) == Probe;
    }

    /// <summary>
    /// Maps a charset label to an encoding: our WHATWG-style table first, then whatever .NET knows, then
    /// <c>cpNNNN</c>-style numbers. Returns <see langword="null"/> for unknown labels; never throws.
    /// </summary>
    private static Charset? ResolveLabel(string label)
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
        65001 => Utf8Charset,
        1200 => Utf16LeCharset,
        1201 => Utf16BeCharset,
        12000 => Utf32LeCharset,
        12001 => Utf32BeCharset,
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
        Add(Utf8Charset, "utf-8 utf8 u8 unicode-1-1-utf-8 unicode11utf8 unicode20utf8 x-unicode20utf8");
        Add(Utf16LeCharset, "utf-16 utf16 u16 utf-16le ucs-2 iso-10646-ucs-2 csunicode unicode unicodefeff");
        Add(Utf16BeCharset, "utf-16be unicodefffe");
        Add(Utf32LeCharset, "utf-32 utf32 u32 utf-32le ucs-4 iso-10646-ucs-4");
        Add(Utf32BeCharset, "utf-32be");

        // US-ASCII and ISO-8859-1 are windows-1252 in every browser; real "Latin-1" feeds use its smart quotes.
        Add(Windows1252Charset, "windows-1252 x-cp1252 cp1252 ms1252 iso-8859-1 iso8859-1 iso_8859-1 iso_8859-1:1987 "
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
    private static string? ParseCharsetParameter(string? contentType)
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

    /// <summary>Reads the declaration's encoding from the bytes of an ASCII-compatible document.</summary>
    private static string? SniffDeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        var head = bytes[..Math.Min(bytes.Length, DeclarationScanLimit)];
        Span<char> chars = stackalloc char[head.Length];

        // Byte-for-char (Latin-1) is exact for the ASCII declaration and cannot fail on the rest.
        for (var i = 0; i < head.Length; i++)
        {
            chars[i] = (char)head[i];
        }

        return TryFindEncodingValue(chars, out var start, out var length, out _)
            ? chars.Slice(start, length).ToString()
            : null;
    }

    /// <summary>
    /// Finds the value of the <c>encoding</c> pseudo-attribute in a leading <c>&lt;?xml ...?&gt;</c>, leniently:
    /// leading whitespace, either quote, or (invalid but seen) no quotes at all.
    /// </summary>
    private static bool TryFindEncodingValue(ReadOnlySpan<char> head, out int start, out int length, out bool quoted)
    {
        start = length = 0;
        quoted = false;

        var i = 0;
        while (i < head.Length && IsXmlSpace(head[i]))
        {
            i++;
        }

        if (!head[i..].StartsWith("<?xml", StringComparison.Ordinal) || i + 5 >= head.Length || !IsXmlSpace(head[i + 5]))
        {
            return false;
        }

        var declarationEnd = head[i..].IndexOf("?>", StringComparison.Ordinal);
        if (declarationEnd < 0)
        {
            return false;
        }

        var end = i + declarationEnd;
        var searchFrom = i + 5;
        while (searchFrom < end)
        {
            var found = head[searchFrom..end].IndexOf("encoding", StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }

            var nameStart = searchFrom + found;
            var p = nameStart + "encoding".Length;
            searchFrom = p;
            if (!IsXmlSpace(head[nameStart - 1]))
            {
                continue;
            }

            while (p < end && IsXmlSpace(head[p]))
            {
                p++;
            }

            if (p >= end || head[p] != '=')
            {
                continue;
            }

            p++;
            while (p < end && IsXmlSpace(head[p]))
            {
                p++;
            }

            if (p >= end)
            {
                return false;
            }

            if (head[p] is '"' or '\'')
            {
                var close = head[(p + 1)..end].IndexOf(head[p]);
                if (close < 0)
                {
                    return false;
                }

                (start, length, quoted) = (p + 1, close, true);
                return true;
            }

            var valueEnd = p;
            while (valueEnd < end && !IsXmlSpace(head[valueEnd]))
            {
                valueEnd++;
            }

            (start, length) = (p, valueEnd - p);
            return true;
        }

        return false;
    }

    private static bool IsXmlSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    /// <summary>
    /// Guesses the legacy encoding of bytes that are not UTF-8 and carry no usable label, so that an undeclared
    /// Shift_JIS or KOI8-R feed does not come out as windows-1252 mojibake. Deliberately small and conservative:
    /// windows-1252 wins unless another candidate is clearly more plausible.
    /// </summary>
    /// <remarks>
    /// Each candidate is scored on how natural the resulting text would be, from the structure of the writing
    /// systems rather than from large frequency tables:
    /// <list type="bullet">
    /// <item>
    /// Single-byte code pages (windows-1252/1251/1253/1255/1256/874, KOI8-R): words must not mix scripts, must be lower-case,
    /// Capitalised or UPPER-CASE (KOI8-R read as windows-1251 and vice versa swaps the case of every letter),
    /// Hebrew final forms must end words, combining marks must follow a letter, and common letters of the
    /// language score higher than rare ones. For windows-1252, accented letters must sit inside mostly-ASCII
    /// words ("forêt"), which is what tells Western text from Cyrillic or CJK bytes read as Latin-1.
    /// </item>
    /// <item>
    /// CJK encodings are walked byte by byte using their code layouts: Hangul syllables in short, space-separated
    /// runs say EUC-KR; kana says Japanese (and rules Chinese out); the first-level (most frequent) hanzi or
    /// kanji blocks score higher than the second level; symbols, kana-in-Chinese and invalid sequences cost.
    /// </item>
    /// </list>
    /// Undefined bytes, C1 controls and private-use characters cost the most. Central European (windows-1250)
    /// is not a candidate: read as windows-1252 it looks just as plausible without per-language letter tables.
    /// </remarks>
    private static class LegacyEncodingGuesser
    {
        /// <summary>At most this much of the document is judged, which keeps the guess cheap on large feeds.</summary>
        private const int SampleLimit = 64 * 1024;

        /// <summary>This many non-ASCII bytes (a few thousand characters of text) are plenty to judge.</summary>
        private const int EvidenceLimit = 8 * 1024;

        /// <summary>How much better than windows-1252 another candidate must score.</summary>
        private const double Margin = 2;

        private static readonly (Charset Charset, Script Script)[] AlphabeticCandidates =
        [
            (new Charset("windows-1251", 1251), Script.Cyrillic),
            (new Charset("koi8-r", 20866), Script.Cyrillic),
            (new Charset("windows-1253", 1253), Script.Greek),
            (new Charset("windows-1255", 1255), Script.Hebrew),
            (new Charset("windows-1256", 1256), Script.Arabic),
            (new Charset("windows-874", 874), Script.Thai),
        ];

        private static readonly (Charset Charset, CjkScheme Scheme)[] CjkCandidates =
        [
            (new Charset("shift_jis", 932), CjkScheme.ShiftJis),
            (new Charset("euc-jp", 51932), CjkScheme.EucJp),
            (new Charset("euc-kr", 949), CjkScheme.EucKr),
            (new Charset("gb18030", 54936), CjkScheme.Gb),
            (new Charset("big5", 950), CjkScheme.Big5),
        ];

        private enum Script : byte
        {
            Other,
            Latin,
            Greek,
            Cyrillic,
            Hebrew,
            Arabic,
            Thai,
        }

        private enum CjkScheme : byte
        {
            ShiftJis,
            EucJp,
            EucKr,
            Gb,
            Big5,
        }

        private enum CjkClass : byte
        {
            Ascii,
            Punctuation,
            Kana,
            HalfwidthKana,
            Hangul,
            RareHangul,
            Jamo,
            Han,
            RareHan,
            Foreign,
            Invalid,
        }

        public static Charset Guess(ReadOnlySpan<byte> bytes)
        {
            var sample = Sample(bytes);
            var baseline = ScoreAlphabetic(sample, Windows1252Charset, Script.Latin);
            var (best, bestScore) = (Windows1252Charset, baseline);

            foreach (var (charset, script) in AlphabeticCandidates)
            {
                var score = ScoreAlphabetic(sample, charset, script);
                if (score > bestScore)
                {
                    (best, bestScore) = (charset, score);
                }
            }

            foreach (var (charset, scheme) in CjkCandidates)
            {
                var score = ScoreCjk(sample, scheme);
                if (score > bestScore)
                {
                    (best, bestScore) = (charset, score);
                }
            }

            return bestScore > Math.Max(0, baseline) + Margin ? best : Windows1252Charset;
        }

        /// <summary>
        /// The start of the document, up to <see cref="SampleLimit"/> bytes or <see cref="EvidenceLimit"/> non-ASCII
        /// bytes, whichever comes first, cut after an ASCII byte so that no character is split.
        /// </summary>
        private static ReadOnlySpan<byte> Sample(ReadOnlySpan<byte> bytes)
        {
            var limit = Math.Min(bytes.Length, SampleLimit);
            var end = 0;
            for (var seen = 0; seen < EvidenceLimit; seen++)
            {
                var next = bytes[end..limit].IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
                if (next < 0)
                {
                    end = limit;
                    break;
                }

                end += next + 1;
            }

            if (end == bytes.Length)
            {
                return bytes;
            }

            var lastAscii = bytes[..end].LastIndexOfAnyInRange((byte)0x00, (byte)0x7F);
            return lastAscii > 0 ? bytes[..(lastAscii + 1)] : bytes[..end];
        }

        private static double ScoreAlphabetic(ReadOnlySpan<byte> sample, Charset charset, Script script)
        {
            var text = Encoding.GetEncoding(charset.CodePage, EncoderFallback.ReplacementFallback, ReplacementFallback)
                .GetString(sample);

            var score = 0.0;
            var word = default(WordScore);
            var i = 0;
            while (i < text.Length)
            {
                if (word.IsEmpty && text[i] < '\u0080')
                {
                    // Skip ASCII (markup, mostly) in bulk: only words holding non-ASCII letters score. Resume at the
                    // ASCII letters just before the next non-ASCII character, as they belong to its word.
                    var next = text.AsSpan(i).IndexOfAnyExceptInRange('\u0000', '\u007F');
                    if (next < 0)
                    {
                        break;
                    }

                    var wordStart = i + next;
                    while (wordStart > i && char.IsAsciiLetter(text[wordStart - 1]))
                    {
                        wordStart--;
                    }

                    i = wordStart;
                }

                var c = text[i++];
                var isLetter = char.IsLetter(c);
                if (isLetter || IsCombiningMark(c))
                {
                    word.Add(c, isMark: !isLetter, script);
                    continue;
                }

                score += word.Finish(script);
                if (c >= '\u0080')
                {
                    score += ScoreNonLetter(c, script);
                }
            }

            return score + word.Finish(script);
        }

        private static double ScoreNonLetter(char c, Script script)
        {
            if (IsGarbage(c))
            {
                return -10;
            }

            if (IsCommonPunctuation(c) || (script != Script.Latin && ScriptOf(c) == script))
            {
                return 0;
            }

            return -2;
        }

        /// <summary>What no real text contains: C1 controls, private use (where .NET puts undefined bytes), U+FFFD.</summary>
        private static bool IsGarbage(char c) =>
            c is (>= '\u0080' and <= '\u009F') or (>= '\uE000' and <= '\uF8FF') or '\uFFFD'
            || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.OtherNotAssigned or UnicodeCategory.Control
                or UnicodeCategory.Surrogate;

        /// <summary>Punctuation every legacy code page shares and real text uses: quotes, dashes, ellipsis, nbsp ...</summary>
        private static bool IsCommonPunctuation(char c) =>
            c is (>= '\u2010' and <= '\u2027') or (>= '\u200B' and <= '\u200F')
                or '\u00A0' or '\u00A1' or '\u00A3' or '\u00A7' or '\u00A9' or '\u00AB' or '\u00AE' or '\u00B0'
                or '\u00B7' or '\u00BB' or '\u00BF' or '\u2030' or '\u2039' or '\u203A' or '\u20AC' or '\u2116'
                or '\u2122';

        private static bool IsCombiningMark(char c) =>
            CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

        private static bool IsThaiConsonant(char c) => c is >= '\u0E01' and <= '\u0E2E';

        private static Script ScriptOf(char c) => c switch
        {
            < '\u0080' or '\u00AA' or '\u00B5' or '\u00BA' => Script.Latin,
            (>= '\u00C0' and <= '\u024F') and not ('\u00D7' or '\u00F7') => Script.Latin,
            >= '\u1E00' and <= '\u1EFF' => Script.Latin,
            >= '\u0370' and <= '\u03FF' => Script.Greek,
            >= '\u0400' and <= '\u052F' => Script.Cyrillic,
            >= '\u0590' and <= '\u05FF' => Script.Hebrew,
            >= '\u0600' and <= '\u06FF' => Script.Arabic,
            >= '\u0E00' and <= '\u0E7F' => Script.Thai,
            _ => Script.Other,
        };

        /// <summary>
        /// 1 for a plausible letter, adjusted by how common it is in the language (roughly: more than 4.5%,
        /// 1.5-4.5%, 0.5-1.5%, rarer). A wrong code page permutes letters, so its text is full of rare ones.
        /// </summary>
        private static double LetterWeight(char c, Script script)
        {
            var lower = char.ToLowerInvariant(c);
            var (common, frequent, uncommon, rare) = script switch
            {
                Script.Cyrillic => ("оеаинтсрв", "лкмдпуяыьгзб", "чйхжшюі", "цщэфъё"),
                Script.Greek => ("αοιετσςνη", "υρπκμλ", "ωδγχθφβ", "ξζψ"),
                Script.Hebrew => ("יוהלארת", "מבשענדכחקםפסן", "גטצזך", "ףץ"),
                Script.Thai => ("านรอกเงมยลวดท่้", "สตะีิัไแคบปขหพจใโำุูึื็์ช", "ซถผฝฟภศษฮญณธฉฐฒฑฤๆฯ", "ฃฅฆฌฎฏฦฬๅ๎๏"),
                _ => (string.Empty, string.Empty, string.Empty, string.Empty),
            };

            if (common.Length == 0)
            {
                return 1;
            }

            lower = lower switch
            {
                'ά' => 'α',
                'έ' => 'ε',
                'ή' => 'η',
                'ί' or 'ϊ' or 'ΐ' => 'ι',
                'ό' => 'ο',
                'ύ' or 'ϋ' or 'ΰ' => 'υ',
                'ώ' => 'ω',
                _ => lower,
            };

            return 1 + lower switch
            {
                _ when common.Contains(lower, StringComparison.Ordinal) => 1,
                _ when frequent.Contains(lower, StringComparison.Ordinal) => 0.25,
                _ when uncommon.Contains(lower, StringComparison.Ordinal) => -0.75,
                _ when rare.Contains(lower, StringComparison.Ordinal) => -1.5,

                // Vowel points and the like are not in the tables; letters missing from them are rare ones.
                _ when IsCombiningMark(c) => 0,
                _ => -0.75,
            };
        }

        /// <summary>Accumulates one word (a run of letters and combining marks) and judges whether it looks real.</summary>
        private struct WordScore
        {
            private int _ascii;
            private int _native;
            private int _foreign;
            private int _length;
            private int _nonAsciiRun;
            private int _longestNonAsciiRun;
            private int _upper;
            private bool _sawLower;
            private bool _badShape;
            private bool _afterFinalForm;
            private double _weight;
            private char _previous;

            public void Add(char c, bool isMark, Script script)
            {
                if (c < '\u0080')
                {
                    _ascii++;
                    _nonAsciiRun = 0;
                }
                else
                {
                    _longestNonAsciiRun = Math.Max(_longestNonAsciiRun, ++_nonAsciiRun);
                    if (ScriptOf(c) == script)
                    {
                        _native++;
                        _weight += LetterWeight(c, script);
                    }
                    else
                    {
                        _foreign++;
                    }
                }

                if (script == Script.Cyrillic)
                {
                    // The soft sign and yery follow a consonant: never first in a word, never after a vowel.
                    _badShape |= char.ToLowerInvariant(c) is 'ь' or 'ы'
                        && (_length == 0 || char.ToLowerInvariant(_previous) is 'а' or 'е' or 'ё' or 'и' or 'о' or 'у'
                            or 'ы' or 'э' or 'ю' or 'я' or 'ь' or 'ъ' or 'й' or 'і' or 'ї' or 'є');
                }
                else if (script == Script.Thai)
                {
                    // Thai vowel and tone marks sit on a consonant (possibly after another mark); a leading vowel
                    // (เ แ โ ใ ไ) is followed by a consonant. Other bytes read as Thai break these at once.
                    _badShape |= (isMark && !IsThaiConsonant(_previous) && !IsCombiningMark(_previous))
                        || (_previous is >= '\u0E40' and <= '\u0E44' && !IsThaiConsonant(c));
                }

                _previous = c;
                if (isMark)
                {
                    // A combining mark cannot start a word.
                    _badShape |= _length == 0;
                }
                else
                {
                    // Hebrew final forms and Greek final sigma only end words.
                    _badShape |= _afterFinalForm;
                    _afterFinalForm = c is 'ך' or 'ם' or 'ן' or 'ף' or 'ץ' or 'ς';

                    // Allowed: lower, Capitalised, UPPER. Swapped-case code pages (KOI8-R vs windows-1251) fail here.
                    if (char.IsUpper(c))
                    {
                        _badShape |= _sawLower;
                        _upper++;
                    }
                    else if (char.IsLower(c))
                    {
                        _badShape |= _upper >= 2;
                        _sawLower = true;
                    }
                }

                _length++;
            }

            public readonly bool IsEmpty => _length == 0;

            public double Finish(Script script)
            {
                if (_length == 0)
                {
                    return 0;
                }

                var score = 0.0;
                if (_native + _foreign > 0)
                {
                    var implausible = _badShape || _foreign > 0 || (script == Script.Latin
                        ? (_ascii == 0 && _native >= 3) || _longestNonAsciiRun >= 3
                        : _ascii > 0);

                    // Thai and Arabic code pages are nearly all letters, so any byte soup reads as "letters": weaker
                    // evidence per letter.
                    var evidence = script is Script.Thai or Script.Arabic ? 0.5 : 1.0;
                    score = implausible ? -2.0 * (_native + _foreign) : evidence * _weight;
                }

                this = default;
                return score;
            }
        }

        private static double ScoreCjk(ReadOnlySpan<byte> sample, CjkScheme scheme)
        {
            int punctuation = 0, kana = 0, halfwidthKana = 0, jamo = 0, han = 0, rareHan = 0, foreign = 0, invalid = 0;
            int runHangul = 0, runRareHangul = 0, runHan = 0, runLength = 0, doubleByte = 0, lowTrail = 0;
            var hangulScore = 0.0;
            while (true)
            {
                // ASCII (markup, mostly) only ends a run of Hangul: skip it in bulk.
                var next = sample.IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
                if (next != 0)
                {
                    CloseRun();
                    if (next < 0)
                    {
                        break;
                    }

                    sample = sample[next..];
                }

                var (kind, length) = NextCharacter(sample, scheme);
                if (length == 2)
                {
                    doubleByte++;
                    lowTrail += sample[1] < 0xA1 ? 1 : 0;
                }

                sample = sample[length..];
                switch (kind)
                {
                    case CjkClass.Hangul:
                        runHangul++;
                        break;
                    case CjkClass.RareHangul:
                        runRareHangul++;
                        break;
                    case CjkClass.Han:
                        han++;
                        runHan++;
                        break;
                    case CjkClass.RareHan:
                        rareHan++;
                        runHan++;
                        break;
                    case CjkClass.Kana:
                        kana++;
                        break;
                    case CjkClass.HalfwidthKana:
                        halfwidthKana++;
                        break;
                    case CjkClass.Jamo:
                        jamo++;
                        break;
                    default:
                        punctuation += kind == CjkClass.Punctuation ? 1 : 0;
                        foreign += kind == CjkClass.Foreign ? 1 : 0;
                        invalid += kind == CjkClass.Invalid ? 1 : 0;
                        CloseRun();
                        continue;
                }

                runLength++;
            }

            CloseRun();

            var penalties = (2.0 * foreign) + (10.0 * invalid);
            return scheme switch
            {
                // Japanese prose is a third kana or more; without kana, kanji are as likely Chinese.
                CjkScheme.ShiftJis or CjkScheme.EucJp =>
                    (0.5 * punctuation) + (2.0 * kana) - halfwidthKana - penalties
                    + ((kana >= 0.05 * (kana + han + rareHan) ? 1.0 : 0.25) * (han + (0.25 * rareHan))),
                CjkScheme.EucKr => (0.5 * punctuation) + hangulScore - (3.0 * kana) - (2.0 * jamo) - penalties,
                CjkScheme.Gb => (0.5 * punctuation) + (1.5 * han) + (0.25 * rareHan) - (3.0 * kana) - penalties,

                // About half of all Big5 characters have a trail byte below 0xA1; EUC-JP/EUC-KR/GB2312 text never
                // does. A "Big5" text without any is one of those, read in the wrong code layout.
                _ => ((doubleByte >= 8 && lowTrail == 0 ? 0.25 : 1.0) * ((0.5 * punctuation) + (1.5 * han) + (0.25 * rareHan)))
                    - (3.0 * kana) - penalties,
            };

            // Korean separates words with spaces and rarely mixes hanja into a word; Chinese or Japanese bytes read
            // as EUC-KR give long runs that mix "Hangul" with "hanja".
            void CloseRun()
            {
                if (runHan == 0 && runLength <= 12)
                {
                    hangulScore += (2.5 * runHangul) + (0.1 * runRareHangul);
                }

                runHangul = runRareHangul = runHan = runLength = 0;
            }
        }

        /// <summary>Classifies the next character of a CJK multi-byte encoding from its code layout.</summary>
        private static (CjkClass Kind, int Length) NextCharacter(ReadOnlySpan<byte> s, CjkScheme scheme)
        {
            var lead = s[0];
            if (lead < 0x80)
            {
                return (CjkClass.Ascii, 1);
            }

            var trail = s.Length > 1 ? s[1] : (byte)0;
            var isHighTrail = trail is >= 0xA1 and <= 0xFE;
            switch (scheme)
            {
                case CjkScheme.ShiftJis:
                    if (lead is >= 0xA1 and <= 0xDF)
                    {
                        return (CjkClass.HalfwidthKana, 1);
                    }

                    if (lead is (>= 0x81 and <= 0x9F) or (>= 0xE0 and <= 0xFC)
                        && trail is (>= 0x40 and <= 0x7E) or (>= 0x80 and <= 0xFC))
                    {
                        var row = ((lead <= 0x9F ? lead - 0x81 : lead - 0xC1) * 2) + 1 + (trail >= 0x9F ? 1 : 0);
                        return (JisRow(row), 2);
                    }

                    break;

                case CjkScheme.EucJp:
                    if (lead == 0x8E && trail is >= 0xA1 and <= 0xDF)
                    {
                        return (CjkClass.HalfwidthKana, 2);
                    }

                    if (lead == 0x8F && isHighTrail && s.Length > 2 && s[2] is >= 0xA1 and <= 0xFE)
                    {
                        return (CjkClass.RareHan, 3);
                    }

                    if (lead is >= 0xA1 and <= 0xFE && isHighTrail)
                    {
                        return (JisRow(lead - 0xA0), 2);
                    }

                    break;

                case CjkScheme.EucKr:
                    if (lead is >= 0xA1 and <= 0xFE && isHighTrail)
                    {
                        return (lead switch
                        {
                            <= 0xA3 => CjkClass.Punctuation,
                            0xA4 => CjkClass.Jamo,
                            0xAA or 0xAB => CjkClass.Kana,
                            >= 0xB0 and <= 0xC8 => CjkClass.Hangul,
                            >= 0xCA and <= 0xFD => CjkClass.Han,
                            _ => CjkClass.Foreign,
                        }, 2);
                    }

                    // Windows-949 (UHC) extension: the Hangul syllables EUC-KR lacks.
                    if (lead is >= 0x81 and <= 0xC6 && trail is (>= 0x41 and <= 0x5A) or (>= 0x61 and <= 0x7A) or (>= 0x81 and <= 0xFE))
                    {
                        return (CjkClass.RareHangul, 2);
                    }

                    break;

                case CjkScheme.Gb:
                    if (lead == 0x80)
                    {
                        // The euro sign in GBK and GB18030.
                        return (CjkClass.Punctuation, 1);
                    }

                    if (lead is >= 0x81 and <= 0xFE && trail is >= 0x30 and <= 0x39)
                    {
                        return s.Length > 3 && s[2] is >= 0x81 and <= 0xFE && s[3] is >= 0x30 and <= 0x39
                            ? (CjkClass.Foreign, 4)
                            : (CjkClass.Invalid, 1);
                    }

                    if (lead is >= 0x81 and <= 0xFE && trail is (>= 0x40 and <= 0x7E) or (>= 0x80 and <= 0xFE))
                    {
                        return (!isHighTrail ? CjkClass.RareHan : lead switch
                        {
                            0xA1 or 0xA3 => CjkClass.Punctuation,
                            0xA4 or 0xA5 => CjkClass.Kana,
                            >= 0xB0 and <= 0xD7 => CjkClass.Han,
                            >= 0xD8 and <= 0xF7 => CjkClass.RareHan,
                            < 0xA1 => CjkClass.RareHan,
                            _ => CjkClass.Foreign,
                        }, 2);
                    }

                    break;

                case CjkScheme.Big5:
                    if (lead is >= 0xA1 and <= 0xF9 && trail is (>= 0x40 and <= 0x7E) or (>= 0xA1 and <= 0xFE))
                    {
                        return (((lead << 8) | trail) switch
                        {
                            < 0xA344 => CjkClass.Punctuation,
                            >= 0xA440 and <= 0xC67E => CjkClass.Han,
                            >= 0xC940 and <= 0xF9D5 => CjkClass.RareHan,
                            _ => CjkClass.Foreign,
                        }, 2);
                    }

                    break;
            }

            return (CjkClass.Invalid, 1);
        }

        /// <summary>What a row of the JIS X 0208 table holds (Shift_JIS and EUC-JP share it).</summary>
        private static CjkClass JisRow(int row) => row switch
        {
            <= 3 => CjkClass.Punctuation,
            4 or 5 => CjkClass.Kana,
            >= 16 and <= 47 => CjkClass.Han,
            (>= 48 and <= 84) or (>= 115 and <= 120) => CjkClass.RareHan,
            _ => CjkClass.Foreign,
        };
    }

    /// <summary>An encoding as FeedHub reports it: a WHATWG-style name and the .NET code page that decodes it.</summary>
    private sealed record Charset(string Name, int CodePage);
}
