using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.Submissions;

namespace Omct.Platform.Submissions.GraphQL;

internal sealed class CallStatusGraphType : EnumerationGraphType<CallStatus> { public CallStatusGraphType() => Name = "CallForInputStatus"; }

internal static class OrganisationFields
{
    /// <summary>The organisations (Organisation type of the defenders module) the caller may see, one query per page.</summary>
    public static global::GraphQL.DataLoader.IDataLoaderResult<List<object>> Load(IResolveFieldContext context, IEnumerable<Guid> ids) =>
        DataLoaderResults.All(ids.Select(id => One(context, id)).ToList())
            .Then(all => all.Where(o => o is not null).Select(o => o!).ToList());

    /// <summary>One organisation the caller may see, or null; batched with every other load of the page.</summary>
    public static global::GraphQL.DataLoader.IDataLoaderResult<object?> One(IResolveFieldContext context, Guid id) =>
        context.Loader<Guid, object>("submissions.organisations",
            (keys, ct) => context.Service<IDefenderDirectory>().OrganisationsAsync(keys, context.GetCaller(), ct)).Load(id);

    /// <summary>
    /// The network members in these countries (all members when none), batched with every other such load of
    /// the page: one query for the union of the countries asked, each audience then taking its own.
    /// </summary>
    public static global::GraphQL.DataLoader.IDataLoaderResult<IReadOnlyList<OrganisationInfo>?> NetworkMembers(IResolveFieldContext context, IReadOnlyCollection<string> countryCodes) =>
        context.Loader<string, IReadOnlyList<OrganisationInfo>>("submissions.network-members", async (audiences, ct) =>
        {
            var everyone = audiences.Contains("");
            var countries = everyone ? [] : audiences.SelectMany(a => a.Split(',')).Distinct(StringComparer.Ordinal).ToList();
            var members = await context.Service<IDefenderDirectory>().NetworkMembersAsync(countries, ct);
            return audiences.ToDictionary(a => a, a =>
            {
                if (a.Length == 0)
                {
                    return members;
                }

                var wanted = a.Split(',').ToHashSet(StringComparer.Ordinal);
                return (IReadOnlyList<OrganisationInfo>)members.Where(m => wanted.Contains(m.CountryCode)).ToList();
            });
        }).Load(string.Join(',', countryCodes.Order(StringComparer.Ordinal)));

    public static IGraphType OrganisationList => new NonNullGraphType(OptionalOrganisationList);

    /// <summary>A list that is null for callers who may not see it.</summary>
    public static IGraphType OptionalOrganisationList => new ListGraphType(new NonNullGraphType(new GraphQLTypeReference("Organisation")));
}

