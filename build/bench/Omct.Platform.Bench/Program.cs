using System.Globalization;

// build/bench/Omct.Platform.Bench — the commands build/bench/run.sh calls (see ../README.md).
//
//   generate     --cs CS [--cases 100000] [--seed 20130321] [--writers 4] [--batch 500] [--regenerate]
//   baseline     --cs CS --urls URL [--bootstrap-key KEY]          hand-written Npgsql + STJ endpoint
//   prepare      --cs CS --host URL --admin-key KEY --out DIR [--baseline URL] [--countries CO,GT,PH] [--first 50] [--mutation-cases 16000]
//   sql-stats    --cs CS --key-file FILE --results FILE --run N [--clients 8] [--seconds 10]
//   append-quick --cs CS --results FILE --run N [--writers 8] [--seconds 10]
//   append-fetch --cs CS --cases-file FILE --results FILE --run N [--writers 8] [--seconds 10]
//   feed         --host URL --key KEY --cs CS [--first 1000] --results FILE --run N [--warmup] [--writers 8 --writer-key KEY --cases-file FILE]
//                target 4: the change feed from the start (with writers: 0 skipped, 0 repeated while they append)
//   feed-sql     --cs CS [--first 1000] --results FILE --run N       target 4's baseline: mt_events read straight
//   export       --host URL --key KEY --pid PID [--name cases] [--format ndjson] [--runs 2] [--results FILE --run N]   the export's memory
//   job          --host URL --key KEY --cs CS --name JOB --as-of DAY --workload t5|t6 --results FILE --run N [--count-sql SQL]
//   anniversary-sql --cs CS --as-of DAY [--lead 14] --results FILE --run N   target 5's baseline
//   hostile      --out FILE [--count 1000]                            target 7's documents
//   startup      --runs N --results FILE --host-exec CMD --host-probe URL [--host-dir DIR] --minimal-exec CMD --minimal-probe URL
//   minimal      --urls URL                                           target 9's baseline app
//   report       --results FILE
//   upload       --cs CS --host-dll DLL [--mb 200] [--abort-at-mb 100] [--bound-mb 150] [--port 5184]
//                issue 21: a tus upload aborted midway and resumed, SHA-256 checked, the host's memory bounded (exit 1 when not)
//   import       --cs CS --host-dll DLL [--cases 100000] [--seed 20130321] [--port 5185] [--keep]
//   report-run   --cs CS --host-dll DLL [--cases 100000] [--seed 20130321] [--port 5186] [--keep]   a scheduled report over every case, streamed
//                issue 22: the data set imported from NDJSON through the API (host as its own process) next to the generator's rate
//
// Every command prints what it measured; none fails because a target is missed (upload, a check, exits 1 when it fails).
namespace Omct.Platform.Bench;

/// <summary>The entry point (a class of its own: the host's top-level <c>Program</c> is referenced too).</summary>
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.Length > 0 ? args[0] : "help";
        try
        {
            var options = Options.Parse(args.Skip(1));
            return command switch
            {
                "generate" => await Generator.RunAsync(options),
                "baseline" => await BaselineServer.RunAsync(options),
                "prepare" => await Prepare.RunAsync(options),
                "sql-stats" => await InProcessLoads.SqlStatsAsync(options),
                "append-quick" => await InProcessLoads.QuickAppendAsync(options),
                "append-fetch" => await InProcessLoads.FetchAppendAsync(options),
                "feed" => await IntegrationLoads.FeedAsync(options),
                "feed-sql" => await IntegrationLoads.FeedSqlAsync(options),
                "export" => await IntegrationLoads.ExportAsync(options),
                "job" => await JobLoads.RunAsync(options),
                "anniversary-sql" => await JobLoads.AnniversarySqlAsync(options),
                "hostile" => await Hostile.RunAsync(options),
                "startup" => await Startup.RunAsync(options),
                "minimal" => await Startup.MinimalAsync(options),
                "report" => Report.Run(options),
                "upload" => await UploadLoad.RunAsync(options),
                "import" => await ImportLoad.RunAsync(options),
                "report-run" => await ReportRunLoad.RunAsync(options),
                _ => Usage(),
            };
        }
        catch (OptionException e)
        {
            Console.Error.WriteLine($"bench: {e.Message}");
            return 2;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: Omct.Platform.Bench generate|baseline|prepare|sql-stats|append-quick|append-fetch|feed|feed-sql|export|job|anniversary-sql|hostile|startup|minimal|report|upload|import|report-run [--option value ...]");
        return 2;
    }
}

internal sealed class OptionException(string message) : Exception(message);

/// <summary><c>--name value</c> pairs and <c>--flag</c>s.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public static Options Parse(IEnumerable<string> args)
    {
        var options = new Options();
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new OptionException($"unexpected argument '{arg}'");
            }

            var name = arg[2..];
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                options._values[name[..eq]] = name[(eq + 1)..];
            }
            else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                options._values[name] = list[++i];
            }
            else
            {
                options._values[name] = null;
            }
        }

        return options;
    }

    public bool Flag(string name) => _values.ContainsKey(name);

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : throw new OptionException($"--{name} is required");

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Get(string name, string fallback) => _values.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : fallback;

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var v) && v is not null
            ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new OptionException($"--{name} must be a number")
            : fallback;
}
