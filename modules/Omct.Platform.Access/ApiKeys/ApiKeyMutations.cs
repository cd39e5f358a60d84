using GraphQL;
using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Access.ApiKeys;

internal static class ApiKeyMutations
{
    public const string TypeName = "ApiKey";
    private const string OrganisationTypeName = "Organisation";

    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreateApiKeyPayloadGraphType>>("createApiKey")
            .Description("ADMIN: creates an API key. The key is returned once, in this payload, and stored only as a hash.")
            .Argument<NonNullGraphType<CreateApiKeyInputGraphType>>("input")
            .RequireRole(Role.Admin)
            .ResolveAsync(async ctx => await CreateAsync(ctx, ctx.GetArgument<CreateApiKeyInput>("input")));

        mutation.Field<NonNullGraphType<RevokeApiKeyPayloadGraphType>>("revokeApiKey")
            .Description("ADMIN: revokes an API key with immediate effect.")
            .Argument<NonNullGraphType<RevokeApiKeyInputGraphType>>("input")
            .RequireRole(Role.Admin)
            .ResolveAsync(async ctx => await RevokeAsync(ctx, ctx.GetArgument<RevokeApiKeyInput>("input")));
    }

    private static async Task<CreateApiKeyPayload> CreateAsync(IResolveFieldContext ctx, CreateApiKeyInput input)
    {
        var time = ctx.Service<TimeProvider>();
        var now = time.GetUtcNow();
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            throw DomainException.Validation("name", "The name must have between 1 and 100 characters.");
        }

        if (input.Role is Role.Anonymous or Role.System)
        {
            throw DomainException.Validation("role", "An API key's role must be ADMIN, EDITOR, STAFF, NETWORK_MEMBER or INTEGRATOR.");
        }

        if (input.ExpiresAt is { } expiry && expiry <= now)
        {
            throw DomainException.Validation("expiresAt", "The expiry must be in the future.");
        }

        // Nobody hands out more than they may see themselves (an admin signed in with STAFF clearance
        // cannot mint a RESTRICTED key).
        var creator = ctx.GetCaller();
        WriteClearance.Ensure(input.Clearance, creator.Clearance, "clearance");

        MutationPipeline.CheckClientMutationId(input.ClientMutationId);
        Guid? organisationId = null;
        if (input.OrganisationId is not null)
        {
            // The organisation must exist and be visible to the admin: a hidden one is refused word for word
            // like one that does not exist (its module's node resolver decides, as for node(id)). A malformed id is NOT_FOUND.
            var decoded = GlobalId.DecodeOrNotFound(input.OrganisationId, OrganisationTypeName, "The organisation");
            var resolver = ctx.Service<IEnumerable<INodeResolver>>().FirstOrDefault(r => r.TypeName == OrganisationTypeName);
            if (resolver is null || await resolver.ResolveAsync(ctx, decoded) is null)
            {
                throw DomainException.Validation("organisationId", "There is no such organisation.");
            }

            organisationId = decoded;
        }

        // A repeat cannot answer the first result: the secret was shown once and is not stored.
        return await ctx.Service<MutationPipeline>().RunAsync("createApiKey", input.ClientMutationId, _ => throw AlreadyCreated(), async receipt =>
        {
            var secret = ApiKeySecret.Generate();
            var key = new ApiKey
            {
                Id = Guid.CreateVersion7(),
                Name = name,
                Role = input.Role,
                Clearance = input.Clearance,
                KeyHash = ApiKeySecret.Hash(secret),
                Prefix = ApiKeySecret.PrefixOf(secret),
                CreatedAt = now,
                CreatedBy = creator.Id,
                ExpiresAt = input.ExpiresAt,
                PersistedOperationsOnly = input.PersistedOperationsOnly,
                OrganisationId = organisationId,
            };

            await using var session = ctx.Service<IDocumentStore>().LightweightSession();
            session.Insert(key);
            receipt.Record(session, key.Id);
            await session.SaveChangesAsync(ctx.CancellationToken);
            return new CreateApiKeyPayload(secret, key, input.ClientMutationId);
        }, ctx.CancellationToken);
    }

    /// <summary>
    /// A repeated createApiKey writes nothing; unlike other mutations it cannot return the first
    /// result, because the secret is shown once and never stored.
    /// </summary>
    private static DomainException AlreadyCreated() =>
        DomainException.Conflict("A key was already created with this clientMutationId; its secret was shown once. Create another key if it was lost.");

    /// <summary>A key above the admin's clearance is out of its reach: the same answer as an unknown or malformed id. A repeat answers the key as it is.</summary>
    private static Task<RevokeApiKeyPayload> RevokeAsync(IResolveFieldContext ctx, RevokeApiKeyInput input)
    {
        var id = GlobalId.DecodeOrNotFound(input.Id, TypeName, What);
        var caller = ctx.GetCaller();
        var store = ctx.Service<IDocumentStore>();
        var ct = ctx.CancellationToken;
        return ctx.Service<MutationPipeline>().RunAsync("revokeApiKey", input.ClientMutationId,
            async first =>
            {
                await using var query = store.QuerySession();
                return new RevokeApiKeyPayload(MutationPipeline.Visible(await query.LoadAsync<ApiKey>(first, ct), k => caller.CanSee(k.Clearance), What), input.ClientMutationId);
            },
            async receipt =>
            {
                await using var session = store.LightweightSession();
                var key = MutationPipeline.Visible(await session.LoadAsync<ApiKey>(id, ct), k => caller.CanSee(k.Clearance), What);
                if (key.RevokedAt is null)
                {
                    key.RevokedAt = ctx.Service<TimeProvider>().GetUtcNow();
                    session.Store(key);
                }

                receipt.Record(session, key.Id);
                await session.SaveChangesAsync(ct);
                return new RevokeApiKeyPayload(key, input.ClientMutationId);
            }, ct);
    }

    private const string What = "The API key";
}

internal sealed class CreateApiKeyInput
{
    public string? Name { get; set; }
    public Role Role { get; set; }
    public Confidentiality Clearance { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public string? OrganisationId { get; set; }
    public bool PersistedOperationsOnly { get; set; }
    public string? ClientMutationId { get; set; }
}

internal sealed class RevokeApiKeyInput
{
    public string Id { get; set; } = "";
    public string? ClientMutationId { get; set; }
}

internal sealed record CreateApiKeyPayload(string Key, ApiKey ApiKey, string? ClientMutationId);

internal sealed record RevokeApiKeyPayload(ApiKey ApiKey, string? ClientMutationId);

internal sealed class CreateApiKeyInputGraphType : InputObjectGraphType<CreateApiKeyInput>
{
    public CreateApiKeyInputGraphType()
    {
        Name = "CreateApiKeyInput";
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<RoleGraphType>>("role");
        Field<NonNullGraphType<ConfidentialityGraphType>>("clearance");
        Field<IsoDateTimeGraphType>("expiresAt");
        Field<IdGraphType>("organisationId").Description("For a member organisation's key: the organisation it acts for.");
        Field<BooleanGraphType>("persistedOperationsOnly").DefaultValue(false)
            .Description("The key may send only persisted operations (registerPersistedOperation), by hash.");
        Field<StringGraphType>("clientMutationId");
    }
}

internal sealed class RevokeApiKeyInputGraphType : InputObjectGraphType<RevokeApiKeyInput>
{
    public RevokeApiKeyInputGraphType()
    {
        Name = "RevokeApiKeyInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<StringGraphType>("clientMutationId");
    }
}

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
