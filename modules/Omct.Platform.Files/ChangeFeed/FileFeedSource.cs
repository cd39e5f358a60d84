using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.Files.Contracts;
using Omct.Platform.Files.Domain;
using Omct.Platform.Files.FileDetails;

namespace Omct.Platform.Files.ChangeFeed;

/// <summary>
/// Files in the change feed (<c>FILE</c>), visible by the one rule of files (<see cref="FileVisibility"/>): the file by its
/// own level and its record as the record's module answers — a file on a case event hidden from the caller is not listed,
/// whatever the file's level. CREATED at the attach (the stream's first event; the upload and its attach are one
/// transaction, the attach silent), UPDATED on a re-classification, DELETED when it is erased with its defender. Downloads and views are in
/// the audit store, not events: they are no change. A re-classification raising the file past the caller is REDACTED
/// for it, from the levels the event records the file was seen at (<see cref="FileReclassified.SeenFrom"/>: the record
/// counted, so a caller that could not see the record is never told).
/// </summary>
internal sealed class FileFeedSource(IDocumentStore store, FileVisibility visibility) : IChangeFeedSource
{
    public static readonly FeedEntityType Files = new("FILE", FileIds.File, typeof(StoredFile), [typeof(FileErased)], [typeof(FileReclassified)],
        // The attach is the second event of the stream's first transaction (CREATED says it); downloads recorded in the stream
        // before they went to the audit store are no change of the file.
        SilentEvents: [typeof(FileAttached), typeof(FileDownloaded)]);

    public IReadOnlyList<FeedEntityType> EntityTypes { get; } = [Files];

    public async Task<IReadOnlySet<Guid>> VisibleAsync(FeedEntityType type, IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var files = await session.LoadManyAsync<StoredFile>(cancellationToken, ids.Distinct());
        return await visibility.VisibleAsync(session, files, caller, cancellationToken);
    }

    public bool LostSight(FeedEntityType type, object @event, Caller caller) =>
        @event is FileReclassified { SeenFrom: { } from, SeenTo: { } to } && caller.CanSee(from) && !caller.CanSee(to);
}
