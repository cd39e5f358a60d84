using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marten;

namespace Omct.Platform.BuildingBlocks.Privacy;

/// <summary>
/// Finds an erased person's name where it was typed into free text, and replaces it. The name matches as a whole (not
/// inside another word: "Ali" is not found in "Alice"), in any letter case and with any spacing between its words; a
/// first name or a surname alone is not looked for (too common to be redacted without a person deciding). Structured
/// mentions (<c>@[id]</c>) need none of this: they hold no name.
/// </summary>
public sealed class NameRedaction
{
    private readonly Regex _pattern;

    public NameRedaction(string name, string replacement)
        : this(name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), @"\s+", replacement)
    {
    }

    private NameRedaction(string[] words, string separator, string replacement)
    {
        if (words.Length == 0)
        {
            throw new ArgumentException("A name to redact has at least one word.", nameof(words));
        }

        Replacement = replacement;
        _pattern = new Regex(
            @"(?<![\p{L}\p{N}_])" + string.Join(separator, words.Select(Regex.Escape)) + @"(?![\p{L}\p{N}_])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        // For the database's first sieve (ILIKE, any spacing): the words in order, LIKE's wildcards escaped.
        LikePattern = "%" + string.Join("%", words.Select(w => w.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_"))) + "%";
    }

    /// <summary>
    /// The name in a URL slug (<paramref name="nameSlug"/>, e.g. <c>halima-erasename</c>, between hyphens or at an end),
    /// replaced by <paramref name="replacementSlug"/>.
    /// </summary>
    public static NameRedaction InSlug(string nameSlug, string replacementSlug) =>
        new(nameSlug.Split('-', StringSplitOptions.RemoveEmptyEntries), "-", replacementSlug);

    /// <summary>What stands for the name in the redacted text.</summary>
    public string Replacement { get; }

    /// <summary>An ILIKE pattern every text holding the name matches (and some that do not: confirm with <see cref="Count"/>).</summary>
    public string LikePattern { get; }

    /// <summary>For a person being erased; null when their name can no longer be read.</summary>
    public static NameRedaction? For(ErasedPerson person) =>
        string.IsNullOrWhiteSpace(person.Name) ? null : new NameRedaction(person.Name, person.Replacement);

    public int Count(string? text) => text is null ? 0 : _pattern.Count(text);

    /// <summary>The text with each occurrence of the name replaced; <paramref name="count"/> grows by the occurrences.</summary>
    public string? Redact(string? text, ref int count)
    {
        var found = Count(text);
        if (found == 0)
        {
            return text;
        }

        count += found;
        return _pattern.Replace(text!, Replacement.Replace("$", "$$"));
    }

    /// <summary>
    /// Redacts every string in a JSON tree in place (an event's data as stored); the paths of the strings changed are added to
    /// <paramref name="paths"/> (<c>title</c>, <c>addressees[1]</c>) and the occurrences to <paramref name="count"/>.
    /// </summary>
    public void RedactJson(JsonNode? node, string path, List<string> paths, ref int count)
    {
        var children = node switch
        {
            JsonObject o => o.Select(p => (Path: path.Length == 0 ? p.Key : $"{path}.{p.Key}", Node: p.Value,
                Set: (Action<string?>)(text => o[p.Key] = text))).ToList(),
            JsonArray a => a.Select((child, i) => (Path: $"{path}[{i}]", Node: child, Set: (Action<string?>)(text => a[i] = text))).ToList(),
            _ => [],
        };
        foreach (var (childPath, child, set) in children)
        {
            if (child is JsonValue value && value.TryGetValue<string>(out var text))
            {
                var before = count;
                var redacted = Redact(text, ref count);
                if (count != before)
                {
                    set(redacted);
                    paths.Add(childPath);
                }
            }
            else
            {
                RedactJson(child, childPath, paths, ref count);
            }
        }
    }
}

/// <summary>An event as stored, with the name redacted from its data: written back over the original by <see cref="EventTextRedaction.QueueRewrite"/>.</summary>
public sealed record RedactedEvent(long Sequence, Guid StreamId, string Type, string Data, IReadOnlyList<string> Paths, int Occurrences);

/// <summary>
/// The name in the event store itself: a module's events (by their type alias prefix, e.g. <c>cases.</c>) whose data holds the
/// name are rewritten in place with the name replaced, so the store, a replay, a rebuild or the record's history show it no
/// more. Events are otherwise never changed; this is the one exception the right to erasure makes. The module also appends
/// an event saying what was redacted (with the new values) so that its read models follow at once and the change feed
/// tells integrators to read the record again.
/// </summary>
public static class EventTextRedaction
{
    /// <summary>The events of the module whose types start with <paramref name="typePrefix"/> that name the person, redacted.</summary>
    /// <param name="more">What else the module redacts in an event's data (type alias, data already redacted): the
    /// occurrences it found (a slug, say), and it may render again what derives from the text (an HTML body).</param>
    public static async Task<IReadOnlyList<RedactedEvent>> FindAsync(
        IQuerySession session, string typePrefix, NameRedaction redaction, CancellationToken cancellationToken,
        Func<string, JsonObject, int, int>? more = null)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var rows = await session.AdvancedSql.QueryAsync<string>(
            "select jsonb_build_object('seq', seq_id, 'stream', stream_id, 'type', type, 'data', data)::text " +
            $"from {schema}.mt_events where type like ? and data::text ilike ? order by seq_id",
            cancellationToken, typePrefix.Replace("_", @"\_") + "%", redaction.LikePattern);
        var found = new List<RedactedEvent>();
        foreach (var row in rows)
        {
            var node = JsonNode.Parse(row)!.AsObject();
            var data = node["data"];
            var paths = new List<string>();
            var count = 0;
            redaction.RedactJson(data, "", paths, ref count);
            if (more is not null && data is JsonObject fields)
            {
                count += more(node["type"]!.GetValue<string>(), fields, count);
            }

            if (count > 0)
            {
                found.Add(new RedactedEvent(
                    node["seq"]!.GetValue<long>(), Guid.Parse(node["stream"]!.GetValue<string>()), node["type"]!.GetValue<string>(),
                    data!.ToJsonString(), paths, count));
            }
        }

        return found;
    }

    /// <summary>Writes the redacted events over the originals, in the session's transaction.</summary>
    public static void QueueRewrite(IDocumentSession session, IEnumerable<RedactedEvent> events)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        foreach (var e in events)
        {
            session.QueueSqlCommand($"update {schema}.mt_events set data = ?::jsonb where seq_id = ?", e.Data, e.Sequence);
        }
    }
}
