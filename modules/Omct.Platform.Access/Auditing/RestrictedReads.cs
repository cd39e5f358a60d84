using System.Threading.Channels;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Access.Auditing;

/// <summary>One read of a <c>RESTRICTED</c> value: who read which field of which record, when, in which request.</summary>
public sealed class RestrictedRead
{
    public Guid Id { get; set; }
    public Guid? EntityId { get; set; }
    public string Field { get; set; } = "";
    public string? CallerId { get; set; }
    public string CallerName { get; set; } = "";
    public string? TraceId { get; set; }
    public DateTimeOffset ReadAt { get; set; }
}

/// <summary>
/// Queues reads of <c>RESTRICTED</c> values without slowing the request, and writes them in
/// batches (<see cref="RestrictedReadWriter"/>). A read is never dropped silently: the queue is
/// bounded and, when full, the request waits for room rather than losing the record.
/// </summary>
internal sealed class RestrictedReadRecorder(TimeProvider time) : IRestrictedReadRecorder
{
    private readonly Channel<RestrictedRead> _queue = Channel.CreateBounded<RestrictedRead>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelReader<RestrictedRead> Reader => _queue.Reader;

    // Reads queued and reads saved since the start, and who waits for a count to be saved (WrittenAsync).
    private long _queued;
    private long _written;
    private readonly List<(long Count, TaskCompletionSource Done)> _waiters = [];

    private long _lastMicroseconds;

    /// <summary>
    /// Now, in whole microseconds (what PostgreSQL keeps), and later than every read recorded before in this process:
    /// two reads never share a time, so the audit trail's keyset position (see <see cref="AuditTrail"/>) tells them apart.
    /// </summary>
    private DateTimeOffset NextReadAt()
    {
        var now = (time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        long last, next;
        do
        {
            last = Interlocked.Read(ref _lastMicroseconds);
            next = Math.Max(now, last + 1);
        }
        while (Interlocked.CompareExchange(ref _lastMicroseconds, next, last) != last);

        return DateTimeOffset.UnixEpoch.AddTicks(next * 10);
    }

    public void Record(Caller caller, string field, Guid? entityId)
    {
        var read = new RestrictedRead
        {
            Id = Guid.CreateVersion7(),
            EntityId = entityId,
            Field = field,
            CallerId = caller.Id,
            CallerName = caller.Name,
            TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString(),
            ReadAt = NextReadAt(),
        };
        if (!_queue.Writer.TryWrite(read))
        {
            _queue.Writer.WriteAsync(read).AsTask().GetAwaiter().GetResult();
        }

        Interlocked.Increment(ref _queued);
    }

    public Task WrittenAsync(CancellationToken cancellationToken = default)
    {
        var count = Interlocked.Read(ref _queued);
        lock (_waiters)
        {
            if (_written >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Called by the writer once <paramref name="count"/> more reads are saved: completes the waiters they reach.</summary>
    internal void Saved(int count)
    {
        lock (_waiters)
        {
            _written += count;
            _waiters.RemoveAll(w =>
            {
                if (w.Count > _written)
                {
                    return false;
                }

                w.Done.TrySetResult();
                return true;
            });
        }
    }
}

internal sealed class RestrictedReadWriter(RestrictedReadRecorder recorder, IDocumentStore store, ILogger<RestrictedReadWriter> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (_pending.Count > 0 || await recorder.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down: write what is left below
        }

        for (var attempt = 0; attempt < 3 && (_pending.Count > 0 || recorder.Reader.Count > 0); attempt++)
        {
            await WriteAsync(CancellationToken.None);
        }
    }

    private readonly List<RestrictedRead> _pending = [];

    /// <summary>Writes up to 500 queued reads; on failure keeps them for the next attempt.</summary>
    private async Task WriteAsync(CancellationToken ct)
    {
        while (_pending.Count < 500 && recorder.Reader.TryRead(out var read))
        {
            _pending.Add(read);
        }

        if (_pending.Count == 0)
        {
            return;
        }

        try
        {
            await using var session = store.LightweightSession();
            session.Insert(_pending.ToArray());
            await session.SaveChangesAsync(ct);
            recorder.Saved(_pending.Count);
            _pending.Clear();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Could not write {Count} audit records of restricted reads; retrying", _pending.Count);
            await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
        }
    }
}

/// <summary>The recorded reads of an entity, from the documents <see cref="RestrictedReadWriter"/> saves (by their entity id index).</summary>
internal sealed class RecordedReads(IDocumentStore store) : IRecordedReads
{
    public async Task<IReadOnlyList<RecordedRead>> OfEntityAsync(Guid entityId, IReadOnlyCollection<string> fields, CancellationToken cancellationToken)
    {
        var wanted = fields.ToArray();
        await using var session = store.QuerySession();
        var reads = await session.Query<RestrictedRead>().Where(r => r.EntityId == entityId && wanted.Contains(r.Field))
            .OrderBy(r => r.ReadAt).Take(10_000).ToListAsync(cancellationToken);
        return reads.Select(r => new RecordedRead(r.Field, r.CallerId, r.TraceId, r.ReadAt)).ToList();
    }
}
