using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Digests.Composing;
using Omct.Platform.Digests.Reports;
using Omct.Platform.Digests.Subscriptions;

namespace Omct.Platform.Digests.GraphQL;

internal sealed class DigestPeriodGraphType : EnumerationGraphType<DigestPeriod>
{
    public DigestPeriodGraphType()
    {
        Name = "DigestPeriod";
        Description = "DAILY: the day before; WEEKLY: the 7 days before the subscription's weekday.";
    }
}

internal sealed class WeekdayGraphType : EnumerationGraphType<DayOfWeek> { public WeekdayGraphType() => Name = "Weekday"; }

internal sealed class DeliveryStatusGraphType : EnumerationGraphType<DeliveryStatus>
{
    public DeliveryStatusGraphType()
    {
        Name = "DeliveryStatus";
        Description = "PENDING: not tried yet; DELIVERED; FAILED_RETRYING: failed, tried again at nextAttemptAt; FAILED: given up.";
    }
}

internal sealed class DigestSubscriptionGraphType : ObjectGraphType<DigestSubscription>
{
    public const string TypeName = "DigestSubscription";

    public DigestSubscriptionGraphType()
    {
        Name = TypeName;
        Description = "Who gets which digest and where. The webhook's secret is shown once, in the payload that made it.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(s => s.Name);
        Field<NonNullGraphType<DigestPeriodGraphType>>("period").Resolve(c => c.Source.Period);
        Field<NonNullGraphType<WeekdayGraphType>>("weekday").Description("WEEKLY: the day the digest of the 7 days before is made.").Resolve(c => c.Source.Weekday);
        Field<NonNullGraphType<ConfidentialityGraphType>>("audience").Description("The clearance the digests are composed with.").Resolve(c => c.Source.Audience);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("countries").Resolve(c => c.Source.Countries);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("themes").Description("Narrows the articles (cases and deadlines have no themes).").Resolve(c => c.Source.Themes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("emailRecipients").Resolve(c => c.Source.EmailRecipients);
        Field(s => s.WebhookUrl, nullable: true);
        Field(s => s.Paused);
        Field(s => s.Version).Description("Pass it as expectedVersion.");
        Field(s => s.CreatedAt);
        Field(s => s.UpdatedAt);
        this.FieldsShownWithRecord();
    }
}

internal sealed class DigestItemGraphType : ObjectGraphType<DigestItem>
{
    public DigestItemGraphType()
    {
        Name = "DigestItem";
        Field(i => i.Title);
        Field(i => i.Text, nullable: true);
        Field(i => i.Date, nullable: true).Description("ISO date (or the partial date of a case event).");
        Field(i => i.Reference, nullable: true).Description("A case's or intervention's reference; an article's slug.");
        Field(i => i.CountryCode, nullable: true);
        Field(i => i.Type, nullable: true).Description("The event, intervention, article, anniversary or deadline kind.");
        Field<IdGraphType>("entityId").Description("The case, article, submission or call for input (node(id)).")
            .Resolve(c => c.Source.EntityType is { } type && c.Source.EntityId is { } id ? GlobalId.Encode(type, id) : null);
        this.FieldsShownWithRecord();
    }
}

internal sealed class DigestSectionGraphType : ObjectGraphType<DigestSection>
{
    public DigestSectionGraphType()
    {
        Name = "DigestSection";
        Field<NonNullGraphType<EnumerationGraphType<DigestSectionKind>>>("kind").Resolve(c => c.Source.Kind);
        Field(s => s.Title);
        // Complexity: a section holds about ten items (the default guess, five, is for lists of unknown size).
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DigestItemGraphType>>>>("items").Resolve(c => c.Source.Items).FieldType.WithComplexityImpact(1, 10);
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("How many there were: items holds the first Omct:Digests:MaxItemsPerSection (50) of them.")
            .Resolve(c => c.Source.TotalCount);
        this.FieldsShownWithRecord();
    }
}

internal sealed class DeliveryGraphType : ObjectGraphType<DigestDelivery>
{
    public DeliveryGraphType()
    {
        Name = "DigestDelivery";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The delivery id, sent as X-Omct-Delivery (webhook) and in the Message-Id (e-mail).")
            .Resolve(c => c.Source.Id.ToString());
        Field<NonNullGraphType<EnumerationGraphType<DeliveryChannel>>>("channel").Resolve(c => c.Source.Channel);
        Field(d => d.Target).Description("The recipient's address or the webhook URL.");
        Field<NonNullGraphType<DeliveryStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field(d => d.Attempts);
        Field(d => d.LastError, nullable: true).Description("What the last failed attempt met (never a secret).");
        Field(d => d.NextAttemptAt, nullable: true);
        Field(d => d.DeliveredAt, nullable: true);
        this.FieldsShownWithRecord();
    }
}

internal sealed class DigestGraphType : ObjectGraphType<Digest>
{
    public const string TypeName = "Digest";

