using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.Http;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Host.Authentication;
using Omct.Platform.Host.Configuration;
using Omct.Platform.Host.Console;
using Omct.Platform.Host.Endpoints;
using Omct.Platform.Host.EventStore;
using Omct.Platform.Host.GraphQL;
using Omct.Platform.Host.Health;
using Omct.Platform.Host.Scheduling;
using Omct.Platform.Host.Seeding;

namespace Omct.Platform.Host;

/// <summary>Assembles the registered modules into one host. Knows no module by name.</summary>
internal static class PlatformHost
{
    public static WebApplicationBuilder AddPlatformHost(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Fail start-up with a message that names a missing connection string.
        _ = builder.Configuration.GetPostgresConnectionString();

        services.AddValidatedSection<PlatformOptions>(builder.Configuration, PlatformOptions.Section);
        var limits = services.AddValidatedSection<GraphQLOptions>(builder.Configuration, GraphQLOptions.Section);

        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<CallerContext>();
        services.AddScoped<ICallerContext>(sp => sp.GetRequiredService<CallerContext>());

        services.AddPlatformEventStore();
        services.AddSingleton<StartupState>();
        services.AddHostedService<StartupWork>();
        // The master key (outside the database): without one the host does not start. After StartupWork: the
        // background re-wrap starts once the schema is applied and the start-up work is done.
        services.AddPersonalDataProtection(builder.Configuration);
        services.AddPlatformGraphQL(limits);
        services.AddPlatformAuthentication();
        services.AddPlatformRateLimiting();
        services.AddPlatformForwardedHeaders(builder.Configuration);
        builder.AddPlatformScheduler();
        services.AddPlatformConsole();

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("postgres", tags: ["ready"])
            .AddCheck<ProjectionsHealthCheck>("projections", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapPlatformEndpoints(this WebApplication app)
    {
        app.UsePlatformForwardedHeaders();
        app.UseTraceIdLogContext();
        app.UsePlatformRequestLogging();
        app.UseDatabaseUnavailable();
        // The staff console at /console (its files and headers), ahead of the other static files.
        app.MapPlatformConsole();
        app.UseStaticFiles();

        // One pipeline for every endpoint: who the caller is, its rate limit, then the endpoint's policy.
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseMiddleware<CallerContextMiddleware>();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });

        var endpoint = app.Services.GetRequiredService<GraphQLHttpEndpoint>();
        app.MapMethods("/graphql", ["GET", "POST", "PUT", "DELETE", "PATCH"], endpoint.HandleAsync)
            .RequireAuthorization(PlatformPolicies.Caller)
            .WithMetadata(endpoint);
        app.MapModuleEndpoints();
        app.MapGet("/", () => Results.Redirect("/graphql"));
        return app;
    }
}
