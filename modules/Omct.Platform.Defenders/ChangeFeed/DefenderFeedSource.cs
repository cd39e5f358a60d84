using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Organisations;
using Omct.Platform.Defenders.Profiles;

namespace Omct.Platform.Defenders.ChangeFeed;

/// <summary>
/// Defenders and organisations in the change feed. A profile is visible by its listed level (a
/// name without consent still lists the profile under its pseudonym), also once merged into
/// another profile, so that its merge reaches those who saw it (DELETED: its id now resolves to
/// the profile that remains). Erasing a person's data is DELETED too; the feed never carries a
/// name or any other personal value. An organisation is visible by its confidentiality.
/// </summary>
internal sealed class DefenderFeedSource(IDocumentStore store) : IChangeFeedSource
{
    public static readonly FeedEntityType Defenders = new("DEFENDER", DefenderIds.Defender, typeof(Defender),
        [typeof(PersonalDataErased), typeof(DefenderMergedInto)], [typeof(DefenderProfileUpdated), typeof(ConsentRecorded)],
        // The erasure is listed once, as DELETED (PersonalDataErased); the contract event beside it is for the other modules.
        SilentEvents: [typeof(DefenderPersonalDataErased)]);

    public static readonly FeedEntityType Organisations = new("ORGANISATION", DefenderIds.Organisation, typeof(Organisation),
        [], [typeof(OrganisationUpdated)]);

    public IReadOnlyList<FeedEntityType> EntityTypes { get; } = [Defenders, Organisations];

    public async Task<IReadOnlySet<Guid>> VisibleAsync(FeedEntityType type, IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken)
    {
        var wanted = ids.ToArray();
        var levels = caller.VisibleLevels();
        await using var session = store.QuerySession();
        var visible = type == Defenders
            ? await session.Query<Defender>().Where(d => wanted.Contains(d.Id) && levels.Contains(d.ListedConfidentiality)).Select(d => d.Id).ToListAsync(cancellationToken)
            : await session.Query<Organisation>().Where(o => wanted.Contains(o.Id) && levels.Contains(o.Confidentiality)).Select(o => o.Id).ToListAsync(cancellationToken);
        return visible.ToHashSet();
    }

    public bool LostSight(FeedEntityType type, object @event, Caller caller) => @event switch
    {
        DefenderProfileUpdated { ListedFrom: { } from, ListedTo: { } to } => caller.CanSee(from) && !caller.CanSee(to),
        ConsentRecorded { ListedFrom: { } from, ListedTo: { } to } => caller.CanSee(from) && !caller.CanSee(to),
        OrganisationUpdated { From: { } from, Confidentiality: { } to } => caller.CanSee(from) && !caller.CanSee(to),
        _ => false,
    };
}
