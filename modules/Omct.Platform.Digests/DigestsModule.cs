using GraphQL.Types;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.BuildingBlocks.Webhooks;
using Omct.Platform.Digests.Composing;
using Omct.Platform.Digests.Delivery;
using Omct.Platform.Digests.GraphQL;
using Omct.Platform.Digests.Reports;
using Omct.Platform.Digests.ScheduledReports;
using Omct.Platform.Digests.ScheduledReports.Delivery;
using Omct.Platform.Digests.ScheduledReports.Formats;
using Omct.Platform.Digests.Subscriptions;
using Weasel.Postgresql;

namespace Omct.Platform.Digests;

/// <summary>
/// Digests (daily and weekly, per subscription, composed with the audience's clearance through the
/// other modules' contracts, stored once per period, delivered by e-mail and signed webhook from an
/// outbox) and the monthly reports (CSV and HTML, downloadable at <c>/reports/{id}.csv|html</c>).
/// Scheduled reports staff define themselves (<c>ScheduledReports/</c>: definitions, runs, files at
/// <c>/reports/runs/{id}/files/{name}</c>). Four jobs on the one job mechanism: DIGEST, DIGEST_DELIVERY, REPORT and SCHEDULED_REPORTS.
/// </summary>
internal sealed class DigestsModule : PlatformModule
{
    public override string Name => "digests";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        // Read and checked now: the schedules are part of the job definitions the host schedules.
        var digests = services.AddValidatedSection<DigestOptions>(configuration, DigestOptions.Section);
        services.AddValidatedSection<SmtpOptions>(configuration, SmtpOptions.Section);
        services.AddValidatedSection<ReportOptions>(configuration, ReportOptions.Section);
        services.AddValidatedSection<DigestWebhookOptions>(configuration, DigestWebhookOptions.Section);

        services.AddWebhookSender();
        services.AddSingleton<DigestStore>();
        services.AddSingleton<ReportStore>();
        services.AddSingleton<DigestComposer>();
        services.AddSingleton<Omct.Platform.BuildingBlocks.Privacy.IPersonalDataErasureParticipant, DigestTextErasure>();
        services.AddSingleton<Omct.Platform.BuildingBlocks.Privacy.IPersonalDataErasureParticipant, ReportFileErasure>();
        services.AddSingleton<ReportBuilder>();
        services.AddSingleton<EmailSender>();
        services.AddSingleton<Omct.Platform.BuildingBlocks.Mail.IPlatformMail, PlatformMail>();
        services.AddScoped<SubscriptionCommands>();
        services.AddHostedService<SmtpStartupCheck>();
        services.AddSystemJob<DigestJob>(DigestJob.Definition(digests));
        services.AddSystemJob<DeliveryJob>(DeliveryJob.Definition(digests));
        services.AddSystemJob<ReportJob>(ReportJob.Definition(digests));
        services.AddSingleton<ReportRunStore>();
        services.AddSingleton<ReportRunner>();
        services.AddSingleton<ReportPdfPrinter>();
        services.AddSingleton<ReportDeliveryStore>();
        services.AddSingleton<ReportDelivery>();
        services.AddScoped<ReportDefinitionCommands>();
        services.AddSingleton<INodeResolver, ReportDefinitionNodeResolver>();
        services.AddSystemJob<ScheduledReportsJob>(ScheduledReportsJob.Definition());
        services.AddSingleton<IDefaultData, ScheduledReports.Monthly.MonthlyStatisticsDefinition>();
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<ReportDefinition>().DocumentAlias("digests_report_definition").UseOptimisticConcurrency(true).Duplicate(d => d.OrderKey);
        new OrderKeySequence(ReportDefinitionCommands.SequenceName).Register(options);
        ReportAudit.Register(options);
        options.Schema.For<DigestSubscription>().DocumentAlias("digests_subscription").UseOptimisticConcurrency(true).Duplicate(s => s.OrderKey);
#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
        options.Storage.ExtendedSchemaObjects.Add(new Sequence(new PostgresqlObjectName(options.DatabaseSchemaName, SubscriptionCommands.SequenceName)));
#pragma warning restore CS0618
        // An erased defender's name leaves the stored digests in the erasure's transaction (Composing/DigestErasureProjection).
        // Nothing to tear down on a rebuild: the digests are corrected by it, not made by it.
        options.Projections.Add(new DigestErasureProjection(options.DatabaseSchemaName), JasperFx.Events.Projections.ProjectionLifecycle.Inline, DigestErasureProjection.Name, _ => { });
        // A case or case event raised above a stored digest's audience leaves that digest in the raise's transaction.
        options.Projections.Add(new DigestReclassificationProjection(options.DatabaseSchemaName), JasperFx.Events.Projections.ProjectionLifecycle.Inline,
            DigestReclassificationProjection.Name, _ => { });
        foreach (var schemaObject in DigestStore.SchemaObjects(options.DatabaseSchemaName).Concat(ReportStore.SchemaObjects(options.DatabaseSchemaName))
                     .Concat(ReportRunStore.SchemaObjects(options.DatabaseSchemaName)).Concat(ReportDeliveryStore.SchemaObjects(options.DatabaseSchemaName)))
        {
            options.Storage.ExtendedSchemaObjects.Add(schemaObject);
        }
    }

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.AddFieldsOf<DigestQueries>();
        query.AddFieldsOf<ReportDefinitionQueries>();
        query.AddFieldsOf<ScheduledReports.Monthly.MonthlyStatisticsQueries>();
    }

    public override void AddMutationFields(ObjectGraphType mutation)
    {
        mutation.AddFieldsOf<DigestSubscriptionMutations>();
        mutation.AddFieldsOf<ReportDefinitionMutations>();
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        ReportEndpoint.Map(endpoints);
        ReportRunEndpoint.Map(endpoints);
    }
}

/// <summary>Says at start, once, when e-mail delivery is off (no Omct:Smtp:Host): e-mail deliveries then wait as PENDING.</summary>
internal sealed class SmtpStartupCheck(IOptions<SmtpOptions> smtp, ILogger<SmtpStartupCheck> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!smtp.Value.Enabled)
        {
            log.LogWarning("E-mail delivery of digests is disabled: Omct:Smtp:Host is not set. E-mail deliveries stay PENDING until it is; webhooks are delivered.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class DigestsModuleRegistration
{
    public static IServiceCollection AddDigestsModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new DigestsModule(), configuration);
}
