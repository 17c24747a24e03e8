using System.Text.Json.Nodes;
using FeedHub.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FeedHub.Tests.Operations;

/// <summary>
/// The status page in a real browser: Debian's headless Chromium (/usr/bin/chromium, installed by
/// .ci/run) driven by Playwright. Screenshots are kept in the test output folder (artifacts/) and
/// attached to the test result.
/// </summary>
public sealed class StatusPageBrowserTests
{
    /// <summary>Debian's Chromium; Playwright never downloads a browser here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private const string AdminKey = "status-page-test-key-0123456789";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>Where the screenshots are kept: artifacts/ in the test output folder.</summary>
    public static readonly string ArtifactsFolder = Path.Combine(AppContext.BaseDirectory, "artifacts");

    /// <summary>The environment variable that turns a missing browser from a skip into a failure (.ci/run sets it to 1).</summary>
    public const string RequireBrowserVariable = "FEEDHUB_REQUIRE_BROWSER";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// A fresh clone without Debian's Chromium skips the browser test with a one-line reason (the README's test command
    /// must pass with only the repository); CI installs Chromium and sets <see cref="RequireBrowserVariable"/>, so
    /// there a missing browser fails instead of skipping.
    /// </summary>
    private static void RequireBrowserOrSkip()
    {
        if (File.Exists(ChromiumPath))
        {
            return;
        }

        var reason = $"{ChromiumPath} not found (apt-get install -y chromium; .ci/run installs it)";
        Assert.False(Environment.GetEnvironmentVariable(RequireBrowserVariable) == "1", $"{RequireBrowserVariable}=1 but {reason}");
        Assert.Skip(reason);
    }

