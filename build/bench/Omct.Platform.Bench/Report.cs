using System.Globalization;
using System.Text;

namespace Omct.Platform.Bench;

/// <summary>One measured run: a line of the results file (tab-separated, written by run.sh for wrk and by the in-process loads).</summary>
internal sealed record ResultLine(
    string Workload, string Variant, int Run, double Rps, double P50Ms, double P99Ms, long Requests, long Errors, string Note)
{
    public string ToTsv() => string.Join('\t', Workload, Variant, Run.ToString(CultureInfo.InvariantCulture),
        Rps.ToString("F1", CultureInfo.InvariantCulture), P50Ms.ToString("F3", CultureInfo.InvariantCulture),
        P99Ms.ToString("F3", CultureInfo.InvariantCulture), Requests.ToString(CultureInfo.InvariantCulture),
        Errors.ToString(CultureInfo.InvariantCulture), Note.Replace('\t', ' '));

    public static ResultLine? Parse(string line)
    {
        var f = line.Split('\t');
        if (f.Length < 8 || f[0].StartsWith('#'))
        {
            return null;
        }

        static double D(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
        static long L(string s) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : 0;
        return new ResultLine(f[0], f[1], (int)L(f[2]), D(f[3]), D(f[4]), D(f[5]), L(f[6]), L(f[7]), f.Length > 8 ? f[8] : "");
    }
}

internal static class Results
{
    private static readonly object Gate = new();

    public static void Append(string file, ResultLine line)
    {
        lock (Gate)
        {
            File.AppendAllText(file, line.ToTsv() + "\n");
        }
    }
}

/// <summary>The final table: medians over the runs of each workload, the baseline of the same run, the ratio, and whether the target is met.</summary>
internal static class Report
{
    public static int Run(Options options)
    {
        var lines = File.Exists(options.Required("results"))
            ? File.ReadAllLines(options.Required("results")).Select(ResultLine.Parse).OfType<ResultLine>().ToList()
            : [];
        var groups = lines.GroupBy(l => (l.Workload, l.Variant)).ToDictionary(g => g.Key, g => new Summary(g.ToList()));
        Summary? Of(string workload, string variant) => groups.GetValueOrDefault((workload, variant));

        var rows = new List<string[]>();
        var t1 = Of("t1", "graphql");
        var t1b = Of("t1", "baseline");
        if (t1 is not null)
        {
            var ratio = t1b is null ? double.NaN : t1.Rps / t1b.Rps;
            rows.Add(["1 dashboard page, 16 conns: >= 2,000 req/s and >= 0.6x baseline",
                $"{t1.Rps:N0} req/s", t1b is null ? "-" : $"{t1b.Rps:N0} req/s (Npgsql+STJ)", Ratio(ratio),
                Met(t1.Rps >= 2000 && ratio >= 0.6)]);
            rows.Add(["1 dashboard page: p99 <= 20 ms", $"p99 {t1.P99:F1} ms (p50 {t1.P50:F1})",
                t1b is null ? "-" : $"p99 {t1b.P99:F1} ms (p50 {t1b.P50:F1})", Ratio(t1b is null ? double.NaN : t1.P99 / t1b.P99), Met(t1.P99 <= 20)]);
            rows.Add(["1 errors (non-200 or GraphQL errors)", $"{t1.Errors}", t1b is null ? "-" : $"{t1b.Errors}", "", Met(t1.Errors == 0)]);
        }

        var t1k = Of("t1", "graphql-bootstrap");
        if (t1k is not null)
        {
            rows.Add(["  (diagnostic) same page with the bootstrap key (no key lookup)", $"{t1k.Rps:N0} req/s, p99 {t1k.P99:F1} ms",
                t1b is null ? "-" : $"{t1b.Rps:N0} req/s", Ratio(t1b is null ? double.NaN : t1k.Rps / t1b.Rps), ""]);
        }

        var t2 = Of("t2", "graphql");
        var t2b = Of("t2", "baseline");
        var t2s = Of("t2", "sql");
        if (t2 is not null)
        {
            var baseline = string.Join("; ", new[]
            {
                t2b is null ? null : $"HTTP p99 {t2b.P99:F1} ms ({t2b.Rps:N0} req/s)",
                t2s is null ? null : $"SQL p99 {t2s.P99:F1} ms ({t2s.Rps:N0}/s)",
            }.OfType<string>());
            rows.Add(["2 caseStatistics(COUNTRY), 8 conns: p99 <= 50 ms", $"p99 {t2.P99:F1} ms (p50 {t2.P50:F1}, {t2.Rps:N0} req/s)",
                baseline.Length == 0 ? "-" : baseline, Ratio(t2b is null ? double.NaN : t2.Rps / t2b.Rps), Met(t2.P99 <= 50 && t2.Errors == 0)]);
        }

        var t3 = Of("t3", "graphql");
        var t3q = Of("t3", "quick");
        var t3f = Of("t3", "fetch");
        if (t3 is not null)
        {
            rows.Add(["3 recordCaseEvent, 8 conns: >= 2,000 mutations/s", $"{t3.Rps:N0}/s",
                t3q is null ? "-" : $"{t3q.Rps:N0} events/s (Quick append)", Ratio(t3q is null ? double.NaN : t3.Rps / t3q.Rps), Met(t3.Rps >= 2000)]);
            if (t3f is not null)
            {
                rows.Add(["  vs the handler's Marten work in-process", $"{t3.Rps:N0}/s", $"{t3f.Rps:N0}/s (FetchForWriting..)",
                    Ratio(t3.Rps / t3f.Rps), ""]);
            }

            rows.Add(["3 recordCaseEvent: p99 <= 20 ms", $"p99 {t3.P99:F1} ms (p50 {t3.P50:F1})",
                t3q is null ? "-" : $"p99 {t3q.P99:F1} ms (p50 {t3q.P50:F1})", Ratio(t3q is null ? double.NaN : t3.P99 / t3q.P99), Met(t3.P99 <= 20)]);
            rows.Add(["3 no error (non-200, GraphQL errors, events = responses)", $"{t3.Errors} errors",
                t3.Runs.LastOrDefault()?.Note ?? "", "", Met(t3.Errors == 0)]);
        }

        Console.WriteLine();
        Console.WriteLine("== per run ==");
        foreach (var ((workload, variant), summary) in groups.OrderBy(g => g.Key.Workload).ThenBy(g => g.Key.Variant))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{workload} {variant,-18} req/s {string.Join(" / ", summary.Runs.Select(r => r.Rps.ToString("N0", CultureInfo.InvariantCulture))),-28} " +
                $"p50 ms {string.Join(" / ", summary.Runs.Select(r => r.P50Ms.ToString("F1", CultureInfo.InvariantCulture))),-20} " +
                $"p99 ms {string.Join(" / ", summary.Runs.Select(r => r.P99Ms.ToString("F1", CultureInfo.InvariantCulture))),-22} errors {summary.Errors,-3} " +
                $"other processes (cores) {string.Join(" / ", summary.Runs.Select(r => Others(r)?.ToString("F2", CultureInfo.InvariantCulture) ?? "?"))}"));
        }

        var busy = lines.Where(l => Others(l) > 0.25).ToList();

        Console.WriteLine();
        Console.WriteLine("== targets (medians over the runs) ==");
        Print(["target", "figure", "baseline (same run)", "ratio", "met?"], rows);
        if (busy.Count > 0)
        {
            Console.WriteLine($"WARNING: during {busy.Count} of {lines.Count} runs other processes on this machine used more than 0.25 core " +
                              $"(up to {busy.Max(l => Others(l)):F2}): those figures are low; rerun on a quiet machine.");
        }

        return 0;
    }

    private static double? Others(ResultLine line)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line.Note, @"other processes ([0-9.]+) cores");
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static string Ratio(double ratio) => double.IsNaN(ratio) || double.IsInfinity(ratio) ? "-" : $"{ratio:F2}x";

    private static string Met(bool met) => met ? "yes" : "NO";

    private static void Print(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) => text.AppendLine("| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |");
        Line(header);
        text.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        rows.ForEach(Line);
        Console.Write(text);
    }

    private sealed class Summary(List<ResultLine> runs)
    {
        public List<ResultLine> Runs { get; } = runs.OrderBy(r => r.Run).ToList();
        public double Rps => Median(runs.Select(r => r.Rps));
        public double P50 => Median(runs.Select(r => r.P50Ms));
        public double P99 => Median(runs.Select(r => r.P99Ms));
        public long Errors => runs.Sum(r => r.Errors);

        private static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? double.NaN
                : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}
