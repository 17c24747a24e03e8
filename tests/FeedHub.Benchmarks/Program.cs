using FeedHub.Benchmarks;

// The benchmark suite (issues 6, 11 and 12): every figure beside a baseline measured in the same run.
var options = BenchmarkOptions.Parse(args);
var report = new Report();
var started = System.Diagnostics.Stopwatch.StartNew();
var loadAtStart = MachineInfo.LoadAverage();
Console.WriteLine($"FeedHub benchmarks: scenarios {string.Join(',', options.Scenarios)}; corpus {options.Corpus}, {options.BigCorpus}; work {options.Work}; FeedHub {options.FeedHubDll}");

var standard = IngestScenarios.CorpusFiles(options.Corpus);
var needsBig = options.Runs("sustained") || options.Runs("mixed");
var big = needsBig ? IngestScenarios.CorpusFiles(options.BigCorpus) : [];
if (standard.Count == 0 || (needsBig && big.Count == 0))
{
    Console.Error.WriteLine($"no *.xml feeds in {options.Corpus} or {options.BigCorpus}: run ../shared/tools/gen-corpus.py first (run.sh does)");
    return 2;
}

var ingestRows = options.Runs("ingest") || options.Runs("serving") || options.Runs("mixed") || options.Runs("sustained");
if (ingestRows || options.Runs("cluster"))
{
    // The corpora as static files from nginx: FeedHub and newsboat fetch the same bytes.
    await using var corpus = await NginxCorpus.StartAsync(options.Work, standard, big);
    if (ingestRows)
    {
        await new IngestScenarios(options, corpus, report).RunAsync(new ServingScenario(options, report));
    }

    if (options.Runs("cluster"))
    {
        // Issue 12's rows: 1 node on SQLite, 1 and 3 nodes on a private PostgreSQL (not in the default set: it needs PostgreSQL).
        await new ClusterScenario(options, corpus, report).RunAsync();
    }
}

if (options.Runs("freshness"))
{
    await new FreshnessScenario(options, report).RunAsync();
}

if (options.Runs("scale"))
{
    await new ScaleScenario(options, report).RunAsync();
}

// The cluster rows alone go to a folder of their own, so that they do not replace the report of the default rows.
var output = options.Scenarios.SetEquals(["cluster"]) ? Path.Combine(options.Out, "cluster") : options.Out;
await report.WriteAsync(output, MachineInfo.Describe(options, started.Elapsed, loadAtStart));
Console.WriteLine();
Console.WriteLine(await File.ReadAllTextAsync(Path.Combine(output, "report.md")));
Console.WriteLine($"report: {Path.Combine(output, "report.md")} and report.json");
return 0;
