using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Bench;

/// <summary>
/// The hand-written baseline of targets 1 and 2: Kestrel minimal API, Npgsql and
/// System.Text.Json, no GraphQL, no Marten, no logging. It authenticates <c>X-Api-Key</c> as the
/// host does (the bootstrap key, else the SHA-256 of the key looked up in the stored API keys,
/// revoked or expired keys refused), applies the caller's clearance to the cases and to each
/// victim, and answers with the same JSON shape as the GraphQL response:
/// <list type="bullet">
/// <item><c>POST /cases</c> <c>{"countries":[..],"statuses":["OPEN"],"first":50}</c>: newest first, id
/// (the same global id as the API), reference, title, status, openedOn and the visible victims' names.</item>
/// <item><c>POST /stats</c>: visible cases per country.</item>
/// </list>
/// </summary>
internal static class BaselineServer
{
    private const string Table = "omct.mt_doc_cases_case";

    private static readonly string[][] Visible =
    [
        ["Public"], ["Public", "Network"], ["Public", "Network", "Staff"], ["Public", "Network", "Staff", "Restricted"],
    ];

    private static readonly JsonSerializerOptions RequestJson = new() { PropertyNameCaseInsensitive = true };

    public static async Task<int> RunAsync(Options options)
    {
        var cs = options.Required("cs");
        var urls = options.Required("urls");
        var bootstrap = options.Get("bootstrap-key");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        await using var data = NpgsqlDataSource.Create(cs);
        var app = builder.Build();

        app.MapGet("/health", () => "ok");
        app.MapPost("/cases", async http =>
        {
            var levels = await AuthenticateAsync(http, data, bootstrap);
            if (levels is null)
            {
                http.Response.StatusCode = 401;
                return;
            }

            var request = await JsonSerializer.DeserializeAsync<PageRequest>(http.Request.Body, RequestJson, http.RequestAborted)
                          ?? new PageRequest();
            var first = Math.Clamp(request.First ?? 20, 0, 100);
            var statuses = (request.Statuses ?? []).Select(s => s.Length == 0 ? s : s[0] + s[1..].ToLowerInvariant()).ToArray();

            // The same conditions and order as CaseSearch; only the needed fields are read.
            await using var command = data.CreateCommand();
            command.Parameters.Add(Varchars(levels));
            var where = "d.confidentiality = any($1)";
            if (request.Countries is { Length: > 0 } countries)
            {
                command.Parameters.Add(Varchars(countries.Select(x => x.ToUpperInvariant()).ToArray()));
                where += $" and d.country_code = any(${command.Parameters.Count})";
            }

            if (statuses.Length > 0)
            {
                command.Parameters.Add(Varchars(statuses));
                where += $" and d.status = any(${command.Parameters.Count})";
            }

            command.Parameters.Add(new NpgsqlParameter { Value = first });
            command.CommandText =
                $"select d.id, d.data->>'reference', d.data->>'title', d.status, d.opened_on, d.data->'victims' from {Table} d " +
                $"where {where} order by d.order_key desc limit ${command.Parameters.Count}";

            http.Response.ContentType = "application/json; charset=utf-8";
            await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);
            using (var json = new Utf8JsonWriter(http.Response.BodyWriter))
            {
                json.WriteStartObject();
                json.WriteStartObject("data");
                json.WriteStartObject("cases");
                json.WriteStartArray("nodes");
                while (await reader.ReadAsync(http.RequestAborted))
                {
                    json.WriteStartObject();
                    json.WriteString("id", GlobalId.Encode("Case", reader.GetGuid(0)));
                    json.WriteString("reference", reader.GetString(1));
                    json.WriteString("title", reader.GetString(2));
                    json.WriteString("status", reader.GetString(3).ToUpperInvariant());
                    json.WriteString("openedOn", reader.GetFieldValue<DateOnly>(4).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                    json.WriteStartArray("victims");
                    WriteVisibleVictims(json, reader.GetString(5), levels);
                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
        });

        app.MapPost("/stats", async http =>
        {
            var levels = await AuthenticateAsync(http, data, bootstrap);
            if (levels is null)
            {
                http.Response.StatusCode = 401;
                return;
            }

            await using var command = data.CreateCommand(
                $"select d.country_code, count(*) from {Table} d where d.confidentiality = any($1) group by 1 order by 2 desc, 1");
            command.Parameters.Add(Varchars(levels));
            http.Response.ContentType = "application/json; charset=utf-8";
            await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);
            using (var json = new Utf8JsonWriter(http.Response.BodyWriter))
            {
                json.WriteStartObject();
                json.WriteStartObject("data");
                json.WriteStartArray("caseStatistics");
                while (await reader.ReadAsync(http.RequestAborted))
                {
                    json.WriteStartObject();
                    json.WriteString("key", reader.GetString(0));
                    json.WriteNumber("count", reader.GetInt64(1));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
        });

        Console.WriteLine($"baseline: listening on {urls}");
        await app.RunAsync();
        return 0;
    }

    private static NpgsqlParameter Varchars(string[] values) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar };

    /// <summary>The visible confidentiality levels of the caller, or null for an unknown, revoked or expired key.</summary>
    private static async Task<string[]?> AuthenticateAsync(HttpContext http, NpgsqlDataSource data, string? bootstrap)
    {
        var key = http.Request.Headers["X-Api-Key"].ToString();
        if (key.Length == 0)
        {
            return Visible[0];
        }

        if (key.Length > 200)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(bootstrap) && CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(key)), SHA256.HashData(Encoding.UTF8.GetBytes(bootstrap))))
        {
            return Visible[3];
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        await using var command = data.CreateCommand(
            "select k.data->>'clearance' from omct.mt_doc_access_api_key k where k.data->>'keyHash' = $1 " +
            "and k.data->>'revokedAt' is null and (k.data->>'expiresAt' is null or (k.data->>'expiresAt')::timestamptz > now())");
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        var clearance = await command.ExecuteScalarAsync(http.RequestAborted) as string;
        return clearance switch
        {
            "Public" => Visible[0],
            "Network" => Visible[1],
            "Staff" => Visible[2],
            "Restricted" => Visible[3],
            _ => null,
        };
    }

    private static void WriteVisibleVictims(Utf8JsonWriter json, string victims, string[] levels)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(victims));
        // [{"id":..,"defenderId":..,"name":..,"confidentiality":..}, ...]
        string? name = null, level = null;
        var depth = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    depth++;
                    if (depth == 1)
                    {
                        name = level = null;
                    }

                    break;
                case JsonTokenType.EndObject:
                    if (depth == 1 && level is not null && Array.IndexOf(levels, level) >= 0)
                    {
                        json.WriteStartObject();
                        if (name is null)
                        {
                            json.WriteNull("name");
                        }
                        else
                        {
                            json.WriteString("name", name);
                        }

                        json.WriteEndObject();
                    }

                    depth--;
                    break;
                case JsonTokenType.PropertyName when depth == 1:
                    if (reader.ValueTextEquals("name"u8))
                    {
                        reader.Read();
                        name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                    else if (reader.ValueTextEquals("confidentiality"u8))
                    {
                        reader.Read();
                        level = reader.GetString();
                    }

                    break;
            }
        }
    }

    private sealed class PageRequest
    {
        public string[]? Countries { get; set; }
        public string[]? Statuses { get; set; }
        public int? First { get; set; }
    }
}
