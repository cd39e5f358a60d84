using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using Omct.Platform.BuildingBlocks.Import;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Testing;

namespace Omct.Platform.Bench;

/// <summary>
/// <c>import --cs CS --host-dll DLL [--cases 100000] [--seed 20130321] [--port 5185] [--keep]</c>: the data set of
/// <see cref="DataSet"/> imported from NDJSON through the API. In the same run:
/// <list type="number">
/// <item>the generator's own rate for the same cases: <see cref="Generator.GenerateAsync"/> into an empty database of its own
/// (straight through Marten, 4 writers × 500 streams per SaveChanges: no API, no checks, no receipts);</item>
/// <item>the same cases written as NDJSON rows in the CASE importer's shape (a row per case, its victims, events and
/// interventions nested), uploaded over tus to the host started as its own process on another empty database
/// (Production, jobs off: the host's own worker carries out the run), then <c>saveImportMapping</c>,
/// <c>createImport</c>, <c>startImport</c> and <c>importRun</c> polled every second until the run ends;</item>
/// <item>the host's VmRSS sampled every 20 ms during the run and its VmHWM (the kernel's peak) at the end.</item>
/// </list>
/// Prints the total time, rows/s and events/s (events the run appended, counted in mt_events) next to the generator's
/// events/s, and the memory. A row refused counts as an error in the figures (the data set has none).
/// </summary>
internal static class ImportLoad
{
    private const string Mapping = "bench-cases";

    public static async Task<int> RunAsync(Options options)
    {
        var serverCs = options.Required("cs");
        var hostDll = Path.GetFullPath(options.Required("host-dll"));
        var cases = options.Int("cases", 100_000);
        var seed = options.Int("seed", 20130321);
        var port = options.Int("port", 5185);
        var keep = options.Flag("keep");
        var generatedDb = $"omct_bench_importgen_{Environment.ProcessId}";
        var importDb = $"omct_bench_import_{Environment.ProcessId}";
        string Cs(string database) => new NpgsqlConnectionStringBuilder(serverCs) { Database = database }.ConnectionString;

        await UploadLoad.ExecAsync(serverCs, $"create database {generatedDb}");
        await UploadLoad.ExecAsync(serverCs, $"create database {importDb}");
        Process? host = null;
        try
        {
            // 1. The generator's rate for the same cases, in this run.
            var (generatedEvents, append) = await Generator.GenerateAsync(Cs(generatedDb), cases, seed, writers: 4, batch: 500);
            var generatorRate = generatedEvents / append.TotalSeconds;
            NpgsqlConnection.ClearAllPools();

            // 2. The NDJSON file.
            var clock = Stopwatch.StartNew();
            var (content, expectedEvents) = Ndjson(DataSet.Create(seed, cases));
            Console.WriteLine($"import: NDJSON of {cases:N0} cases ({expectedEvents:N0} events to append) written in {clock.Elapsed.TotalSeconds:F1} s: {content.Length / 1048576.0:F1} MiB");

            // 3. The host, the upload, the run.
            host = UploadLoad.StartHost(hostDll, Cs(importDb), port);
            var address = new Uri($"http://127.0.0.1:{port}");
            await UploadLoad.WaitReadyAsync(address, host);
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(30) };
            await SaveMappingAsync(http);
            using var sampler = new UploadLoad.RssSampler(host.Id);
            await Task.Delay(2000);
            var before = sampler.Current();
            var eventsBefore = await CountEventsAsync(Cs(importDb));

            clock.Restart();
            var location = await TusOverHttp.CreateAsync(http, content.LongLength, "bench-cases.ndjson", "application/x-ndjson", UploadLoad.AdminKey);
            await TusOverHttp.ResumeAsync(http, location, content, UploadLoad.AdminKey);
            var fileId = (await UploadLoad.GraphQLAsync(http, "mutation($u: String!) { createImport(input: { uploadId: $u }) { importFile { id } } }",
                new { u = location[(location.LastIndexOf('/') + 1)..] })).GetProperty("createImport").GetProperty("importFile").GetProperty("id").GetString()!;
            var uploaded = clock.Elapsed;
            content = [];
            GC.Collect();

            sampler.Start();
            clock.Restart();
            var runId = (await UploadLoad.GraphQLAsync(http, "mutation($f: ID!, $m: String!) { startImport(input: { fileId: $f, mapping: $m }) { importRun { id } } }",
                new { f = fileId, m = Mapping })).GetProperty("startImport").GetProperty("importRun").GetProperty("id").GetString()!;
            JsonElement run;
            var lastPrint = TimeSpan.Zero;
            while (true)
            {
                await Task.Delay(1000);
                run = (await UploadLoad.GraphQLAsync(http,
                    "query($id: ID!) { importRun(id: $id) { status error rowsTotal rowsDone created unchanged errorRows rate secondsLeft } }", new { id = runId })).GetProperty("importRun");
                var status = run.GetProperty("status").GetString();
                if (status is "SUCCEEDED" or "FAILED" or "CANCELLED")
                {
                    break;
                }

                if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(15))
                {
                    lastPrint = clock.Elapsed;
                    Console.WriteLine($"import:   {run.GetProperty("rowsDone").GetInt64(),9:N0} of {(run.GetProperty("rowsTotal").ValueKind == JsonValueKind.Number ? run.GetProperty("rowsTotal").GetInt64() : 0):N0} rows  " +
                                      $"{clock.Elapsed.TotalSeconds,7:F1} s  rate {Number(run, "rate")} rows/s  left {Number(run, "secondsLeft")} s  VmRSS {sampler.Current().RssKb / 1024.0:F0} MiB");
                }
            }