    public DigestGraphType()
    {
        Name = TypeName;
        Description = "A digest of a period for an audience: never shows what the audience's clearance may not see.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field<NonNullGraphType<DigestPeriodGraphType>>("period").Resolve(c => c.Source.Period);
        Field<NonNullGraphType<IsoDateGraphType>>("from").Description("The first day of the period.").Resolve(c => c.Source.From);
        Field<NonNullGraphType<IsoDateGraphType>>("to").Description("The last day of the period (inclusive).").Resolve(c => c.Source.To);
        Field<NonNullGraphType<ConfidentialityGraphType>>("audience").Resolve(c => c.Source.Audience);
        Field(d => d.GeneratedAt);
        Field(d => d.Markdown);
        Field(d => d.Html).Description("The Markdown rendered (Markdig) and sanitised (HtmlSanitizer).");
        // Complexity: always the seven sections; a digest's deliveries are a few targets.
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DigestSectionGraphType>>>>("sections").Resolve(c => c.Source.Sections).FieldType.WithComplexityImpact(1, 7);
        Field<NonNullGraphType<IdGraphType>>("subscriptionId").Resolve(c => GlobalId.Encode(DigestSubscriptionGraphType.TypeName, c.Source.SubscriptionId));
        Field(d => d.SubscriptionName);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DeliveryGraphType>>>>("deliveries")
            .Description("STAFF: each channel target's delivery, with failures (one query per page).")
            .RequireRole(Role.Staff)
            .Resolve(c => c.Loader<Guid, IReadOnlyList<DigestDelivery>>("digests.deliveries",
                (ids, ct) => c.Service<DigestStore>().DeliveriesAsync(ids, ct)).Load(c.Source.Id).Then(found => found ?? []))
            .FieldType.WithComplexityImpact(1, 3);
        this.FieldsShownWithRecord();
    }
}

internal sealed class ReportFigureGraphType : ObjectGraphType<ReportFigure>
{
    public ReportFigureGraphType()
    {
        Name = "ReportFigure";
        Field(f => f.Table).Description("cases_by_country, cases_by_year, cases_by_status, events_by_type, opened_in_month_by_country, " +
                                        "events_recorded_in_month_by_type, interventions_issued_in_month_by_type, submissions_by_mechanism_and_status.");
        Field(f => f.Key);
        Field(f => f.SubKey, nullable: true).Description("submissions_by_mechanism_and_status: the status.");
        Field<NonNullGraphType<LongGraphType>>("count").Resolve(c => c.Source.Count);
        this.FieldsShownWithRecord();
    }
}

internal sealed class ReportGraphType : ObjectGraphType<Report>
{
    public const string TypeName = "Report";

    public ReportGraphType()
    {
        Name = TypeName;
        Description = "The monthly statistics, computed with the report's clearance; download them at csvUrl and htmlUrl (same credentials).";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field<NonNullGraphType<StringGraphType>>("month").Description("YYYY-MM.").Resolve(c => c.Source.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<ConfidentialityGraphType>>("clearance").Resolve(c => c.Source.Clearance);
        Field(r => r.GeneratedAt);
        Field<NonNullGraphType<StringGraphType>>("csvUrl").Description("Relative to the API's host: GET with X-Api-Key or a bearer token.").Resolve(c => ReportEndpoint.UrlOf(c.Source, "csv"));
        Field<NonNullGraphType<StringGraphType>>("htmlUrl").Resolve(c => ReportEndpoint.UrlOf(c.Source, "html"));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportFigureGraphType>>>>("figures").Resolve(c => c.Source.Figures);
        this.FieldsShownWithRecord();
    }
}

