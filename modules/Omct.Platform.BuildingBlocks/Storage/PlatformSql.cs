using Marten;
using Npgsql;
using NpgsqlTypes;

namespace Omct.Platform.BuildingBlocks.Storage;

/// <summary>
/// The plumbing of the stores that stay hand-written for good reasons (GIN arrays, change capture, row locks,
/// batches): open a connection to the platform's database, write parameters by name (<c>@name</c> in the text),
/// read the rows, and page newest or oldest first by <c>order_key</c> (keyset paging).
/// </summary>
public static class PlatformSql
{
    /// <summary>An open connection to the platform's database (Marten's), for the caller to dispose.</summary>
    public static async Task<NpgsqlConnection> OpenConnectionAsync(this IDocumentStore store, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A command on <paramref name="connection"/> (in <paramref name="transaction"/> when given), its parameters named in the text (<c>@id</c>).</summary>
    public static NpgsqlCommand Sql(this NpgsqlConnection connection, string text, NpgsqlTransaction? transaction = null) =>
        new(text, connection, transaction);

    /// <summary>Adds the parameter <c>@<paramref name="name"/></c> (null is SQL null).</summary>
    public static NpgsqlCommand Bind(this NpgsqlCommand command, string name, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        return command;
    }

    /// <summary>Adds the parameter <c>@<paramref name="name"/></c> of a given type (a null that the statement compares, an array of text).</summary>
    public static NpgsqlCommand Bind(this NpgsqlCommand command, string name, object? value, NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }

    /// <summary>Adds the names of <paramref name="values"/> as the text array <c>@<paramref name="name"/></c> (enum values stored by name: <c>= any(@levels)</c>).</summary>
    public static NpgsqlCommand BindNames<T>(this NpgsqlCommand command, string name, IEnumerable<T> values)
        where T : struct, Enum => command.Bind(name, values.Select(v => v.ToString()).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);

    /// <summary>
    /// Adds <paramref name="value"/> under a name of its own and returns the placeholder (<c>@p3</c>), for a
    /// statement whose conditions are put together as it goes.
    /// </summary>
    public static string Parameter(this NpgsqlCommand command, object? value, NpgsqlDbType? type = null)
    {
        var name = $"p{command.Parameters.Count + 1}";
        if (type is { } t)
        {
            command.Bind(name, value, t);
        }
        else
        {
            command.Bind(name, value);
        }

        return "@" + name;
    }

    /// <summary>
    /// One keyset page by <c>order_key</c>: <paramref name="selectWhere"/> (a <c>select … from … where …</c>) after
    /// <paramref name="afterKey"/> (the last key of the previous page) in the given order, at most <paramref name="take"/> rows.
    /// </summary>
    public static NpgsqlCommand KeysetPage(this NpgsqlCommand command, string selectWhere, long? afterKey, int take, bool newestFirst = true)
    {
        var after = afterKey is { } key ? $" and order_key {(newestFirst ? "<" : ">")} {command.Parameter(key)}" : "";
        command.CommandText = $"{selectWhere}{after} order by order_key {(newestFirst ? "desc" : "asc")} limit {command.Parameter(take)}";
        return command;
    }

    /// <summary>Every row the command returns, read with <paramref name="read"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The first row the command returns, or the default when there is none.</summary>
    public static async Task<T?> ReadFirstAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? read(reader) : default;
    }

    /// <summary>A <c>count(*)</c>.</summary>
    public static async Task<int> CountAsync(this NpgsqlCommand command, CancellationToken ct) =>
        (int)(long)(await command.ExecuteScalarAsync(ct))!;
}
