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

/// <summary>
/// The final table: per target of benchmarks.md, the median over the runs of the figure, the p99
/// where it applies, the baseline measured in the same run, the ratio figure / baseline, the
/// target, and whether it is met. Single measurements (jobs, start-up, memory) keep their value in
/// the p50 column of the results file: milliseconds (t5, t6, t9) or MiB (t8).
/// </summary>
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
        void Row(string target, string figure, string p99, string baseline, string ratio, string goal, string met) =>
            rows.Add([target, figure, p99, baseline, ratio, goal, met]);

        // 1
        if (Of("t1", "graphql") is { } t1)
        {
            var b = Of("t1", "baseline");
            var ratio = b is null ? double.NaN : t1.Rps / b.Rps;
            Row("1 dashboard page, 16 conns", $"{t1.Rps:N0} req/s", Ms(t1.P99), b is null ? "-" : $"{b.Rps:N0} req/s, p99 {b.P99:F1} ms (Npgsql+STJ)",
                Ratio(ratio), ">= 2,000 req/s, p99 <= 20 ms, >= 0.6x baseline, no error",
                Met(("req/s", t1.Rps >= 2000), ("p99", t1.P99 <= 20), ("ratio", ratio >= 0.6), ("errors", t1.Errors == 0)));
            if (b is not null)
            {
                Row("1 ... against the hand-written endpoint (issue 25)", $"{t1.Rps:N0} req/s", Ms(t1.P99), $"{b.Rps:N0} req/s (Npgsql+STJ)", Ratio(ratio),
                    ">= 0.6x the hand-written endpoint, no error", Met(("ratio", ratio >= 0.6), ("errors", t1.Errors == 0)));
            }
            if (Of("t1", "graphql-bootstrap") is { } k)
            {
                Row("  (diag.) same page, bootstrap key: no key lookup", $"{k.Rps:N0} req/s", Ms(k.P99), b is null ? "-" : $"{b.Rps:N0} req/s",
                    Ratio(b is null ? double.NaN : k.Rps / b.Rps), "", "");
            }
        }

        // P: target 1 next to PostGraphile (issue 25), from ../shared/bench/peer/run.sh with this host in the same run.
        foreach (var conns in new[] { 16, 1 })
        {
            if (Of("tP", $"omct-c{conns}") is not { } omct)
            {
                continue;
            }

            var pgl = Of("tP", $"postgraphile-c{conns}");
            var raw = Of("tP", $"raw-node-json-c{conns}");
            var ratio = pgl is null ? double.NaN : omct.Rps / pgl.Rps;
            var baseline = string.Join("; ", new[]
            {
                pgl is null ? null : $"PostGraphile 5 {pgl.Rps:N0} req/s, p99 {pgl.P99:F1} ms",
                raw is null ? null : $"raw Node {raw.Rps:N0} req/s",
            }.OfType<string>());
            if (conns == 16)
            {
                Row("P dashboard page vs PostGraphile, 16 conns", $"{omct.Rps:N0} req/s", Ms(omct.P99), baseline.Length == 0 ? "-" : baseline, Ratio(ratio),
                    ">= 1.2x PostGraphile req/s, p99 <= its p99 (issue 25)",
                    Met(("req/s", ratio >= 1.2), ("p99", pgl is not null && omct.P99 <= pgl.P99), ("errors", omct.Errors == 0)));
            }
            else
            {
                Row("P ... 1 connection", $"{omct.Rps:N0} req/s", Ms(omct.P99), baseline.Length == 0 ? "-" : baseline, Ratio(ratio),
                    ">= 1.0x PostGraphile req/s (issue 25)", Met(("req/s", ratio >= 1.0), ("errors", omct.Errors == 0)));
            }
        }

        // 2
        if (Of("t2", "graphql") is { } t2)
        {
            var b = Of("t2", "baseline");
            var q = Of("t2", "sql");
            var baseline = string.Join("; ", new[]
            {
                q is null ? null : $"raw SQL p99 {q.P99:F1} ms",
                b is null ? null : $"HTTP endpoint p99 {b.P99:F1} ms",
            }.OfType<string>());
            Row("2 caseStatistics(COUNTRY), 8 conns", $"{t2.Rps:N0} req/s (p50 {t2.P50:F1} ms)", Ms(t2.P99), baseline.Length == 0 ? "-" : baseline,
                Ratio(b is null ? double.NaN : t2.P99 / b.P99) + (b is null ? "" : " (p99)"), "p99 <= 50 ms", Met(("p99", t2.P99 <= 50), ("errors", t2.Errors == 0)));
        }

        // 3
        if (Of("t3", "graphql") is { } t3)
        {
            var q = Of("t3", "quick");
            Row("3 recordCaseEvent, 8 conns, distinct cases", $"{t3.Rps:N0}/s (p50 {t3.P50:F1} ms)", Ms(t3.P99),
                q is null ? "-" : $"Marten Quick append {q.Rps:N0}/s, p99 {q.P99:F1} ms", Ratio(q is null ? double.NaN : t3.Rps / q.Rps),
                ">= 2,000/s, p99 <= 20 ms, no error", Met(("/s", t3.Rps >= 2000), ("p99", t3.P99 <= 20), ("errors", t3.Errors == 0)));
            if (q is not null)
            {
                Row("3 ... against Marten Quick append (issue 25)", $"{t3.Rps:N0}/s", Ms(t3.P99), $"Marten Quick append {q.Rps:N0}/s", Ratio(t3.Rps / q.Rps),
                    ">= 0.6x Quick append, no error", Met(("ratio", t3.Rps / q.Rps >= 0.6), ("errors", t3.Errors == 0)));
            }
            if (Of("t3", "fetch") is { } f)
            {
                Row("  (diag.) the handler's Marten work in-process", $"{f.Rps:N0}/s", Ms(f.P99), "", Ratio(t3.Rps / f.Rps) + " (GraphQL / this)", "", "");
            }
        }

        // 4
        if (Of("t4", "graphql") is { } t4)
        {
            var q = Of("t4", "sql");
            var w = Of("t4", "writers");
            Row("4 changes from the start, first: 1000", $"{t4.Rps:N0} changes/s", Ms(t4.P99) + " (page)",
                q is null ? "-" : $"mt_events read straight {q.Rps:N0} rows/s", Ratio(q is null ? double.NaN : t4.Rps / q.Rps),
                ">= 50,000 changes/s; 0 skipped, 0 repeated", Met(("changes/s", t4.Rps >= 50_000), ("skipped/repeated", t4.Errors == 0)));
            if (w is not null)
            {
                Row("4 ... while 8 writers append (recordCaseEvent)", $"{w.Rps:N0} changes/s", Ms(w.P99) + " (page)", NoteOf(w.Runs.LastOrDefault()), "",
                    "0 skipped, 0 repeated while 8 writers append", Met(("skipped/repeated", w.Errors == 0)));
            }
        }

        // 5
        if (Of("t5", "job") is { } t5)
        {
            var q = Of("t5", "sql");
            var rerun = Of("t5", "rerun");
            Row("5 ANNIVERSARY_REMINDERS, one day, 100k cases", Seconds(t5.P50) + $" ({t5.Rps:N0} reminders)", "",
                q is null ? "-" : $"the window's SQL alone {q.P50:F0} ms", Ratio(q is null ? double.NaN : t5.P50 / q.P50),
                "<= 10 s; a rerun writes nothing", Met(("time", t5.P50 <= 10_000), ("job errors", t5.Errors == 0),
                    ("rerun writes", rerun is not null && rerun.Errors == 0)));
            if (rerun is not null)
            {
                Row("  rerun of the same day", Seconds(rerun.P50), "", NoteOf(rerun.Runs.LastOrDefault()), "", "writes nothing", Met(("writes", rerun.Errors == 0)));
            }
        }

        // 6
        if (Of("t6", "job") is { } t6)
        {
            if (double.IsNaN(t6.P50))
            {
                Row("6 weekly digest, 100k cases", "not available", "", "n/a", "", "<= 5 s", "n/a (no DIGEST job in this schema)");
            }
            else
            {
                var rerun = Of("t6", "rerun");
                Row("6 weekly digest, 100k cases", Seconds(t6.P50) + $" ({t6.Rps:N0} items)", "", "n/a", "", "<= 5 s",
                    Met(("time", t6.P50 <= 5_000), ("job errors", t6.Errors == 0), ("rerun writes", rerun is null || rerun.Errors == 0)) +
                    (t6.Rps == 0 ? " (0 items: nothing composed?)" : ""));
            }
        }

        // 7
        if (Of("t7", "hostile") is { } t7)
        {
            var statements = Of("t7", "statements");
            var refusedAll = t7.Errors == 0;
            Row("7 1,000 hostile documents, anonymous, 4 conns", $"{t7.Rps:N0} req/s, {t7.Runs.Sum(r => r.Requests):N0} refused of {t7.Runs.Sum(r => r.Requests):N0}" +
                (refusedAll ? "" : $" ({t7.Errors} NOT refused)"), Ms(t7.P99),
                statements is null ? "-" : $"PostgreSQL statements: {statements.Runs.Sum(r => (long)r.Rps):N0} during, {statements.Runs.Sum(r => (long)r.P50Ms):N0} in as long idle",
                "", "each refused, p99 <= 5 ms, no database round trip",
                Met(("refused", refusedAll), ("p99", t7.P99 <= 5), ("no round trip", statements is not null && statements.Errors == 0)));
            if (Of("t7", "hostile-under-t1") is { } under && Of("t7", "t1-under-hostile") is { } t1u && Of("t7", "t1-alone") is { } t1a)
            {
                var ratio = t1u.Rps / t1a.Rps;
                Row("7 ... at the same time as target 1's load", $"hostile p99 {under.P99:F1} ms; #1 {t1u.Rps:N0} req/s (p99 {t1u.P99:F1} ms)", Ms(under.P99),
                    $"#1 alone {t1a.Rps:N0} req/s (p99 {t1a.P99:F1} ms)", Ratio(ratio), "hostile p99 <= 5 ms, #1 within 2x (>= 0.5x)",
                    Met(("hostile p99", under.P99 <= 5), ("#1 within 2x", ratio >= 0.5), ("refused", under.Errors == 0)));
            }
        }

        // 8
        if (Of("t8", "rss") is { } rss)
        {
            Row("8 host working set (VmRSS) during target 1", $"peak {rss.P99:F0} MiB (median {rss.P50:F0})", "", "", "", "<= 600 MB", Met(("RSS", rss.P99 * 1.048576 <= 600)));
        }

        var exports = groups.Where(g => g.Key.Workload == "t8" && g.Key.Variant.StartsWith("export", StringComparison.Ordinal)).SelectMany(g => g.Value.Runs).ToList();
        if (exports.Count > 0)
        {
            var growth = exports.Max(r => r.P50Ms);
            Row("8 exports stream in constant memory", $"RSS +{growth:F0} MiB at most over {exports.Count} exports", "", NoteOf(exports[0]), "",
                "constant memory (growth <= 32 MiB, not with the size)", Met(("growth", growth <= 32), ("errors", exports.All(r => r.Errors == 0))));
        }

        // 9
        if (Of("t9", "host") is { } t9)
        {
            var m = Of("t9", "minimal");
            Row("9 start to ready, existing 100k-case database", Seconds(t9.P50), $"max {Seconds(t9.Runs.Max(r => r.P50Ms))}",
                m is null ? "-" : $"minimal ASP.NET Core app {m.P50:F0} ms", Ratio(m is null ? double.NaN : t9.P50 / m.P50), "<= 5 s",
                Met(("time", t9.P50 <= 5_000), ("errors", t9.Errors == 0)));
        }

        Console.WriteLine();
        Console.WriteLine("== per run ==");
        foreach (var ((workload, variant), summary) in groups.OrderBy(g => g.Key.Workload, StringComparer.Ordinal).ThenBy(g => g.Key.Variant, StringComparer.Ordinal))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{workload} {variant,-18} {Unit(workload, variant),-7} {string.Join(" / ", summary.Runs.Select(r => r.Rps.ToString("N0", CultureInfo.InvariantCulture))),-28} " +
                $"{(IsSingle(workload) ? "value" : "p50 ms")} {string.Join(" / ", summary.Runs.Select(r => r.P50Ms.ToString("F1", CultureInfo.InvariantCulture))),-24} " +
                $"p99 {string.Join(" / ", summary.Runs.Select(r => r.P99Ms.ToString("F1", CultureInfo.InvariantCulture))),-24} errors {summary.Errors,-3} " +
                $"other processes (cores) {string.Join(" / ", summary.Runs.Select(r => Others(r)?.ToString("F2", CultureInfo.InvariantCulture) ?? "-"))}"));
        }

        var busy = lines.Where(l => Others(l) > 0.25).ToList();
        Console.WriteLine();
        Console.WriteLine("== targets (medians over the runs; baselines measured in the same run) ==");
        Print(["target", "figure", "p99", "baseline (same run)", "ratio", "target (benchmarks.md)", "met?"], rows);
        if (busy.Count > 0)
        {
            Console.WriteLine($"WARNING: during {busy.Count} of {lines.Count} runs other processes on this machine used more than 0.25 core " +
                              $"(up to {busy.Max(l => Others(l)):F2}): {string.Join(", ", busy.Select(l => $"{l.Workload} {l.Variant} #{l.Run}").Distinct())}. " +
                              "Those figures are low; rerun on a quiet machine.");
        }

        return 0;
    }

    private static bool IsSingle(string workload) => workload is "t5" or "t6" or "t8" or "t9";

    private static string Unit(string workload, string variant) => workload switch
    {
        "t4" => "rows/s",
        "t5" or "t6" => "items",
        "t7" when variant == "statements" => "stmts",
        "t8" => variant == "rss" ? "MiB" : "rows/s",
        "t9" => "-",
        _ => "req/s",
    };

    /// <summary>A run's note without the CPU remark the script appends.</summary>
    private static string NoteOf(ResultLine? line) =>
        line is null ? "" : System.Text.RegularExpressions.Regex.Replace(line.Note, @";? ?other processes [0-9.]+ cores", "");

    private static double? Others(ResultLine line)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line.Note, @"other processes ([0-9.]+) cores");
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "-" : string.Create(CultureInfo.InvariantCulture, $"{ms:F1} ms");

    private static string Seconds(double ms) => double.IsNaN(ms) ? "-" : string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:F2} s");

    private static string Ratio(double ratio) => double.IsNaN(ratio) || double.IsInfinity(ratio) ? "-" : string.Create(CultureInfo.InvariantCulture, $"{ratio:F2}x");

    /// <summary>"yes", or "NO (…)" naming the criteria that failed.</summary>
    private static string Met(params (string Name, bool Ok)[] criteria)
    {
        var failed = criteria.Where(c => !c.Ok).Select(c => c.Name).ToList();
        return failed.Count == 0 ? "yes" : $"NO ({string.Join(", ", failed)})";
    }

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
            var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
            return sorted.Length == 0 ? double.NaN
                : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}
