namespace FeedHub.Cli;

/// <summary>
/// Progress on stderr: a bar redrawn in place on a terminal, one line per step when stderr is a file or
/// a pipe (logs and CI keep a readable record). Safe to call from several tasks.
/// </summary>
public sealed class ProgressBar(TextWriter error, int total, string verb, bool interactive)
{
    private const int Width = 30;
    private readonly Lock _lock = new();
    private int _done;

    /// <summary>Stderr, redrawn in place only when it is a terminal.</summary>
    public static ProgressBar ForConsole(int total, string verb) => new(Console.Error, total, verb, !Console.IsErrorRedirected);

    /// <summary>Counts one step as finished, with a word on how it went.</summary>
    public void Step(string what, string result)
    {
        lock (_lock)
        {
            _done++;
            if (interactive)
            {
                var filled = total == 0 ? Width : _done * Width / total;
                var label = what.Length > 40 ? what[..39] + "…" : what;
                error.Write($"\r[{new string('#', filled)}{new string('-', Width - filled)}] {_done}/{total} {verb} {label,-40}");
                if (_done == total)
                {
                    error.WriteLine();
                }
            }
            else
            {
                error.WriteLine($"[{_done}/{total}] {what}: {result}");
            }
        }
    }
}
