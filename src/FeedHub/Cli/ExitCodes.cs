namespace FeedHub.Cli;

/// <summary>The exit codes of every command, for scripts.</summary>
public static class ExitCodes
{
    /// <summary>Done; nothing wrong.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and found problems: an invalid config (check-config), a failed fetch, feeds that failed the probe.</summary>
    public const int Problems = 1;

    /// <summary>The command could not run: invalid configuration, a missing or unreadable file, a database error.</summary>
    public const int CannotRun = 2;

    /// <summary>Wrong arguments (sysexits' EX_USAGE).</summary>
    public const int Usage = 64;
}
