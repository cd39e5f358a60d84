using GraphQL;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.Access.PersistedOperations;

/// <summary>
/// <c>registerPersistedOperation</c> and <c>persistedOperations</c> (ADMIN). Registering the same
/// document twice is harmless: its id is its hash, and the first registration stays.
/// </summary>
internal static class PersistedOperationFields
{
    /// <summary>The largest document that may be registered (the endpoint's default request limit).</summary>
    public const int MaxDocumentLength = 100_000;

    public static void RegisterQueries(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PersistedOperationGraphType>>>>("persistedOperations")
            .Description("ADMIN: the registered persisted operations, by name.")
            .RequireRole(Role.Admin)
            .ResolveAsync(async ctx =>
            {
                await using var session = ctx.Service<IDocumentStore>().QuerySession();
                return await session.Query<PersistedOperation>().OrderBy(o => o.Name).ThenBy(o => o.Id).Take(1_000).ToListAsync(ctx.CancellationToken);
            });

    public static void RegisterMutations(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<RegisterPersistedOperationPayloadGraphType>>("registerPersistedOperation")
            .Description("ADMIN: registers a GraphQL document; clients then send its sha256Hash instead of the text.")
            .Argument<NonNullGraphType<RegisterPersistedOperationInputGraphType>>("input")
            .RequireRole(Role.Admin)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<RegisterPersistedOperationInput>("input");
                var operation = Validate(input);
                operation.RegisteredAt = ctx.Service<TimeProvider>().GetUtcNow();
                operation.RegisteredBy = ctx.GetCaller().Id;

                await using var session = ctx.Service<IDocumentStore>().LightweightSession();
                var existing = await session.LoadAsync<PersistedOperation>(operation.Id, ctx.CancellationToken);
                if (existing is null)
                {
                    session.Insert(operation);
                    try
                    {
                        await session.SaveChangesAsync(ctx.CancellationToken);
                    }
                    catch (JasperFx.DocumentAlreadyExistsException)
                    {
                        // Registered at the same moment by another request: theirs stands.
                    }
                }

                await using var read = ctx.Service<IDocumentStore>().QuerySession();
                return new Payload<PersistedOperation>(
                    await read.LoadAsync<PersistedOperation>(operation.Id, ctx.CancellationToken) ?? operation, input.ClientMutationId);
            });

    /// <summary>The operation to store, or VALIDATION naming the field.</summary>
    internal static PersistedOperation Validate(RegisterPersistedOperationInput input)
    {
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            throw DomainException.Validation("name", "The name must have between 1 and 100 characters.");
        }

        var document = input.Document ?? "";
        if (document.Trim().Length == 0 || document.Length > MaxDocumentLength)
        {
            throw DomainException.Validation("document", $"The document must have between 1 and {MaxDocumentLength} characters.");
        }

        try
        {
            var parsed = Parser.Parse(document, new ParserOptions { MaxDepth = 64 });
            if (!parsed.Definitions.OfType<GraphQLOperationDefinition>().Any())
            {
                throw DomainException.Validation("document", "The document holds no operation.");
            }
        }
        catch (GraphQLParserException e)
        {
            throw DomainException.Validation("document", $"Syntax error: {e.Description} (line {e.Location.Line}, column {e.Location.Column}).");
        }

        return new PersistedOperation { Id = PersistedOperation.HashOf(document), Name = name, Document = document };
    }
}

internal sealed class RegisterPersistedOperationInput : MutationInput
{
    public string? Name { get; set; }
    public string? Document { get; set; }
}

internal sealed class RegisterPersistedOperationInputGraphType : MutationInputGraphType<RegisterPersistedOperationInput>
{
    public RegisterPersistedOperationInputGraphType()
        : base("RegisterPersistedOperationInput", onExistingEntity: false)
    {
        Field<NonNullGraphType<StringGraphType>>("name").Description("A name to recognise it (e.g. the integrator's operation name).");
        Field<NonNullGraphType<StringGraphType>>("document").Description("The GraphQL document, exactly as clients will hash it.");
    }
}

internal sealed class PersistedOperationGraphType : ObjectGraphType<PersistedOperation>
{
    public PersistedOperationGraphType()
    {
        Name = "PersistedOperation";
        Field<NonNullGraphType<StringGraphType>>("sha256Hash")
            .Description("Send it as documentId \"sha256:<hash>\" or extensions.persistedQuery.sha256Hash.")
            .Resolve(c => c.Source.Id);
        Field(o => o.Name);
        Field(o => o.Document);
        Field(o => o.RegisteredAt);
        Field(o => o.RegisteredBy, nullable: true);
        this.FieldsShownWithRecord();
    }
}

internal sealed class RegisterPersistedOperationPayloadGraphType()
    : PayloadGraphType<PersistedOperationGraphType>("RegisterPersistedOperationPayload", "persistedOperation");
