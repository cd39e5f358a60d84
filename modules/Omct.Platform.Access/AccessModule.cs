using GraphQL.Types;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Access.ApiKeys;
using Omct.Platform.Access.Auditing;
using Omct.Platform.Access.BearerTokens;
using Omct.Platform.Access.Me;
using Omct.Platform.Access.PersistedOperations;
using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Modules;

namespace Omct.Platform.Access;

/// <summary>
/// Who the callers are (API keys stored hashed, the bootstrap admin key, bearer tokens, <c>me</c>), what they did
/// (the audit trail) and which documents they may send by hash (persisted operations).
/// </summary>
internal sealed class AccessModule : PlatformModule
{
    public override string Name => "access";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSection<SecurityOptions>(configuration, SecurityOptions.Section);
        services.AddValidatedSection<JwtOptions>(configuration, JwtOptions.Section);
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<ApiKeyCache>();
        services.AddHostedService<ApiKeyChangeListener>();
        services.AddScoped<ApiKeyCommands>();
        services.AddScoped<ApiKeyListing>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<PersistedOperationCommands>();
        services.AddSingleton<BearerTokenAuthenticator>();
        services.AddSingleton<ICallerAuthenticator, CallerAuthenticator>();
        services.AddSingleton<ICallerDirectory, CallerDirectory>();
        services.AddSingleton<RestrictedReadRecorder>();
        services.AddSingleton<IRestrictedReadRecorder>(sp => sp.GetRequiredService<RestrictedReadRecorder>());
        services.AddHostedService<RestrictedReadWriter>();
        services.AddSingleton<IRecordedReads, RecordedReads>();
        services.AddSingleton<IPersistedOperations, PersistedOperationStore>();
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<ApiKey>()
            .DocumentAlias("access_api_key")
            .UniqueIndex(k => k.KeyHash);
        options.Schema.For<ApiKeyUsage>().DocumentAlias("access_api_key_usage");
        options.Schema.For<RestrictedRead>().DocumentAlias("access_restricted_read").Index(r => r.EntityId);
        options.Schema.For<PersistedOperation>().DocumentAlias("access_persisted_operation");
    }

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.AddFieldsOf<MeQuery>();
        query.AddFieldsOf<AuditTrailQuery>();
        query.AddFieldsOf<ApiKeyQuery>();
        query.AddFieldsOf<PersistedOperationQueries>();
    }

    public override void AddMutationFields(ObjectGraphType mutation)
    {
        mutation.AddFieldsOf<ApiKeyMutations>();
        mutation.AddFieldsOf<PersistedOperationMutations>();
    }
}

public static class AccessModuleRegistration
{
    public static IServiceCollection AddAccessModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new AccessModule(), configuration);
}
