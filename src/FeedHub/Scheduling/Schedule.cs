using System.Globalization;
using Quartz;

namespace FeedHub.Scheduling;

/// <summary>When a source is fetched: a Quartz cron expression or a short interval (30s, 15m, 2h, 1d).</summary>
public abstract record Schedule(string Text)
{
    /// <summary>The first time strictly after <paramref name="after"/> this schedule fires.</summary>
    public abstract DateTimeOffset NextAfter(DateTimeOffset after);

    /// <summary>Parses a schedule, or explains what is wrong with it.</summary>
    public static bool TryParse(string? text, out Schedule? schedule, out string? error)
    {
        schedule = null;
        error = null;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            error = "is empty; use a Quartz cron expression such as '0 0/10 * * * ?' or an interval such as 30s, 15m, 2h, 1d";
            return false;
        }

        if (TryParseInterval(value, out var interval))
        {
            if (interval < TimeSpan.FromSeconds(1))
            {
                error = $"'{value}' is shorter than one second";
                return false;
            }

            schedule = new IntervalSchedule(value, interval);
            return true;
        }

        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 6 or > 7)
        {
            error = $"'{value}' is neither an interval (30s, 15m, 2h, 1d) nor a Quartz cron expression: Quartz cron has 6 or 7 fields, seconds first (e.g. '0 0/10 * * * ?'), this has {fields.Length}";
            return false;
        }

        try
        {
            var cron = new CronExpression(value, TimeZoneInfo.Utc);
            if (cron.GetNextValidTimeAfter(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)) is null)
            {
                error = $"'{value}' never fires";
                return false;
            }

            schedule = new CronSchedule(value, cron);
            return true;
        }
        catch (FormatException e)
        {
            error = $"'{value}' is not a valid Quartz cron expression: {e.Message}";
            return false;
        }
    }

    /// <summary>Parses or throws <see cref="FormatException"/>.</summary>
    public static Schedule Parse(string text) =>
        TryParse(text, out var schedule, out var error) ? schedule! : throw new FormatException($"schedule {error}");

    private static bool TryParseInterval(string value, out TimeSpan interval)
    {
        interval = default;
        if (value.Length < 2 || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        TimeSpan? unit = char.ToLowerInvariant(value[^1]) switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            _ => null,
        };
        if (unit is null || amount > 366 * 24 * 3600)
        {
            return false;
        }

        interval = unit.Value * amount;
        return true;
    }
}

/// <summary>Every N seconds, minutes, hours or days after the previous fetch started.</summary>
public sealed record IntervalSchedule(string Text, TimeSpan Interval) : Schedule(Text)
{
    public override DateTimeOffset NextAfter(DateTimeOffset after) => after + Interval;
}

/// <summary>A Quartz cron expression, evaluated in UTC.</summary>
public sealed record CronSchedule(string Text, CronExpression Expression) : Schedule(Text)
{
    public override DateTimeOffset NextAfter(DateTimeOffset after) =>
        Expression.GetNextValidTimeAfter(after) ?? after + TimeSpan.FromDays(365);
}