internal sealed class SubmissionGraphType : ObjectGraphType<Submission>
{
    public SubmissionGraphType()
    {
        Name = "Submission";
        Description = "A submission to a UN mechanism (UPR, CAT …), alone or jointly.";
        Interface<NodeInterfaceGraphType>();
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(SubmissionIds.Submission, c.Source.Id));
        Field<NonNullGraphType<EnumerationGraphType<Mechanism>>>("mechanism").Resolve(c => c.Source.Mechanism);
        Field(s => s.Title);
        Field<NonNullGraphType<CountryGraphType>>("country").Description("The State under review.")
            .Resolve(c => Country.TryGet(c.Source.CountryCode, out var country) ? country : null);
        Field<NonNullGraphType<IsoDateGraphType>>("dueOn").Resolve(c => c.Source.DueOn);
        Field(s => s.Session, nullable: true).Description("UPR cycle/session (e.g. 16th session, May–June 2013).");
        Field<IsoDateGraphType>("sessionStartsOn").Resolve(c => c.Source.SessionStartsOn);
        Field<EnumerationGraphType<CatStage>>("catStage").Resolve(c => c.Source.CatStage);
        Field<NonNullGraphType<EnumerationGraphType<SubmissionStatus>>>("status").Resolve(c => c.Source.Status);
        Field<IntGraphType>("wordCount").Resolve(c => c.Source.WordCount);
        Field<IntGraphType>("wordLimit")
            .Description("For UPR: 2,815 words alone, 5,630 jointly — with co-signatories you may see (one you may not see does not count for you).")
            .Resolve(c => c.Source.Mechanism != Mechanism.Upr ? null
                : !c.Source.IsJoint ? SubmissionDecider.UprWordLimitSingle
                : (object)OrganisationFields.Load(c, c.Source.CoSignatoryIds)
                    .Then(visible => visible.Count > 0 ? SubmissionDecider.UprWordLimitJoint : SubmissionDecider.UprWordLimitSingle));
        Field(s => s.FileReference, nullable: true);
        Field("files", RecordFiles.ListType)
            .Description("The files attached to the submission (the submitted document, its drafts …) that the caller may see, oldest first.")
            .Resolve(c => RecordFiles.Of(c, c.Source.Id, (Files.Contracts.IAttachedFiles f) => f.OfRecordsAsync));
        Field<StringGraphType>("text")
            .Description("STAFF: the text last attached (null when only its word count and a file reference were given, and for others).")
            .Resolve(c => c.GetCaller().HasRole(Role.Staff) ? c.Source.Text : null);
        Field<NonNullGraphType<WordCountRuleGraphType>>("wordCountRule")
            .Description("How attachSubmissionText counts the words of a text, for an editor that counts as it does.")
            .Resolve(_ => WordCountRule.Instance);
        Field<IsoDateGraphType>("submittedOn").Resolve(c => c.Source.SubmittedOn);
        Field<IsoDateGraphType>("outcomeOn").Description("The day of the outcome (recordOutcome's outcomeOn; null before one).").Resolve(c => c.Source.OutcomeOn);
        Field<IsoDateGraphType>("recordedOn")
            .Description("A submission of the past recorded as it was (planSubmission with historical: true): the day it was entered. Its dates before that day " +
                         "make no deadline, reminder or digest entry. Null otherwise.")
            .Resolve(c => c.Source.RecordedOn);
        Field("leadOrganisation", new GraphQLTypeReference("Organisation"))
            .Resolve(c => c.Source.LeadOrganisationId is { } id ? OrganisationFields.Load(c, [id]).Then(l => l.FirstOrDefault()) : null);
        Field("coSignatories", OrganisationFields.OrganisationList).Resolve(c => OrganisationFields.Load(c, c.Source.CoSignatoryIds));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RecommendationGraphType>>>>("recommendations").Resolve(c => c.Source.Recommendations);
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Resolve(c => c.Source.Confidentiality);
        Field(s => s.Version);
        Field(s => s.CreatedAt);
        Field(s => s.UpdatedAt);
        this.HistoryField(x => x.Id, c => SubmissionHistory.ForSubmission(c.GetCaller()));
        this.FieldsShownWithRecord();
    }
}

/// <summary>The rule of <see cref="SubmissionDecider.CountWords"/>, for clients that count as the API does.</summary>
internal sealed class WordCountRule
{
    public static readonly WordCountRule Instance = new();

    /// <summary>Every character <see cref="char.IsWhiteSpace(char)"/> holds true for (the separators of <see cref="string.Split(char[])"/> with null).</summary>
    public IReadOnlyList<int> Separators { get; } = [.. Enumerable.Range(0, char.MaxValue + 1).Where(c => char.IsWhiteSpace((char)c))];
}

internal sealed class WordCountRuleGraphType : ObjectGraphType<WordCountRule>
{
    public WordCountRuleGraphType()
    {
        Name = "WordCountRule";
        Description = "A word is a run of characters between separators; the text's word count is the number of such runs.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("separators")
            .Description("The separators' Unicode code points (UTF-16 code units): every white-space character.")
            .Resolve(c => c.Source.Separators);
        this.FieldsShownWithRecord();
    }
}

internal sealed class RecommendationGraphType : ObjectGraphType<Recommendation>
{
    public RecommendationGraphType()
    {
        Name = "Recommendation";
        Field(r => r.Text);
        Field(r => r.Accepted).Description("Accepted by the State, or only noted.");
        Field("cases", new NonNullGraphType(new ListGraphType(new NonNullGraphType(new GraphQLTypeReference("Case")))))
            .Description("The related cases the caller may see (through the cases module, one query per page).")
            .Resolve(c => DataLoaderResults.All(c.Source.CaseIds.Select(id => c.Loader<Guid, object>("submissions.recommendation-cases",
                    (ids, ct) => c.Service<ICaseDirectory>().CasesAsync(ids, c.GetCaller(), ct)).Load(id)).ToList())
                .Then(all => all.Where(x => x is not null).ToList()));
        this.FieldsShownWithRecord();
    }
}

