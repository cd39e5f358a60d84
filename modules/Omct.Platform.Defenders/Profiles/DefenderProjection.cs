using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Domain;

namespace Omct.Platform.Defenders.Profiles;

/// <summary>
/// Keeps <see cref="Defender"/> from the defender stream, inline. The name is decrypted with the person's key, loaded
/// from the same session and unwrapped (never kept); the confidential details are copied encrypted. Once the key is
/// destroyed nothing decrypts — also in a rebuild. Registered with its services (DefendersModule).
/// </summary>
public sealed class DefenderProjection : SingleStreamProjection<Defender, Guid>
{
    private readonly PersonalDataKeys _keys;

    /// <summary>
    /// The events of a defender stream: <see cref="EvolveAsync"/> says nothing of which it reads, and without them named here
    /// Marten would load a <see cref="Defender"/> for every other stream saved (a case, an organisation …), one query each.
    /// </summary>
    public DefenderProjection(PersonalDataKeys keys)
    {
        _keys = keys;
        IncludeType<DefenderRegistered>();
        IncludeType<DefenderProfileUpdated>();
        IncludeType<ConsentRecorded>();
        IncludeType<RiskLevelSet>();
        IncludeType<DefenderSituationRecorded>();
        IncludeType<ConfidentialDetailsChanged>();
        IncludeType<DefenderAffiliated>();
        IncludeType<DefenderDisaffiliated>();
        IncludeType<AffiliationEnded>();
        IncludeType<DefenderMergedInto>();
        IncludeType<DefenderAbsorbed>();
        IncludeType<PersonalDataErased>();
        IncludeType<DefenderPortraitConsentChanged>();
        IncludeType<DefenderPersonalDataErased>();
    }

    public override async ValueTask<Defender?> EvolveAsync(Defender? snapshot, Guid id, IQuerySession session, IEvent e, CancellationToken cancellation)
    {
        var d = snapshot;
        switch (e.Data)
        {
            case DefenderRegistered r:
            {
                var key = await _keys.KeyOfAsync(session, id, cancellation);
                d = new Defender
                {
                    Id = id, Name = PersonalData.Decrypt(key, r.EncryptedName), Pseudonym = r.Pseudonym, CountryCode = r.CountryCode,
                    Gender = r.Gender, Confidentiality = r.Confidentiality, ConsentToPublishName = r.ConsentToPublishName,
                    ThematicAreas = [.. r.ThematicAreas], OrderKey = await DefendersModule.OrderKeys.NextAsync(session, cancellation), CreatedAt = e.Timestamp,
                };
                break;
            }

            case DefenderProfileUpdated u when d is not null:
                if (u.EncryptedName is not null)
                {
                    d.Name = PersonalData.Decrypt(await _keys.KeyOfAsync(session, id, cancellation), u.EncryptedName);
                }

                d.Pseudonym = u.Pseudonym ?? d.Pseudonym;
                d.CountryCode = u.CountryCode ?? d.CountryCode;
                d.Gender = u.Gender ?? d.Gender;
                d.Confidentiality = u.Confidentiality ?? d.Confidentiality;
                d.ThematicAreas = u.ThematicAreas is null ? d.ThematicAreas : [.. u.ThematicAreas];
                break;

            case ConsentRecorded c when d is not null:
                (d.ConsentToPublishName, d.ConsentToPublishPortrait, d.ConsentGivenOn, d.ConsentRecordedBy) =
                    (c.ToPublishName, c.ToPublishPortrait, c.GivenOn, c.RecordedBy);
                break;

            case RiskLevelSet r when d is not null:
                d.RiskLevel = r.Level;
                break;

            case ConfidentialDetailsChanged c when d is not null && !d.Erased:
                (d.EncryptedContact, d.EncryptedLocation, d.EncryptedFamily, d.EncryptedRiskNotes) =
                    (c.EncryptedContact, c.EncryptedLocation, c.EncryptedFamily, c.EncryptedRiskNotes);
                break;

            case DefenderAffiliated a when d is not null && !d.OrganisationIds.Contains(a.OrganisationId):
                d.OrganisationIds.Add(a.OrganisationId);
                break;

            case DefenderDisaffiliated a when d is not null:
                d.OrganisationIds.Remove(a.OrganisationId);
                break;

            case AffiliationEnded a when d is not null:
                d.OrganisationIds.Remove(a.OrganisationId);
                d.EndedAffiliations.Add(new EndedAffiliation(a.OrganisationId, a.EndedOn, a.Reason));
                break;

            case DefenderMergedInto m when d is not null:
                d.MergedInto = m.TargetId;
                break;

            case DefenderAbsorbed a when d is not null:
                d.MergedIds.Add(a.SourceId);
                d.OrganisationIds = [.. d.OrganisationIds.Union(a.OrganisationIds)];
                break;

            case PersonalDataErased when d is not null:
                (d.Name, d.EncryptedContact, d.EncryptedLocation, d.EncryptedFamily, d.EncryptedRiskNotes, d.Erased) = (null, null, null, null, null, true);
                break;
        }

        if (d is not null)
        {
            d.Recompute();
            d.Version = (int)e.Version;
            d.UpdatedAt = e.Timestamp;
        }

        return d;
    }
}
