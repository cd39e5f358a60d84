using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Defenders.Contracts;

namespace Omct.Platform.Cases.GraphQL;

internal static class CaseIds
{
    public const string Case = "Case";
    public const string CaseEvent = "CaseEvent";
    public const string Victim = "Victim";
    public const string Intervention = "Intervention";
}

internal sealed class CaseGraphType : ObjectGraphType<Case>
{
    public CaseGraphType()
    {
        Name = "Case";
        Description = "An urgent intervention about one situation in one country.";
        Interface<NodeInterfaceGraphType>();
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(CaseIds.Case, c.Source.Id));
        Field(c => c.Reference).Description("OMCT reference, e.g. CMR 001 / 0313 / OBS 021.");
        Field<NonNullGraphType<StringGraphType>>("title")
            .Description("A defender mentioned in it (@[id]) is named as the caller may name them: the name, else the pseudonym, else [name withheld].")
            .Resolve(c => c.Mentioning(c.Source.Title));
        Field<NonNullGraphType<CountryGraphType>>("country").Resolve(c => Country.TryGet(c.Source.CountryCode, out var country) ? country : null);
        Field<NonNullGraphType<EnumerationGraphType<CaseStatus>>>("status").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Resolve(c => c.Source.Confidentiality);
        Field<StringGraphType>("summary").Description("Mentions read as in title.").Resolve(c => c.Mentioning(c.Source.Summary));
        Field<NonNullGraphType<IsoDateGraphType>>("openedOn").Resolve(c => c.Source.OpenedOn);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<VictimGraphType>>>>("victims")
            .Description("The victims the caller may see.")
            .Resolve(c => c.Source.Victims.Where(c.GetCaller().CanSee));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CaseEventGraphType>>>>("events")
            .Description("The dated case events the caller may see, in date order (orderBy: DATE).")
            .Argument<CaseEventOrderGraphType>("orderBy")
            .Resolve(c =>
            {
                var levels = c.GetCaller().VisibleLevels();
                return c.Source.Events.Where(e => levels.Contains(e.Confidentiality))
                    .OrderBy(e => e.Date).ThenBy(e => e.Sequence)
                    .Select(e => new CaseEventView(c.Source, e));
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InterventionGraphType>>>>("interventions").Resolve(c => c.Source.Interventions);
        Field("files", CaseFiles.ListType)
            .Description("The files attached to the case that the caller may see, oldest first (case events have their own).")
            .Resolve(c => CaseFiles.Of(c, c.Source.Id));
        Field(c => c.Version).Description("The stream version; pass it as expectedVersion.");
        Field(c => c.CreatedAt);
        Field(c => c.UpdatedAt);
        this.HistoryField(c => c.Id, c => CaseHistory.For(c.GetCaller()));
        this.FieldsShownWithRecord();
    }
}

internal sealed class CaseEventOrderGraphType : EnumerationGraphType
{
    public CaseEventOrderGraphType()
    {
        Name = "CaseEventOrder";
        Add("DATE", "DATE", "By date, then by the order they were recorded.");
    }
}

internal sealed record CaseEventView(Case Case, TimelineEvent Event);

internal sealed class CaseEventGraphType : ObjectGraphType<CaseEventView>
{
    public CaseEventGraphType()
    {
        Name = "CaseEvent";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(CaseIds.CaseEvent, c.Source.Event.Id));
        Field<NonNullGraphType<EnumerationGraphType<CaseEventType>>>("type").Resolve(c => c.Source.Event.Type);
        Field<NonNullGraphType<PartialDateGraphType>>("date").Resolve(c => c.Source.Event.Date.ToString());
        Field<StringGraphType>("description").Description("Mentions read as in the case's title.").Resolve(c => c.Mentioning(c.Source.Event.Description));
        Field<EnumerationGraphType<PerpetratorType>>("perpetratorType").Resolve(c => c.Source.Event.PerpetratorType);
        Field<StringGraphType>("source").Resolve(c => c.Source.Event.Source);
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Resolve(c => c.Source.Event.Confidentiality);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<VictimGraphType>>>>("victims")
            .Resolve(c => c.Source.Case.Victims.Where(v => c.Source.Event.VictimIds.Contains(v.Id) && c.GetCaller().CanSee(v)));
        Field("files", CaseFiles.ListType)
            .Description("The files attached to the case event that the caller may see, oldest first.")
            .Resolve(c => CaseFiles.Of(c, c.Source.Event.Id));
        this.FieldsShownWithRecord();
    }
}

