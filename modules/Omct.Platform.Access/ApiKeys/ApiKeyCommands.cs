using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Access.ApiKeys;

/// <summary>Creating and revoking API keys (an admin's, within its clearance). Scoped.</summary>
internal sealed class ApiKeyCommands(IDocumentStore store, TimeProvider time, MutationPipeline pipeline, ApiKeyCache cache)
{
    private const string OrganisationTypeName = "Organisation";
    private const string What = "The API key";

    /// <param name="organisationExists">Whether the caller may see the organisation of this id (the Organisation node resolver).</param>
    public async Task<CreateApiKeyPayload> CreateAsync(CreateApiKeyInput input, Func<Guid, Task<bool>> organisationExists, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var name = input.Name.Trim();
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
        var creator = pipeline.Caller;
        WriteClearance.Ensure(input.Clearance, creator.Clearance, "clearance");

        MutationPipeline.CheckClientMutationId(input.ClientMutationId);
        Guid? organisationId = null;
        if (input.OrganisationId is not null)
        {
            // The organisation must exist and be visible to the admin: a hidden one is refused word for word
            // like one that does not exist (its module's node resolver decides, as for node(id)). A malformed id is NOT_FOUND.
            var decoded = GlobalId.DecodeOrNotFound(input.OrganisationId, OrganisationTypeName, "The organisation");
            if (!await organisationExists(decoded))
            {
                throw DomainException.Validation("organisationId", "There is no such organisation.");
            }

            organisationId = decoded;
        }

        // A repeat cannot answer the first result: the secret was shown once and is not stored.
        return await pipeline.RunAsync("createApiKey", input.ClientMutationId, _ => throw AlreadyCreated(), async receipt =>
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
                PersistedOperationsOnly = input.PersistedOperationsOnly ?? false,
                OrganisationId = organisationId,
            };

            await using var session = store.LightweightSession();
            session.Insert(key);
            receipt.Record(session, key.Id);
            await session.SaveChangesAsync(ct);
            return new CreateApiKeyPayload(secret, key, input.ClientMutationId);
        }, ct);
    }

    /// <summary>
    /// A repeated createApiKey writes nothing; unlike other mutations it cannot return the first
    /// result, because the secret is shown once and never stored.
    /// </summary>
    private static DomainException AlreadyCreated() =>
        DomainException.Conflict("A key was already created with this clientMutationId; its secret was shown once. Create another key if it was lost.");

    /// <summary>A key above the admin's clearance is out of its reach: the same answer as an unknown or malformed id. A repeat answers the key as it is.</summary>
    public Task<RevokeApiKeyPayload> RevokeAsync(RevokeApiKeyInput input, CancellationToken ct)
    {
        var id = GlobalId.DecodeOrNotFound(input.Id, ApiKeyMutations.TypeName, What);
        var caller = pipeline.Caller;
        return pipeline.RunAsync("revokeApiKey", input.ClientMutationId,
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
                    key.RevokedAt = time.GetUtcNow();
                    session.Store(key);
                    // Every host's cache of keys forgets it when this commits (and only then): see ApiKeyCache.
                    session.QueueSqlCommand("select pg_notify(?, ?)", ApiKeyCache.Channel, key.Id.ToString());
                }

                receipt.Record(session, key.Id);
                await session.SaveChangesAsync(ct);
                cache.Invalidate();
                return new RevokeApiKeyPayload(key, input.ClientMutationId);
            }, ct);
    }
}
