using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Defenders.Domain;

namespace Omct.Platform.Defenders.Organisations;

/// <summary>A member of the network or another NGO (Viasna, CIJP, SEFE), kept inline from its stream.</summary>
public sealed class Organisation : IConfidential, IHasEntityId
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string CountryCode { get; set; } = "";
    public bool NetworkMember { get; set; }
    public DateOnly? MemberSince { get; set; }
    public Confidentiality Confidentiality { get; set; }
    public long OrderKey { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class OrganisationProjection : SingleStreamProjection<Organisation, Guid>
{
    public static async Task<Organisation> Create(IEvent<OrganisationRegistered> e, IQuerySession session) => Touch(new Organisation
    {
        Id = e.Data.OrganisationId, Name = e.Data.Name, CountryCode = e.Data.CountryCode, NetworkMember = e.Data.NetworkMember,
        MemberSince = e.Data.MemberSince, Confidentiality = e.Data.Confidentiality, OrderKey = await DefendersModule.OrderKeys.NextAsync(session, CancellationToken.None), CreatedAt = e.Timestamp,
    }, e);

    public static Organisation Apply(IEvent<OrganisationUpdated> e, Organisation o)
    {
        o.Name = e.Data.Name ?? o.Name;
        o.CountryCode = e.Data.CountryCode ?? o.CountryCode;
        o.Confidentiality = e.Data.Confidentiality ?? o.Confidentiality;
        return Touch(o, e);
    }

    public static Organisation Apply(IEvent<NetworkMembershipChanged> e, Organisation o)
    {
        o.NetworkMember = e.Data.Member;
        o.MemberSince = e.Data.Member ? e.Data.Since ?? o.MemberSince : null;
        return Touch(o, e);
    }

    private static Organisation Touch(Organisation o, IEvent e)
    {
        o.Version = (int)e.Version;
        o.UpdatedAt = e.Timestamp;
        return o;
    }
}
