using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Files.Contracts;

/// <summary>
/// A record files may be attached to, as its module answers for a caller: the record's type name in the API's ids
/// (<c>Case</c>, <c>CaseEvent</c>) and its id. Only records the caller may see are ever answered.
/// </summary>
/// <param name="RecordType">The type name of the record's global id.</param>
/// <param name="Id">The record's id.</param>
/// <param name="Confidentiality">The record's own level (for a case event: the stricter of the event's and its case's).</param>
public sealed record AttachmentTarget(string RecordType, Guid Id, Confidentiality Confidentiality)
{
    /// <summary>
    /// The least role that may attach a file to this record for the caller asked about (and re-classify its files, from STAFF):
    /// STAFF (the default, as for every other write), EDITOR where the module's own writes ask it (an article), or
    /// NETWORK_MEMBER where the record is the caller's own (a member organisation's input to a call for input).
    /// </summary>
    public Role AttachRole { get; init; } = Role.Staff;

    /// <summary>
    /// Why no file attaches to this record, when its module answers for it only so that other modules may find it (a call
    /// for input, whose owner and notes the teamwork module keeps: its files go on its inputs); null when it takes files.
    /// </summary>
    public string? TakesNoFiles { get; init; }
}

/// <summary>
/// Implemented by a module whose records take files (the cases module for <c>Case</c> and <c>CaseEvent</c>): the files
/// module asks it, at every attach and every download, whether the caller may see the record — a file is visible only
/// where both the file and its record are.
/// </summary>
public interface IAttachmentTargets
{
    /// <summary>The record type names this module answers for.</summary>
    IReadOnlyCollection<string> RecordTypes { get; }

    /// <summary>Those of <paramref name="ids"/> (records of <paramref name="recordType"/>) the caller may see now; hidden and unknown ones are absent.</summary>
    Task<IReadOnlyDictionary<Guid, AttachmentTarget>> FindAsync(string recordType, IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken);
}

/// <summary>
/// A file's level changed from <see cref="Previous"/> to <see cref="Confidentiality"/>, in the file's stream (its stream id is the
/// file's id). A contract event: the digests module takes a raised file out of the stored digests below its new level.
/// <see cref="SeenFrom"/> and <see cref="SeenTo"/> are the levels the file was read at just before and just after, its record
/// counted (the stricter of the file's level as read — a PUBLIC portrait without consent is STAFF — and its record's level as
/// the record's module answered): what tells the change feed whether a caller lost sight of the file. Null in events written
/// before them.
/// </summary>
public sealed record FileReclassified(Confidentiality Previous, Confidentiality Confidentiality, Confidentiality? SeenFrom = null, Confidentiality? SeenTo = null);

/// <summary>A file attached to a record, by name, for another module's text (a digest's "Files: warrant.pdf").</summary>
/// <param name="FileId">The file's id.</param>
/// <param name="RecordId">The record it is attached to.</param>
/// <param name="FileName">Its (sanitised) name.</param>
/// <param name="TypeName">The type its content is (<c>PDF</c>, <c>JPEG</c> …).</param>
/// <param name="AttachedAt">When it was attached.</param>
public sealed record AttachedFileName(Guid FileId, Guid RecordId, string FileName, string TypeName, DateTimeOffset AttachedAt);

/// <summary>What other modules may ask the files module, in one query per call.</summary>
public interface IAttachedFiles
{
    /// <summary>
    /// For each record id, the files attached to it that the caller may see by their own level, oldest first (opaque objects
    /// rendered by the schema's <c>File</c> type). The caller must already see the records: this answers for the files only.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, IReadOnlyList<object>>> OfRecordsAsync(IReadOnlyCollection<Guid> recordIds, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// For a record's full-text search: the records of <paramref name="recordTypes"/> that have a file whose extracted
    /// text (a PDF's) matches <paramref name="text"/> (web-style query, in the PostgreSQL text search configuration
    /// <paramref name="textSearchConfig"/>, e.g. <c>english</c>), where both the file (its own level) and the record
    /// are visible to the caller. At most 1,000 matching files are considered.
    /// </summary>
    Task<IReadOnlyList<AttachmentTarget>> RecordsWithMatchingTextAsync(
        IReadOnlyCollection<string> recordTypes, string text, string textSearchConfig, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="RecordsWithMatchingTextAsync(IReadOnlyCollection{string}, string, string, Caller, CancellationToken)"/>, in
    /// several text search configurations at once (<c>english</c>, <c>french</c>, <c>spanish</c> are indexed), for a record
    /// whose text is in a language of its own (an article): for each configuration, the records whose file matches in it.
    /// The record's module keeps those matched in the configuration of the record's language.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<AttachmentTarget>>> RecordsWithMatchingTextAsync(
        IReadOnlyCollection<string> recordTypes, string text, IReadOnlyCollection<string> textSearchConfigs, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// For each record id (a defender), its latest portrait the caller may see (an opaque object rendered by the schema's
    /// <c>File</c> type); absent when there is none. A PUBLIC portrait is public only while the defender's consent to a
    /// portrait is recorded. As <see cref="OfRecordsAsync"/>, the caller must already see the records.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, object>> PortraitsOfAsync(IReadOnlyCollection<Guid> recordIds, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// The files attached in [<paramref name="from"/>, <paramref name="to"/>) to <paramref name="recordIds"/> (records of
    /// <paramref name="recordType"/>) that the caller may see — by the one rule: the file by its own level and its record as
    /// the record's module answers (checked here too) — oldest first, at most 1,000. For a digest's text.
    /// </summary>
    Task<IReadOnlyList<AttachedFileName>> AttachedBetweenAsync(
        string recordType, IReadOnlyCollection<Guid> recordIds, DateTimeOffset from, DateTimeOffset to, Caller caller, CancellationToken cancellationToken);
}

/// <summary>A complete tus upload taken for an import (<see cref="IImportUploads"/>).</summary>
/// <param name="TypeName">What its content is (XLSX, TEXT): the content decides, never the name.</param>
public sealed record ImportUpload(Guid Id, string FileName, string TypeName, long Length);

/// <summary>
/// The Files module's tus uploads as import files: uploaded, stored encrypted and resumable as any upload, but taken by
/// an import instead of attached to a record. A taken upload can never be attached (attachFile answers as for an upload
/// already used) and is not deleted as abandoned; the import deletes it when its run is done.
/// </summary>
public interface IImportUploads
{
    /// <summary>
    /// Takes <paramref name="caller"/>'s own complete, unattached upload; null for an unknown upload, another caller's,
    /// one not complete, or one already attached or taken (they answer alike).
    /// </summary>
    Task<ImportUpload?> TakeAsync(Guid uploadId, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// The content of an upload taken by <paramref name="ownerId"/> (the caller id that uploaded it), decrypted as it is read,
    /// seekable; null when there is no such upload. Valid while the service scope it came from lives.
    /// </summary>
    Task<Stream?> OpenAsync(Guid uploadId, string ownerId, CancellationToken cancellationToken);

    /// <summary>Deletes a taken upload with its content and key (an import done, or past its retention).</summary>
    Task DeleteAsync(Guid uploadId, CancellationToken cancellationToken);
}
