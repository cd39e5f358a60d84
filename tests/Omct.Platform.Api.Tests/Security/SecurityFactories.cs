using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests.Security;

/// <summary>A host whose clock the test moves (key expiry).</summary>
public sealed class FakeClockPlatformFactory : PlatformFactory
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>A host with tiny rate limits and a clock the test moves (the buckets refill only when it does).</summary>
public sealed class RateLimitedPlatformFactory : PlatformFactory
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:GraphQL:RequestsPerSecondPerAddress"] = "1",
        ["Omct:GraphQL:RequestsPerSecondPerKey"] = "1",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>A host whose keys may make 10 requests per second (bursts of 20), and a clock the test moves.</summary>
public sealed class CostRateLimitedPlatformFactory : PlatformFactory
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:GraphQL:RequestsPerSecondPerKey"] = "10",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>A host in the Production environment with no explicit discovery setting: its defaults are under test.</summary>
public sealed class ProductionPlatformFactory : PlatformFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseEnvironment(builder, "Production");
    }
}

/// <summary>A host configured as in Production for anonymous schema discovery, with a module holding a RESTRICTED value.</summary>
public sealed class LockedDownPlatformFactory : PlatformFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:GraphQL:AnonymousIntrospection"] = "false",
    };

    protected override IEnumerable<PlatformModule> ExtraModules => [new DossierModule()];
}

/// <summary>A record with one RESTRICTED field, to watch the clearance rule and the audit of restricted reads.</summary>
internal sealed class DossierModule : PlatformModule
{
    public static readonly Guid DossierId = Guid.Parse("0190f0e0-0000-7000-8000-000000000001");

    public override string Name => "dossier";

    public override void AddQueryFields(ObjectGraphType query) =>
        query.Field<NonNullGraphType<DossierGraphType>>("dossier").AllowAnonymous().Resolve(_ => new Dossier(DossierId, "Geneva office", "+41 22 000 00 00"));
}

internal sealed record Dossier(Guid Id, string Office, string Contact) : IHasEntityId;

internal sealed class DossierGraphType : ObjectGraphType<Dossier>
{
    public DossierGraphType()
    {
        Name = "Dossier";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => BuildingBlocks.Ids.GlobalId.Encode("Dossier", c.Source.Id));
        Field(d => d.Office);
        Field<StringGraphType>("contact").RequireClearance(Confidentiality.Restricted).Resolve(c => c.Source.Contact);
        this.FieldsShownWithRecord();
    }
}

/// <summary>A host behind a reverse proxy at 10.0.0.1 (Omct:Network:KnownProxies), with tiny rate limits and a clock that stands still.</summary>
public sealed class ProxiedPlatformFactory : PlatformFactory
{
    public const string Proxy = "10.0.0.1";

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:GraphQL:RequestsPerSecondPerAddress"] = "1",
        ["Omct:GraphQL:RequestsPerSecondPerKey"] = "1",
        ["Omct:Network:KnownProxies:0"] = Proxy,
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}
