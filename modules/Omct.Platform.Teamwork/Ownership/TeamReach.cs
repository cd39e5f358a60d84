using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Accounts.Contracts;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Teamwork.Notifications;
using Omct.Platform.Teamwork.Records;
using Omct.Platform.Teamwork.Tasks;

namespace Omct.Platform.Teamwork.Ownership;

/// <summary>
/// Takes people off the teams of records they no longer reach, with history: an owner by <see cref="OwnerRemoved"/>, a
/// watcher by <see cref="WatcherRemoved"/>, each naming the person, the record and the reason (what the record's owner is
/// to be told). Follows the accounts module's contract event <see cref="AccountClearanceChanged"/> (a lowered clearance or
/// role: CLEARANCE_LOWERED on every team whose record the person no longer reaches; a disabled account: ACCOUNT_DISABLED
/// on all of them) and the cases module's <see cref="CaseConfidentialityChanged"/> (a case raised: RECORD_RAISED for each
/// member it is now above). Defenders, submissions and calls for input publish no contract event for a new level: for
/// them the rule of every read applies alone (a member who no longer reaches the record is not shown as one).
/// <para>
/// A subscription of the async daemon (one node runs it). It decides on the state now, not on the event's values: a
/// person is taken off only while they still do not reach the record, so an event processed twice, or a clearance
/// lowered and raised again before the daemon got to it, takes nobody off wrongly; a second run finds them gone.
/// </para>
/// </summary>
internal sealed class TeamReachSubscription : SubscriptionBase
{
    public const string SubscriptionId = "teamwork_team_reach";

    /// <summary>The caller id the removals record (the history's "by").</summary>
    public const string SystemCaller = "system:teamwork-team-reach";

    private const int Attempts = 3;

    private readonly IServiceProvider _services;

    public TeamReachSubscription(IServiceProvider services)
    {
        _services = services;
        Name = SubscriptionId;
        IncludeType<AccountClearanceChanged>();
        IncludeType<CaseConfidentialityChanged>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        await using var scope = _services.CreateAsyncScope();
        var records = scope.ServiceProvider.GetRequiredService<TeamworkRecords>();
        var colleagues = scope.ServiceProvider.GetRequiredService<Colleagues>();
        var notice = new RemovalNotice(scope.ServiceProvider.GetRequiredService<NotificationStore>(), scope.ServiceProvider.GetRequiredService<TimeProvider>());
        foreach (var e in page.Events)
        {
            switch (e.Data)
            {
                case AccountClearanceChanged changed:
                    await PersonChangedAsync(operations.DocumentStore, records, colleagues, notice, changed, cancellationToken);
                    break;
                case CaseConfidentialityChanged { To: var to, From: var from } when to > from:
                    await RecordRaisedAsync(operations.DocumentStore, records, colleagues, notice, e.StreamId, cancellationToken);
                    break;
            }
        }

        return TaskTemplatesSubscription.NoChanges.Instance;
    }

    private static async Task PersonChangedAsync(
        IDocumentStore store, TeamworkRecords records, Colleagues colleagues, RemovalNotice notice, AccountClearanceChanged changed, CancellationToken ct)
    {
        var id = changed.AccountId;
        List<RecordTeam> teams;
        await using (var session = store.QuerySession())
        {
            teams = [.. await session.Query<RecordTeam>().Where(t => t.OwnerId == id || t.WatcherIds.Contains(id)).ToListAsync(ct)];
        }

        if (teams.Count == 0)
        {
            return;
        }

        var person = (await colleagues.ActiveAsync([id], ct)).GetValueOrDefault(id);
        var reached = person is null
            ? new Dictionary<Guid, TeamworkRecord>()
            : await records.VisibleAsync(teams.Select(t => (t.RecordType, t.RecordId)), person, ct);
        var reason = person is null ? TeamRemovalReasons.AccountDisabled : TeamRemovalReasons.ClearanceLowered;
        foreach (var team in teams.Where(t => !reached.ContainsKey(t.RecordId)))
        {
            await TakeOffAsync(store, notice, team.Id, id, person?.Name ?? changed.Name, reason, ct);
        }
    }

    private static async Task RecordRaisedAsync(
        IDocumentStore store, TeamworkRecords records, Colleagues colleagues, RemovalNotice notice, Guid recordId, CancellationToken ct)
    {
        RecordTeam? team;
        await using (var session = store.QuerySession())
        {
            team = await session.LoadAsync<RecordTeam>(RecordTeam.StreamIdOf(recordId), ct);
        }

        if (team is null)
        {
            return;
        }

        // A disabled member is left to their own event (ACCOUNT_DISABLED); reads show them as no member already.
        foreach (var (id, person) in await colleagues.ActiveAsync(team.WatcherIds.Concat(team.OwnerId is { } o ? [o] : []), ct))
        {
            if (!(await records.VisibleAsync([(team.RecordType, team.RecordId)], person, ct)).ContainsKey(team.RecordId))
            {
                await TakeOffAsync(store, notice, team.Id, id, person.Name, TeamRemovalReasons.RecordRaised, ct);
            }
        }
    }

    /// <summary>
    /// Records the person's removal as owner and as watcher of the team, as it is now (nothing when they are neither), and in
    /// the same transaction queues the notice to the record's owner that a watcher was taken off (MEMBER_REMOVED; sent while
    /// the owner may see the record). An owner taken off is told to nobody: the record has no owner left to tell, and the
    /// history and the unowned record's team (which then gets its reminders) show it.
    /// </summary>
    private static async Task TakeOffAsync(IDocumentStore store, RemovalNotice notice, Guid teamId, Guid accountId, string name, string reason, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = SystemCaller;
            var stream = await session.Events.FetchForWriting<RecordTeam>(teamId, ct);
            if (stream.Aggregate is not { } team)
            {
                return;
            }

            var events = new List<object>();
            if (team.OwnerId == accountId)
            {
                events.Add(new OwnerRemoved(team.RecordType, team.RecordId, accountId, team.OwnerName, reason));
            }

            if (team.WatcherIds.Contains(accountId))
            {
                events.Add(new WatcherRemoved(accountId, name, team.RecordType, team.RecordId, reason));
            }

            if (events.Count == 0)
            {
                return;
            }

            stream.AppendMany(events);
            if (team.OwnerId is { } owner && owner != accountId && team.WatcherIds.Contains(accountId))
            {
                var removal = NameBasedId.Of($"teamwork.removal:{teamId}:{accountId}:{stream.CurrentVersion}");
                notice.Store.Queue(session, Notification.Of(NotificationKind.MemberRemoved, removal, owner, team.RecordType, team.RecordId,
                    $"{name} was taken off as a watcher: {RemovalNotice.Why(reason)}.", notice.Time.GetUtcNow()));
            }

            try
            {
                await session.SaveChangesAsync(ct);
                return;
            }
            catch (Exception ex) when (attempt < Attempts && ex is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
            {
                // A colleague changed the team a moment ago: decide again on the team as it is now.
            }
        }
    }
}

/// <summary>What the notice of a removal needs: the outbox and the clock.</summary>
internal sealed record RemovalNotice(NotificationStore Store, TimeProvider Time)
{
    public static string Why(string reason) => reason switch
    {
        TeamRemovalReasons.ClearanceLowered => "their clearance no longer reaches this record",
        TeamRemovalReasons.RecordRaised => "this record was raised above their clearance",
        TeamRemovalReasons.AccountDisabled => "their account was disabled",
        _ => reason,
    };
}
