using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Files.Contracts;
using Omct.Platform.Files.Domain;
using Omct.Platform.Files.Portraits;

namespace Omct.Platform.Files.FileDetails;

/// <summary>
/// The one visibility rule of files: a file is visible where both the file (its own level) and its record (as the
/// record's module answers, <see cref="IAttachmentTargets"/>) are visible to the caller — at each read, so that a record
/// raised above the caller takes its files with it. Everything else is "not found", whatever the reason.
/// </summary>
internal sealed class FileVisibility(IDocumentStore store, IEnumerable<IAttachmentTargets> targets)
{
    /// <summary>The record of <paramref name="recordType"/> and <paramref name="id"/> when the caller may see it; null when hidden, unknown, or of a type that takes no files.</summary>
    public async Task<AttachmentTarget?> FindRecordAsync(string recordType, Guid id, Caller caller, CancellationToken ct)
    {
        var owner = targets.FirstOrDefault(t => t.RecordTypes.Contains(recordType));
        if (owner is null)
        {
            return null;
        }

        var found = await owner.FindAsync(recordType, [id], caller, ct);
        return found.GetValueOrDefault(id);
    }

    /// <summary>
    /// The batched form of <see cref="FindVisibleAsync"/>, for lists, the change feed and exports: the ids of those of
    /// <paramref name="files"/> the caller may see, the file by its level as read (<see cref="PortraitRule"/>) and its record
    /// as the record's module answers. One query for the portraits' consent (none without a PUBLIC portrait) and one
    /// <see cref="IAttachmentTargets.FindAsync"/> per record type among the files, whatever their number.
    /// </summary>
    public async Task<IReadOnlySet<Guid>> VisibleAsync(IQuerySession session, IReadOnlyCollection<StoredFile> files, Caller caller, CancellationToken ct)
    {
        var consentGiven = await PortraitRule.ConsentGivenAsync(session, files, ct);
        var byLevel = files.Where(f => f.RecordType.Length > 0 && PortraitRule.CanSee(caller, f, consentGiven)).ToList();
        var visible = new HashSet<Guid>();
        foreach (var group in byLevel.GroupBy(f => f.RecordType))
        {
            var owner = targets.FirstOrDefault(t => t.RecordTypes.Contains(group.Key));
            if (owner is null)
            {
                continue;
            }

            var records = await owner.FindAsync(group.Key, group.Select(f => f.RecordId).Distinct().ToList(), caller, ct);
            visible.UnionWith(group.Where(f => records.ContainsKey(f.RecordId)).Select(f => f.Id));
        }

        return visible;
    }

    /// <summary>The file when the caller may see it and its record; null otherwise.</summary>
    public async Task<StoredFile?> FindVisibleAsync(Guid fileId, Caller caller, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var file = await session.LoadAsync<StoredFile>(fileId, ct);
        if (file is not null)
        {
            await PortraitRule.MarkErasedAsync(session, [file], ct);
        }

        return file is not null && file.RecordType.Length > 0
               && PortraitRule.CanSee(caller, file, await PortraitRule.ConsentGivenAsync(session, [file], ct))
               && await FindRecordAsync(file.RecordType, file.RecordId, caller, ct) is not null
            ? file
            : null;
    }
}

/// <summary>The files of records, for the record's own GraphQL type (<c>Case.files</c>): the caller already sees the records.</summary>
internal sealed class AttachedFiles(IDocumentStore store, Search.FileTextSearch textSearch, FileVisibility visibility) : IAttachedFiles
{
    public const int MaxAttachedBetween = 1_000;

    public async Task<IReadOnlyList<AttachedFileName>> AttachedBetweenAsync(
        string recordType, IReadOnlyCollection<Guid> recordIds, DateTimeOffset from, DateTimeOffset to, Caller caller, CancellationToken cancellationToken)
    {
        var ids = recordIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var levels = caller.VisibleLevels();
        await using var session = store.QuerySession();
        // CreatedAt is the stream's start: the upload and its attach are one transaction.
        var files = await session.Query<StoredFile>()
            .Where(f => f.RecordType == recordType && ids.Contains(f.RecordId) && levels.Contains(f.Confidentiality) && f.CreatedAt >= from && f.CreatedAt < to)
            .OrderBy(f => f.CreatedAt)
            .Take(MaxAttachedBetween)
            .ToListAsync(cancellationToken);
        var visible = await visibility.VisibleAsync(session, files, caller, cancellationToken);
        // A file erased with its defender is not named any more.
        await PortraitRule.MarkErasedAsync(session, files, cancellationToken);
        return [.. files.Where(f => visible.Contains(f.Id) && f.ErasedAt is null).Select(f => new AttachedFileName(f.Id, f.RecordId, f.FileName, f.TypeName, f.CreatedAt))];
    }

    public Task<IReadOnlyList<AttachmentTarget>> RecordsWithMatchingTextAsync(
        IReadOnlyCollection<string> recordTypes, string text, string textSearchConfig, Caller caller, CancellationToken cancellationToken) =>
        textSearch.RecordsMatchingAsync(recordTypes, text, textSearchConfig, caller, cancellationToken);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<AttachmentTarget>>> RecordsWithMatchingTextAsync(
        IReadOnlyCollection<string> recordTypes, string text, IReadOnlyCollection<string> textSearchConfigs, Caller caller, CancellationToken cancellationToken) =>
        textSearch.RecordsMatchingAsync(recordTypes, text, textSearchConfigs, caller, cancellationToken);

    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<object>>> OfRecordsAsync(
        IReadOnlyCollection<Guid> recordIds, Caller caller, CancellationToken cancellationToken)
    {
        var ids = recordIds.Distinct().ToArray();
        var result = ids.ToDictionary(id => id, _ => (IReadOnlyList<object>)[]);
        if (ids.Length == 0)
        {
            return result;
        }

        var levels = caller.VisibleLevels();
        await using var session = store.QuerySession();
        var files = await session.Query<StoredFile>()
            .Where(f => ids.Contains(f.RecordId) && levels.Contains(f.Confidentiality))
            .OrderBy(f => f.CreatedAt)
            .Take(10_000)
            .ToListAsync(cancellationToken);
        // A PUBLIC portrait without its defender's consent is read as STAFF.
        var consentGiven = await PortraitRule.ConsentGivenAsync(session, files, cancellationToken);
        files = files.Where(f => PortraitRule.CanSee(caller, f, consentGiven)).ToList();
        await PortraitRule.MarkErasedAsync(session, files, cancellationToken);
        foreach (var group in files.GroupBy(f => f.RecordId))
        {
            result[group.Key] = group.Cast<object>().ToList();
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<Guid, object>> PortraitsOfAsync(IReadOnlyCollection<Guid> recordIds, Caller caller, CancellationToken cancellationToken)
    {
        var files = await OfRecordsAsync(recordIds, caller, cancellationToken);
        var result = new Dictionary<Guid, object>();
        foreach (var (id, list) in files)
        {
            if (list.Cast<StoredFile>().Where(f => f.Purpose == FilePurpose.Portrait).OrderBy(f => f.CreatedAt).LastOrDefault() is { } portrait)
            {
                result[id] = portrait;
            }
        }

        return result;
    }
}
