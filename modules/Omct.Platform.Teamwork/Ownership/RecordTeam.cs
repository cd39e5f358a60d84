using JasperFx.Events;
using Marten.Events.Aggregation;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Teamwork.Ownership;

// A record's team is a stream of its own (its id is named after the record's, RecordTeam.StreamIdOf): the record's module
// is not touched, and the team's history is this stream.

/// <summary>The record now has <paramref name="AccountId"/> as its owner (the first, or instead of <paramref name="PreviousAccountId"/>).</summary>
public sealed record OwnerAssigned(string RecordType, Guid RecordId, Guid AccountId, string AccountName, Guid? PreviousAccountId);

/// <summary><paramref name="AccountId"/> watches the record.</summary>
public sealed record WatcherAdded(string RecordType, Guid RecordId, Guid AccountId, string AccountName);

/// <summary>
/// <paramref name="AccountId"/> no longer watches the record: they stopped (or a colleague took them off;
/// <paramref name="Reason"/> null), or the platform took them off because they no longer reach it (a
/// <see cref="TeamRemovalReasons"/> value). The record is named for whoever is told of it (the owner); events written
/// before it was recorded have neither.
/// </summary>
public sealed record WatcherRemoved(Guid AccountId, string AccountName, string? RecordType = null, Guid? RecordId = null, string? Reason = null);

/// <summary>
/// The platform took <paramref name="AccountId"/> off as the record's owner: they no longer reach it (<paramref name="Reason"/>,
/// a <see cref="TeamRemovalReasons"/> value). The record has no owner until one is assigned.
/// </summary>
public sealed record OwnerRemoved(string RecordType, Guid RecordId, Guid AccountId, string AccountName, string Reason);

/// <summary>Why the platform took someone off a record's team (in <see cref="WatcherRemoved"/> and <see cref="OwnerRemoved"/>).</summary>
public static class TeamRemovalReasons
{
    /// <summary>The person's clearance (or role) was lowered below the record.</summary>
    public const string ClearanceLowered = "CLEARANCE_LOWERED";

    /// <summary>The record's confidentiality was raised above the person's clearance.</summary>
    public const string RecordRaised = "RECORD_RAISED";

    /// <summary>The person's account was disabled.</summary>
    public const string AccountDisabled = "ACCOUNT_DISABLED";
}

/// <summary>Who owns and who watches one record (kept inline from its team stream).</summary>
public sealed class RecordTeam
{
    public Guid Id { get; set; }
    public string RecordType { get; set; } = "";
    public Guid RecordId { get; set; }
    public Guid? OwnerId { get; set; }

    /// <summary>The owner's name when they were made owner (for what is made in their name later: a template's task).</summary>
    public string OwnerName { get; set; } = "";
    public List<Guid> WatcherIds { get; set; } = [];
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static Guid StreamIdOf(Guid recordId) => NameBasedId.Of($"teamwork.record-team:{recordId}");

    /// <summary>A record nobody owns or watches yet, as it reads before its first team event.</summary>
    public static RecordTeam Empty(string recordType, Guid recordId) => new() { Id = StreamIdOf(recordId), RecordType = recordType, RecordId = recordId };
}

public sealed class RecordTeamProjection : SingleStreamProjection<RecordTeam, Guid>
{
    public static RecordTeam Create(IEvent<OwnerAssigned> e) =>
        Apply(e, new RecordTeam { Id = e.StreamId, RecordType = e.Data.RecordType, RecordId = e.Data.RecordId, CreatedAt = e.Timestamp });

    public static RecordTeam Create(IEvent<WatcherAdded> e) =>
        Apply(e, new RecordTeam { Id = e.StreamId, RecordType = e.Data.RecordType, RecordId = e.Data.RecordId, CreatedAt = e.Timestamp });

    public static RecordTeam Apply(IEvent<OwnerAssigned> e, RecordTeam team)
    {
        team.OwnerId = e.Data.AccountId;
        team.OwnerName = e.Data.AccountName;
        return Touch(team, e);
    }

    public static RecordTeam Apply(IEvent<WatcherAdded> e, RecordTeam team)
    {
        if (!team.WatcherIds.Contains(e.Data.AccountId))
        {
            team.WatcherIds.Add(e.Data.AccountId);
        }

        return Touch(team, e);
    }

    public static RecordTeam Apply(IEvent<WatcherRemoved> e, RecordTeam team)
    {
        team.WatcherIds.Remove(e.Data.AccountId);
        return Touch(team, e);
    }

    public static RecordTeam Apply(IEvent<OwnerRemoved> e, RecordTeam team)
    {
        if (team.OwnerId == e.Data.AccountId)
        {
            team.OwnerId = null;
            team.OwnerName = "";
        }

        return Touch(team, e);
    }

    private static RecordTeam Touch(RecordTeam team, IEvent e)
    {
        team.Version = (int)e.Version;
        team.UpdatedAt = e.Timestamp;
        return team;
    }
}