internal sealed class CallForInputGraphType : ObjectGraphType<CallForInput>
{
    public CallForInputGraphType()
    {
        Name = "CallForInput";
        Description = "A question the secretariat asks the network, with a deadline.";
        Interface<NodeInterfaceGraphType>();
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(SubmissionIds.CallForInput, c.Source.Id));
        Field(x => x.Title);
        Field(x => x.Question);
        Field<NonNullGraphType<IsoDateGraphType>>("deadline").Resolve(c => c.Source.Deadline);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EnumerationGraphType<Region>>>>>("audienceRegions").Resolve(c => c.Source.AudienceRegions);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CountryGraphType>>>>("audience").Description("The countries addressed (also those of audienceRegions); empty: every member.")
            .Resolve(c => c.Source.AudienceCountryCodes.Select(code => Country.TryGet(code, out var country) ? country : null).OfType<Country>());
        Field<NonNullGraphType<CallStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<IsoDateTimeGraphType>("closedAt").Resolve(c => c.Source.ClosedAt);
        Field<IsoDateGraphType>("recordedOn")
            .Description("A call of the past recorded as it was (openCallForInput with historical: true): the day it was entered. A deadline before that day " +
                         "makes no deadline, reminder or digest entry. Null otherwise.")
            .Resolve(c => c.Source.RecordedOn);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CallInputGraphType>>>>("inputs")
            .Description("Staff see every input; a member organisation addressed by the call its own and those other members shared with the network. " +
                         "An input appears only with an organisation the caller may see (one query per page).")
            .Resolve(c =>
            {
                var caller = c.GetCaller();
                var readable = CallInputIds.WithIds(c.Source).Where(i => Handling.CallVisibility.Reads(caller, i)).ToList();
                return DataLoaderResults.All(readable.Select(i => OrganisationFields.One(c, i.OrganisationId)).ToList())
                    .Then(organisations => readable.Where((_, n) => organisations[n] is not null).ToList());
            });
        Field("answered", OrganisationFields.OptionalOrganisationList).Description("STAFF: the organisations that answered (null for others).")
            .Resolve(c => c.GetCaller().HasRole(Role.Staff) ? OrganisationFields.Load(c, c.Source.Inputs.Select(i => i.OrganisationId)) : null);
        Field("notAnswered", OrganisationFields.OptionalOrganisationList).Description("STAFF: the member organisations of the audience that have not answered (null for others).")
            .Resolve(c =>
            {
                if (!c.GetCaller().HasRole(Role.Staff))
                {
                    return null;
                }

                // The audience's members for every call of the page in one query, then the organisations the
                // caller may see in one more (OrganisationFields), instead of two queries per call.
                var answered = c.Source.Inputs.Select(i => i.OrganisationId).ToHashSet();
                return OrganisationFields.NetworkMembers(c, c.Source.AudienceCountryCodes)
                    .Then(members => OrganisationFields.Load(c, members!.Where(m => !answered.Contains(m.Id)).Select(m => m.Id)));
            });
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Resolve(c => c.Source.Confidentiality);
        Field(x => x.Version);
        Field(x => x.CreatedAt);
        Field(x => x.UpdatedAt);
        this.HistoryField(x => x.Id, c => SubmissionHistory.ForCall(c.GetCaller()));
        this.FieldsShownWithRecord();
    }
}

internal sealed class CallInputGraphType : ObjectGraphType<ReceivedInput>
{
    public CallInputGraphType()
    {
        Name = "CallInput";
        Description = "An organisation's input to a call for input (one per organisation; a later one replaces its text, keeping its id and its files).";
        Interface<NodeInterfaceGraphType>();
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(SubmissionIds.CallInput, c.Source.Id));
        // Never null: CallForInput.inputs leaves out the inputs of organisations the caller may not see.
        Field("organisation", new NonNullGraphType(new GraphQLTypeReference("Organisation")))
            .Resolve(c => OrganisationFields.One(c, c.Source.OrganisationId));
        Field(i => i.Text);
        Field(i => i.ReceivedAt);
        Field(i => i.SharedWithNetwork).Description("The organisation shared it with the other members the call addresses.");
        Field("files", RecordFiles.ListType)
            .Description("The files attached to the input (the organisation's documents) that the caller may see, oldest first.")
            .Resolve(c => RecordFiles.Of(c, c.Source.Id, (Files.Contracts.IAttachedFiles f) => f.OfRecordsAsync));
        this.FieldsShownWithRecord();
    }
}