    [Fact]
    public async Task TheStatusPageShowsTheRowsOfSourcesFiltersSortsFitsAPhoneAndShowsARejectedEdit()
    {
        RequireBrowserOrSkip();

        await using var server = await TestFeedServer.StartAsync();
        server.ServeFeed("a.rss", TestFeeds.Rss("Le Brief", new TestFeeds.Item("a1", "Un", TestFeeds.Day(1)), new TestFeeds.Item("a2", "Deux", TestFeeds.Day(2)), new TestFeeds.Item("a3", "Trois", TestFeeds.Day(3))));
        server.ServeFeed("b.rss", TestFeeds.Rss("La Gazette", new TestFeeds.Item("b1", "Seul", TestFeeds.Day(1))));
        server.ServeStatus("down.rss", 500);
        var config = HubHost.Config(
            new JsonObject { ["societe"] = new JsonObject { ["Title"] = "Société" }, ["politique"] = new JsonObject { ["Title"] = "Politique" } },
            new JsonObject
            {
                ["brief"] = HubHost.Source(server.Url("a.rss"), "1h", "societe"),
                ["gazette"] = HubHost.Source(server.Url("b.rss"), "15m", "politique"),
                ["down"] = HubHost.Source(server.Url("down.rss"), "1h", "politique"),
                ["retired"] = HubHost.Source(server.Url("b.rss"), "1h", "societe"),
            });
        config["FeedHub"]!["Sources"]!["retired"]!["Enabled"] = false;
        config["FeedHub"]!["AdminKey"] = AdminKey;
        await using var hub = await HubHost.StartAsync(config);
        hub.Client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        await HubHost.EventuallyAsync(() => hub.GetJsonArrayAsync("sources"), s => s.All(x => (string?)x!["state"] != "pending"), what: "every source fetched once");
        var expected = (await hub.GetJsonArrayAsync("sources")).Select(s => (Id: (string)s!["id"]!, State: (string)s["state"]!)).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, ChromiumSandbox = false, Args = ChromiumArgs });
        await using var context = await browser.NewContextAsync(new()
        {
            BaseURL = hub.Client.BaseAddress!.AbsoluteUri,
            HttpCredentials = new() { Username = "operator", Password = AdminKey },
            ViewportSize = new() { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, request) => requested.Add(request.Url);

        // The rows are the sources of /sources, each with its state.
        Assert.Equal(200, (await page.GotoAsync("status"))!.Status);
        var rows = await RowsAsync(page);
        Assert.Equal(expected, rows.Select(r => (r.Id, r.State)).OrderBy(r => r.Id, StringComparer.Ordinal));
        var downState = expected.Single(s => s.Id == "down").State;
        Assert.Equal(downState == "failing" ? "Failing" : "Backing off", await page.Locator("tr[data-source-id=down] .badge").InnerTextAsync());
        Assert.Equal("Disabled", await page.Locator("tr[data-source-id=retired] .badge").InnerTextAsync());
        Assert.Contains("http-5xx", await page.Locator("tr[data-source-id=down]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("3", (await page.Locator("tr[data-source-id=brief] td[data-label='Added 24 h']").InnerTextAsync()).Trim());
        Assert.Equal(24, await page.Locator("tr[data-source-id=brief] .spark rect").CountAsync());
        await Screenshot(page, "status-page.png");

        // Filter by state: only the failing source stays visible, and the address says so.
        await page.ClickAsync($"[data-filter={downState}]");
        Assert.Equal(["down"], (await RowsAsync(page)).Where(r => !r.Hidden).Select(r => r.Id));
        Assert.Contains($"state={downState}", page.Url, StringComparison.Ordinal);
        Assert.Equal("1", await page.Locator("#shown").InnerTextAsync());
        await page.ClickAsync("[data-filter=all]");
        Assert.Equal(4, (await RowsAsync(page)).Count(r => !r.Hidden));

        // Sort by items: ascending, then descending.
        await page.ClickAsync("th[data-key=items]");
        var ascending = (await RowsAsync(page)).Select(r => r.Items).ToList();
        Assert.Equal(ascending.Order(), ascending);
        await page.ClickAsync("th[data-key=items]");
        Assert.Equal("brief", (await RowsAsync(page))[0].Id);
        Assert.Equal("descending", await page.GetAttributeAsync("th[data-key=items]", "aria-sort"));

        // On a phone the rows become cards and nothing scrolls sideways.
        await page.SetViewportSizeAsync(390, 844);
        await Screenshot(page, "status-page-phone.png");
        var overflow = await page.EvaluateAsync<string>(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 5).join(' ')");
        Assert.True(overflow.Length == 0, $"the page scrolls sideways on a phone: {overflow}");
        Assert.Equal("none", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('#sources thead')).display"));

        // A rejected edit shows at the top.
        await File.WriteAllTextAsync(hub.ConfigPath, """{ "FeedHub": { "DefaultSchedule": "sometimes" } }""", Token);
        await HubHost.EventuallyAsync(
            async () => { await page.ReloadAsync(); return await page.Locator("#config-rejected").CountAsync(); }, n => n == 1, what: "the rejection on the page");
        Assert.Contains("FeedHub:DefaultSchedule", await page.Locator("#config-rejected").InnerTextAsync(), StringComparison.Ordinal);

        // Everything came from FeedHub itself: no script, style, font or image from elsewhere.
        Assert.All(requested, url => Assert.StartsWith(hub.Client.BaseAddress!.AbsoluteUri, url, StringComparison.Ordinal));
    }

    private sealed record Row(string Id, string State, bool Hidden, long Items);

    private static async Task<List<Row>> RowsAsync(IPage page)
    {
        var rows = await page.EvalOnSelectorAllAsync<string[][]>(
            "#sources tbody tr",
            "rows => rows.map(r => [r.dataset.sourceId, r.dataset.state, String(r.hidden), r.querySelector('td[data-label=Items]').textContent])");
        return [.. rows.Select(r => new Row(r[0], r[1], r[2] == "true", long.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture)))];
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var path = Path.Combine(ArtifactsFolder, name);
        Directory.CreateDirectory(ArtifactsFolder);
        var png = await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.Current.AddAttachment(name, png, "image/png");
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
        Console.WriteLine($"status page screenshot: {path}");
    }
}
