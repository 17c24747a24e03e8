using System.Threading.RateLimiting;
using FeedHub.Configuration;

namespace FeedHub.Web.Authentication;

/// <summary>
/// The rate-limit partition of a request, by its authenticated caller (as TodoApi partitions by user): each partner
/// its own fixed one-minute window of RequestsPerMinute (0: none); operators and anonymous readers are not limited,
/// one partition each (a partition per client address would be a map that only grows).
/// </summary>
public static class CallerRateLimit
{
    public static RateLimitPartition<string> PartitionOf(HttpContext http, Catalog catalog)
    {
        var user = http.AuthenticatedUser();
        if (user?.PartnerIn(catalog) is { } partner)
        {
            // The limit is part of the partition: a reloaded limit takes effect at once.
            return partner.RequestsPerMinute == 0 ? RateLimitPartition.GetNoLimiter($"partner:{partner.Id}") : RateLimitPartition.GetFixedWindowLimiter(
                $"partner:{partner.Id}/{partner.RequestsPerMinute}",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = partner.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        }

        return RateLimitPartition.GetNoLimiter(user?.IsInRole(KeyAuthentication.AdminRole) == true ? KeyAuthentication.AdminRole : "anonymous");
    }
}