/// <summary>
/// The case's texts as the caller reads them: the events and the read model hold a mentioned defender's token, and the
/// name is put in only here, as the caller may name them (one directory call per request for a whole page).
/// </summary>
internal static class CaseMentions
{
    public static object? Mentioning(this IResolveFieldContext c, string? text) =>
        c.Mentioning<IDefenderDirectory>(text, DefenderIds.Defender, d => d.DisplayNamesAsync);
}

/// <summary>The files of a case or case event (the files module's <c>File</c> type), one query per page.</summary>
internal static class CaseFiles
{
    public static IGraphType ListType => RecordFiles.ListType;

    public static IDataLoaderResult<IReadOnlyList<object>?> Of(IResolveFieldContext c, Guid recordId) =>
        RecordFiles.Of(c, recordId, (Files.Contracts.IAttachedFiles f) => f.OfRecordsAsync);
}

internal sealed class VictimGraphType : ObjectGraphType<Victim>
{
    public VictimGraphType()
    {
        Name = "Victim";
        Description = "A registered defender (defenderId) or a person named on the case alone.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(CaseIds.Victim, c.Source.Id));
        Field<IdGraphType>("defenderId")
            .Description("The registered defender's id; null for a named person, or when the caller may not see the profile.")
            .Resolve(c => c.Source.DefenderId is not { } id ? null
                : DefenderOf(c, id).Then(profile => profile is null ? null : GlobalId.Encode(DefenderIds.Defender, id)));
        Field(v => v.Name, nullable: true).Description("The name given on the case (for a registered defender see the defender).");
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Resolve(c => c.Source.Confidentiality);
        Field("defender", new GraphQLTypeReference("Defender"))
            .Description("The registered defender (null for a named person, or when the caller may not see the profile); one query per page.")
            .Resolve(c => c.Source.DefenderId is not { } id ? null : DefenderOf(c, id));
        Field("files", CaseFiles.ListType)
            .Description("The files attached to the victim on this case that the caller may see, oldest first (a registered defender's own are on the defender).")
            .Resolve(c => CaseFiles.Of(c, c.Source.Id));
        this.FieldsShownWithRecord();
    }

    /// <summary>The profile as the caller may find it (null when hidden), batched per page.</summary>
    private static IDataLoaderResult<object?> DefenderOf(IResolveFieldContext<Victim> c, Guid id) =>
        c.Loader<Guid, object>("cases.victim-defenders", (ids, ct) => c.Service<IDefenderDirectory>().ProfilesAsync(ids, c.GetCaller(), ct)).Load(id);
}

internal sealed class InterventionGraphType : ObjectGraphType<Intervention>
{
    public InterventionGraphType()
    {
        Name = "Intervention";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Its id, for correctIntervention.").Resolve(c => GlobalId.Encode(CaseIds.Intervention, c.Source.Id));
        Field<NonNullGraphType<EnumerationGraphType<InterventionType>>>("type").Resolve(c => c.Source.Type);
        Field(i => i.Number).Description("Follow-up number (1, 2, 3 …); 0 for the urgent appeal and the closing.");
        Field(i => i.Reference);
        Field<NonNullGraphType<IsoDateGraphType>>("issuedOn").Resolve(c => c.Source.IssuedOn);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("addressees").Resolve(c => c.Source.Addressees);
        this.FieldsShownWithRecord();
    }
}

