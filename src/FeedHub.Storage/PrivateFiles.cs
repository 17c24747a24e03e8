namespace FeedHub.Storage;

/// <summary>
/// Files that hold what readers must not see (the database with its stats secret and partner-only items, its
/// -wal and -shm, backups, sources.d files) are the owner's alone: created 0600, their folder 0700 when FeedHub
/// creates it, whatever the process umask. On Windows the folder's ACL applies and these are no-ops.
/// </summary>
public static class PrivateFiles
{
    /// <summary>Read and write for the owner only (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Read, write and enter for the owner only (0700).</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupAndOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="folder"/> (and missing parents) 0700 when it is missing; an existing folder is left as it is.</summary>
    public static void CreateFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, FolderMode);
        }
    }

    /// <summary>Creates <paramref name="path"/> empty and 0600 when it does not exist yet (an existing file is left alone).</summary>
    public static void CreateEmpty(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        try
        {
            using var stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created meanwhile by someone else: Tighten deals with its mode.
        }
    }

    /// <summary>
    /// Takes group and other permissions off an existing file; returns the mode it had when it changed, null when it
    /// was already private or does not exist.
    /// </summary>
    public static UnixFileMode? Tighten(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupAndOthers) == 0)
        {
            return null;
        }

        File.SetUnixFileMode(path, mode & ~GroupAndOthers);
        return mode;
    }

    /// <summary>A mode as the four octal digits ls and chmod use, e.g. 0644.</summary>
    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8).PadLeft(3, '0');
}
