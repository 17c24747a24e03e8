using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace FeedHub.Configuration;

/// <summary>
/// Holds the running configuration — the table (<see cref="Current"/>) and the settings validated with it, which
/// services read as options (<see cref="CatalogOptions"/>) — and reloads it when the file or sources.d/ changes.
/// A valid edit replaces both at once (fires <see cref="GetReloadToken"/>, which refreshes the options, then raises
/// <see cref="Changed"/>); an invalid edit is logged and rejected, and the running configuration stays.
/// </summary>
public sealed partial class CatalogMonitor : IDisposable
{
    private readonly string[] _args;
    private readonly ILogger<CatalogMonitor> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly PhysicalFileProvider? _fileProvider;
    private readonly IDisposable? _watch;
    private readonly IDisposable? _folderWatch;
    private readonly Lock _reloadLock = new();
    private readonly ITimer? _poll;
    private ITimer? _debounce;
    private string _fingerprint;
    private ConfigurationReloadToken _reloadToken = new();
    private Running _running;

    public CatalogMonitor(Catalog initial, ServiceSettings settings, string[] args, ILogger<CatalogMonitor> logger, TimeProvider timeProvider, bool watch = true)
    {
        _running = new Running(initial, settings);
        _args = args;
        _logger = logger;
        _timeProvider = timeProvider;
        _fingerprint = Fingerprint(ConfigFiles(initial.ConfigPath));
        if (watch)
        {
            _fileProvider = new PhysicalFileProvider(Path.GetDirectoryName(initial.ConfigPath)!);
            var fileName = Path.GetFileName(initial.ConfigPath);
            _watch = ChangeToken.OnChange(() => _fileProvider.Watch(fileName), ScheduleReload);
            _folderWatch = ChangeToken.OnChange(() => _fileProvider.Watch($"{SourcesFolder.FolderName}/*.json"), ScheduleReload);
            _poll = timeProvider.CreateTimer(_ => ReloadIfChanged(), null, PollInterval, PollInterval);
        }
    }

    /// <summary>
    /// How often the files' sizes and times are compared as well: a watcher misses changes on some file
    /// systems (network shares, container bind mounts) and files written right after their folder is made.
    /// </summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>The table in force (sources, categories, partners).</summary>
    public Catalog Current => _running.Catalog;

    /// <summary>The settings in force, for <see cref="CatalogOptions"/> only: services read them as options.</summary>
    internal ServiceSettings Settings => _running.Settings;

    /// <summary>Why the last edit was rejected, or null when the file on disk is what runs.</summary>
    public IReadOnlyList<ConfigError>? LastRejection { get; private set; }

    /// <summary>How many problems the last rejected edit had (<see cref="LastRejection"/> keeps the first <see cref="ConfigLoader.MaxErrorsKept"/> and a line with the count of the others).</summary>
    public int LastRejectionCount { get; private set; }

    /// <summary>When the last reload was attempted.</summary>
    public DateTimeOffset? LastReloadAt { get; private set; }

    /// <summary>Fires once a valid edit took effect (before <see cref="Changed"/>); a rejected edit never fires it. Feeds <c>IOptionsMonitor</c> (<see cref="CatalogOptions"/>).</summary>
    public IChangeToken GetReloadToken() => _reloadToken;

    /// <summary>Raised after a valid edit took effect, with the previous and the new configuration.</summary>
    public event Action<Catalog, Catalog>? Changed;

    /// <summary>Reads the file again now; returns the errors when the edit is rejected.</summary>
    public IReadOnlyList<ConfigError> Reload()
    {
        lock (_reloadLock)
        {
            LastReloadAt = _timeProvider.GetUtcNow();
            var files = ConfigFiles(Current.ConfigPath);
            _fingerprint = Fingerprint(files);
            var result = ConfigLoader.Load(Current.ConfigPath, _args);
            ReleaseMemoryAfterLargeLoad(files);
            if (result.Config is null)
            {
                // At most ConfigLoader.MaxErrorsKept problems are kept and logged, then one line with the count of the others.
                LastRejection = result.ErrorsAndCount;
                LastRejectionCount = result.ErrorCount;
                foreach (var error in result.Errors)
                {
                    LogRejected(_logger, error.Path, error.Message);
                }

                if (result.Omitted > 0)
                {
                    LogRejectedMore(_logger, result.Omitted, ConfigLoader.MaxErrorsKept);
                }

                return result.ErrorsAndCount;
            }

            var previous = Current;
            _running = new Running(result.Config, result.Settings!);
            LastRejection = null;
            LastRejectionCount = 0;
            LogReloaded(_logger, result.Config.Sources.Count, result.Config.Categories.Count);
            Interlocked.Exchange(ref _reloadToken, new ConfigurationReloadToken()).OnReload();
            try
            {
                Changed?.Invoke(previous, result.Config);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogApplyFailed(_logger, e);
            }

            return [];
        }
    }

    /// <summary>
    /// Reading megabytes of configuration builds hundreds of megabytes of keys, options and errors that
    /// are garbage once the load is done; the server GC would keep that memory for the life of the process
    /// (a rejected 15 MiB file left it at 660 MB). After a large load, collect and give it back.
    /// </summary>
    private static void ReleaseMemoryAfterLargeLoad(IReadOnlyList<FileInfo> files)
    {
        const long large = 4L * 1024 * 1024;
        if (files.Sum(info => info.Exists ? info.Length : 0) >= large)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>Editors write a file in several steps: wait for it to settle before reading.</summary>
    private void ScheduleReload()
    {
        lock (_reloadLock)
        {
            _debounce?.Dispose();
            _debounce = _timeProvider.CreateTimer(_ => Reload(), null, TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan);
        }
    }

    private void ReloadIfChanged()
    {
        if (Fingerprint(ConfigFiles(Current.ConfigPath)) != _fingerprint)
        {
            ScheduleReload();
        }
    }

    /// <summary>The config file and sources.d/*.json, each looked at once (a <see cref="FileInfo"/> keeps what it read).</summary>
    private static FileInfo[] ConfigFiles(string configPath) => [.. SourcesFolder.AllFiles(configPath).Select(file => new FileInfo(file))];

    /// <summary>The names, sizes and write times of the config file and of sources.d/*.json.</summary>
    private static string Fingerprint(IEnumerable<FileInfo> files) =>
        string.Join('|', files.Select(info => info.Exists ? $"{info.FullName}:{info.Length}:{info.LastWriteTimeUtc.Ticks}" : info.FullName));

    /// <summary>A table and its settings, swapped as one reference so that no reader sees one without the other.</summary>
    private sealed record Running(Catalog Catalog, ServiceSettings Settings);

    public void Dispose()
    {
        _poll?.Dispose();
        _watch?.Dispose();
        _folderWatch?.Dispose();
        _fileProvider?.Dispose();
        _debounce?.Dispose();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Config edit rejected, the running configuration stays: {Key}: {Problem}")]
    private static partial void LogRejected(ILogger logger, string key, string problem);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Config edit rejected: … and {Omitted} more problems (only the first {Kept} are logged; check-config counts them all)")]
    private static partial void LogRejectedMore(ILogger logger, int omitted, int kept);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Config reloaded: {SourceCount} sources, {CategoryCount} categories")]
    private static partial void LogReloaded(ILogger logger, int sourceCount, int categoryCount);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Config reloaded but applying it failed")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception);
}
