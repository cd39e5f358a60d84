using System.Text.RegularExpressions;
using Marten;
using Npgsql;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Files.Contracts;

namespace Omct.Platform.Files.Search;

/// <summary>
/// The full-text search in the files' extracted text (<see cref="FileText"/>), for a record's own search: the
/// records whose files match, where the file is visible by its own level (read at each query, so a file reclassified
/// above the caller no longer makes its record findable) and the record by its module's answer — the one visibility
/// rule of files. At most <see cref="MaxMatches"/> files are considered per query.
/// </summary>
internal sealed partial class FileTextSearch(IDocumentStore store, IEnumerable<IAttachmentTargets> targets)
{
    public const int MaxMatches = 1000;

    public async Task<IReadOnlyList<AttachmentTarget>> RecordsMatchingAsync(
        IReadOnlyCollection<string> recordTypes, string text, string textSearchConfig, Caller caller, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text) || recordTypes.Count == 0)
        {
            return [];
        }

        // The configuration is spelled into the SQL (so that the index on the english one serves): a plain name only.
        if (!ConfigName().IsMatch(textSearchConfig))
        {
            throw new ArgumentException("Not a text search configuration name.", nameof(textSearchConfig));
        }

        var schema = store.Options.DatabaseSchemaName;
        var found = new List<(string Type, Guid Id)>();
        await using (var connection = store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync(ct);
            await using var command = (NpgsqlCommand)connection.CreateCommand();
            command.CommandText =
                $"select distinct f.data ->> 'recordType', f.record_id from {schema}.mt_doc_files_file f join {schema}.mt_doc_files_text t on t.id = f.id " +
                "where f.confidentiality = any($1) and f.data ->> 'recordType' = any($2) " +
                $"and to_tsvector('{textSearchConfig}'::regconfig, t.data ->> 'text') @@ websearch_to_tsquery('{textSearchConfig}'::regconfig, $3) limit {MaxMatches}";
            command.Parameters.Add(new NpgsqlParameter { Value = caller.VisibleLevels().Select(l => l.ToString()).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = recordTypes.ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = text });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                found.Add((reader.GetString(0), reader.GetGuid(1)));
            }
        }

        var visible = new List<AttachmentTarget>();
        foreach (var group in found.GroupBy(f => f.Type))
        {
            if (targets.FirstOrDefault(t => t.RecordTypes.Contains(group.Key)) is { } owner)
            {
                visible.AddRange((await owner.FindAsync(group.Key, group.Select(g => g.Id).ToList(), caller, ct)).Values);
            }
        }

        return visible;
    }

    [GeneratedRegex("^[a-z_]{1,63}$")]
    private static partial Regex ConfigName();
}
