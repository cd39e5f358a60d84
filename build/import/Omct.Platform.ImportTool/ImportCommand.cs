using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Omct.Platform.ImportTool;

/// <summary>
/// One import, as a person at a terminal follows it: the mapping checked first, the file uploaded with a progress bar,
/// made an import file, the run started (dry or real) and followed with a progress bar (rows done of the total, errors,
/// rows per second, time left as the platform estimates them), then its figures, its first errors and the error report
/// saved beside the file. Ctrl-C stops the run at its next batch (the rows done stay done).
/// </summary>
internal sealed class ImportCommand(PlatformClient platform, IAnsiConsole console, TimeSpan poll)
{
    /// <summary>The run finished and every row went in (or, for a dry run, would).</summary>
    public const int Succeeded = 0;

    /// <summary>The run finished, and some rows were refused: see the errors.</summary>
    public const int RowsRefused = 1;

    /// <summary>The run failed or was cancelled.</summary>
    public const int RunStopped = 2;

    /// <summary>Nothing was started: a bad argument, a missing file, the platform unreachable or refusing.</summary>
    public const int NotStarted = 3;

    private const string RunFields = "id status error dryRun rowsTotal rowsDone created changed unchanged changedNotApplied errorRows rate secondsLeft errorReportUrl";

    public async Task<int> RunAsync(FileInfo file, string mapping, bool dryRun, string? errorsPath, CancellationToken ct)
    {
        if (!file.Exists)
        {
            return Refuse($"No such file: {file.FullName}");
        }

        if (MediaType(file) is not { } mediaType)
        {
            return Refuse($"{file.Name}: the platform imports .csv, .xlsx, .json and .ndjson (or .jsonl) files.");
        }

        string runId;
        try
        {
            if (!await MappingExistsAsync(mapping, ct))
            {
                return NotStarted;
            }

            var uploadId = await UploadAsync(file, mediaType, ct);
            var importFile = (await platform.QueryAsync(
                    "mutation($u: String!, $c: String) { createImport(input: { uploadId: $u, clientMutationId: $c }) { importFile { id format columns } } }",
                    new { u = uploadId, c = Guid.NewGuid().ToString() }, ct))
                .GetProperty("createImport").GetProperty("importFile");
            var columns = importFile.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? "").ToList();
            console.MarkupLine($"[grey]{Markup.Escape(importFile.GetProperty("format").GetString() ?? "")} file, {columns.Count} column(s): {Markup.Escape(string.Join(", ", columns))}[/]");

            var run = (await platform.QueryAsync(
                    $"mutation($f: ID!, $m: String!, $d: Boolean, $c: String) {{ startImport(input: {{ fileId: $f, mapping: $m, dryRun: $d, clientMutationId: $c }}) {{ importRun {{ {RunFields} }} }} }}",
                    new { f = importFile.GetProperty("id").GetString(), m = mapping, d = dryRun, c = Guid.NewGuid().ToString() }, ct))
                .GetProperty("startImport").GetProperty("importRun");
            runId = run.GetProperty("id").GetString()!;
            console.MarkupLine($"{(dryRun ? "Dry run" : "Import")} [bold]{Markup.Escape(runId)}[/] started with the mapping [bold]{Markup.Escape(mapping)}[/].");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Refuse("Interrupted before the run started: nothing was imported.");
        }
        catch (Exception e) when (e is PlatformException or HttpRequestException)
        {
            return Refuse(Describe(e));
        }

        JsonElement finished;
        try
        {
            finished = await FollowAsync(runId, dryRun, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            finished = await CancelAsync(runId);
        }

        return await ReportAsync(finished, file, errorsPath);
    }

    private async Task<bool> MappingExistsAsync(string mapping, CancellationToken ct)
    {
        var data = await platform.QueryAsync("query($n: String!) { importMapping(name: $n) { name kind } importMappings(first: 50) { nodes { name kind } } }", new { n = mapping }, ct);
        if (data.GetProperty("importMapping").ValueKind == JsonValueKind.Object)
        {
            var found = data.GetProperty("importMapping");
            console.MarkupLine($"[grey]Mapping {Markup.Escape(mapping)}: {Markup.Escape(found.GetProperty("kind").GetString() ?? "")}[/]");
            return true;
        }

        var known = data.GetProperty("importMappings").GetProperty("nodes").EnumerateArray()
            .Select(n => $"{n.GetProperty("name").GetString()} ({n.GetProperty("kind").GetString()})").ToList();
        Refuse(known.Count == 0
            ? $"No mapping named \"{mapping}\", and none is saved yet: save one in the console's import screen or with saveImportMapping."
            : $"No mapping named \"{mapping}\". Saved mappings: {string.Join(", ", known)}.");
        return false;
    }

