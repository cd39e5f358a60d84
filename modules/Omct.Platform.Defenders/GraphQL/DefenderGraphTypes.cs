using GraphQL;
using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Organisations;
using Omct.Platform.Defenders.Profiles;
using Omct.Platform.Defenders.Situations;

namespace Omct.Platform.Defenders.GraphQL;

/// <summary>
/// A defender profile. Field-level confidentiality: the name only for callers who may see it
/// (never public without consent), the risk level from STAFF, the confidential details only at
/// RESTRICTED (each read recorded in the audit trail); a hidden field is null.
/// </summary>
internal sealed class DefenderGraphType : ObjectGraphType<Defender>
{
    public DefenderGraphType()
    {
        Name = "Defender";
        Description = "A human rights defender. A field the caller may not see is null.";
        Interface<NodeInterfaceGraphType>();
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(DefenderIds.Defender, c.Source.Id));
        Field<StringGraphType>("name")
            .Description("Null when the caller may not see it: a name without consent to publish is never public; null once erased.")
            .Resolve(c => DefenderFieldRules.VisibleName(c.Source, c.GetCaller()));
        Field(d => d.Pseudonym, nullable: true);
        Field<NonNullGraphType<CountryGraphType>>("country").Resolve(c => Country.TryGet(c.Source.CountryCode, out var country) ? country : null);
        Field<EnumerationGraphType<Gender>>("gender").Resolve(c => c.Source.Gender);
        Field<NonNullGraphType<EnumerationGraphType<Situation>>>("situation")
            .Description("From the cases' events and the situations staff recorded that the caller may see (latest by date); UNKNOWN without any. One query per page.")
            .Resolve(c => Situations(c).Then(reports => SituationReports.SeenWith(reports ?? [], c.GetCaller().Clearance)));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SituationEntryGraphType>>>>("situationHistory")
            .Description("The situations the cases' events reported and staff recorded that the caller may see, oldest first by date (the last one is situation). One query per page.")
            .Resolve(c => Situations(c).Then(reports => SituationEntries(reports ?? [], c.GetCaller().Clearance)));
        Field<NonNullGraphType<BooleanGraphType>>("consentToPublishName").Resolve(c => c.Source.ConsentToPublishName);
        Field<NonNullGraphType<BooleanGraphType>>("consentToPublishPortrait").Resolve(c => c.Source.ConsentToPublishPortrait);
        Field<IsoDateGraphType>("consentGivenOn").Description("STAFF: when the consent was given.").DeprecationReason("Use consent { givenOn }.")
            .RequireClearance(Confidentiality.Staff).Resolve(c => c.Source.ConsentGivenOn);
        Field<ConsentGraphType>("consent")
            .Description("STAFF: the consent as recorded — what, when it was given and who recorded it; null below STAFF.")
            .RequireClearance(Confidentiality.Staff).Resolve(c => new RecordedConsent(c.Source));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("thematicAreas").Resolve(c => c.Source.ThematicAreas);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrganisationGraphType>>>>("organisations")
            .Description("The organisations the caller may see (one query per page).")
            .Resolve(c => Organisations(c, c.Source.OrganisationIds).Then(all => all.Where(o => o is not null).Select(o => o!).ToList()));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AffiliationGraphType>>>>("affiliations")
            .Description("Current and ended affiliations with organisations the caller may see: current ones first, then ended ones, oldest first.")
            .Resolve(c => Affiliations(c));
        Field("cases", new NonNullGraphType(new ListGraphType(new NonNullGraphType(new GraphQLTypeReference("Case")))))
            .Description("Cases where this defender (or a profile merged into it) is a victim the caller may see (one query per page).")
            .Resolve(c => DataLoaderResults.All(c.Source.MergedIds.Prepend(c.Source.Id).Select(id =>
                    c.Loader<Guid, IReadOnlyList<object>>("defenders.cases",
                        (ids, ct) => c.Service<ICaseDirectory>().CasesOfDefendersAsync(ids, c.GetCaller(), ct)).Load(id)).ToList())
                .Then(lists => lists.SelectMany(l => l ?? []).Distinct().ToList()));
        Field("files", RecordFiles.ListType)
            .Description("The files attached to the defender (documents and portraits) that the caller may see, oldest first; one query per page.")
            .Resolve(c => RecordFiles.Of(c, c.Source.Id, (Files.Contracts.IAttachedFiles f) => f.OfRecordsAsync));
        Field("portrait", RecordFiles.ItemType)
            .Description("The latest portrait the caller may see (null when none); a PUBLIC portrait is public only while consentToPublishPortrait. One query per page.")
            .Resolve(c => RecordFiles.PortraitOf(c, c.Source.Id, (Files.Contracts.IAttachedFiles f) => f.PortraitsOfAsync));
        Field<BooleanGraphType>("erased").Description("True once the person's personal data was erased.").Resolve(c => c.Source.Erased);
        Field("erasureRedactions", new ListGraphType(new NonNullGraphType(new ErasureRedactionGraphType())))
            .Description("ADMIN: the records whose free text named the person and that the erasure redacted (record, fields, occurrences; never the name), those the caller's clearance reaches (the redaction reached every level); null before an erasure. A first name or surname alone is not looked for: check the rest by hand.")
            .RequireRole(Role.Admin)
            .Resolve(c => c.Source.Erased ? ErasureRedactions(c) : null);
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Resolve(c => c.Source.Confidentiality);
        Field(d => d.Version);
        Field(d => d.CreatedAt);
        Field(d => d.UpdatedAt);
        this.HistoryField(d => d.Id, c => DefenderHistory.For(c.GetCaller()));

