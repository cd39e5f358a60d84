using Marten;
using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Storage;

namespace Omct.Platform.Integration.ChangeFeed;

internal enum ChangeKind { Created, Updated, Deleted, Redacted }

/// <summary>One change as a caller sees it. A REDACTED change carries no version and no time.</summary>
internal sealed record Change(string Cursor, long Sequence, string EntityType, string EntityId, ChangeKind Kind, int? Version, DateTimeOffset? OccurredAt);

/// <summary>A page of the feed. <see cref="EndCursor"/> is where to go on from, also when the page is empty.</summary>
internal sealed record ChangePage(IReadOnlyList<Change> Changes, bool HasNextPage, string EndCursor);

/// <summary>
/// Reads the change feed for one caller, from a cursor: gap-free across transactions that commit
/// out of sequence order, each change once, within the caller's clearance now. Stateless and
/// caller-agnostic, so the GraphQL field and the webhook dispatcher (following the feed per
/// webhook with the caller that registered it) use the same reader. See <c>ChangeFeed/README.md</c>.
/// </summary>
internal sealed class ChangeFeedReader(IDocumentStore store, FeedCatalog catalog)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1_000;

    /// <summary>Rows looked at per request at most; past it a page ends early (hasNextPage, endCursor past the hidden rows).</summary>
    public const int ScanBudget = 20_000;

    /// <summary>New snapshots taken per request at most (each bucket exhausted takes one).</summary>
    public const int MaxSnapshotsPerRequest = 16;

    private const int MinChunk = 200;

    private readonly string _schema = store.Options.DatabaseSchemaName;

    /// <summary>The page size for <c>first</c>: default 100, at most 1,000.</summary>
    public static int PageSize(int? first) => first switch
    {
        null => DefaultPageSize,
        < 0 => throw DomainException.Validation("first", "first must not be negative."),
        > MaxPageSize => throw DomainException.LimitExceeded($"first may be at most {MaxPageSize}."),
        _ => first.Value,
    };

    /// <summary>
    /// Up to <paramref name="first"/> changes after <paramref name="after"/> (null: from the
    /// beginning) of <paramref name="entityTypes"/> (null or empty: all) that <paramref name="caller"/> may see.
    /// </summary>
    public async Task<ChangePage> ReadAsync(string? after, int first, IReadOnlyCollection<string>? entityTypes, Caller caller, CancellationToken ct)
    {
        var entries = Entries(entityTypes);
        var filter = Fingerprint(entries);
        var position = after is null ? FeedPosition.Start : FeedPosition.Decode(after);
        if (position.Bucket is not null && position.Filter != filter)
        {
            throw DomainException.Validation("after", "The cursor was read with other entityTypes; go on with the same entityTypes.");
        }

        if (first == 0)
        {
            return new ChangePage([], true, position.Encode());
        }

        await using var connection = await store.OpenConnectionAsync(ct);
        var changes = new List<Change>(Math.Min(first, MaxPageSize));
        var streamTypes = entries.Select(e => e.StreamType).ToArray();
        var scanned = 0;
        var snapshots = 0;
        while (true)
        {
            var fresh = false;
            if (position.Bucket is null)
            {
                var now = await CurrentSnapshotAsync(connection, ct);
                if (position.Seen.Xmax > now.Xmax)
                {
                    // A snapshot from the future: a cursor of another database (or made up). Following it would skip changes.
                    throw DomainException.Validation("after", "The cursor is not valid.");
                }

                if (now.SameAs(position.Seen))
                {
                    return new ChangePage(changes, false, position.Encode());
                }

                if (++snapshots > MaxSnapshotsPerRequest)
                {
                    // Writers keep committing: hand out what this request found and let the client come back.
                    return new ChangePage(changes, true, position.Encode());
                }

                position = new FeedPosition(position.Seen, now, 0, filter);
                fresh = true;
            }

            var want = Math.Max(first + 1 - changes.Count, MinChunk);
            var rows = await ReadBucketAsync(connection, position, streamTypes, want, ct);
            var classified = await ClassifyAsync(rows, caller, ct);
            for (var i = 0; i < rows.Count; i++)
            {
                scanned++;
                if (classified[i] is not { } change)
                {
                    position = position with { AfterSequence = rows[i].Sequence };
                    continue;
                }

                if (changes.Count == first)
                {
                    // One more visible change exists: the page ends at the last one handed out.
                    return new ChangePage(changes, true, changes[^1].Cursor);
                }

                position = position with { AfterSequence = rows[i].Sequence };
                changes.Add(change with { Cursor = position.Encode() });
            }

            if (rows.Count < want)
            {
                // The bucket is exhausted: everything its snapshot sees has been looked at.
                position = FeedPosition.At(position.Bucket!);
                if (fresh && rows.Count == 0)
                {
                    // A snapshot taken just now has nothing new: drained. (Transaction ids are per cluster, so
                    // two snapshots in a row often differ on a busy server even when this database has no new event.)
                    return new ChangePage(changes, false, position.Encode());
                }
            }
            else if (scanned >= ScanBudget)
            {
                return new ChangePage(changes, true, position.Encode());
            }
        }
    }

    /// <summary>
    /// The feed as it stands now, as a cursor: every change committed so far counts as handed out, so
    /// reading on from it yields only later ones (where a new webhook starts by default).
    /// </summary>
    public async Task<string> HeadAsync(CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        return FeedPosition.At(await CurrentSnapshotAsync(connection, ct)).Encode();
    }

    /// <summary>
    /// Refuses (VALIDATION on <c>after</c>) a cursor that <see cref="ReadAsync"/> would refuse with these
    /// entity types, or whose snapshot lies in this database's future (a cursor of another database).
    /// </summary>
    public async Task CheckCursorAsync(string after, IReadOnlyCollection<string>? entityTypes, CancellationToken ct)
    {
        var position = FeedPosition.Decode(after);
        if (position.Bucket is not null && position.Filter != Fingerprint(Entries(entityTypes)))
        {
            throw DomainException.Validation("after", "The cursor was read with other entityTypes; go on with the same entityTypes.");
        }

        await using var connection = await store.OpenConnectionAsync(ct);
        if ((position.Bucket ?? position.Seen).Xmax > (await CurrentSnapshotAsync(connection, ct)).Xmax)
        {
            throw DomainException.Validation("after", "The cursor is not valid.");
        }
    }

    /// <summary>
    /// Whether a cursor may be read on with any entity types: true between buckets (the start, an
    /// export's cursor, the end of a drained read); inside a bucket only with the types it was read with.
    /// </summary>
    public static bool AcceptsAnyFilter(string cursor) => FeedPosition.Decode(cursor).Bucket is null;

    private IReadOnlyList<FeedEntry> Entries(IReadOnlyCollection<string>? entityTypes)
    {
        if (entityTypes is null || entityTypes.Count == 0)
        {
            return catalog.All;
        }

        return [.. entityTypes.Distinct().Select(name => catalog.ByName.GetValueOrDefault(name)
                                                          ?? throw DomainException.Validation("entityTypes", $"'{name}' is not an entity type."))
            .OrderBy(e => e.Type.Name, StringComparer.Ordinal)];
    }

    /// <summary>0 for every type; otherwise a hash of the sorted names (what a mid-bucket cursor was read with).</summary>
    private uint Fingerprint(IReadOnlyList<FeedEntry> entries) =>
        entries.Count == catalog.All.Count
            ? 0
            : Math.Max(1u, Fnv1a(string.Join(',', entries.Select(e => e.Type.Name))));

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * 16777619u;
        }

        return hash;
    }

    internal static async Task<PgSnapshot> CurrentSnapshotAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select pg_current_snapshot()::text", connection);
        return PgSnapshot.Parse((string)(await command.ExecuteScalarAsync(ct))!);
    }

    private sealed record Row(long Sequence, Guid StreamId, long Version, string EventType, DateTimeOffset Timestamp, FeedEntry Entry, object? Data);

    /// <summary>
    /// The rest of the current bucket, in sequence order: events whose transaction the bucket's
    /// snapshot sees and the older snapshot does not. Every such transaction id lies in
    /// [xmin(seen), xmax(bucket)), the range the tx index is scanned in; the sequence primary key
    /// gives the order.
    /// </summary>
    private async Task<List<Row>> ReadBucketAsync(NpgsqlConnection connection, FeedPosition position, string[] streamTypes, int limit, CancellationToken ct)
    {
        var sql =
            $"select c.seq_id, e.stream_id, e.version, e.type, e.timestamp, s.type, case when e.type = any($5) then e.data end " +
            $"from {_schema}.{ChangeCapture.TableName} c " +
            $"join {_schema}.mt_events e on e.seq_id = c.seq_id " +
            $"join {_schema}.mt_streams s on s.id = e.stream_id " +
            "where c.tx >= pg_snapshot_xmin($1::pg_snapshot) and c.tx < pg_snapshot_xmax($2::pg_snapshot) " +
            "and pg_visible_in_snapshot(c.tx, $2::pg_snapshot) and not pg_visible_in_snapshot(c.tx, $1::pg_snapshot) " +
            // e.seq_id > $3 repeats c.seq_id > $3: PostgreSQL does not carry an inequality across the join, and without it a
            // merge join reads mt_events from its first row (a page deep into the first bucket: 1.9 s instead of milliseconds).
            "and c.seq_id > $3 and e.seq_id > $3 and s.type = any($4) " +
            "order by c.seq_id limit $6";
        await using var command = new NpgsqlCommand(sql, connection)
        {
            Parameters =
            {
                new() { Value = position.Seen.ToString(), NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = position.Bucket!.ToString(), NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = position.AfterSequence },
                new() { Value = streamTypes },
                new() { Value = catalog.VisibilityEventNames },
                new() { Value = limit },
            },
        };
        var serializer = store.Options.Serializer();
        var rows = new List<Row>(limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var entry = catalog.ByStreamType[reader.GetString(5)];
            var eventType = reader.GetString(3);
            var data = !reader.IsDBNull(6) && entry.VisibilityEvents.TryGetValue(eventType, out var clrType)
                ? serializer.FromJson(clrType, reader, 6)
                : null;
            rows.Add(new Row(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), eventType,
                reader.GetFieldValue<DateTimeOffset>(4), entry, data));
        }

        return rows;
    }

    /// <summary>
    /// What the caller sees of each row: an entity it may see now shows every change (CREATED for
    /// the stream's first event, DELETED for its deleting events, UPDATED otherwise); of an entity
    /// it may not see, only the event that took it out of the caller's sight shows, as REDACTED.
    /// One visibility query per entity type for the rows.
    /// </summary>
    private async Task<Change?[]> ClassifyAsync(List<Row> rows, Caller caller, CancellationToken ct)
    {
        var visible = new Dictionary<FeedEntry, IReadOnlySet<Guid>>();
        foreach (var group in rows.GroupBy(r => r.Entry))
        {
            var ids = group.Select(r => r.StreamId).Distinct().ToList();
            visible[group.Key] = await group.Key.Source.VisibleAsync(group.Key.Type, ids, caller, ct);
        }

        var result = new Change?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var entry = row.Entry;
            var id = GlobalId.Encode(entry.Type.GlobalIdType, row.StreamId);
            if (entry.SilentEvents.Contains(row.EventType))
            {
                continue; // not a change of the entity (a notice to other modules next to one the feed lists)
            }

            if (visible[entry].Contains(row.StreamId))
            {
                var kind = entry.DeletingEvents.Contains(row.EventType) ? ChangeKind.Deleted
                    : row.Version == 1 ? ChangeKind.Created
                    : ChangeKind.Updated;
                result[i] = new Change("", row.Sequence, entry.Type.Name, id, kind, (int)row.Version, row.Timestamp);
            }
            else if (row.Data is not null && entry.Source.LostSight(entry.Type, row.Data, caller))
            {
                result[i] = new Change("", row.Sequence, entry.Type.Name, id, ChangeKind.Redacted, null, null);
            }
        }

        return result;
    }
}
