using System.Globalization;
using System.Text.Json;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Digests.Subscriptions;

namespace Omct.Platform.Digests.Composing;

/// <summary>
/// Removes an erased defender's name from every stored digest, inline: on
/// <see cref="DefenderPersonalDataErased"/> (a contract event of the defenders module) each digest whose
/// <c>defender_ids</c> holds the defender is rendered again without the name (<see cref="DigestErasure"/>)
/// and written back in the erasure's own transaction, so no read after the erasure — the API, a
/// webhook or e-mail not yet sent, a rebuild — finds the name in a digest. The erasure is also recorded
/// (<see cref="DigestStore.ErasedTable"/>) for a digest being composed at that moment.
/// Deliveries not yet made are not cancelled: they read the digest when they are sent, so they carry
/// the text without the name, and the recipient still gets the rest of the digest (cases, deadlines, calls)
/// it is there for — cancelling would lose that and, by the gap, hint that someone was erased.
/// Nothing here is torn down on a rebuild: the digests are not this projection's output, only corrected by it,
/// and replaying an erasure finds nothing left to remove.
/// </summary>
internal sealed class DigestErasureProjection(string schema) : IProjection
{
    public const string Name = "DigestErasure";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var erasures = events.Select(e => e.Data).OfType<DefenderPersonalDataErased>().ToList();
        if (erasures.Count == 0)
        {
            return;
        }

        // Marten runs this before the erasure's transaction begins and reads on connections of its own: what is read here
        // is not locked, and only the queued commands run in the erasure's transaction. So the commands take the lock
        // (exclusive against the DIGEST job's insert, see DigestStore.InsertNewAsync) and update a digest only when it is
        // still the revision read here; a last check fails the erasure — it is rolled back whole, the person is not
        // erased and the erasure can be made again — when any digest still names the defender (one stored or changed
        // in between), rather than let the erasure commit with a name left behind.
        operations.QueueSqlCommand(DigestStore.ExclusiveErasureLock(schema));
        foreach (var erasure in erasures)
        {
            operations.QueueSqlCommand(
                $"insert into {schema}.{DigestStore.ErasedTable} (defender_id, erased_at) values (?, ?) on conflict (defender_id) do nothing",
                erasure.DefenderId, erasure.ErasedAt.ToUniversalTime());
        }

        var ids = erasures.Select(e => e.DefenderId).Distinct().ToArray();
        var rows = await operations.AdvancedSql.QueryAsync<string>($"{SelectSql(schema)} where defender_ids && ?", cancellation, ids);
        foreach (var row in rows)
        {
            var (read, revision) = Parse(row);
            QueueUpdate(operations, schema, DigestErasure.Erase(read, ids), revision);
        }

        // One statement, no semicolons (Marten batches the commands), and no rows returned (an operation of the batch
        // reading its own result would read them instead): a digest still naming the defender makes the cast fail,
        // which fails the erasure's transaction; none, and it inserts nothing.
        operations.QueueSqlCommand(
            $"insert into {schema}.{DigestStore.ErasedTable} (defender_id, erased_at) " +
            $"select ('digest ' || id::text || ' still names an erased defender: erase again')::uuid, now() from {schema}.{DigestStore.DigestTable} " +
            "where defender_ids && ? limit 1", (object)ids);
    }

    /// <summary>The stored digests as one JSON text per row (for <see cref="Parse"/>): what an inline projection can read.</summary>
    internal static string SelectSql(string schema) =>
        "select jsonb_build_object('id', id, 'subscriptionId', subscription_id, 'subscriptionName', subscription_name, 'period', period, " +
        "'from', from_day, 'to', to_day, 'audience', audience, 'generatedAt', generated_at, 'sections', sections, 'revision', revision)::text " +
        $"from {schema}.{DigestStore.DigestTable}";

    /// <summary>Writes a corrected digest back, only if it is still at the revision read (else the transaction's last check fails).</summary>
    internal static void QueueUpdate(IDocumentOperations operations, string schema, Digest digest, int revision) =>
        operations.QueueSqlCommand(
            $"update {schema}.{DigestStore.DigestTable} set markdown = ?, html = ?, sections = ?::jsonb, defender_ids = ?, revision = revision + 1 " +
            "where id = ? and revision = ?",
            digest.Markdown, digest.Html, JsonSerializer.Serialize(digest.Sections, DigestStore.Json), DigestErasure.DefendersNamed(digest), digest.Id, revision);

    internal static (Digest Digest, int Revision) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var d = document.RootElement;
        string Text(string name) => d.GetProperty(name).GetString()!;
        return (new Digest(
            d.GetProperty("id").GetGuid(), d.GetProperty("subscriptionId").GetGuid(), Text("subscriptionName"), Enum.Parse<DigestPeriod>(Text("period")),
            DateOnly.Parse(Text("from"), CultureInfo.InvariantCulture), DateOnly.Parse(Text("to"), CultureInfo.InvariantCulture),
            Enum.Parse<Confidentiality>(Text("audience")), d.GetProperty("generatedAt").GetDateTimeOffset(), "", "",
            d.GetProperty("sections").Deserialize<List<DigestSection>>(DigestStore.Json) ?? []), d.GetProperty("revision").GetInt32());
    }
}