            var took = clock.Elapsed;
            var peak = sampler.Stop();
            var appended = await CountEventsAsync(Cs(importDb)) - eventsBefore;
            var rows = run.GetProperty("rowsDone").GetInt64();
            Console.WriteLine($"import: run {run.GetProperty("status").GetString()}{(run.GetProperty("error").ValueKind == JsonValueKind.String ? ": " + run.GetProperty("error").GetString() : "")}; " +
                              $"{rows:N0} rows: {run.GetProperty("created").GetInt64():N0} created, {run.GetProperty("unchanged").GetInt64():N0} unchanged, {run.GetProperty("errorRows").GetInt64():N0} with errors");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"import: upload + createImport {uploaded.TotalSeconds:F1} s; run {took.TotalSeconds:F1} s = {rows / took.TotalSeconds:N0} rows/s, {appended:N0} events = {appended / took.TotalSeconds:N0} events/s (polled every 1 s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"import: generator (same cases, same run, straight through Marten) {generatedEvents:N0} events in {append.TotalSeconds:F1} s = {generatorRate:N0} events/s; import / generator = {appended / took.TotalSeconds / generatorRate:F2}"));
            Console.WriteLine($"import: host VmRSS before the run {before.RssKb / 1024.0:F1} MiB, peak during it {peak.RssKb / 1024.0:F1} MiB (+{(peak.RssKb - before.RssKb) / 1024.0:F1} MiB); " +
                              $"VmHWM (peak since the host started) {peak.HwmKb / 1024.0:F1} MiB; {sampler.Samples} samples");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"import-result\t{cases}\t{rows}\t{appended}\t{took.TotalSeconds:F1}\t{rows / took.TotalSeconds:F0}\t{appended / took.TotalSeconds:F0}\t{generatorRate:F0}\t{before.RssKb / 1024.0:F0}\t{peak.RssKb / 1024.0:F0}\t{peak.HwmKb / 1024.0:F0}"));
            return run.GetProperty("status").GetString() == "SUCCEEDED" && appended == expectedEvents ? 0 : 1;
        }
        finally
        {
            await UploadLoad.StopAndDropAsync(host, serverCs, keep ? [] : [generatedDb, importDb]);
        }
    }

    private static string Number(JsonElement run, string name) =>
        run.GetProperty(name).ValueKind == JsonValueKind.Number ? run.GetProperty(name).GetDouble().ToString("F0", CultureInfo.InvariantCulture) : "-";

    private static async Task SaveMappingAsync(HttpClient http)
    {
        string[] fields = ["title", "countryCode", "summary", "confidentiality", "reference", "openedOn", "status"];
        await UploadLoad.GraphQLAsync(http,
            "mutation($c: [ImportColumnMappingInput!]!) { saveImportMapping(input: { name: \"" + Mapping + "\", kind: CASE, keyColumn: \"key\", columns: $c }) { importMapping { id } } }",
            new { c = fields.Select(f => new { column = f, field = f }).ToList() });
    }

    private static async Task<long> CountEventsAsync(string cs)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from omct.mt_events", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The data set as NDJSON rows of the CASE importer (its field names; enums in CONSTANT_CASE), and the events their
    /// import appends. What the generator writes as events becomes the row's parts: its victims (a name repeated in a case
    /// gets " (2)": an event names its victims by name), its recorded events, its interventions (the first urgent appeal,
    /// then follow-ups, numbered by the module), and the final status (one status change: a case closed after monitoring
    /// is imported closed straight away).
    /// </summary>
    internal static (byte[] Content, long Events) Ndjson(DataSet data)
    {
        using var stream = new MemoryStream();
        long events = 0;
        using (var json = new Utf8JsonWriter(stream))
        {
            foreach (var planned in data.Plan)
            {
                var stream_ = data.EventsOf(planned, out var status);
                var opened = (CaseOpened)stream_[0];
                var names = new Dictionary<Guid, string>();
                var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                json.WriteStartObject();
                json.WriteString("key", $"bench-{planned.Number:D7}");
                json.WriteString("title", opened.Title);
                json.WriteString("countryCode", opened.CountryCode);
                if (opened.Summary is not null)
                {
                    json.WriteString("summary", opened.Summary);
                }

                json.WriteString("confidentiality", Constant(opened.Confidentiality));
                json.WriteString("reference", opened.Reference);
                json.WriteString("openedOn", opened.OpenedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteString("status", Constant(status));
                events += 1 + (status == CaseStatus.Open ? 0 : 1);
                json.WriteStartArray("victims");
                foreach (var victim in stream_.OfType<VictimAdded>())
                {
                    var name = victim.Name!;
                    for (var n = 2; !used.Add(name); n++)
                    {
                        name = $"{victim.Name} ({n})";
                    }

                    names[victim.VictimId] = name;
                    json.WriteStartObject();
                    json.WriteString("name", name);
                    json.WriteString("confidentiality", Constant(victim.Confidentiality));
                    json.WriteEndObject();
                    events++;
                }

                json.WriteEndArray();
                json.WriteStartArray("events");
                foreach (var recorded in stream_.OfType<CaseEventRecorded>())
                {
                    json.WriteStartObject();
                    json.WriteString("type", Constant(recorded.Type));
                    json.WriteString("date", recorded.Date.ToString());
                    json.WriteString("description", recorded.Description);
                    json.WriteString("perpetratorType", Constant(recorded.PerpetratorType!.Value));
                    json.WriteString("source", recorded.Source);
                    json.WriteString("confidentiality", Constant(recorded.Confidentiality));
                    json.WriteStartArray("victims");
                    foreach (var id in recorded.VictimIds)
                    {
                        json.WriteStringValue(names[id]);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    events++;
                }

                json.WriteEndArray();
                json.WriteStartArray("interventions");
                foreach (var issued in stream_.OfType<InterventionIssued>())
                {
                    json.WriteStartObject();
                    json.WriteString("type", Constant(issued.Type));
                    json.WriteString("issuedOn", issued.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    json.WriteStartArray("addressees");
                    foreach (var addressee in issued.Addressees)
                    {
                        json.WriteStringValue(addressee);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    events++;
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.Flush();
                stream.WriteByte((byte)'\n');
                json.Reset();
            }
        }

        return (stream.ToArray(), events);
    }

    private static string Constant<TEnum>(TEnum value) where TEnum : struct, Enum => ImportValues.ConstantCase(value.ToString());
}
