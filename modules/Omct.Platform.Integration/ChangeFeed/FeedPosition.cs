using System.Buffers.Text;
using Omct.Platform.BuildingBlocks.Errors;

namespace Omct.Platform.Integration.ChangeFeed;

/// <summary>
/// Where a reader of the change feed stands, as a cursor says it (see <c>ChangeFeed/README.md</c>):
/// every event visible in snapshot <see cref="Seen"/> has been handed out; of the events visible in
/// <see cref="Bucket"/> but not in <see cref="Seen"/> (the current bucket), those with a sequence
/// number up to <see cref="AfterSequence"/>. Without a bucket, nothing beyond <see cref="Seen"/>
/// has been handed out and the next read takes a new snapshot.
/// </summary>
/// <param name="Filter">
/// A fingerprint of the entity types the position was read with (0: all). Only a position inside a
/// bucket depends on it: the rows of other types up to <see cref="AfterSequence"/> were not looked at.
/// </param>
internal sealed record FeedPosition(PgSnapshot Seen, PgSnapshot? Bucket, long AfterSequence, uint Filter)
{
    private const byte Version = 1;
    private const int MaxCursorLength = 16_384;

    /// <summary>The beginning of the feed: nothing handed out.</summary>
    public static FeedPosition Start { get; } = new(PgSnapshot.Empty, null, 0, 0);

    /// <summary>Everything visible in <paramref name="snapshot"/> has been handed out (an export's position).</summary>
    public static FeedPosition At(PgSnapshot snapshot) => new(snapshot, null, 0, 0);

    public string Encode()
    {
        var buffer = new List<byte>(32) { Version };
        WriteVarint(buffer, Filter);
        WriteSnapshot(buffer, Seen, writeXmin: true);
        if (Bucket is null)
        {
            buffer.Add(0);
        }
        else
        {
            buffer.Add(1);
            WriteSigned(buffer, (long)(Bucket.Xmin - Seen.Xmin));
            WriteSnapshot(buffer, Bucket, writeXmin: false);
            WriteVarint(buffer, (ulong)AfterSequence);
        }

        return Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>The position a cursor stands for; VALIDATION on <c>after</c> for anything that is not one of ours.</summary>
    public static FeedPosition Decode(string cursor)
    {
        if (TryDecode(cursor) is { } position)
        {
            return position;
        }

        throw DomainException.Validation("after", "The cursor is not valid.");
    }

    private static FeedPosition? TryDecode(string cursor)
    {
        if (string.IsNullOrEmpty(cursor) || cursor.Length > MaxCursorLength)
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(cursor.Length)];
        if (Base64Url.DecodeFromChars(cursor, bytes, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }

        var reader = new Reader(bytes.AsSpan(0, written).ToArray());
        try
        {
            if (reader.Byte() != Version)
            {
                return null;
            }

            var filter = reader.Varint();
            if (filter > uint.MaxValue)
            {
                return null;
            }

            var seen = reader.Snapshot(null);
            FeedPosition position;
            switch (reader.Byte())
            {
                case 0:
                    position = new FeedPosition(seen, null, 0, (uint)filter);
                    break;
                case 1:
                    var xmin = (ulong)((long)seen.Xmin + reader.Signed());
                    var bucket = reader.Snapshot(xmin);
                    var after = reader.Varint();
                    if (after > long.MaxValue || bucket.Xmax < seen.Xmax)
                    {
                        return null;
                    }

                    position = new FeedPosition(seen, bucket, (long)after, (uint)filter);
                    break;
                default:
                    return null;
            }

            return reader.AtEnd && seen.IsWellFormed() && position.Bucket?.IsWellFormed() != false ? position : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void WriteSnapshot(List<byte> buffer, PgSnapshot snapshot, bool writeXmin)
    {
        if (writeXmin)
        {
            WriteVarint(buffer, snapshot.Xmin);
        }

        WriteVarint(buffer, snapshot.Xmax - snapshot.Xmin);
        WriteVarint(buffer, (ulong)snapshot.InProgress.Count);
        var previous = snapshot.Xmin;
        foreach (var xid in snapshot.InProgress)
        {
            WriteVarint(buffer, xid - previous);
            previous = xid;
        }
    }

    private static void WriteSigned(List<byte> buffer, long value) => WriteVarint(buffer, (ulong)((value << 1) ^ (value >> 63)));

    private static void WriteVarint(List<byte> buffer, ulong value)
    {
        while (value >= 0x80)
        {
            buffer.Add((byte)(value | 0x80));
            value >>= 7;
        }

        buffer.Add((byte)value);
    }

    private sealed class Reader(byte[] bytes)
    {
        private int _at;

        public bool AtEnd => _at == bytes.Length;

        public byte Byte() => _at < bytes.Length ? bytes[_at++] : throw new FormatException();

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new FormatException();
        }

        public long Signed()
        {
            var raw = Varint();
            return (long)(raw >> 1) ^ -(long)(raw & 1);
        }

        public PgSnapshot Snapshot(ulong? xmin)
        {
            var min = xmin ?? Varint();
            var span = Varint();
            var count = Varint();
            if (count > PgSnapshot.MaxInProgress || min > ulong.MaxValue - span)
            {
                throw new FormatException();
            }

            var inProgress = new ulong[count];
            var previous = min;
            for (var i = 0; i < inProgress.Length; i++)
            {
                var delta = Varint();
                if (delta > ulong.MaxValue - previous)
                {
                    throw new FormatException();
                }

                previous += delta;
                inProgress[i] = previous;
            }

            return new PgSnapshot(min, min + span, inProgress);
        }
    }
}
