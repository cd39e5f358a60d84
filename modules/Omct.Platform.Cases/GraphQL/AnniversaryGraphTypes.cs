using GraphQL.Types;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Cases.Anniversaries;
using Omct.Platform.Cases.Contracts;

namespace Omct.Platform.Cases.GraphQL;

internal sealed class AnniversaryKindGraphType : EnumerationGraphType<AnniversaryKind>
{
    public AnniversaryKindGraphType()
    {
        Name = "AnniversaryKind";
        Description = "YEARLY: 1, 2, 3 … years after a case event; DETENTION_DAYS: 100, 500, 1000 … days of a victim's detention.";
    }
}

internal sealed class AnniversaryGraphType : ObjectGraphType<AnniversaryView>
{
    public AnniversaryGraphType()
    {
        Name = "Anniversary";
        Description = "A date advocacy is built around: one year since a conviction, 100 days in detention.";
        Field<NonNullGraphType<IsoDateGraphType>>("date").Resolve(c => c.Source.Occurrence.Date);
        Field<NonNullGraphType<AnniversaryKindGraphType>>("kind").Resolve(c => c.Source.Occurrence.Kind);
        Field<IntGraphType>("years").Description("YEARLY: how many years since the case event.").Resolve(c => c.Source.Occurrence.Years);
        Field<IntGraphType>("days").Description("DETENTION_DAYS: how many days in detention.").Resolve(c => c.Source.Occurrence.Days);
        Field<NonNullGraphType<CaseGraphType>>("case").Resolve(c => c.Source.Case);
        Field<NonNullGraphType<CaseEventGraphType>>("caseEvent")
            .Description("YEARLY: the event remembered; DETENTION_DAYS: the arrest or detention the detention began with.")
            .Resolve(c => new CaseEventView(c.Source.Case, c.Source.Case.Events.Single(e => e.Id == c.Source.Occurrence.Key.CaseEventId)));
        Field<VictimGraphType>("victim").Description("DETENTION_DAYS: the detained victim; null for YEARLY.")
            .Resolve(c => c.Source.Occurrence.Key.VictimId is { } id ? c.Source.Case.Victims.Single(v => v.Id == id) : null);
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality")
            .Description("The most closed of the levels it shows (case, case event, victim).").Resolve(c => c.Source.Occurrence.Confidentiality);
        this.FieldsShownWithRecord();
    }
}
