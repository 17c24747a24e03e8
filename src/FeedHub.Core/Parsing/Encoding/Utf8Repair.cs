using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace FeedHub.Core.Parsing;

/// <summary>
/// UTF-8 with stray legacy bytes (typically a UTF-8 template around Latin-1 content): the valid sequences are kept,
/// each byte of an invalid one is read as windows-1252.
/// </summary>
internal static class Utf8Repair
{
    /// <summary>What windows-1252 maps bytes 0x80-0x9F to (WHATWG keeps the five undefined ones as C1 controls).</summary>
    private const string Windows1252HighControls =
        "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
        "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

    /// <summary>
    /// Decodes UTF-8, reading each byte of an invalid sequence as windows-1252 instead of U+FFFD.
    /// </summary>
    internal static string Decode(ReadOnlySpan<byte> bytes)
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
    internal static (int Valid, int Invalid) CountSequences(ReadOnlySpan<byte> bytes)
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
}
