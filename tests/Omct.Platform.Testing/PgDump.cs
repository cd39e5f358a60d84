using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Omct.Platform.Testing;

/// <summary>
/// A database read whole, as an attacker with a dump or a backup would: <c>pg_dump</c> from PATH or
/// <c>/usr/lib/postgresql/*/bin</c> (the newest), uncompressed. Fails clearly when it is not installed.
/// </summary>
public static class PgDump
{
    /// <summary>The plain (SQL) dump of the database of <paramref name="connectionString"/>, or its custom-format bytes.</summary>
    public static async Task<byte[]> BytesAsync(string connectionString, bool custom = false)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Program()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture), "-U", connection.Username!, "-d", connection.Database!,
                     custom ? "-Fc" : "-Fp", "-Z", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = connection.Password ?? "";
        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        await copy;
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output.ToArray() : throw new InvalidOperationException("pg_dump failed: " + await errors);
    }

    /// <summary>The plain dump as text.</summary>
    public static async Task<string> TextAsync(string connectionString) => System.Text.Encoding.UTF8.GetString(await BytesAsync(connectionString));

    /// <summary>The rows of <paramref name="table"/> (e.g. <c>mt_doc_privacy_personal_data_key</c>) in a plain dump.</summary>
    public static string Rows(string dump, string table)
    {
        var start = dump.IndexOf($"{table} (", dump.IndexOf("COPY ", StringComparison.Ordinal), StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"The dump has no table {table}.");
        }

        return dump[start..dump.IndexOf("\n\\.\n", start, StringComparison.Ordinal)];
    }

    private static string Program()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "pg_dump")).FirstOrDefault(File.Exists);
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin", "pg_dump")).Where(File.Exists)
                .OrderBy(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var major) ? major : 0).LastOrDefault()
            : null;
        return onPath ?? installed ?? throw new InvalidOperationException(
            "pg_dump is not installed: neither on PATH nor under /usr/lib/postgresql/*/bin (apt-get install postgresql-client).");
    }
}
