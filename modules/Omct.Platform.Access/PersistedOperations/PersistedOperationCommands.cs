using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;

namespace Omct.Platform.Access.PersistedOperations;

/// <summary>
/// Registering and listing persisted operations. Registering the same document twice is harmless: its id is
/// its hash, and the first registration stays. Scoped.
/// </summary>
internal sealed class PersistedOperationCommands(IDocumentStore store, TimeProvider time, ICallerContext callers)
{
    /// <summary>The largest document that may be registered (the endpoint's default request limit).</summary>
    public const int MaxDocumentLength = 100_000;

    public async Task<List<PersistedOperation>> ListAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return [.. await session.Query<PersistedOperation>().OrderBy(o => o.Name).ThenBy(o => o.Id).Take(1_000).ToListAsync(ct)];
    }

    /// <summary>
    /// The operation as registered (the first registration of the same document when there was one). A report's saved
    /// query registered already (<see cref="PersistedOperation.ReportsOnly"/>) becomes the admin's: requests may send it.
    /// </summary>
    public async Task<PersistedOperation> RegisterAsync(string name, string document, CancellationToken ct)
    {
        var operation = Validate(name, document);
        operation.RegisteredAt = time.GetUtcNow();
        operation.RegisteredBy = callers.Current.Id;

        if (!await InsertNewAsync(store, operation, ct))
        {
            await using var session = store.LightweightSession();
            if (await session.LoadAsync<PersistedOperation>(operation.Id, ct) is { ReportsOnly: true } existing)
            {
                existing.ReportsOnly = false;
                session.Update(existing);
                await session.SaveChangesAsync(ct);
            }
        }

        await using var read = store.QuerySession();
        return await read.LoadAsync<PersistedOperation>(operation.Id, ct) ?? operation;
    }

    /// <summary>Inserts the operation unless its document is registered already (by this or another host); whether it did.</summary>
    internal static async Task<bool> InsertNewAsync(IDocumentStore store, PersistedOperation operation, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<PersistedOperation>(operation.Id, ct) is not null)
        {
            return false;
        }

        session.Insert(operation);
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            // Registered at the same moment by another request or host: theirs stands.
            return false;
        }
    }

    /// <summary>The operation to store, or VALIDATION naming the field.</summary>
    internal static PersistedOperation Validate(string name, string document)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
        {
            throw DomainException.Validation("name", "The name must have between 1 and 100 characters.");
        }

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
