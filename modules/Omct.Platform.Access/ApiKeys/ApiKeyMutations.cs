using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Access.ApiKeys;

[MutationFields]
internal sealed class ApiKeyMutations
{
    public const string TypeName = "ApiKey";

    [Description("ADMIN: creates an API key. The key is returned once, in this payload, and stored only as a hash.")]
    [RequireRole(Role.Admin)]
    public Task<CreateApiKeyPayload> CreateApiKey(CreateApiKeyInput input, [FromServices] ApiKeyCommands commands, IResolveFieldContext ctx) =>
        commands.CreateAsync(input,
            async id => await ctx.ResolveNodeAsync("Organisation", id) is not null,
            ctx.CancellationToken);

    [Description("ADMIN: revokes an API key with immediate effect.")]
    [RequireRole(Role.Admin)]
    public Task<RevokeApiKeyPayload> RevokeApiKey(RevokeApiKeyInput input, [FromServices] ApiKeyCommands commands, CancellationToken ct) =>
        commands.RevokeAsync(input, ct);
}

internal sealed class CreateApiKeyInput
{
    public string Name { get; set; } = "";
    public Role Role { get; set; }
    public Confidentiality Clearance { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    [Id, Description("For a member organisation's key: the organisation it acts for.")]
    public string? OrganisationId { get; set; }
    [DefaultValue(false), Description("The key may send only persisted operations (registerPersistedOperation), by hash.")]
    public bool? PersistedOperationsOnly { get; set; }
    public string? ClientMutationId { get; set; }
}

internal sealed class RevokeApiKeyInput
{
    [Id] public string Id { get; set; } = "";
    public string? ClientMutationId { get; set; }
}

internal sealed record CreateApiKeyPayload(string Key, ApiKey ApiKey, string? ClientMutationId);

internal sealed record RevokeApiKeyPayload(ApiKey ApiKey, string? ClientMutationId);

internal sealed class ApiKeyGraphType : ObjectGraphType<ApiKey>
{
    public ApiKeyGraphType()
    {
        Name = "ApiKey";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => GlobalId.Encode(ApiKeyMutations.TypeName, ctx.Source.Id));
        Field(k => k.Name);
        Field(k => k.Prefix).Description("The first characters of the key, to recognise it.");
        Field<NonNullGraphType<RoleGraphType>>("role").Resolve(ctx => ctx.Source.Role);
        Field<NonNullGraphType<ConfidentialityGraphType>>("clearance").Resolve(ctx => ctx.Source.Clearance);
        Field(k => k.CreatedAt);
        Field(k => k.ExpiresAt, nullable: true);
        Field(k => k.RevokedAt, nullable: true);
        Field(k => k.PersistedOperationsOnly);
        Field<IsoDateTimeGraphType>("lastUsedAt")
            .Description("When the key was last used (to the minute).")
            .ResolveAsync(async ctx =>
            {
                // A page of apiKeys has read its keys' last uses at once.
                if (ctx.UserContext.TryGetValue(ApiKeyQuery.LastUsesKey, out var known) && known is Dictionary<Guid, DateTimeOffset> lastUses
                    && lastUses.TryGetValue(ctx.Source.Id, out var lastUse))
                {
                    return lastUse;
                }

                await using var session = ctx.Service<IDocumentStore>().QuerySession();
                return (await session.LoadAsync<ApiKeyUsage>(ctx.Source.Id, ctx.CancellationToken))?.LastUsedAt;
            });
        this.FieldsShownWithRecord();
    }
}

internal sealed class CreateApiKeyPayloadGraphType : ObjectGraphType<CreateApiKeyPayload>
{
    public CreateApiKeyPayloadGraphType()
    {
        Name = "CreateApiKeyPayload";
        Field(p => p.Key).Description("The secret. Shown once: store it now.");
        Field<NonNullGraphType<ApiKeyGraphType>>("apiKey").Resolve(ctx => ctx.Source.ApiKey);
        Field(p => p.ClientMutationId, nullable: true);
        this.FieldsShownWithRecord();
    }
}

internal sealed class RevokeApiKeyPayloadGraphType : ObjectGraphType<RevokeApiKeyPayload>
{
    public RevokeApiKeyPayloadGraphType()
    {
        Name = "RevokeApiKeyPayload";
        Field<NonNullGraphType<ApiKeyGraphType>>("apiKey").Resolve(ctx => ctx.Source.ApiKey);
        Field(p => p.ClientMutationId, nullable: true);
        this.FieldsShownWithRecord();
    }
}
