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
    private const string HttpSource = "HTTP charset";

    private const string DeclarationSource = "XML declaration";

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
            return new DecodedFeed(string.Empty, Charset.Utf8.Name, warnings);
        }

        var httpLabel = CharsetLabels.ParseCharsetParameter(contentType);
        var (text, charset) = DecodeCore(bytes, httpLabel, warnings);
        return new DecodedFeed(BomAndDeclaration.PrepareForXml(text), charset.Name, warnings);
    }

    private static (string Text, Charset Charset) DecodeCore(
        ReadOnlySpan<byte> bytes, string? httpLabel, List<string> warnings)
    {
        if (BomAndDeclaration.DetectByteOrderMark(bytes) is { } bom)
        {
            var body = bytes[bom.Length..];
            var text = bom.Charset == Charset.Utf8
                ? DecodeUtf8AfterBom(body, warnings)
                : DecodeWithCodePage(body, bom.Charset, warnings);
            NoteOverriddenLabels(httpLabel, text, bom.Charset, "the byte order mark", warnings);
            return (text, bom.Charset);
        }

        if (BomAndDeclaration.DetectWideEncoding(bytes) is { } wide)
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
        var declared = ResolveUsableLabel(BomAndDeclaration.SniffDeclaredEncoding(bytes), DeclarationSource, warnings);
        if (http is not null && declared is not null && http.CodePage != declared.CodePage)
        {
            // RFC 7303 section 3: the charset parameter is authoritative. Worth a note: one of them is wrong.
            warnings.Add($"the HTTP charset {http.Name} overrides the XML declaration's {declared.Name}");
        }

        var claimed = http ?? declared;
        var claimSource = http is not null ? HttpSource : DeclarationSource;

        if (Utf8.IsValid(bytes))
        {
            if (claimed is null || claimed == Charset.Utf8)
            {
                return (Encoding.UTF8.GetString(bytes), Charset.Utf8);
            }

            if (!Ascii.IsValid(bytes))
            {
                // Miniflux's rule: a legacy label on bytes that are valid UTF-8 with non-ASCII is a mislabel
                // (typically Apache's AddDefaultCharset ISO-8859-1, or a CMS template saying windows-1251 over
                // UTF-8 content). A real legacy text that forms only valid UTF-8 sequences is vanishingly rare:
                // Latin-1 would need every accented capital to be followed by a C1/symbol byte, and Cyrillic or
                // CJK lead bytes are mostly not even UTF-8 lead/continuation pairs.
                warnings.Add($"the {claimSource} says {claimed.Name} but the bytes are valid utf-8; read as utf-8");
                return (Encoding.UTF8.GetString(bytes), Charset.Utf8);
            }

            // Pure ASCII: every ASCII-compatible encoding gives the same text, so honour the label.
            return (DecodeWithCodePage(bytes, claimed, warnings), claimed);
        }

        if (claimed is not null && claimed != Charset.Utf8)
        {
            return (DecodeWithCodePage(bytes, claimed, warnings), claimed);
        }

        // Either nothing usable was declared, or a label said UTF-8 and the bytes disagree.
        if (http == Charset.Utf8 && declared is not null && declared != Charset.Utf8)
        {
            // The server claims UTF-8 (often a blanket default) but the document itself names a legacy
            // encoding that fits the bytes: believe the document.
            warnings.Add($"the HTTP charset says utf-8 but the bytes are not valid utf-8; used the XML declaration's {declared.Name}");
            return (DecodeWithCodePage(bytes, declared, warnings), declared);
        }

        var what = claimed is null ? "no charset is declared and" : $"the {claimSource} says utf-8 but";
        var (validSequences, invalidSequences) = Utf8Repair.CountSequences(bytes);
        if (validSequences >= invalidSequences)
        {
            // Mostly real UTF-8 with a few stray legacy bytes (e.g. a UTF-8 template around Latin-1 content):
            // reading everything as windows-1252 would turn every good sequence into mojibake. Legacy text, on
            // the other hand, forms valid UTF-8 sequences only by accident, far fewer than its invalid ones.
            warnings.Add($"{what} {invalidSequences} byte sequence(s) are not valid utf-8; read those as windows-1252");
            return (Utf8Repair.Decode(bytes), Charset.Utf8);
        }

        var guess = LegacyEncodingGuesser.Guess(bytes);
        warnings.Add(claimed is null
            ? $"no charset is declared and the bytes are not valid utf-8; {(guess == Charset.Windows1252 ? "read as" : "guessed")} {guess.Name}"
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
        var (_, invalidSequences) = Utf8Repair.CountSequences(body);
        warnings.Add($"the byte order mark says utf-8 but {invalidSequences} byte sequence(s) are not valid utf-8; read those as windows-1252");
        return Utf8Repair.Decode(body);
    }

    private static string DecodeWithCodePage(ReadOnlySpan<byte> bytes, Charset charset, List<string> warnings)
    {
        var encoding = charset.GetStrictEncoding();
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
    /// For a BOM or byte-pattern decision: mentions labels that named a different encoding family, because that
    /// is a producer bug worth seeing (e.g. a UTF-8 file whose declaration still says utf-16).
    /// </summary>
    private static void NoteOverriddenLabels(
        string? httpLabel, string text, Charset used, string evidence, List<string> warnings)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, BomAndDeclaration.DeclarationScanLimit));
        var declaredLabel = BomAndDeclaration.TryFindEncodingValue(head, out var start, out var length, out _)
            ? head.Slice(start, length).ToString()
            : null;

        foreach (var (label, source) in new[] { (httpLabel, HttpSource), (declaredLabel, DeclarationSource) })
        {
            if (string.IsNullOrWhiteSpace(label))
            {
                continue;
            }

            var charset = CharsetLabels.Resolve(label);
            if (charset is null || charset.Family() != used.Family())
            {
                warnings.Add($"the {source} says \"{label}\" but {evidence} says {used.Name}; used {used.Name}");
            }
        }
    }

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

        var charset = CharsetLabels.Resolve(label);
        if (charset is null)
        {
            warnings.Add($"unknown charset \"{label}\" in the {source}; ignored");
            return null;
        }

        if (charset.Family() is 1200 or 12000)
        {
            // Common with .NET producers: an XmlWriter over a StringWriter declares utf-16, then the string is
            // saved as UTF-8. The zero-byte check already ruled UTF-16/32 out.
            warnings.Add($"the {source} says \"{label}\" but the bytes are not UTF-16 or UTF-32; ignored");
            return null;
        }

        if (!charset.IsAsciiCompatible())
        {
            warnings.Add($"the {source} says \"{label}\", which does not encode ASCII markup as ASCII; ignored");
            return null;
        }

        return charset;
    }
}
