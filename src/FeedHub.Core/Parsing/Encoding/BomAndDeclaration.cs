namespace FeedHub.Core.Parsing;

/// <summary>
/// What the document says about its own encoding: a byte order mark, the zero-byte pattern of UTF-16/32 (XML 1.0
/// appendix F) and the <c>encoding</c> of the XML declaration, which <see cref="PrepareForXml"/> rewrites to utf-8.
/// </summary>
internal static class BomAndDeclaration
{
    /// <summary>How far into the document the XML declaration is looked for (it must come first anyway).</summary>
    internal const int DeclarationScanLimit = 1024;

    /// <summary>
    /// Strips any leftover BOM character and makes the XML declaration say utf-8, because the text is no longer in
    /// the declared encoding and System.Xml readers may reject or misread a declaration that names another one.
    /// </summary>
    internal static string PrepareForXml(string text)
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

        if (quoted && head.Slice(valueStart, valueLength).Equals(Charset.Utf8.Name, StringComparison.OrdinalIgnoreCase))
        {
            return start == 0 ? text : text[start..];
        }

        // Only the value changes (an unquoted value, which XML forbids, gets quotes); the rest stays as it was.
        var replacement = quoted ? Charset.Utf8.Name : "\"utf-8\"";
        return string.Concat(
            text.AsSpan(start, valueStart),
            replacement,
            text.AsSpan(start + valueStart + valueLength));
    }

    internal static (Charset Charset, int Length)? DetectByteOrderMark(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (Charset.Utf8, 3),
        [0x00, 0x00, 0xFE, 0xFF, ..] => (Charset.Utf32Be, 4),

        // FF FE 00 00 could also be a UTF-16LE BOM followed by U+0000, which XML forbids: UTF-32LE it is.
        [0xFF, 0xFE, 0x00, 0x00, ..] => (Charset.Utf32Le, 4),
        [0xFE, 0xFF, ..] => (Charset.Utf16Be, 2),
        [0xFF, 0xFE, ..] => (Charset.Utf16Le, 2),
        _ => null,
    };

    /// <summary>
    /// XML spec appendix F: without a BOM, an XML document's first characters are ASCII ('&lt;' or whitespace),
    /// so the position of the zero bytes gives away UTF-16/32 and its byte order. Generalised from '&lt;?xm' to any
    /// ASCII start so that BOM-less UTF-16 without a declaration is recognised too.
    /// </summary>
    internal static Charset? DetectWideEncoding(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0, 0, 0, > 0 and < 0x80, ..] => Charset.Utf32Be,
        [> 0 and < 0x80, 0, 0, 0, ..] => Charset.Utf32Le,
        [0, > 0 and < 0x80, 0, > 0 and < 0x80, ..] => Charset.Utf16Be,
        [> 0 and < 0x80, 0, > 0 and < 0x80, 0, ..] => Charset.Utf16Le,
        [0, (byte)'<'] or [0, (byte)'<', _] => Charset.Utf16Be,
        [(byte)'<', 0] or [(byte)'<', 0, _] => Charset.Utf16Le,
        _ => null,
    };

    /// <summary>Reads the declaration's encoding from the bytes of an ASCII-compatible document.</summary>
    internal static string? SniffDeclaredEncoding(ReadOnlySpan<byte> bytes)
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
    internal static bool TryFindEncodingValue(ReadOnlySpan<char> head, out int start, out int length, out bool quoted)
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
}
