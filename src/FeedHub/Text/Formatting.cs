using System.Globalization;

namespace FeedHub.Text;

/// <summary>Plain-text figures shared by the status page and the CLI: durations, sizes, relative times.</summary>
internal static class Formatting
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The source states, in the order troubles come first.</summary>
    public static readonly string[] States = ["failing", "backing-off", "pending", "healthy", "disabled"];

    /// <summary>A duration in the largest unit that reads well: 45 s, 12 min, 3 h 5 min, 2 d.</summary>
    public static string Duration(TimeSpan span) =>
        span < TimeSpan.FromMinutes(1) ? string.Create(Invariant, $"{Math.Max(0, (int)span.TotalSeconds)} s")
        : span < TimeSpan.FromHours(1) ? string.Create(Invariant, $"{(int)span.TotalMinutes} min")
        : span < TimeSpan.FromDays(2) ? string.Create(Invariant, $"{(int)span.TotalHours} h{(span.Minutes > 0 ? $" {span.Minutes} min" : string.Empty)}")
        : string.Create(Invariant, $"{(int)span.TotalDays} d");

    /// <summary>A size in KiB below a MiB, else in MiB.</summary>
    public static string Bytes(long bytes) =>
        bytes < 1024 * 1024 ? string.Create(Invariant, $"{bytes / 1024.0:0.#} KiB") : string.Create(Invariant, $"{bytes / (1024.0 * 1024):0.#} MiB");

    /// <summary>A time relative to <paramref name="now"/>: "3 min ago", "in 12 s", "now".</summary>
    public static string Relative(DateTimeOffset time, DateTimeOffset now)
    {
        var delta = time - now;
        return delta.Duration() < TimeSpan.FromSeconds(1) ? "now"
            : delta > TimeSpan.Zero ? "in " + Duration(delta)
            : Duration(-delta) + " ago";
    }
}
