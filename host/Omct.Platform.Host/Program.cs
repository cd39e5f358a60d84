using Omct.Platform.Access;
using Omct.Platform.Accounts;
using Omct.Platform.Cases;
using Omct.Platform.Defenders;
using Omct.Platform.Digests;
using Omct.Platform.Files;
using Omct.Platform.Host;
using Omct.Platform.Import;
using Omct.Platform.Integration;
using Omct.Platform.News;
using Omct.Platform.Operations;
using Omct.Platform.Reminders;
using Omct.Platform.Submissions;
using Omct.Platform.Teamwork;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatformLogging();

// The modules: each registers its events, read models, GraphQL fields and jobs.
builder.Services
    .AddAccessModule(builder.Configuration)
    .AddCasesModule(builder.Configuration)
    .AddDefendersModule(builder.Configuration)
    .AddNewsModule(builder.Configuration)
    .AddSubmissionsModule(builder.Configuration)
    .AddIntegrationModule(builder.Configuration)
    .AddRemindersModule(builder.Configuration)
    .AddDigestsModule(builder.Configuration)
    .AddOperationsModule(builder.Configuration)
    .AddAccountsModule(builder.Configuration)
    .AddFilesModule(builder.Configuration)
    .AddImportModule(builder.Configuration)
    .AddTeamworkModule(builder.Configuration);

// What holds them together: one event store, one schema, one scheduler.
builder.AddPlatformHost();

var app = builder.Build();
app.MapPlatformEndpoints();
app.Run();

/// <summary>Entry point (public for WebApplicationFactory).</summary>
public partial class Program;
