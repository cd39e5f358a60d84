using GraphQL.Types;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests.Hosting;

/// <summary>A module whose resolver fails with a message that must never reach the client.</summary>
internal sealed class FailingModule : PlatformModule
{
    public const string Secret = "Host=db.internal;Password=hunter2";

    public override string Name => "failing";

    public override void AddQueryFields(ObjectGraphType query) =>
        query.Field<StringGraphType>("boom")
            .AllowAnonymous()
            .Resolve(_ => throw new InvalidOperationException($"could not connect: {Secret}"));
}

public sealed class FailingPlatformFactory : PlatformFactory
{
    protected override IEnumerable<PlatformModule> ExtraModules => [new FailingModule()];
}