        Field<EnumerationGraphType<RiskLevel>>("riskLevel").RequireClearance(DefenderFieldRules.RiskLevel).Resolve(c => c.Source.RiskLevel);
        // Stored encrypted; decrypted here for a caller with the clearance (the rule runs before the resolver).
        Field<StringGraphType>("contact").RequireClearance(DefenderFieldRules.ConfidentialDetails).Resolve(c => Decrypted(c, c.Source.EncryptedContact));
        Field<StringGraphType>("location").RequireClearance(DefenderFieldRules.ConfidentialDetails).Resolve(c => Decrypted(c, c.Source.EncryptedLocation));
        Field<StringGraphType>("family").RequireClearance(DefenderFieldRules.ConfidentialDetails).Resolve(c => Decrypted(c, c.Source.EncryptedFamily));
        Field<StringGraphType>("riskNotes").RequireClearance(DefenderFieldRules.ConfidentialDetails).Resolve(c => Decrypted(c, c.Source.EncryptedRiskNotes));
        this.FieldsShownWithRecord();
    }

    /// <summary>A confidential detail decrypted with the person's key, the page's keys read and unwrapped in one query for this request alone.</summary>
    private static object? Decrypted(IResolveFieldContext<Defender> c, string? encrypted) =>
        encrypted is null
            ? null
            : c.Loader<Guid, DataKey>("defenders.keys", async (ids, ct) =>
                {
                    await using var session = c.Service<IDocumentStore>().QuerySession();
                    return await c.Service<PersonalDataKeys>().KeysOfAsync(session, ids, ct);
                })
                .Load(c.Source.Id).Then(key => PersonalData.Decrypt(key, encrypted));

    /// <summary>What the erasures of the page's erased profiles redacted, in one query, as far as the caller's clearance reaches.</summary>
    private static global::GraphQL.DataLoader.IDataLoaderResult<List<RedactedRecord>> ErasureRedactions(IResolveFieldContext<Defender> c)
    {
        var caller = c.GetCaller();
        return c.Loader<Guid, Erasure.ErasureRedactions>("defenders.erasureRedactions", async (ids, ct) =>
            {
                await using var session = c.Service<IDocumentStore>().QuerySession();
                return (await session.LoadManyAsync<Erasure.ErasureRedactions>(ct, ids)).ToDictionary(r => r.Id);
            })
            .Load(c.Source.Id)
            .Then(found => found?.Records.Where(r => caller.CanSee(r.Confidentiality)).ToList() ?? []);
    }

    /// <summary>The reports the caller may see, in the order <see cref="SituationReports.SeenWith"/> reads them.</summary>
    private static List<SituationEntry> SituationEntries(IEnumerable<SituationReport> reports, Confidentiality clearance) =>
        reports.Where(r => r.Confidentiality <= clearance)
            .OrderBy(r => r.Date).ThenBy(r => r.Sequence)
            .Select(r => new SituationEntry(r.Recorded ?? SituationReports.ToSituation(r.Situation), r.Date.ToString(),
                r.CaseId == Guid.Empty ? null : r.CaseId, r.Confidentiality))
            .ToList();

    /// <summary>The reports about this profile and the profiles merged into it, for the page in one query.</summary>
    private static global::GraphQL.DataLoader.IDataLoaderResult<List<SituationReport>?> Situations(IResolveFieldContext<Defender> c) =>
        c.Loader<Guid, List<SituationReport>>("defenders.situations", async (ids, ct) =>
            {
                await using var session = c.Service<IDocumentStore>().QuerySession();
                var docs = await session.LoadManyAsync<SituationReports>(ct, ids);
                return docs.ToDictionary(d => d.Id, d => d.Reports);
            })
            .Load(c.Source.Id)
            .ThenAsync(async own => c.Source.MergedIds.Count == 0 ? own : await MergedReportsAsync(c, own));

    // A merged profile is rare: its sources' reports are read for it alone.
    private static async Task<List<SituationReport>?> MergedReportsAsync(IResolveFieldContext<Defender> c, List<SituationReport>? own)
    {
        await using var session = c.Service<IDocumentStore>().QuerySession();
        var merged = await session.LoadManyAsync<SituationReports>(c.CancellationToken, c.Source.MergedIds);
        return [.. own ?? [], .. merged.SelectMany(m => m.Reports)];
    }

    private static global::GraphQL.DataLoader.IDataLoaderResult<List<Affiliation>> Affiliations(IResolveFieldContext<Defender> c)
    {
        List<Affiliation> all = [.. c.Source.OrganisationIds.Select(o => new Affiliation(o, null, null)),
            .. c.Source.EndedAffiliations.Select(e => new Affiliation(e.OrganisationId, e.EndedOn, e.Reason))];
        return Organisations(c, all.Select(a => a.OrganisationId)).Then(organisations =>
            all.Zip(organisations).Where(p => p.Second is not null).Select(p => p.First with { Organisation = p.Second }).ToList());
    }

    /// <summary>The organisations of <paramref name="ids"/>, in order; null for one that is unknown or hidden from the caller (one query per page).</summary>
    private static global::GraphQL.DataLoader.IDataLoaderResult<IReadOnlyList<Organisation?>> Organisations(IResolveFieldContext<Defender> c, IEnumerable<Guid> ids)
    {
        var loader = c.Loader<Guid, Organisation>("defenders.organisations", async (ids, ct) =>
        {
            await using var session = c.Service<IDocumentStore>().QuerySession();
            var docs = await session.LoadManyAsync<Organisation>(ct, ids);
            return docs.ToDictionary(o => o.Id);
        });
        var caller = c.GetCaller();
        return DataLoaderResults.All(ids.Select(loader.Load).ToList())
            .Then(all => (IReadOnlyList<Organisation?>)[.. all.Select(o => o is not null && caller.CanSee(o) ? o : null)]);
    }
}

