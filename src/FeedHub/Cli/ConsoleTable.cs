namespace FeedHub.Cli;

/// <summary>A plain-text table for terminals: padded columns, a rule under the header, long cells cut with '…'.</summary>
public static class ConsoleTable
{
    /// <summary>Cells longer than this are cut (the full text is in --json).</summary>
    public const int MaxCellWidth = 60;

    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var cells = rows.Select(r => r.Select(c => Cut(c ?? string.Empty)).ToArray()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(r => i < r.Length ? r[i].Length : 0))).ToArray();
        WriteRow(output, headers, widths);
        WriteRow(output, [.. widths.Select(w => new string('-', w))], widths);
        foreach (var row in cells)
        {
            WriteRow(output, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, IReadOnlyList<string> cells, int[] widths)
    {
        var line = string.Join("  ", widths.Select((w, i) => (i < cells.Count ? cells[i] : string.Empty).PadRight(w)));
        output.WriteLine(line.TrimEnd());
    }

    private static string Cut(string text)
    {
        var single = text.ReplaceLineEndings(" ");
        return single.Length <= MaxCellWidth ? single : single[..(MaxCellWidth - 1)] + "…";
    }
}
