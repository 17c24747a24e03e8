using FeedHub.Benchmarks;

// The benchmark suite of issue 6: every figure beside a baseline measured in the same run.
var options = BenchmarkOptions.Parse(args);
var report = new Report();
Console.WriteLine($"FeedHub benchmarks: corpus {options.Corpus}, work {options.Work}, FeedHub {options.FeedHubDll}");

var files = Directory.GetFiles(options.Corpus, "*.xml").Order(StringComparer.Ordinal).ToList();
if (files.Count == 0)
{
    Console.Error.WriteLine($"no *.xml feeds in {options.Corpus}: run ../shared/tools/gen-corpus.py first (run.sh does)");
    return 2;
}

await using var corpus = await CorpusServer.StartAsync(files);
var ingest = new IngestScenarios(options, corpus, report);
var serving = new ServingScenario(options, report);

if (options.Runs("ingest") || options.Runs("serving") || options.Runs("mixed"))
{
    await ingest.RunAsync(serving);
}

if (options.Runs("scale"))
{
    await new ScaleScenario(options, report).RunAsync();
}

await report.WriteAsync(options.Out, MachineInfo.Describe());
Console.WriteLine($"report: {Path.Combine(options.Out, "report.md")} and report.json");
return 0;
