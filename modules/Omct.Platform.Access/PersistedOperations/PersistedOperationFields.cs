using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.Access.PersistedOperations;

/// <summary><c>persistedOperations</c> (ADMIN; see <see cref="PersistedOperationCommands"/>).</summary>
[QueryFields]
internal sealed class PersistedOperationQueries
{
    [Description("ADMIN: the registered persisted operations, by name.")]
    [RequireRole(Role.Admin)]
    public Task<List<PersistedOperation>> PersistedOperations([FromServices] PersistedOperationCommands commands, CancellationToken ct) =>
        commands.ListAsync(ct);
}

/// <summary><c>registerPersistedOperation</c> (ADMIN; see <see cref="PersistedOperationCommands"/>).</summary>
[MutationFields]
internal sealed class PersistedOperationMutations
{
    [Description("ADMIN: registers a GraphQL document; clients then send its sha256Hash instead of the text.")]
    [RequireRole(Role.Admin)]
    [OutputType(typeof(NonNullGraphType<RegisterPersistedOperationPayloadGraphType>))]
    public async Task<Payload<PersistedOperation>> RegisterPersistedOperation(RegisterPersistedOperationInput input,
        [FromServices] PersistedOperationCommands commands, CancellationToken ct) =>
        new(await commands.RegisterAsync(input.Name, input.Document, ct), input.ClientMutationId);
}

internal sealed class RegisterPersistedOperationInput : IdempotentInput
{
    [Description("A name to recognise it (e.g. the integrator's operation name).")]
    public string Name { get; set; } = "";

    [Description("The GraphQL document, exactly as clients will hash it.")]
    public string Document { get; set; } = "";
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
        Field(o => o.ReportsOnly).Description("Registered by the platform for a report definition's runs (registeredBy: its owner): requests cannot send it " +
                                               "until an admin registers the same document.");
        this.FieldsShownWithRecord();
    }
}

internal sealed class RegisterPersistedOperationPayloadGraphType()
    : PayloadGraphType<PersistedOperationGraphType>("RegisterPersistedOperationPayload", "persistedOperation");