    private async Task<string> UploadAsync(FileInfo file, string mediaType, CancellationToken ct)
    {
        var uploadId = "";
        await NewProgress().StartAsync(async context =>
        {
            var task = context.AddTask($"Uploading {Markup.Escape(file.Name)}", maxValue: Math.Max(1, file.Length));
            uploadId = await new TusUpload(platform).UploadAsync(file, mediaType, sent => task.Value = sent, ct);
            task.Value = task.MaxValue;
        });
        return uploadId;
    }

    private async Task<JsonElement> FollowAsync(string runId, bool dryRun, CancellationToken ct)
    {
        var run = default(JsonElement);
        await NewProgress().StartAsync(async context =>
        {
            var task = context.AddTask(dryRun ? "Checking rows" : "Importing rows", maxValue: 1);
            task.IsIndeterminate = true;
            while (true)
            {
                run = await RunAsync(runId, ct);
                var total = Long(run, "rowsTotal");
                if (total is { } t)
                {
                    task.IsIndeterminate = false;
                    task.MaxValue = Math.Max(1, t);
                }

                task.Value = Math.Min(task.MaxValue, Long(run, "rowsDone") ?? 0);
                task.Description = Markup.Escape(Line(run, dryRun));
                if (Finished(run))
                {
                    task.Value = task.MaxValue;
                    task.StopTask();
                    return;
                }

                await Task.Delay(poll, ct);
            }
        });
        return run;
    }

    /// <summary>Ctrl-C: the run stops at its next batch; waits (at most a minute) for it to say so.</summary>
    private async Task<JsonElement> CancelAsync(string runId)
    {
        console.MarkupLine("[yellow]Interrupted: cancelling the run at its next batch (the rows done stay done)…[/]");
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var run = (await platform.QueryAsync($"mutation($r: ID!) {{ cancelImport(input: {{ runId: $r }}) {{ importRun {{ {RunFields} }} }} }}", new { r = runId }, limit.Token))
            .GetProperty("cancelImport").GetProperty("importRun");
        while (!Finished(run))
        {
            await Task.Delay(poll, limit.Token);
            run = await RunAsync(runId, limit.Token);
        }

        return run;
    }