/// <summary>An affiliation of a profile with an organisation the caller may see; <see cref="EndedOn"/> null while it lasts.</summary>
internal sealed record Affiliation(Guid OrganisationId, DateOnly? EndedOn, string? Reason, Organisation? Organisation = null);

internal sealed class AffiliationGraphType : ObjectGraphType<Affiliation>
{
    public AffiliationGraphType()
    {
        Name = "Affiliation";
        Field<NonNullGraphType<OrganisationGraphType>>("organisation").Resolve(c => c.Source.Organisation);
        Field<IsoDateGraphType>("endedOn").Description("When it ended; null while it lasts.").Resolve(c => c.Source.EndedOn);
        Field<StringGraphType>("reason").Description("STAFF: why it ended.").RequireClearance(DefenderFieldRules.AffiliationReason).Resolve(c => c.Source.Reason);
        this.FieldsShownWithRecord();
    }
}

/// <summary>One situation of a profile: from a case's event (<see cref="CaseId"/>) or recorded by staff on the profile.</summary>
internal sealed record SituationEntry(Situation Situation, string Date, Guid? CaseId, Confidentiality Confidentiality);

internal sealed class SituationEntryGraphType : ObjectGraphType<SituationEntry>
{
    public SituationEntryGraphType()
    {
        Name = "SituationEntry";
        Description = "A situation of a defender at a date: reported by a case's event, or recorded by staff on the profile.";
        Field<NonNullGraphType<EnumerationGraphType<Situation>>>("situation").Resolve(c => c.Source.Situation);
        Field<NonNullGraphType<PartialDateGraphType>>("date").Description("When it was so (2013, 2013-03 or 2013-03-21).").Resolve(c => c.Source.Date);
        Field<NonNullGraphType<BooleanGraphType>>("fromCase").Description("True when a case's event reported it; false when staff recorded it on the profile.")
            .Resolve(c => c.Source.CaseId is not null);
        Field("case", new GraphQLTypeReference("Case"))
            .Description("The case whose event reported it, when the caller may see the case (one query per page); null for a situation recorded on the profile.")
            .Resolve(c => c.Source.CaseId is not { } caseId
                ? null
                : (object)c.Loader<Guid, object>("defenders.situationCases", (ids, ct) => c.Service<ICaseDirectory>().CasesAsync(ids, c.GetCaller(), ct)).Load(caseId));
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Resolve(c => c.Source.Confidentiality);
        this.FieldsShownWithRecord();
    }
}

