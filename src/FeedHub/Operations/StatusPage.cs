using System.Globalization;
using FeedHub.Text;
using FeedHub.Web;

namespace FeedHub.Operations;

/// <summary>
/// The status page as one self-contained HTML document: no external script, style, font or image, so
/// it works offline and on a phone. Filtering and sorting work without JavaScript (links with ?state=,
/// ?sort=, ?dir=); a few lines of inline script do the same in place. Written with <see cref="HtmlBuilder"/>:
/// every value is encoded unless it is <see cref="Html"/>.
/// </summary>
internal static class StatusPage
{
    /// <summary>The sortable columns of the sources table: key, heading.</summary>
    public static readonly (string Key, string Heading)[] Columns =
    [
        ("source", "Source"), ("state", "State"), ("lastSuccess", "Last success"), ("nextFetch", "Next fetch"),
        ("added", "Added 24 h"), ("items", "Items"), ("error", "Last error"),
    ];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Renders the report; <paramref name="state"/>, <paramref name="sort"/> and <paramref name="descending"/> come from the query.</summary>
    public static string Render(StatusReport report, string state, string sort, bool descending, string nonce)
    {
        var html = new HtmlBuilder(32 * 1024);
        var sources = Sorted(report.Sources, sort, descending);
        var shown = sources.Count(s => state == "all" || s.Source.State == state);

        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="30">
            <title>FeedHub status</title>
            <style>{{Html.Raw(Style)}}</style>
            </head>
            <body>
            <header>
            <h1>FeedHub status</h1>
            <p class="muted">Generated {{Time(report.GeneratedAt, report.GeneratedAt)}} · refreshes every 30 s ·
            roles: {{RolesText(report)}} · <a href="/">feeds</a> · <a href="/sources">/sources</a> · <a href="/metrics">/metrics</a> · <a href="/health/ready">/health/ready</a></p>
            </header>

            """);

        AppendRejection(html, report);
        AppendCapacityWarning(html, report);
        AppendSummary(html, report, state);
        AppendSources(html, report, sources, state, sort, descending, shown);
        AppendCategories(html, report);
        AppendLoad(html, report);
        AppendConfig(html, report);
        html.Append($"""
            <script nonce="{nonce}">{Html.Raw(Script)}</script>
            </body>
            </html>

            """);
        return html.ToString();
    }

    private static void AppendRejection(HtmlBuilder html, StatusReport report)
    {
        if (report.ConfigRejection is not { } errors)
        {
            return;
        }

        html.Append($"""
            <section class="alert bad" id="config-rejected" role="alert">
            <h2>Config edit rejected</h2>
            <p>The last edit of <code>{report.Config.ConfigPath}</code> ({Time(report.ConfigRejectedAt, report.GeneratedAt)}) was rejected; the previous configuration keeps running. Fix these and save again:</p>
            <ul>
            """);
        foreach (var error in errors)
        {
            html.Append($"<li><code>{error.Path}</code>: {error.Message}</li>\n");
        }

        html.Append($"</ul>\n</section>\n");
    }

    private static void AppendCapacityWarning(HtmlBuilder html, StatusReport report)
    {
        var capacity = report.Capacity;
        if (!capacity.Overloaded)
        {
            return;
        }

        html.Append($"<section class=\"alert warn\" id=\"scheduler-overloaded\" role=\"status\"><h2>Schedules cannot all be met</h2><p>");
        if (capacity.Lag > TimeSpan.FromMinutes(1))
        {
            html.Append($"The most overdue source has waited {Formatting.Duration(capacity.Lag)}. ");
        }

        html.Append($"The schedules ask for about {SchedulerCapacity.Readable(capacity.AskedPerHour)} fetches an hour");
        if (capacity.PossiblePerHour is { } possible)
        {
            html.Append($"; {capacity.Parallel} fetches at once at {capacity.AverageDuration!.Value.TotalSeconds:0.0} s each allow about {SchedulerCapacity.Readable(possible)}");
        }

        html.Append($". Lengthen schedules, or raise <code>FeedHub:Fetch:MaxConcurrentFetches</code>.</p></section>\n");
    }

    private static void AppendSummary(HtmlBuilder html, StatusReport report, string state)
    {
        var lastHour = report.Load[^1];
        html.Append($"<nav class=\"tiles\" aria-label=\"Filter sources by state\">\n");
        Tile(html, "all", "All sources", report.Sources.Count, state);
        foreach (var s in Formatting.States)
        {
            Tile(html, s, Label(s), report.Sources.Count(x => x.Source.State == s), state);
        }

        html.Append($"</nav>\n<p class=\"facts\">")
            .Append($"<span><b>{report.Sources.Sum(s => s.Added24h)}</b> items added in 24 h</span>")
            .Append($"<span><b>{lastHour.Done}</b> fetches this hour ({lastHour.Failed} failed)</span>")
            .Append($"<span>scheduler lag <b>{Formatting.Duration(report.Capacity.Lag)}</b></span>")
            .Append($"<span>database <b>{Formatting.Bytes(report.DatabaseBytes)}</b></span>")
            .Append($"</p>\n");
    }

    private static void Tile(HtmlBuilder html, string state, string label, int count, string current) =>
        html.Append($"<a class=\"tile s-{state}\" href=\"?state={state}\" data-filter=\"{state}\" aria-current=\"{(state == current ? "true" : "false")}\"><b>{count}</b> {label}</a>\n");

    private static void AppendSources(HtmlBuilder html, StatusReport report, IReadOnlyList<StatusSource> sources, string state, string sort, bool descending, int shown)
    {
        html.Append($"""
            <section>
            <h2>Sources <span class="muted">(<span id="shown">{shown}</span> shown)</span></h2>
            <table id="sources" class="cards">
            <thead><tr>
            """);
        foreach (var (key, heading) in Columns)
        {
            var ariaSort = key == sort ? (descending ? "descending" : "ascending") : "none";
            var nextDir = key == sort && !descending ? "desc" : "asc";
            html.Append($"<th data-key=\"{key}\" aria-sort=\"{ariaSort}\"><a href=\"?state={state}&amp;sort={key}&amp;dir={nextDir}\">{heading}</a></th>");
        }

        html.Append($"</tr></thead>\n<tbody>\n");
        foreach (var row in sources)
        {
            var s = row.Source;
            html.Append($"<tr data-source-id=\"{s.Id}\" data-state=\"{s.State}\"{(state == "all" || s.State == state ? Html.Empty : Html.Of($" hidden"))}>");
            html.Append($"<td data-label=\"Source\" data-sort=\"{SortKey(row, "source")}\"><b>{s.Id}</b>");
            if (s.Title is { } title && title != s.Id)
            {
                html.Append($"<br><span class=\"muted\">{title}</span>");
            }

            html.Append($"<br><a class=\"url\" href=\"{s.CurrentUrl}\">{Shorten(s.CurrentUrl, 60)}</a></td>");
            html.Append($"<td data-label=\"State\" data-sort=\"{SortKey(row, "state")}\"><span class=\"badge s-{s.State}\">{Label(s.State)}</span>{StateDetail(s, report.GeneratedAt)}</td>");
            html.Append($"<td data-label=\"Last success\" data-sort=\"{SortKey(row, "lastSuccess")}\">{Time(s.LastSuccessAt, report.GeneratedAt)}{(s.LastFetchedBy is { } node ? Html.Of($"<br><span class=\"muted\">fetched by {node}</span>") : Html.Empty)}</td>");
            html.Append($"<td data-label=\"Next fetch\" data-sort=\"{SortKey(row, "nextFetch")}\">{Time(s.NextFetchAt, report.GeneratedAt)}{(s.NextFetchReason is { } reason ? Html.Of($"<br><span class=\"muted\">{reason}</span>") : Html.Empty)}</td>");
            html.Append($"<td data-label=\"Added 24 h\" data-sort=\"{SortKey(row, "added")}\">{Sparkline(row.AddedPerHour, report.GeneratedAt)} {row.Added24h}</td>");
            html.Append($"<td data-label=\"Items\" data-sort=\"{SortKey(row, "items")}\">{s.ItemCount}</td>");
            html.Append($"<td data-label=\"Last error\" data-sort=\"{SortKey(row, "error")}\">");
            if (s.ErrorClass is not null || s.LastError is not null)
            {
                html.Append($"<code>{s.ErrorClass ?? "error"}</code> <span class=\"error\" title=\"{s.LastError}\">{Shorten(s.LastError ?? string.Empty, 140)}</span>");
                if (s.ConsecutiveFailures > 1)
                {
                    html.Append($" <span class=\"muted\">×{s.ConsecutiveFailures}</span>");
                }
            }
            else if (s.LastWarning is { } warning)
            {
                html.Append($"<span class=\"muted\" title=\"{warning}\">worked around: {Shorten(warning, 100)}</span>");
            }

            html.Append($"</td></tr>\n");
        }

        html.Append($"</tbody>\n</table>\n</section>\n");
    }

    private static Html StateDetail(SourceEndpoints.SourceResponse s, DateTimeOffset now) => s.State switch
    {
        "failing" => Html.Of($"<br><span class=\"muted\">since {Time(s.FailingSince, now)}</span>"),
        "backing-off" => Html.Of($"<br><span class=\"muted\">until {Time(s.NextFetchAt, now)}</span><br><span class=\"muted\">failing since {Time(s.FailingSince, now)}</span>"),
        "disabled" when s.DisabledReason is { } reason => Html.Of($"<br><span class=\"muted\">{Shorten(reason, 80)}</span>"),
        "disabled" => Html.Of($"<br><span class=\"muted\">in the config</span>"),
        _ => Html.Empty,
    };

    private static void AppendCategories(HtmlBuilder html, StatusReport report)
    {
        html.Append($"""
            <section>
            <h2>Categories</h2>
            <table id="categories" class="cards">
            <thead><tr><th>Category</th><th>Items</th><th>Newest item</th><th>Added 24 h</th><th>Sources</th></tr></thead>
            <tbody>

            """);
        foreach (var c in report.Categories)
        {
            var quiet = c.NewestItemAt is null || report.GeneratedAt - c.NewestItemAt > TimeSpan.FromDays(1);
            html.Append($"<tr data-category=\"{c.Slug}\"><td data-label=\"Category\"><b{Html.LangAttribute(c.Language)}>{c.Title}</b><br><a class=\"url\" href=\"/feeds/{c.Slug}.rss\">/feeds/{c.Slug}.rss</a></td>");
            html.Append($"<td data-label=\"Items\">{c.ItemCount}</td>");
            html.Append($"<td data-label=\"Newest item\"{(quiet ? Html.Of($" class=\"quiet\"") : Html.Empty)}>{Time(c.NewestItemAt, report.GeneratedAt)}</td>");
            html.Append($"<td data-label=\"Added 24 h\">{c.Added24h}</td>");
            html.Append($"<td data-label=\"Sources\">{c.SourceCount}{(c.TroubledSources > 0 ? Html.Of($" <span class=\"badge s-failing\">{c.TroubledSources} failing</span>") : Html.Empty)}</td></tr>\n");
        }

        html.Append($"</tbody>\n</table>\n</section>\n");
    }

    private static void AppendLoad(HtmlBuilder html, StatusReport report)
    {
        var capacity = report.Capacity;
        html.Append($"<section>\n<h2>Scheduler load</h2>\n<p class=\"muted\">")
            .Append($"Schedules ask for about <b>{SchedulerCapacity.Readable(capacity.AskedPerHour)}</b> fetches an hour")
            .Append(capacity.PossiblePerHour is { } possible
                ? Html.Of($"; at {capacity.AverageDuration!.Value.TotalSeconds:0.00} s a fetch, {capacity.Parallel} at once, FeedHub can do about <b>{SchedulerCapacity.Readable(possible)}</b> an hour.")
                : Html.Of($"."))
            .Append($" Per hour (UTC): fetches that fell due <span class=\"key due\"></span> and fetches done <span class=\"key done\"></span>.</p>\n");

        const int barWidth = 6, group = 16, height = 64;
        var max = Math.Max(1, report.Load.Max(h => Math.Max(h.Due, h.Done)));
        html.Append($"<svg id=\"load-chart\" class=\"chart\" viewBox=\"0 0 {report.Load.Count * group} {height + 14}\" width=\"{report.Load.Count * group * 3 / 2}\" height=\"{(height + 14) * 3 / 2}\" role=\"img\" aria-label=\"Fetches due and done per hour over the last 24 hours\">");
        for (var i = 0; i < report.Load.Count; i++)
        {
            var h = report.Load[i];
            var x = i * group;
            var dueHeight = h.Due * height / (double)max;
            var doneHeight = h.Done * height / (double)max;
            html.Append($"<g><title>{h.Hour:HH}:00 UTC: {h.Due} due, {h.Done} done, {h.Failed} failed, delay avg {Formatting.Duration(h.AverageDelay)} max {Formatting.Duration(h.MaxDelay)}</title>");
            html.Append($"<rect class=\"due\" x=\"{x + 1}\" y=\"{height - dueHeight:0.##}\" width=\"{barWidth}\" height=\"{dueHeight:0.##}\"/>");
            html.Append($"<rect class=\"done\" x=\"{x + 1 + barWidth}\" y=\"{height - doneHeight:0.##}\" width=\"{barWidth}\" height=\"{doneHeight:0.##}\"/></g>");
            if (i % 6 == 0)
            {
                html.Append($"<text x=\"{x}\" y=\"{height + 12}\">{h.Hour:HH}:00</text>");
            }
        }

        html.Append($"</svg>\n<details><summary>Hour by hour</summary>\n<table id=\"load\"><thead><tr><th>Hour (UTC)</th><th>Due</th><th>Done</th><th>Failed</th><th>Items added</th><th>Start delay avg / max</th></tr></thead><tbody>\n");
        foreach (var h in report.Load.Reverse())
        {
            html.Append($"<tr><td>{h.Hour:yyyy-MM-dd HH}:00</td><td>{h.Due}</td><td>{h.Done}</td><td>{h.Failed}</td><td>{h.Added}</td><td>{Formatting.Duration(h.AverageDelay)} / {Formatting.Duration(h.MaxDelay)}</td></tr>\n");
        }

        html.Append($"</tbody></table>\n</details>\n</section>\n");
    }

    private static void AppendConfig(HtmlBuilder html, StatusReport report)
    {
        var config = report.Config;
        html.Append($"""
            <section>
            <h2>Configuration</h2>
            <p class="muted">File <code>{config.ConfigPath}</code> (and <code>{Configuration.SourcesFolder.FolderName}/*.json</code> beside it) ·
            {config.Sources.Count} sources in {config.Categories.Count} categories · database {report.DatabaseEngine} <code>{report.DatabaseLocation}</code>, schema version {report.SchemaVersion} ·
            admin key {(config.AdminKeyHash is null ? "not set (these pages answer this machine only)" : "required")}</p>
            </section>

            """);
    }

    /// <summary>The sources in the order asked for (ties by id).</summary>
    public static IReadOnlyList<StatusSource> Sorted(IReadOnlyList<StatusSource> sources, string sort, bool descending)
    {
        var key = Columns.Any(c => c.Key == sort) ? sort : "state";
        var ordered = sources.OrderBy(s => s, Comparer<StatusSource>.Create((a, b) => Compare(SortKey(a, key), SortKey(b, key))));
        if (descending)
        {
            ordered = sources.OrderByDescending(s => s, Comparer<StatusSource>.Create((a, b) => Compare(SortKey(a, key), SortKey(b, key))));
        }

        return [.. ordered.ThenBy(s => s.Source.Id, StringComparer.Ordinal)];
    }

    /// <summary>The value a column sorts by (numbers as invariant text); the page's script sorts the same way.</summary>
    public static string SortKey(StatusSource row, string key)
    {
        var s = row.Source;
        return key switch
        {
            "state" => Array.IndexOf(Formatting.States, s.State).ToString(Invariant),
            "lastSuccess" => (s.LastSuccessAt?.ToUnixTimeMilliseconds() ?? -1).ToString(Invariant),
            "nextFetch" => (s.NextFetchAt?.ToUnixTimeMilliseconds() ?? long.MaxValue / 2).ToString(Invariant),
            "added" => row.Added24h.ToString(Invariant),
            "items" => s.ItemCount.ToString(Invariant),
            "error" => s.ErrorClass ?? string.Empty,
            _ => s.Id,
        };
    }

    private static int Compare(string a, string b) =>
        long.TryParse(a, NumberStyles.AllowLeadingSign, Invariant, out var x) && long.TryParse(b, NumberStyles.AllowLeadingSign, Invariant, out var y)
            ? x.CompareTo(y)
            : string.Compare(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>24 bars, one per hour, oldest on the left.</summary>
    private static Html Sparkline(IReadOnlyList<int> perHour, DateTimeOffset now)
    {
        const int bar = 3, height = 16;
        var max = Math.Max(1, perHour.Max());
        var start = Storage.FetchLogStore.WindowStart(now, perHour.Count);
        var svg = new HtmlBuilder();
        svg.Append($"<svg class=\"spark\" viewBox=\"0 0 {perHour.Count * (bar + 1)} {height}\" width=\"{perHour.Count * (bar + 1)}\" height=\"{height}\" role=\"img\" aria-label=\"{perHour.Sum()} items added in the last 24 hours\">");
        for (var i = 0; i < perHour.Count; i++)
        {
            var h = perHour[i] == 0 ? 1 : Math.Max(2, perHour[i] * height / max);
            svg.Append($"<rect x=\"{i * (bar + 1)}\" y=\"{height - h}\" width=\"{bar}\" height=\"{h}\"{(perHour[i] == 0 ? Html.Of($" class=\"zero\"") : Html.Empty)}><title>{start.AddHours(i):HH}:00 UTC: {perHour[i]}</title></rect>");
        }

        return svg.Append($"</svg>").ToHtml();
    }

    private static string RolesText(StatusReport report) => report.Host.Roles switch
    {
        Configuration.NodeRoles.Web => "web (fetching runs elsewhere)",
        Configuration.NodeRoles.Scheduler => "scheduler (feeds are served elsewhere)",
        _ => "web and scheduler",
    };

    private static string Label(string state) => state switch
    {
        "backing-off" => "Backing off",
        "all" => "All",
        _ => char.ToUpperInvariant(state[0]) + state[1..],
    };

    /// <summary>A time as "3 min ago" / "in 12 s", with the exact UTC time in a tooltip.</summary>
    public static Html Time(DateTimeOffset? time, DateTimeOffset now) => time is { } t
        ? Html.Of($"<time datetime=\"{t.UtcDateTime.ToString("O", Invariant)}\" title=\"{t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Invariant)}\">{Formatting.Relative(t, now)}</time>")
        : Html.Of($"<span class=\"muted\">—</span>");

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private const string Style = """
        :root{color-scheme:light dark;--fg:#1d1d1f;--muted:#667;--line:#e3e3e8;--bg:#fff;--ok:#1a7f37;--bad:#c62828;--warn:#b26a00;--idle:#6b7280;--due:#9ec5fe;--done:#0b57d0}
        @media (prefers-color-scheme:dark){:root{--fg:#e8e8ea;--muted:#9a9aa5;--line:#33343a;--bg:#151518;--due:#2d4a7a;--done:#7fb0ff}}
        *{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:84rem;padding:1rem}
        h1{margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}a{color:var(--done)}code{font-size:.9em;overflow-wrap:anywhere}
        .muted{color:var(--muted)}.url{font-size:.85em;word-break:break-all}.error{word-break:break-word}
        .alert{border-left:4px solid;padding:.4rem .9rem;margin:1rem 0;border-radius:4px}.alert h2{margin:.3rem 0}
        .alert.bad{border-color:var(--bad);background:color-mix(in srgb,var(--bad) 8%,transparent)}
        .alert.warn{border-color:var(--warn);background:color-mix(in srgb,var(--warn) 8%,transparent)}
        .tiles{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}.tile{border:1px solid var(--line);border-radius:6px;padding:.35rem .7rem;text-decoration:none;color:var(--fg)}
        .tile[aria-current=true]{outline:2px solid var(--done)}.tile b{font-size:1.1em}
        .facts{display:flex;flex-wrap:wrap;gap:.4rem 1.4rem;color:var(--muted)}.facts b{color:var(--fg)}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.45rem .5rem;border-bottom:1px solid var(--line)}
        th a{color:inherit;text-decoration:none}th[aria-sort=ascending] a::after{content:" ▲"}th[aria-sort=descending] a::after{content:" ▼"}
        .badge{display:inline-block;border-radius:999px;padding:0 .5rem;font-size:.85em;color:#fff;background:var(--idle)}
        .s-healthy.badge{background:var(--ok)}.s-failing.badge{background:var(--bad)}.s-backing-off.badge{background:var(--warn)}.s-disabled.badge{background:#8b8b95}
        .tile.s-failing b{color:var(--bad)}.tile.s-backing-off b{color:var(--warn)}.tile.s-healthy b{color:var(--ok)}
        .spark{vertical-align:middle}.spark rect{fill:var(--done)}.spark rect.zero{fill:var(--line)}.quiet{color:var(--warn)}
        .chart{max-width:100%;height:auto}.chart .due{fill:var(--due)}.chart .done{fill:var(--done)}.chart text{font-size:9px;fill:var(--muted)}
        .key{display:inline-block;width:.8em;height:.8em;vertical-align:middle}.key.due{background:var(--due)}.key.done{background:var(--done)}
        tr[hidden]{display:none}
        @media (max-width:760px){
          table.cards thead{display:none}table.cards tr{display:block;border:1px solid var(--line);border-radius:6px;margin:.6rem 0;padding:.2rem .5rem}
          table.cards td{display:block;position:relative;border:0;padding:.25rem 0 .25rem 7.5rem;min-height:1.9rem}
          table.cards td::before{content:attr(data-label);color:var(--muted);position:absolute;left:0;width:7rem}
        }
        """;

    private const string Script = """
        (function(){
          var table=document.getElementById('sources');if(!table)return;
          var body=table.tBodies[0],heads=[].slice.call(table.tHead.rows[0].cells);
          var params=new URLSearchParams(location.search);
          function key(cell){return cell.getAttribute('data-sort')||cell.textContent;}
          var num=/^-?[0-9]+$/;
          function cmp(a,b){if(num.test(a)&&num.test(b)){var x=BigInt(a),y=BigInt(b);return x<y?-1:x>y?1:0;}
            return a.localeCompare(b,undefined,{sensitivity:'base'});}
          function apply(){
            var state=params.get('state')||'all',sort=params.get('sort'),dir=params.get('dir')==='desc'?-1:1,shown=0;
            var rows=[].slice.call(body.rows);
            var col=heads.findIndex(function(h){return h.getAttribute('data-key')===sort;});
            if(col>=0){rows.sort(function(a,b){return dir*cmp(key(a.cells[col]),key(b.cells[col]))||a.dataset.sourceId.localeCompare(b.dataset.sourceId);});
              rows.forEach(function(r){body.appendChild(r);});
              heads.forEach(function(h,i){h.setAttribute('aria-sort',i===col?(dir<0?'descending':'ascending'):'none');});}
            rows.forEach(function(r){r.hidden=!(state==='all'||r.dataset.state===state);if(!r.hidden)shown++;});
            document.querySelectorAll('[data-filter]').forEach(function(a){a.setAttribute('aria-current',a.dataset.filter===state?'true':'false');});
            document.getElementById('shown').textContent=shown;
            history.replaceState(null,'','?'+params.toString());
          }
          document.addEventListener('click',function(e){
            var f=e.target.closest('[data-filter]');
            if(f){e.preventDefault();params.set('state',f.dataset.filter);apply();return;}
            var h=e.target.closest('th[data-key]');
            if(h){e.preventDefault();var k=h.getAttribute('data-key');
              params.set('dir',params.get('sort')===k&&params.get('dir')!=='desc'?'desc':'asc');params.set('sort',k);apply();}
          });
        })();
        """;
}
