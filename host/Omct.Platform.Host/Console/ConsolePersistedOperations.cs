using System.Text.Json;
using GraphQLParser;
using GraphQLParser.AST;
using Marten;
using Omct.Platform.Access.PersistedOperations;

namespace Omct.Platform.Host.Console;

/// <summary>
/// Registers the console's GraphQL documents as persisted operations at start-up, from the manifest its build wrote
/// (<c>wwwroot/console/persisted-documents.json</c>: <c>"sha256:&lt;hash&gt;" → document</c>, GraphQL Code Generator's
/// client preset). They are trusted because they ship with the host's own build, like its code: no admin step. Idempotent
/// (a document's id is its hash; one already registered is left as it is) and logged. A hash that is not the SHA-256
/// of its document stops the start-up: the manifest was tampered with or mis-built.
/// </summary>
internal sealed class ConsolePersistedOperations(ConsoleFiles files, IDocumentStore store, TimeProvider clock, ILogger<ConsolePersistedOperations> log)
    : IHostedService
{
    /// <summary>Who registered them, in <c>persistedOperations</c>' <c>registeredBy</c>.</summary>
    public const string RegisteredBy = "system:console-build";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(files.ManifestPath))
        {
            log.LogWarning("No console manifest at {Path}: no console operation registered (build/console.sh writes it)", files.ManifestPath);
            return;
        }

        var operations = Read(await File.ReadAllTextAsync(files.ManifestPath, cancellationToken));
        var added = await RegisterAsync(operations, cancellationToken);
        log.LogInformation(
            "Console: {Added} persisted operation(s) registered from {Path}, {Known} already registered ({Total} in the manifest)",
            added, files.ManifestPath, operations.Count - added, operations.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The manifest's operations, each checked: its key is <c>sha256:</c> and the hash of its text.</summary>
    internal static List<PersistedOperation> Read(string manifest)
    {
        var entries = JsonSerializer.Deserialize<Dictionary<string, string>>(manifest)
                      ?? throw new InvalidOperationException("The console manifest is empty.");
        var operations = new List<PersistedOperation>();
        foreach (var (key, document) in entries)
        {
            var hash = key.StartsWith("sha256:", StringComparison.Ordinal) ? key["sha256:".Length..] : key;
            if (!string.Equals(PersistedOperation.HashOf(document), hash, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The console manifest's entry {key} is not the SHA-256 of its document: rebuild the console.");
            }

            var operation = Parser.Parse(document).Definitions.OfType<GraphQLOperationDefinition>().FirstOrDefault()
                            ?? throw new InvalidOperationException($"The console manifest's entry {key} holds no operation.");
            operations.Add(new PersistedOperation { Id = hash, Name = "console:" + (operation.Name?.StringValue ?? "anonymous"), Document = document });
        }

        return operations;
    }

    private async Task<int> RegisterAsync(List<PersistedOperation> operations, CancellationToken cancellationToken)
    {
        if (operations.Count == 0)
        {
            return 0;
        }

        await using var session = store.LightweightSession();
        var ids = operations.Select(o => o.Id).ToArray();
        var known = (await session.LoadManyAsync<PersistedOperation>(cancellationToken, ids)).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var added = 0;
        foreach (var operation in operations.Where(o => !known.Contains(o.Id)))
        {
            operation.RegisteredAt = now;
            operation.RegisteredBy = RegisteredBy;
            session.Insert(operation);
            added++;
        }

        if (added > 0)
        {
            try
            {
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (JasperFx.DocumentAlreadyExistsException)
            {
                // Another host of the same version registered them at the same moment: theirs stand.
                return 0;
            }
        }

        return added;
    }
}
