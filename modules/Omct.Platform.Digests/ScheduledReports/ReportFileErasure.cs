using System.IO.Compression;
using System.Net;
using System.Text;
using Omct.Platform.BuildingBlocks.Privacy;

namespace Omct.Platform.Digests.ScheduledReports;

/// <summary>
/// A defender's erasure reaches the stored files of report runs: each run whose files name the person — the CSV and the
/// HTML read as text, the XLSX's sheets as their XML, each opened with its key — loses all its files (the same rows in
/// each format) and their keys, in the erasure's transaction; the run itself stays, with no file to download. A file
/// cannot be redacted in place as a digest is (a spreadsheet's cells, a printed PDF), and a report is made again on
/// demand. A run whose only file is a PDF is not searched (its text is compressed); the README says so.
/// </summary>
internal sealed class ReportFileErasure(ReportRunStore runs, Marten.IDocumentStore store) : IPersonalDataErasureParticipant
{
    public async Task<ErasurePreparation> PrepareAsync(ErasedPerson person, CancellationToken cancellationToken)
    {
        if (NameRedaction.For(person) is not { } redaction)
        {
            return ErasurePreparation.Nothing;
        }

        var named = new Dictionary<Guid, RedactedRecord>();
        foreach (var (file, level, forDay) in await runs.AllFilesAsync(cancellationToken))
        {
            if (named.ContainsKey(file.RunId) || await TextOfAsync(file, cancellationToken) is not { } text)
            {
                continue;
            }

            var count = redaction.Count(text);
            if (count == 0)
            {
                continue;
            }

            named[file.RunId] = new RedactedRecord(ReportRunGraphType.TypeName, file.RunId, $"report run of {forDay:yyyy-MM-dd}", ["files"], count, level);
        }

        if (named.Count == 0)
        {
            return ErasurePreparation.Nothing;
        }

        var schema = store.Options.DatabaseSchemaName;
        return new ErasurePreparation(write =>
        {
            foreach (var runId in named.Keys)
            {
                foreach (var sql in ReportRunStore.DeleteRunFilesSql(schema))
                {
                    write.QueueSqlCommand(sql, runId);
                }
            }
        }, [.. named.Values]);
    }

    /// <summary>The file's text as a reader sees it (entities decoded); null for a PDF.</summary>
    private async Task<string?> TextOfAsync(ReportRunFile file, CancellationToken ct)
    {
        if (file.ContentType.StartsWith("application/pdf", StringComparison.Ordinal))
        {
            return null;
        }

        using var content = new MemoryStream();
        await runs.CopyFileAsync(file.RunId, file.Name, content, ct);
        content.Position = 0;
        if (!file.ContentType.Contains("spreadsheetml", StringComparison.Ordinal))
        {
            return WebUtility.HtmlDecode(Encoding.UTF8.GetString(content.ToArray()));
        }

        var text = new StringBuilder();
        await using var zip = new ZipArchive(content, ZipArchiveMode.Read);
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
        {
            await using var part = await entry.OpenAsync(ct);
            using var reader = new StreamReader(part, Encoding.UTF8);
            text.AppendLine(WebUtility.HtmlDecode(await reader.ReadToEndAsync(ct)));
        }

        return text.ToString();
    }
}
