using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FeedHub.Ingest;

/// <summary>
/// Where ingest does its CPU work (hash, parse, sanitise, store): dedicated threads that run at a lower OS
/// priority than the threads answering requests (nice +10 on Linux). A big ingest then takes whatever CPU
/// readers leave instead of making them queue behind it on the shared thread pool; with nothing to serve,
/// it still gets every core.
/// </summary>
public static class BackgroundCpu
{
    /// <summary>How much lower than the request threads the ingest threads run (a Linux nice value).</summary>
    public const int NiceIncrement = 10;

    /// <summary>One thread per core; ingest work never runs inline on a request thread.</summary>
    public static TaskScheduler Scheduler { get; } = new LowPriorityScheduler(Environment.ProcessorCount);

    /// <summary>Continues the calling async method on an ingest thread: <c>await BackgroundCpu.SwitchTo();</c>.</summary>
    public static SwitchAwaitable SwitchTo() => default;

    /// <summary>Awaiting it moves the rest of the method onto <see cref="Scheduler"/>.</summary>
    public readonly struct SwitchAwaitable : ICriticalNotifyCompletion
    {
        public bool IsCompleted => TaskScheduler.Current == Scheduler;

        public SwitchAwaitable GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) =>
            Task.Factory.StartNew(continuation, CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler);

        public void UnsafeOnCompleted(Action continuation) => OnCompleted(continuation);
    }

    private sealed class LowPriorityScheduler : TaskScheduler
    {
        private readonly BlockingCollection<Task> _queue = [];
        private readonly int _threads;

        public LowPriorityScheduler(int threads)
        {
            _threads = threads;
            for (var i = 0; i < threads; i++)
            {
                new Thread(Run) { IsBackground = true, Name = $"FeedHub ingest {i + 1}" }.Start();
            }
        }

        public override int MaximumConcurrencyLevel => _threads;

        protected override void QueueTask(Task task) => _queue.Add(task);

        // Never run ingest work on the thread that asked for it (a request or timer thread).
        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
            TaskScheduler.Current == this && TryExecuteTask(task);

        protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

        private void Run()
        {
            NativeMethods.LowerCurrentThreadPriority(NiceIncrement);
            foreach (var task in _queue.GetConsumingEnumerable())
            {
                TryExecuteTask(task);
            }
        }
    }

    private static class NativeMethods
    {
        private const int PrioProcess = 0;

        /// <summary>Best effort: raises the nice value of the calling thread (Linux threads have their own).</summary>
        public static void LowerCurrentThreadPriority(int increment)
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            try
            {
                _ = SetPriority(PrioProcess, GetTid(), increment);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Another C library: the threads keep the normal priority.
            }
        }

        // Plain ints only: nothing to marshal, so DllImport needs no unsafe code.
        [DllImport("libc", EntryPoint = "gettid")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int GetTid();

        [DllImport("libc", EntryPoint = "setpriority")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int SetPriority(int which, int who, int priority);
    }
}
