namespace Omct.Platform.Files.Storage;

/// <summary>
/// A stored file as a read-only, seekable stream: one decrypted chunk in memory at a time (what a ZIP reader or an
/// image decoder needs without the whole file). Reads throw <see cref="FileIntegrityException"/> on a chunk that does
/// not verify or is missing.
/// </summary>
internal sealed class StoredContentStream(IFileStore store, Guid fileId, long length) : Stream
{
    private byte[]? _chunk;
    private int _chunkIndex = -1;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= length || buffer.IsEmpty)
        {
            return 0;
        }

        var index = (int)(_position / IFileStore.ChunkSize);
        if (index != _chunkIndex)
        {
            // Synchronous callers (ZipArchive) get the chunk synchronously; the store is asynchronous underneath.
            _chunk = store.ReadChunkAsync(fileId, index, CancellationToken.None).GetAwaiter().GetResult()
                     ?? throw new FileIntegrityException($"Chunk {index} of the file is missing.");
            _chunkIndex = index;
        }

        var within = (int)(_position % IFileStore.ChunkSize);
        var available = Math.Min(_chunk!.Length - within, (int)Math.Min(int.MaxValue, length - _position));
        if (available <= 0)
        {
            throw new FileIntegrityException($"Chunk {index} of the file is shorter than recorded.");
        }

        var count = Math.Min(available, buffer.Length);
        _chunk.AsSpan(within, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var index = (int)(_position / IFileStore.ChunkSize);
        if (_position < length && index != _chunkIndex)
        {
            _chunk = await store.ReadChunkAsync(fileId, index, cancellationToken) ?? throw new FileIntegrityException($"Chunk {index} of the file is missing.");
            _chunkIndex = index;
        }

        return Read(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush() { }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