/// <summary>The consent recorded on a profile.</summary>
internal sealed record RecordedConsent(Defender Profile);

/// <summary>The consent recorded for a defender (the defender field that returns it is STAFF).</summary>
internal sealed class ConsentGraphType : ObjectGraphType<RecordedConsent>
{
    public ConsentGraphType()
    {
        Name = "Consent";
        Description = "What the person consented to, when, and who recorded it (STAFF information).";
        Field<NonNullGraphType<BooleanGraphType>>("toPublishName").Resolve(c => c.Source.Profile.ConsentToPublishName);
        Field<NonNullGraphType<BooleanGraphType>>("toPublishPortrait").Resolve(c => c.Source.Profile.ConsentToPublishPortrait);
        Field<IsoDateGraphType>("givenOn").Description("Null while no consent was recorded.").Resolve(c => c.Source.Profile.ConsentGivenOn);
        Field<StringGraphType>("recordedBy").Description("Who recorded it (apikey:…, user:…); null while no consent was recorded.")
            .Resolve(c => c.Source.Profile.ConsentRecordedBy);
        this.FieldsShownWithRecord();
    }
}

internal sealed class OrganisationGraphType : ObjectGraphType<Organisation>
{
    public OrganisationGraphType()
    {
        Name = "Organisation";
        Description = "A member of the SOS-Torture Network or another NGO.";
        Interface<NodeInterfaceGraphType>();
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(DefenderIds.Organisation, c.Source.Id));
        Field(o => o.Name);
        Field<NonNullGraphType<CountryGraphType>>("country").Resolve(c => Country.TryGet(c.Source.CountryCode, out var country) ? country : null);
        Field(o => o.NetworkMember);
        Field<IsoDateGraphType>("memberSince").Resolve(c => c.Source.MemberSince);
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Resolve(c => c.Source.Confidentiality);
        Field(o => o.Version);
        Field(o => o.CreatedAt);
        Field(o => o.UpdatedAt);
        this.FieldsShownWithRecord();
    }
}


/// <summary>One record an erasure redacted (see <see cref="Erasure.ErasureRedactions"/>).</summary>
internal sealed class ErasureRedactionGraphType : ObjectGraphType<RedactedRecord>
{
    public ErasureRedactionGraphType()
    {
        Name = "ErasureRedaction";
        Description = "A record whose free text named an erased person, redacted by the erasure.";
        Field<NonNullGraphType<IdGraphType>>("recordId").Description("The record's global id (node(id)).").Resolve(c => GlobalId.Encode(c.Source.RecordType, c.Source.RecordId));
        Field<NonNullGraphType<StringGraphType>>("recordType").Description("Case, Article, Note, Digest…").Resolve(c => c.Source.RecordType);
        Field<NonNullGraphType<StringGraphType>>("label").Description("What the record is known by (a case reference, an article's title).").Resolve(c => c.Source.Label);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("fields").Description("The texts changed (title, summary, event.description…; history: earlier versions only).").Resolve(c => c.Source.Fields);
        Field<NonNullGraphType<IntGraphType>>("occurrences").Description("How many times the name was replaced in the record's current texts (or, when only earlier versions held it, in those).").Resolve(c => c.Source.Occurrences);
        this.FieldsShownWithRecord();
    }
}
