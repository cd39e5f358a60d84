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

    /// <summary>The text search configurations the files' text is indexed in (see FilesModule): those of the records' languages.</summary>
    public static readonly IReadOnlyList<string> IndexedConfigs = ["english", "french", "spanish"];

    public async Task<IReadOnlyList<AttachmentTarget>> RecordsMatchingAsync(
        IReadOnlyCollection<string> recordTypes, string text, string textSearchConfig, Caller caller, CancellationToken ct) =>
        (await RecordsMatchingAsync(recordTypes, text, [textSearchConfig], caller, ct))[textSearchConfig];

    /// <summary>For each configuration, the visible records whose visible file's text matches in it (one query for all, each configuration spelled out so that its index serves).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<AttachmentTarget>>> RecordsMatchingAsync(
        IReadOnlyCollection<string> recordTypes, string text, IReadOnlyCollection<string> textSearchConfigs, Caller caller, CancellationToken ct)
    {
        var configs = textSearchConfigs.Distinct().ToList();
        // The configuration is spelled into the SQL (so that its index serves): a plain name only.
        if (configs.FirstOrDefault(c => !ConfigName().IsMatch(c)) is not null)
        {
            throw new ArgumentException("Not a text search configuration name.", nameof(textSearchConfigs));
        }

        var result = configs.ToDictionary(c => c, _ => (IReadOnlyList<AttachmentTarget>)[]);
        if (string.IsNullOrWhiteSpace(text) || recordTypes.Count == 0 || configs.Count == 0)
        {
            return result;
        }

        var schema = store.Options.DatabaseSchemaName;
        var found = new List<(string Config, string Type, Guid Id)>();
        await using (var connection = store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync(ct);
            await using var command = (NpgsqlCommand)connection.CreateCommand();
            command.CommandText = string.Join(" union all ", configs.Select(config =>
                $"(select distinct '{config}'::text, f.data ->> 'recordType', f.record_id from {schema}.mt_doc_files_file f join {schema}.mt_doc_files_text t on t.id = f.id " +
                "where f.confidentiality = any($1) and f.data ->> 'recordType' = any($2) " +
                $"and to_tsvector('{config}'::regconfig, t.data ->> 'text') @@ websearch_to_tsquery('{config}'::regconfig, $3) limit {MaxMatches})"));
            command.Parameters.Add(new NpgsqlParameter { Value = caller.VisibleLevels().Select(l => l.ToString()).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = recordTypes.ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = text });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                found.Add((reader.GetString(0), reader.GetString(1), reader.GetGuid(2)));
            }
        }

        // Each record asked of its module once, whichever configurations matched it.
        var visible = new Dictionary<(string Type, Guid Id), AttachmentTarget>();
        foreach (var group in found.GroupBy(f => f.Type))
        {
            if (targets.FirstOrDefault(t => t.RecordTypes.Contains(group.Key)) is { } owner)
            {
                foreach (var (id, target) in await owner.FindAsync(group.Key, group.Select(g => g.Id).Distinct().ToList(), caller, ct))
                {
                    visible[(group.Key, id)] = target;
                }
            }
        }

        foreach (var group in found.GroupBy(f => f.Config))
        {
            result[group.Key] = group.Select(f => visible.GetValueOrDefault((f.Type, f.Id))).OfType<AttachmentTarget>().Distinct().ToList();
        }

        return result;
    }

    [GeneratedRegex("^[a-z_]{1,63}$")]
    private static partial Regex ConfigName();
}
