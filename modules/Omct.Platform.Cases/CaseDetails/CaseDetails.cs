using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;

namespace Omct.Platform.Cases.CaseDetails;

/// <summary>
/// A case as read: kept by an inline projection in the same transaction as its events (so a caller
/// reads its own write at once). Decisions are made on <see cref="Domain.CaseState"/>, folded from
/// the events.
/// </summary>
public sealed class Case : IConfidential, IHasEntityId
{
    public Guid Id { get; set; }
    public long CaseNumber { get; set; }
    public string Reference { get; set; } = "";
    public string Title { get; set; } = "";
    public string CountryCode { get; set; } = "";
    public string? Summary { get; set; }
    public Confidentiality Confidentiality { get; set; }
    public DateOnly OpenedOn { get; set; }
    /// <summary>Opened with its original reference (see <see cref="Domain.CaseOpened.FromArchive"/>).</summary>
    public bool FromArchive { get; set; }
    public CaseStatus Status { get; set; }
    public List<Victim> Victims { get; set; } = [];
    public List<TimelineEvent> Events { get; set; } = [];
    public List<Intervention> Interventions { get; set; } = [];
    /// <summary>Defender ids among the victims, for the victim filter.</summary>
    public List<Guid> DefenderIds { get; set; } = [];
    /// <summary>What free-text search looks in: the title and the summary, nothing else (not the timeline).</summary>
    public string SearchText { get; set; } = "";
    /// <summary>Keyset order of lists: opening date, then case number (unique, increasing).</summary>
    public long OrderKey { get; set; }
    /// <summary>
    /// The days something happened on the case (day numbers: its opening date and the UTC day it was
    /// recorded, each case event's recording day, each intervention's issue and recording days), GIN
    /// indexed, so the digests and reports find the cases active in a period without reading the others.
    /// </summary>
    public List<int> ActivityDays { get; set; } = [];
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Adds the day of <paramref name="date"/> to <see cref="ActivityDays"/>.</summary>
    public void ActiveOn(DateOnly date)
    {
        if (!ActivityDays.Contains(date.DayNumber))
        {
            ActivityDays.Add(date.DayNumber);
        }
    }

    public void ActiveAt(DateTimeOffset instant) => ActiveOn(DateOnly.FromDateTime(instant.UtcDateTime));

    /// <summary>What <see cref="SearchText"/> holds for a title and a summary.</summary>
    public static string SearchTextOf(string title, string? summary) => summary is null ? title : $"{title}\n{summary}";

    public static long OrderKeyFor(DateOnly openedOn, long caseNumber) => (long)openedOn.DayNumber * 1_000_000_000L + caseNumber;
}

public sealed class Victim : IConfidential
{
    public Guid Id { get; set; }
    public Guid? DefenderId { get; set; }
    public string? Name { get; set; }
    public Confidentiality Confidentiality { get; set; }
}

public sealed class TimelineEvent : IConfidential
{
    public Guid Id { get; set; }
    public CaseEventType Type { get; set; }
    public PartialDate Date { get; set; }
    public List<Guid> VictimIds { get; set; } = [];
    public string? Description { get; set; }
    public PerpetratorType? PerpetratorType { get; set; }
    public string? Source { get; set; }
    public Confidentiality Confidentiality { get; set; }
    public int Sequence { get; set; }
    /// <summary>When it was recorded on the platform (a correction keeps it); null for events recorded before it was kept.</summary>
    public DateTimeOffset? RecordedAt { get; set; }
}

public sealed class Intervention
{
    public Guid Id { get; set; }
    public InterventionType Type { get; set; }
    public int Number { get; set; }
    public string Reference { get; set; } = "";
    public DateOnly IssuedOn { get; set; }
    public List<string> Addressees { get; set; } = [];
    public DateTimeOffset? RecordedAt { get; set; }
}
