using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Reminders.Planning;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.Reminders.GraphQL;

internal sealed class ReminderKindGraphType : EnumerationGraphType<ReminderKind>
{
    public ReminderKindGraphType()
    {
        Name = "ReminderKind";
        Description = "ANNIVERSARY: of an anniversary or a detention milestone; DEADLINE: of a submission, UN session or call-for-input deadline.";
    }
}

/// <summary>
/// <c>ReminderSubject = Anniversary | Deadline</c>: the types of the cases and submissions modules,
/// referenced by name (this module knows their contracts, not their implementation).
/// </summary>
internal sealed class ReminderSubjectGraphType : UnionGraphType
{
    public ReminderSubjectGraphType()
    {
        Name = "ReminderSubject";
        Description = "What a reminder is about: an Anniversary or a Deadline.";
        AddPossibleType(new GraphQLTypeReference("Anniversary"));
        AddPossibleType(new GraphQLTypeReference("Deadline"));
    }
}

internal sealed class ReminderGraphType : ObjectGraphType<Reminder>
{
    public const string TypeName = "Reminder";

    public ReminderGraphType()
    {
        Name = TypeName;
        Description = "A reminder, due a lead time before an anniversary or a deadline; made once by the daily reminder jobs.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field<NonNullGraphType<ReminderKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<IsoDateGraphType>>("dueOn").Description("The date of the anniversary or deadline.").Resolve(c => c.Source.DueOn);
        Field<NonNullGraphType<IsoDateGraphType>>("remindOn").Description("dueOn minus leadDays.").Resolve(c => c.Source.RemindOn);
        Field(r => r.LeadDays).Description("How many days before dueOn it reminds (Omct:Reminders settings).");
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality")
            .Description("The most closed level of what it reminds of (case, case event, victim; or submission / call for input).").Resolve(c => c.Source.Confidentiality);
        Field(r => r.CreatedAt).Description("When the job made it (a reminder made late, for something recorded late, has createdAt after remindOn).");
        Field<IdGraphType>("caseId").Description("ANNIVERSARY: the case.").Resolve(c => c.Source.Anniversary is { } a ? GlobalId.Encode("Case", a.Key.CaseId) : null);
        Field<IdGraphType>("submissionId").Description("DEADLINE of a submission (due date, UN session).")
            .Resolve(c => c.Source.Deadline is { Kind: not DeadlineKind.CallForInputDeadline } d ? GlobalId.Encode("Submission", d.SubjectId) : null);
        Field<IdGraphType>("callForInputId").Description("DEADLINE of a call for input.")
            .Resolve(c => c.Source.Deadline is { Kind: DeadlineKind.CallForInputDeadline } d ? GlobalId.Encode("CallForInput", d.SubjectId) : null);
        Field<ReminderSubjectGraphType>("subject")
            .Description("The anniversary or deadline as it is now; null when it no longer is (a correction moved the date, the deadline was met, " +
                         "the victim was released) or the caller may no longer see it. One query per page.")
            .Resolve(c => c.Source switch
            {
                { Anniversary: { } a } => c.Loader<AnniversaryKey, object>("reminders.anniversaries",
                    (keys, ct) => c.Service<IAnniversaryCalendar>().FindAsync(keys, c.GetCaller(), ct)).Load(a.Key),
                { Deadline: { } d } => c.Loader<DeadlineKey, object>("reminders.deadlines",
                    (keys, ct) => c.Service<IDeadlineCalendar>().FindAsync(keys, c.GetCaller(), ct)).Load(d),
                _ => null,
            });
        this.FieldsShownWithRecord();
    }
}

internal sealed class ReminderFilter
{
    public List<ReminderKind>? Kinds { get; set; }
    [Description("remindOn on or after this day.")]
    public DateOnly? RemindFrom { get; set; }
    [Description("remindOn on or before this day.")]
    public DateOnly? RemindTo { get; set; }
}
