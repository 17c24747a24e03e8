using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;

namespace FeedHub.Tests.Publishing.Rendering;

/// <summary>
/// Every request parameter, whatever its value (NUL and other control characters, invalid UTF-8, lone
/// surrogates, huge values), gets an answer or a 400 — never a 500 and never a stack trace.
/// </summary>
public sealed class HostileParameterTests
{
    private const string AdminKey = "admin-0123456789abcdef";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Hostile values, already percent-encoded as they travel in a query string.</summary>
    public static readonly string[] Values =
    [
        "%00",
        "a%00b",
        "march%C3%A9%00",
        "%00%00%00%00",
        "\"%00\"",
        "%00*",
        "a%01b%02c%1Fd%7F",
        "%FF",
        "a%FFb",
        "%C0%80",
        "%ED%A0%80",
        "a%ED%B0%80b",
        "%F4%90%80%80",
        "%E2%80%AE%EF%BF%BF",
        "%EF%BF%BE",
        "%22",
        "%22%22%22",
        "*",
        "-1",
        "99999999999999999999999999",
        "1.-1",
        "-62135596800001.1",
        "9223372036854775807.9223372036854775807",
        "2026-13-45",
        "%2C%2C%2C",
        "%25",
        "%2B",
        "%5B%5D",
        string.Concat(Enumerable.Repeat("mot%00", 1000)),
        new string('a', 6000),
        new string('a', 100_000),
    ];

    private static string Garbage(int characters) => new(Enumerable.Range(0, characters).Select(i => (char)('a' + (i % 26))).ToArray());

    [Fact]
    public async Task No_value_of_any_feed_opml_or_stats_parameter_answers_500()
    {
        await using var run = await PublishingHub.StartAsync(
            new Dictionary<string, PublishingHub.SourceSpec>
            {
                ["brief"] = new(TestFeeds.Read("societe.rss"), "societe"),
            },
            feedhub => feedhub["AdminKey"] = AdminKey);

        var failures = new List<string>();
        var paths = new List<string>();
        foreach (var value in Values)
        {
            foreach (var parameter in new[] { "limit", "q", "since", "source", "exclude", "before", "key" })
            {
                paths.Add($"feeds/societe.rss?{parameter}={value}");
                paths.Add($"feeds/all.json?q=loyers&{parameter}={value}");
            }

            paths.Add($"feeds/societe.atom?q={value}&exclude={value}");
            paths.Add($"feeds/{value}.rss");
            paths.Add($"opml?format={value}");
            paths.Add($"opml/societe?key={value}");
            paths.Add($"stats?days={value}");
            paths.Add($"categories?key={value}");
        }

        foreach (var path in paths)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (path.StartsWith("stats", StringComparison.Ordinal))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            }

            using var response = await run.Client.SendAsync(request, Token);
            var body = await response.Content.ReadAsStringAsync(Token);
            if ((int)response.StatusCode >= 500 || body.Contains("   at ", StringComparison.Ordinal))
            {
                failures.Add($"{(int)response.StatusCode} GET {(path.Length > 120 ? path[..120] + "…" : path)}: {(body.Length > 200 ? body[..200] : body)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {paths.Count} requests failed:\n" + string.Join('\n', failures.Take(40)));

        // And the service still answers normally afterwards.
        Assert.Equal(HttpStatusCode.OK, (await run.Client.GetAsync("feeds/societe.rss?q=loyers", Token)).StatusCode);
    }

    [Fact]
    public async Task A_search_word_with_nul_inside_is_an_answer_or_a_400()
    {
        await using var run = await PublishingHub.StartAsync(
            new Dictionary<string, PublishingHub.SourceSpec> { ["brief"] = new(TestFeeds.Read("societe.rss"), "societe") });

        using var q = await run.Client.GetAsync("feeds/societe.rss?q=loy%00ers", Token);
        using var exclude = await run.Client.GetAsync("feeds/societe.json?exclude=loy%00ers", Token);
        using var json = await run.Client.GetAsync("feeds/societe.json?q=" + Uri.EscapeDataString(Garbage(400) + "\0"), Token);

        Assert.Contains(q.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
        Assert.Contains(exclude.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
        Assert.Contains(json.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
        Assert.DoesNotContain("   at ", Encoding.UTF8.GetString(await q.Content.ReadAsByteArrayAsync(Token)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_readiness_shows_the_status_only_and_the_admin_key_shows_the_details()
    {
        await using var run = await PublishingHub.StartAsync(
            new Dictionary<string, PublishingHub.SourceSpec> { ["brief"] = new(TestFeeds.Read("societe.rss"), "societe") },
            feedhub => feedhub["AdminKey"] = AdminKey);

        using var anonymous = await run.Client.GetAsync("health/ready", Token);
        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "health/ready");
        wrongKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-admin-key-0123");
        using var wrong = await run.Client.SendAsync(wrongKey, Token);
        using var keyed = new HttpRequestMessage(HttpMethod.Get, "health/ready");
        keyed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var admin = await run.Client.SendAsync(keyed, Token);

        var anonymousBody = await anonymous.Content.ReadAsStringAsync(Token);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal("Healthy", (string?)JsonNode.Parse(anonymousBody)!["status"]);
        Assert.Equal(["status"], JsonNode.Parse(anonymousBody)!.AsObject().Select(p => p.Key));
        Assert.DoesNotContain(run.Hub.Directory, anonymousBody, StringComparison.Ordinal);
        Assert.DoesNotContain("feedhub.db", anonymousBody, StringComparison.Ordinal);
        Assert.Equal(anonymousBody, await wrong.Content.ReadAsStringAsync(Token));

        var adminBody = await admin.Content.ReadAsStringAsync(Token);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("feedhub.db", adminBody, StringComparison.Ordinal);
        Assert.NotNull(JsonNode.Parse(adminBody)!["entries"]);
    }

    [Fact]
    public async Task Without_an_admin_key_readiness_keeps_its_details()
    {
        await using var run = await PublishingHub.StartAsync(
            new Dictionary<string, PublishingHub.SourceSpec> { ["brief"] = new(TestFeeds.Read("societe.rss"), "societe") });

        var body = JsonNode.Parse(await run.Client.GetStringAsync("health/ready", Token))!;

        Assert.Equal("Healthy", (string?)body["status"]);
        Assert.NotNull(body["entries"]!["database"]);
    }
}