    private async Task<int> ReportAsync(JsonElement run, FileInfo file, string? errorsPath)
    {
        var status = run.GetProperty("status").GetString();
        var dryRun = run.GetProperty("dryRun").GetBoolean();
        var rate = Double(run, "rate") is { } r ? $" ({r.ToString("N0", CultureInfo.InvariantCulture)} rows/s)" : "";
        console.MarkupLine(Markup.Escape($"{(Long(run, "rowsDone") ?? 0).ToString("N0", CultureInfo.InvariantCulture)} of " +
            $"{(Long(run, "rowsTotal") ?? 0).ToString("N0", CultureInfo.InvariantCulture)} rows {(dryRun ? "checked" : "done")}{rate}."));
        var table = new Table().AddColumn(dryRun ? "Rows that would be" : "Rows").AddColumn(new TableColumn("Count").RightAligned());
        foreach (var (label, field) in new[]
                 {
                     ("created", "created"), ("changed", "changed"), ("unchanged", "unchanged"), ("changed, not applied", "changedNotApplied"),
                     ("refused (errors)", "errorRows"),
                 })
        {
            table.AddRow(label, (Long(run, field) ?? 0).ToString("N0", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        var errorRows = Long(run, "errorRows") ?? 0;
        if (errorRows > 0)
        {
            var errors = (await platform.QueryAsync("query($id: ID!) { importRun(id: $id) { errors(first: 10) { totalCount nodes { line column message } } } }",
                new { id = run.GetProperty("id").GetString() }, CancellationToken.None)).GetProperty("importRun").GetProperty("errors");
            foreach (var error in errors.GetProperty("nodes").EnumerateArray())
            {
                var column = error.GetProperty("column").GetString();
                console.MarkupLine($"[red]line {error.GetProperty("line").GetInt64()}{(string.IsNullOrEmpty(column) ? "" : $", {Markup.Escape(column)}")}:[/] {Markup.Escape(error.GetProperty("message").GetString() ?? "")}");
            }

            var target = errorsPath ?? file.FullName + ".errors.csv";
            await platform.DownloadAsync(run.GetProperty("errorReportUrl").GetString()!, target, CancellationToken.None);
            console.MarkupLine($"All {errors.GetProperty("totalCount").GetInt64():N0} error(s) (line, column, message): [bold]{Markup.Escape(target)}[/]");
        }

        switch (status)
        {
            case "SUCCEEDED":
                console.MarkupLine(errorRows == 0
                    ? $"[green]{(dryRun ? "Dry run done: every row can be imported; nothing was written." : "Import done.")}[/]"
                    : $"[yellow]{(dryRun ? "Dry run done: nothing was written; fix the rows above and run it again." : "Import done, but the rows above were refused; fix them and import the file again (rows already in are left as they are).")}[/]");
                return errorRows == 0 ? Succeeded : RowsRefused;
            case "CANCELLED":
                console.MarkupLine($"[yellow]Cancelled after {Long(run, "rowsDone") ?? 0:N0} row(s); they stay done. Importing the file again goes on where it stopped.[/]");
                return RunStopped;
            default:
                console.MarkupLine($"[red]The run failed: {Markup.Escape(run.GetProperty("error").GetString() ?? status ?? "")}[/]");
                return RunStopped;
        }
    }

    private async Task<JsonElement> RunAsync(string runId, CancellationToken ct) =>
        (await platform.QueryAsync($"query($id: ID!) {{ importRun(id: $id) {{ {RunFields} }} }}", new { id = runId }, ct)).GetProperty("importRun");

    private static string Line(JsonElement run, bool dryRun)
    {
        var done = Long(run, "rowsDone") ?? 0;
        var total = Long(run, "rowsTotal");
        var parts = new List<string>
        {
            $"{(dryRun ? "Checking" : "Importing")} {done.ToString("N0", CultureInfo.InvariantCulture)}" +
            (total is { } t ? $"/{t.ToString("N0", CultureInfo.InvariantCulture)}" : "") + " rows",
            $"{(Long(run, "errorRows") ?? 0).ToString("N0", CultureInfo.InvariantCulture)} errors",
        };
        if (Double(run, "rate") is { } rate)
        {
            parts.Add($"{rate.ToString("N0", CultureInfo.InvariantCulture)} rows/s");
        }

        if (Double(run, "secondsLeft") is { } left && !Finished(run))
        {
            parts.Add($"{TimeSpan.FromSeconds(Math.Round(left)):g} left");
        }

        return string.Join(" · ", parts);
    }

    private Progress NewProgress() =>
        console.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn());

    private static bool Finished(JsonElement run) => run.GetProperty("status").GetString() is "SUCCEEDED" or "FAILED" or "CANCELLED";

    private static long? Long(JsonElement run, string field) =>
        run.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    private static double? Double(JsonElement run, string field) =>
        run.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    /// <summary>What the tus upload declares; the platform checks the content itself.</summary>
    public static string? MediaType(FileInfo file) => file.Extension.ToLowerInvariant() switch
    {
        ".csv" => "text/csv",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".json" => "application/json",
        ".ndjson" or ".jsonl" => "application/x-ndjson",
        _ => null,
    };

    private static string Describe(Exception e) => e switch
    {
        PlatformException { Code: "UNAUTHENTICATED" } => "The platform did not accept the API key (--api-key or OMCT_API_KEY): " + e.Message,
        PlatformException { Field: { } field } => $"{e.Message} ({field})",
        HttpRequestException => $"The platform could not be reached: {e.Message}",
        _ => e.Message,
    };

    private int Refuse(string message)
    {
        console.MarkupLine($"[red]{Markup.Escape(message)}[/]");
        return NotStarted;
    }
}
