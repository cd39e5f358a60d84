using System.Collections.Concurrent;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;
using Omct.Platform.Host.Configuration;

namespace Omct.Platform.Host.GraphQL;

/// <summary>
/// Parsed documents that passed the full validation, so that a client sending the same document
/// again (a dashboard, an integrator's poll: the same text with other variables) is neither parsed
/// nor validated again. Keyed by the exact text and by the rules it was validated with — anonymous
/// callers without schema discovery also pass <c>NoIntrospectionValidationRule</c>, so their entries
/// are apart. What still runs on a hit is what depends on the request: the variables' coercion and
/// the complexity analysis (its multipliers are the variables' <c>first</c>), the limits on the
/// variables, and everything at execution (access rules, clearance).
/// <para>
/// Bounded in entries (<see cref="GraphQLOptions.DocumentCacheEntries"/>) and in the size of each
/// document (<see cref="GraphQLOptions.DocumentCacheMaxLength"/>): a flood of distinct documents only
/// evicts — the least recently used quarter at a time — and costs its sender the validation it
/// would have cost anyway. A refused document is never cached.
/// </para>
/// </summary>
internal sealed class ValidatedDocumentCache(IOptions<GraphQLOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Query, bool WithoutIntrospection), Entry> _entries = new();
    private readonly int _capacity = options.Value.DocumentCacheEntries;
    private readonly int _maxLength = options.Value.DocumentCacheMaxLength;
    private readonly Lock _evicting = new();

    public int Count => _entries.Count;

    public GraphQLDocument? Find(string query, bool withoutIntrospection)
    {
        if (_capacity == 0 || query.Length > _maxLength || !_entries.TryGetValue((query, withoutIntrospection), out var entry))
        {
            return null;
        }

        entry.LastUsed = time.GetTimestamp();
        return entry.Document;
    }

    /// <summary>Keeps a document that has just passed the full validation with these rules.</summary>
    public void Add(string query, bool withoutIntrospection, GraphQLDocument document)
    {
        if (_capacity == 0 || query.Length > _maxLength)
        {
            return;
        }

        if (_entries.Count >= _capacity)
        {
            Evict();
        }

        _entries[(query, withoutIntrospection)] = new Entry(document) { LastUsed = time.GetTimestamp() };
    }

    private void Evict()
    {
        // One evictor at a time; the others add meanwhile (the bound is approximate by the number of concurrent requests).
        if (!_evicting.TryEnter())
        {
            return;
        }

        try
        {
            foreach (var (key, _) in _entries.OrderBy(e => e.Value.LastUsed).Take(Math.Max(1, _capacity / 4)).ToList())
            {
                _entries.TryRemove(key, out _);
            }
        }
        finally
        {
            _evicting.Exit();
        }
    }

    private sealed class Entry(GraphQLDocument document)
    {
        public GraphQLDocument Document { get; } = document;

        public long LastUsed { get; set; }
    }
}
