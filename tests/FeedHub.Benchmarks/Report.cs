using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FeedHub.Benchmarks;

/// <summary>One measured figure, its baseline measured in the same run, and the target it is held to.</summary>
public sealed record Figure(
    string Scenario,
    string Metric,
    double Value,
    string Unit,
    string? Baseline = null,
    double? BaselineValue = null,
    string? Target = null,
    bool? Met = null,
    string? Note = null)
{
    /// <summary>Value ÷ baseline (for "lower is better" units the caller passes the ratio the right way round).</summary>
    public double? Ratio => BaselineValue is > 0 ? Value / BaselineValue : null;
}

/// <summary>Collects figures and writes the report as a Markdown table and as JSON.</summary>
public sealed class Report
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly List<Figure> _figures = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public void Add(Figure figure)
    {
        _figures.Add(figure);
        Console.WriteLine($"  {figure.Scenario} · {figure.Metric}: {Format(figure.Value)} {figure.Unit}"
            + (figure.Baseline is null ? string.Empty : $" (baseline {figure.Baseline}: {Format(figure.BaselineValue ?? 0)}; ratio {figure.Ratio:0.00})")
            + (figure.Target is null ? string.Empty : $" — target {figure.Target}: {(figure.Met == true ? "met" : "missed")}"));
    }

    public async Task WriteAsync(string directory, IReadOnlyDictionary<string, string> environment)
    {
        Directory.CreateDirectory(directory);
        var json = JsonSerializer.Serialize(new { environment, figures = _figures }, JsonOptions);
        await File.WriteAllTextAsync(Path.Combine(directory, "report.json"), json);

        var markdown = new StringBuilder();
        markdown.AppendLine("| row | figure | value | baseline (same run) | ratio | target | met? |");
        markdown.AppendLine("|---|---|---:|---|---:|---|---|");
        foreach (var f in _figures)
        {
            markdown.Append("| ").Append(f.Scenario)
                .Append(" | ").Append(f.Metric)
                .Append(" | ").Append(Format(f.Value)).Append(' ').Append(f.Unit)
                .Append(" | ").Append(f.Baseline is null ? "—" : $"{f.Baseline}: {Format(f.BaselineValue ?? 0)}")
                .Append(" | ").Append(f.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—")
                .Append(" | ").Append(f.Target ?? "—")
                .Append(" | ").Append(f.Met switch { true => "met", false => "**missed**", null => "—" })
                .AppendLine(" |");
        }

        markdown.AppendLine();
        markdown.AppendLine("Environment: " + string.Join(", ", environment.Select(e => $"{e.Key} {e.Value}")));
        var notes = _figures.Where(f => f.Note is not null).ToList();
        if (notes.Count > 0)
        {
            markdown.AppendLine();
            foreach (var f in notes)
            {
                markdown.AppendLine(CultureInfo.InvariantCulture, $"- {f.Scenario} · {f.Metric}: {f.Note}");
            }
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "report.md"), markdown.ToString());
    }

    public static string Format(double value) =>
        value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
