using System.Buffers.Binary;
using System.Security.Cryptography;
using Marten;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.BuildingBlocks.Storage;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.Files.Storage;

/// <summary>
/// The files in the platform's own database (one database to back up): table <c>files_chunk</c>, one row per chunk of
/// at most 1 MiB, each chunk sealed with AES-256-GCM under the file's key with a fresh random nonce (a rewritten chunk
/// gets a new one) and the file id and chunk index as associated data — a chunk copied to another place or file does not
/// decrypt. The key is the platform's <see cref="PersonalDataKey"/> (the defenders' mechanism): destroying it
/// (<see cref="DestroyKeyAsync"/>) makes every stored chunk, and every copy of it in a backup, unreadable.
/// Scoped: a request reads the file's key once.
/// </summary>
internal sealed class PostgresFileStore(IDocumentStore store, TimeProvider time) : IFileStore
{
    public const string TableName = "files_chunk";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    // The keys this scope (one request) has read: a file's chunks are read one after the other. Never kept longer, so
    // that a destroyed key is gone for every later request on every node.
    private readonly Dictionary<Guid, PersonalDataKey> _keys = [];

    private string Table => $"{store.Options.DatabaseSchemaName}.{TableName}";

#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
    public static Weasel.Core.ISchemaObject SchemaObject(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName));
#pragma warning restore CS0618
        table.AddColumn<Guid>("file_id").AsPrimaryKey();
        table.AddColumn<int>("chunk_index").AsPrimaryKey();
        table.AddColumn("nonce", "bytea").NotNull();
        table.AddColumn("sealed", "bytea").NotNull();
        return table;
    }

    public async Task CreateAsync(Guid fileId, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Store(PersonalData.NewKey(fileId, time.GetUtcNow()));
        await session.SaveChangesAsync(ct);
    }

    public async Task WriteChunkAsync(Guid fileId, int index, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        if (content.Length is 0 or > IFileStore.ChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(content), "A chunk holds 1 byte to 1 MiB.");
        }

        var key = await KeyAsync(fileId, ct) ?? throw new FileIntegrityException("The file's key is gone.");
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var sealedBytes = new byte[content.Length + TagSize];
        using (var aes = new AesGcm(key.Key, TagSize))
        {
            aes.Encrypt(nonce, content.Span, sealedBytes.AsSpan(0, content.Length), sealedBytes.AsSpan(content.Length), AssociatedData(fileId, index));
        }

        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = connection.Sql(
                $"insert into {Table} (file_id, chunk_index, nonce, sealed) values (@file, @index, @nonce, @sealed) " +
                "on conflict (file_id, chunk_index) do update set nonce = excluded.nonce, sealed = excluded.sealed")
            .Bind("file", fileId).Bind("index", index).Bind("nonce", nonce).Bind("sealed", sealedBytes);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<byte[]?> ReadChunkAsync(Guid fileId, int index, CancellationToken ct)
    {
        byte[] nonce, sealedBytes;
        await using (var connection = await store.OpenConnectionAsync(ct))
        {
            await using var command = connection.Sql($"select nonce, sealed from {Table} where file_id = @file and chunk_index = @index")
                .Bind("file", fileId).Bind("index", index);
            var row = await command.ReadFirstAsync(r => ((byte[])r[0], (byte[])r[1]), ct);
            if (row == default)
            {
                return null;
            }

            (nonce, sealedBytes) = row;
        }

        var key = await KeyAsync(fileId, ct) ?? throw new FileIntegrityException("The file's key is gone: its content cannot be read.");
        if (nonce.Length != NonceSize || sealedBytes.Length <= TagSize)
        {
            throw new FileIntegrityException($"Chunk {index} of the file is damaged.");
        }

        var length = sealedBytes.Length - TagSize;
        var content = new byte[length];
        try
        {
            using var aes = new AesGcm(key.Key, TagSize);
            aes.Decrypt(nonce, sealedBytes.AsSpan(0, length), sealedBytes.AsSpan(length), content, AssociatedData(fileId, index));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new FileIntegrityException($"Chunk {index} of the file does not verify: it was changed, moved or damaged in storage.");
        }

        return content;
    }

    public async Task DeleteAsync(Guid fileId, CancellationToken ct)
    {
        await using (var connection = await store.OpenConnectionAsync(ct))
        {
            await using var command = connection.Sql($"delete from {Table} where file_id = @file").Bind("file", fileId);
            await command.ExecuteNonQueryAsync(ct);
        }

        await DestroyKeyAsync(fileId, ct);
    }

    public async Task DestroyKeyAsync(Guid fileId, CancellationToken ct)
    {
        _keys.Remove(fileId);
        await using var session = store.LightweightSession();
        session.Delete<PersonalDataKey>(fileId);
        await session.SaveChangesAsync(ct);
    }

    private async Task<PersonalDataKey?> KeyAsync(Guid fileId, CancellationToken ct)
    {
        if (_keys.TryGetValue(fileId, out var known))
        {
            return known;
        }

        await using var session = store.QuerySession();
        var key = await session.KeyOfAsync(fileId, ct);
        if (key is not null)
        {
            _keys[fileId] = key;
        }

        return key;
    }

    /// <summary>The file id and the chunk's index (big-endian): a chunk decrypts only where it was written.</summary>
    private static byte[] AssociatedData(Guid fileId, int index)
    {
        var data = new byte[20];
        fileId.TryWriteBytes(data);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(16), index);
        return data;
    }
}
