using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Import.Runs;
using Omct.Platform.Api.Tests.Files;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Import;

/// <summary>What the import tests share: a file uploaded with tus, made an import file, a mapping, a run followed to its end.</summary>
/// <param name="whenFinished">The in-memory host's task of a run (<see cref="ImportScheduler.WhenFinishedAsync"/>), when it runs it on one; else null.</param>
internal sealed class ImportKit(
    Func<string?, GraphQLClient> graphQL, Func<string, byte[], string, Task<string>> upload, string connectionString, Func<Guid, Task?>? whenFinished = null)
{
    public const string RunFields = "id status error dryRun rowsTotal rowsDone created changed unchanged changedNotApplied errorRows rate secondsLeft errorReportUrl";

    public static ImportKit InMemory(PlatformFactory platform) =>
        new(key => platform.GraphQL(key ?? PlatformFactory.AdminKey),
            (key, content, name) => new TusKit(platform, key).UploadAsync(content, name, name.EndsWith(".xlsx", StringComparison.Ordinal) ? XlsxType : "text/plain"),
            platform.ConnectionString,
            runId => platform.Services.GetRequiredService<ImportScheduler>().WhenFinishedAsync(runId));

    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public GraphQLClient Client(string? key) => graphQL(key);

    public async Task<string> KeyAsync(string role, string clearance) =>
        (await graphQL(null).QueryAsync("mutation($r: Role!, $c: Confidentiality!) { createApiKey(input: { name: \"importer\", role: $r, clearance: $c }) { key } }", new { r = role, c = clearance }))
        .GetProperty("createApiKey").GetProperty("key").GetString()!;

    /// <summary>Uploads with tus and makes an import file of it: its id.</summary>
    public async Task<JsonElement> CreateFileAsync(byte[] content, string fileName, string? key = null)
    {
        var uploadId = await upload(key ?? PlatformFactory.AdminKey, content, fileName);
        return (await graphQL(key).QueryAsync("mutation($u: String!) { createImport(input: { uploadId: $u }) { importFile { id fileName format columns } } }", new { u = uploadId }))
            .GetProperty("createImport").GetProperty("importFile");
    }

    public async Task SaveMappingAsync(string name, string kind, string keyColumn, IReadOnlyDictionary<string, string> columns, IReadOnlyDictionary<string, string>? fixedValues = null, string? key = null) =>
        await graphQL(key).QueryAsync(
            "mutation($n: String!, $k: ImportKind!, $key: String!, $c: [ImportColumnMappingInput!]!, $f: [ImportFixedValueInput!]) " +
            "{ saveImportMapping(input: { name: $n, kind: $k, keyColumn: $key, columns: $c, fixedValues: $f }) { importMapping { id version } } }",
            new
            {
                n = name, k = kind, key = keyColumn,
                c = columns.Select(c => new { column = c.Key, field = c.Value }).ToList(),
                f = (fixedValues ?? new Dictionary<string, string>()).Select(f => new { field = f.Key, value = f.Value }).ToList(),
            });

    public async Task<string> StartAsync(string fileId, string mapping, bool dryRun, string? key = null) =>
        (await graphQL(key).QueryAsync("mutation($f: ID!, $m: String!, $d: Boolean) { startImport(input: { fileId: $f, mapping: $m, dryRun: $d }) { importRun { id status } } }",
            new { f = fileId, m = mapping, d = dryRun }))
        .GetProperty("startImport").GetProperty("importRun").GetProperty("id").GetString()!;

    public async Task<JsonElement> RunAsync(string runId, string? key = null, string extra = "") =>
        (await graphQL(key).QueryAsync($"query($id: ID!) {{ importRun(id: $id) {{ {RunFields} {extra} }} }}", new { id = runId })).GetProperty("importRun");

    /// <summary>
    /// The run once it is finished (SUCCEEDED, FAILED, CANCELLED): when the in-memory host runs it on a task of its own, that
    /// task awaited, else asked until it says so (<see cref="Eventually"/>); with <paramref name="seen"/>, polled, every figure seen on the way kept there.
    /// </summary>
    public async Task<JsonElement> FinishedAsync(string runId, string? key = null, List<JsonElement>? seen = null, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(4));
        if (seen is null && GlobalId.TryDecode(runId, out _, out var id) && whenFinished?.Invoke(id) is { } running)
        {
            await running.WaitAsync(until - DateTime.UtcNow);
        }

        // A host process (or a run watched figure by figure) tells nobody when it ends: asked until it says so.
        var run = await Eventually.GetAsync(async () =>
        {
            var now = await RunAsync(runId, key);
            seen?.Add(now);
            return now;
        }, Ended, until - DateTime.UtcNow);
        Assert.True(Ended(run), $"The run did not finish: {run}");
        return run;

        static bool Ended(JsonElement run) => run.GetProperty("status").GetString() is "SUCCEEDED" or "FAILED" or "CANCELLED";
    }

    public async Task<JsonElement> ImportAsync(byte[] content, string fileName, string mapping, bool dryRun, string? key = null)
    {
        var file = await CreateFileAsync(content, fileName, key);
        return await FinishedAsync(await StartAsync(file.GetProperty("id").GetString()!, mapping, dryRun, key), key);
    }

    public async Task<List<JsonElement>> ErrorsAsync(string runId, string? key = null) =>
        (await graphQL(key).QueryAsync("query($id: ID!) { importRun(id: $id) { errors(first: 100) { totalCount nodes { line column message } } } }", new { id = runId }))
        .GetProperty("importRun").GetProperty("errors").GetProperty("nodes").EnumerateArray().ToList();

    /// <summary>A run's errors as (line, column, message), in the order the API lists them.</summary>
    public async Task<List<(long Line, string Column, string Message)>> ProblemsAsync(string runId, string? key = null) =>
        [.. (await ErrorsAsync(runId, key)).Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("column").GetString() ?? "", e.GetProperty("message").GetString() ?? ""))];

    /// <summary>The records of a list (<c>articles</c>, <c>submissions</c>, …) whose title starts with <paramref name="prefix"/>, by title.</summary>
    public async Task<Dictionary<string, JsonElement>> ByTitleAsync(string list, string fields, string prefix, GraphQLClient? client = null) =>
        (await (client ?? graphQL(null)).QueryAsync($"{{ {list}(first: 100) {{ nodes {{ {fields} }} }} }}"))
        .GetProperty(list).GetProperty("nodes").EnumerateArray()
        .Where(r => r.GetProperty("title").GetString()!.StartsWith(prefix, StringComparison.Ordinal))
        .ToDictionary(r => r.GetProperty("title").GetString()!);

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What the platform has written: events, organisations, defenders, cases, import keys, reference counters.</summary>
    public async Task<string> WrittenAsync() =>
        string.Join(" ", await Task.WhenAll(
            Count("omct.mt_events"), Count("omct.mt_streams"), Count("omct.mt_doc_defenders_organisation"), Count("omct.mt_doc_import_key")));

    private async Task<string> Count(string table) =>
        $"{table}={await ScalarAsync($"select case when to_regclass('{table}') is null then -1 else (select count(*) from {table}) end")}";

    public static byte[] Csv(IEnumerable<string[]> rows) =>
        Encoding.UTF8.GetBytes(string.Join("\r\n", rows.Select(r => string.Join(",", r.Select(c => c.Contains(',') || c.Contains('"') ? $"\"{c.Replace("\"", "\"\"")}\"" : c)))) + "\r\n");

    /// <summary>An XLSX workbook of one sheet (the Open XML SDK): the first row is the header; numbers stay numbers.</summary>
    public static byte[] Xlsx(IEnumerable<object[]> rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            foreach (var values in rows)
            {
                var row = new Row();
                foreach (var value in values)
                {
                    row.Append(value is double or int
                        ? new Cell { DataType = CellValues.Number, CellValue = new CellValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)) }
                        : new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text((string)value)) });
                }

                data.Append(row);
            }

            sheetPart.Worksheet = new Worksheet(data);
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Defenders" });
            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }
}
