using System.Globalization;
using System.Text;

namespace FeedHub.Core.Tests.Conformance;

/// <summary>The outcome of one corpus case.</summary>
internal enum CaseOutcome
{
    Pass,
    Fail,

    /// <summary>The case is about something FeedHub does not keep (iTunes, GeoRSS, textinput ...).</summary>
    NotApplicable,

    /// <summary>
    /// FeedHub differs on purpose, by a named rule with a reason (<see cref="SanitizeDeviations"/>), and is otherwise
    /// equal to the expectation. Counted apart from passes, and towards the floor.
    /// </summary>
    Deviation,
}

/// <summary>
/// Counts the outcomes of every case of one corpus folder, prints the figures, and fails the test when the
/// pass count falls below the folder's floor. Failures are listed (the first few, with expected and actual)
/// so that a developer can act on them.
/// </summary>
internal sealed class ConformanceTally(string name)
{
    private const int FailuresListed = 20;

    private readonly List<(string Case, string Detail)> _failures = [];
    private readonly Dictionary<string, int> _notApplicableReasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _deviationRules = new(StringComparer.Ordinal);
    private readonly List<string> _deviationCases = [];
    private readonly List<string> _extra = [];

    public string Name { get; } = name;

    public int Passed { get; private set; }

    public int Failed => _failures.Count;

    public int NotApplicable { get; private set; }

    /// <summary>Cases that match once FeedHub's deliberate differences are applied to the expectation.</summary>
    public int Deviations { get; private set; }

    public int Total => Passed + Deviations + Failed + NotApplicable;

    public IReadOnlyList<(string Case, string Detail)> Failures => _failures;

    public void Pass() => Passed++;

    public void Fail(string testCase, string detail) => _failures.Add((testCase, detail));

    public void Skip(string reason)
    {
        NotApplicable++;
        _notApplicableReasons[reason] = _notApplicableReasons.GetValueOrDefault(reason) + 1;
    }

    public void Record(string testCase, CaseOutcome outcome, string detail)
    {
        switch (outcome)
        {
            case CaseOutcome.Pass:
                Pass();
                break;
            case CaseOutcome.NotApplicable:
                Skip(detail);
                break;
            case CaseOutcome.Deviation:
                Deviations++;
                _deviationCases.Add(testCase + ": " + detail);
                foreach (var rule in detail.Split(", ", StringSplitOptions.RemoveEmptyEntries))
                {
                    _deviationRules[rule] = _deviationRules.GetValueOrDefault(rule) + 1;
                }

                break;
            default:
                Fail(testCase, detail);
                break;
        }
    }

    /// <summary>Adds a free-form line to the summary (e.g. a secondary figure).</summary>
    public void Note(string line) => _extra.Add(line);

    public string Summary()
    {
        var applicable = Passed + Deviations + Failed;
        var percent = applicable == 0 ? 100 : 100.0 * (Passed + Deviations) / applicable;
        if (Deviations == 0)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{Name}: {Passed}/{applicable} pass ({percent:0.0}%), {NotApplicable} not applicable, {Total} cases");
        }

        var strict = 100.0 * Passed / applicable;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Name}: {Passed + Deviations}/{applicable} ({percent:0.0}%) = {Passed} pass ({strict:0.0}%) + {Deviations} deliberate deviations, {Failed} fail, {NotApplicable} not applicable, {Total} cases");
    }

    /// <summary>Prints the figures (test output, diagnostics and console) and fails when passes plus deliberate deviations fall below the floor.</summary>
    public void Report(int floor)
    {
        var text = new StringBuilder();
        text.AppendLine(Summary());
        foreach (var line in _extra)
        {
            text.Append("  ").AppendLine(line);
        }

        if (Deviations > 0)
        {
            text.Append("  deliberate deviations (a case may use several rules): ").AppendJoin(", ", _deviationRules.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}")).AppendLine();
        }

        if (NotApplicable > 0)
        {
            text.Append("  not applicable: ").AppendJoin(", ", _notApplicableReasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}")).AppendLine();
        }

        var output = text.ToString().TrimEnd();
        TestContext.Current.SendDiagnosticMessage(output);
        TestContext.Current.TestOutputHelper?.WriteLine(output);
        Console.WriteLine("[conformance] " + output.Replace("\n", "\n[conformance] ", StringComparison.Ordinal));

        // Set CONFORMANCE_FAILURES_DIR to get every failure of every folder in one file per folder.
        if (Environment.GetEnvironmentVariable("CONFORMANCE_FAILURES_DIR") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            var file = string.Concat(Name.Select(c => char.IsLetterOrDigit(c) ? c : '_')) + ".txt";
            var deviations = _deviationCases.Count == 0 ? string.Empty : Environment.NewLine + "Deliberate deviations:" + Environment.NewLine + string.Join(Environment.NewLine, _deviationCases) + Environment.NewLine;
            File.WriteAllText(Path.Combine(directory, file), output + Environment.NewLine + AllFailures() + Environment.NewLine + deviations);
        }

        if (Passed + Deviations >= floor)
        {
            return;
        }

        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"{Name}: {Passed} passes and {Deviations} deliberate deviations, below the floor of {floor}. First failures:").AppendLine();
        foreach (var (testCase, detail) in _failures.Take(FailuresListed))
        {
            message.Append("  ").Append(testCase).Append(": ").AppendLine(detail);
        }

        Assert.Fail(message.ToString());
    }

    /// <summary>Every failure, for exploring (not used by the assertions).</summary>
    public string AllFailures() =>
        string.Join(Environment.NewLine, _failures.Select(f => f.Case + ": " + f.Detail));
}
