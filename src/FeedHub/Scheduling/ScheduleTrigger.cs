using Quartz;

namespace FeedHub.Scheduling;

/// <summary>The one place a <see cref="Schedule"/> becomes a Quartz trigger.</summary>
public static class ScheduleTrigger
{
    /// <summary>A cron schedule fires on its expression in UTC; an interval fires now, then every interval (a missed run is skipped, not caught up).</summary>
    public static ITriggerConfigurator<TJob> OnSchedule<TJob>(this ITriggerConfigurator<TJob> trigger, Schedule schedule)
        where TJob : IJob
    {
        return schedule switch
        {
            CronSchedule cron => trigger.WithCronSchedule(cron.Text, c => c.InTimeZone(TimeZoneInfo.Utc)),
            IntervalSchedule interval => trigger.StartNow().WithSimpleSchedule(s => s
                .WithInterval(interval.Interval)
                .RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
            _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "neither a cron nor an interval schedule"),
        };
    }
}
