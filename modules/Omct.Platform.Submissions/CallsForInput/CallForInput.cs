using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Submissions.Domain;

namespace Omct.Platform.Submissions.CallsForInput;

/// <summary>A question the secretariat asks the network, with its deadline and the inputs received.</summary>
public sealed class CallForInput : IConfidential, IHasEntityId
{
    public Guid Id { get; set; }
    public string Title { get; set; } = "";
    public string Question { get; set; } = "";
    public DateOnly Deadline { get; set; }

    /// <summary>The countries addressed: those listed and those of the regions listed. Empty: all members.</summary>
    public List<string> AudienceCountryCodes { get; set; } = [];

    /// <summary>The regions the audience was given as (their countries are in <see cref="AudienceCountryCodes"/>).</summary>
    public List<BuildingBlocks.Countries.Region> AudienceRegions { get; set; } = [];

    public CallStatus Status { get; set; }

    /// <summary>A call of the past recorded as it was: the day it was entered (its deadline before it makes no reminder, no digest entry).</summary>
    public DateOnly? RecordedOn { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }
    public bool ClosedAutomatically { get; set; }
    public List<ReceivedInput> Inputs { get; set; } = [];
    public Confidentiality Confidentiality { get; set; }
    public long OrderKey { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class ReceivedInput
{
    /// <summary>
    /// The input's id, <see cref="CallInputIds.Of"/> its call and its organisation (the same after a replacement and a
    /// rebuild). Not stored on inputs projected before inputs had ids: read them through <see cref="CallInputIds.WithIds"/>.
    /// </summary>
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }
    public string Text { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public string ReceivedBy { get; set; } = "";

    /// <summary>Shared with the other member organisations the call addresses (otherwise only staff and its author read it).</summary>
    public bool SharedWithNetwork { get; set; }
}

public sealed class CallForInputProjection : SingleStreamProjection<CallForInput, Guid>
{
    public static async Task<CallForInput> Create(IEvent<CallForInputOpened> e, IQuerySession session) => Touch(new CallForInput
    {
        Id = e.Data.CallId, Title = e.Data.Title, Question = e.Data.Question, Deadline = e.Data.Deadline,
        AudienceCountryCodes = [.. e.Data.AudienceCountryCodes.Union(BuildingBlocks.Countries.Country.CodesIn(e.Data.AudienceRegions ?? [])).Order(StringComparer.Ordinal)],
        AudienceRegions = [.. e.Data.AudienceRegions ?? []], Status = CallStatus.Open, Confidentiality = e.Data.Confidentiality, RecordedOn = e.Data.RecordedOn,
        OrderKey = await SubmissionsModule.OrderKeys.NextAsync(session, CancellationToken.None), CreatedAt = e.Timestamp,
    }, e);

    public static CallForInput Apply(IEvent<InputReceived> e, CallForInput c)
    {
        c.Inputs.RemoveAll(i => i.OrganisationId == e.Data.OrganisationId);
        c.Inputs.Add(new ReceivedInput
        {
            Id = CallInputIds.Of(c.Id, e.Data.OrganisationId), OrganisationId = e.Data.OrganisationId, Text = e.Data.Text, ReceivedAt = e.Data.ReceivedAt, ReceivedBy = e.Data.ReceivedBy,
            SharedWithNetwork = e.Data.SharedWithNetwork,
        });
        return Touch(c, e);
    }

    public static CallForInput Apply(IEvent<CallDeadlineExtended> e, CallForInput c)
    {
        (c.Deadline, c.Status, c.ClosedAt) = (e.Data.Deadline, CallStatus.Open, null);
        return Touch(c, e);
    }

    public static CallForInput Apply(IEvent<CallForInputClosed> e, CallForInput c)
    {
        (c.Status, c.ClosedAt, c.ClosedAutomatically) = (CallStatus.Closed, e.Data.ClosedAt, e.Data.Automatically);
        return Touch(c, e);
    }

    private static CallForInput Touch(CallForInput c, IEvent e)
    {
        // Inputs projected before inputs had ids get theirs stored with the call's next change.
        CallInputIds.WithIds(c);
        c.Version = (int)e.Version;
        c.UpdatedAt = e.Timestamp;
        return c;
    }
}
