using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Omct.Platform.Bench;

/// <summary>
/// Target 7's documents: 1,000 distinct hostile GraphQL requests (one JSON body per line) in five
/// families of 200 — deep nesting, alias bombs, huge lists, introspection floods, wide anniversary
/// windows — each built
/// from names of the real schema where that matters (so what refuses it is the limit it probes,
/// not an unknown field). <c>wrk/hostile.lua</c> cycles through the file, without credentials.
/// Every document stays under the host's 100,000-byte request limit: the point is to reach the
/// parser, the limits and the validation, not to be cut off by the size check.
/// </summary>
internal static class Hostile
{
    public const int MaxBodyBytes = 99_000;

    /// <summary><c>hostile --out FILE [--count 1000]</c></summary>
    public static async Task<int> RunAsync(Options options)
    {
        var count = options.Int("count", 1000);
        var perFamily = Math.Max(1, count / 5);
        var bodies = new List<(string Family, string Body)>();
        for (var i = 0; i < perFamily; i++)
        {
            bodies.Add(("deep", Deep(i)));
            bodies.Add(("aliases", Aliases(i)));
            bodies.Add(("lists", Lists(i)));
            bodies.Add(("introspection", Introspection(i)));
            bodies.Add(("anniversaries", Anniversaries(i)));
        }

        var distinct = bodies.Select(b => b.Body).Distinct(StringComparer.Ordinal).Count();
        var tooLarge = bodies.Count(b => Encoding.UTF8.GetByteCount(b.Body) > MaxBodyBytes);
        await File.WriteAllLinesAsync(options.Required("out"), bodies.Select(b => b.Body));
        var families = string.Join(", ", bodies.GroupBy(b => b.Family).Select(g => FormattableString.Invariant(
            $"{g.Key} {g.Count()} ({g.Min(b => b.Body.Length) / 1024.0:F1}–{g.Max(b => b.Body.Length) / 1024.0:F1} KiB)")));
        Console.WriteLine(FormattableString.Invariant(
            $"hostile: {bodies.Count} documents ({distinct} distinct, {tooLarge} over {MaxBodyBytes} bytes) in 5 families: {families}"));
        return distinct == bodies.Count && tooLarge == 0 ? 0 : 1;
    }

    /// <summary>
    /// Deep nesting: through the schema's cycle Case → victims → defender → cases (valid names, 18
    /// to 63 levels: the depth limit refuses them), and bare <c>{ a { a { … } } }</c> 65 to 1,000
    /// levels deep (the parser's recursion limit refuses them before anything else).
    /// </summary>
    private static string Deep(int i)
    {
        var text = new StringBuilder();
        if (i % 2 == 0)
        {
            var k = 5 + (i / 2 % 20);
            text.Append(CultureInfo.InvariantCulture, $"query Deep{i} {{ cases(first: {1 + i % 50}) {{ nodes {{ ");
            for (var l = 0; l < k; l++)
            {
                text.Append("victims { defender { cases { ");
            }

            text.Append("id ");
            text.Append('}', 3 * k + 2).Append(" }");
        }
        else
        {
            var levels = 65 + (i / 2) * 7;
            text.Append(CultureInfo.InvariantCulture, $"query Nest{i} ");
            for (var l = 0; l < levels; l++)
            {
                text.Append("{ a ");
            }

            text.Append('}', levels);
        }

        return Body(text.ToString(), null);
    }

    /// <summary>
    /// Alias bombs: 51 to ~2,500 aliases of one field; fragment bombs (each fragment spreads the
    /// previous one twice: 2^10 to 2^30 fields once expanded, from a few hundred bytes); and wide
    /// documents (501 to ~5,000 selections of the same field without aliases).
    /// </summary>
    private static string Aliases(int i)
    {
        var text = new StringBuilder();
        switch (i % 3)
        {
            case 0:
                var n = 51 + i * 10;
                text.Append(CultureInfo.InvariantCulture, $"query Aliases{i} {{ ");
                for (var a = 0; a < n; a++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"a{a}: caseCount ");
                }

                text.Append('}');
                break;
            case 1:
                var levels = 10 + i / 3 % 21;
                text.Append(CultureInfo.InvariantCulture, $"query Bomb{i} {{ ...F{i}x{levels} }} fragment F{i}x0 on Query {{ a: caseCount b: defenderCount }} ");
                for (var l = 1; l <= levels; l++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"fragment F{i}x{l} on Query {{ ...F{i}x{l - 1} ...F{i}x{l - 1} }} ");
                }

                break;
            default:
                var width = 501 + i * 18;
                text.Append(CultureInfo.InvariantCulture, $"query Wide{i} {{ ");
                for (var w = 0; w < width; w++)
                {
                    text.Append("caseCount ");
                }

                text.Append('}');
                break;
        }

        return Body(text.ToString(), null);
    }

    private static readonly string[] Countries = ["CO", "GT", "PH", "MX", "BR", "CM", "TR", "RU", "IN", "NG"];

    /// <summary>
    /// Huge lists: a filter with 1,001 to 6,000 country codes, as a literal in the document or
    /// as a variable (a valid query otherwise, so only a limit on list sizes stands between it and
    /// the database).
    /// </summary>
    private static string Lists(int i)
    {
        // At most 6,000 items: a quoted code in the document is 15 bytes of JSON (System.Text.Json writes each quote
        // as \u0022), and the body must stay under MaxBodyBytes.
        var n = 1001 + (i * 60 % 5_000);
        if (i % 2 == 0)
        {
            var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"query Listed{i} {{ cases(filter: {{countries: [");
            for (var c = 0; c < n; c++)
            {
                text.Append('"').Append(Countries[(c + i) % Countries.Length]).Append("\" ");
            }

            text.Append("]}, first: 1) { nodes { id } } }");
            return Body(text.ToString(), null);
        }

        var variables = new Dictionary<string, object> { ["c"] = Enumerable.Range(0, n).Select(c => Countries[(c + i) % Countries.Length]).ToArray() };
        return Body($"query Variable{i}($c: [CountryCode!]) {{ cases(filter: {{countries: $c}}, first: 1) {{ nodes {{ id }} }} }}", variables);
    }

    /// <summary>
    /// Introspection floods: 1 to 50 aliased copies of a deep <c>__schema</c> or <c>__type</c>
    /// selection (the schema, with every field, argument and type reference), from an anonymous
    /// caller in Production.
    /// </summary>
    private static string Introspection(int i)
    {
        const string typeRef = "name kind ofType { name kind ofType { name kind ofType { name kind } } }";
        var copies = 1 + i % 50;
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"query Flood{i} {{ ");
        for (var c = 0; c < copies; c++)
        {
            text.Append(i % 2 == 0
                ? $"s{c}: __schema {{ types {{ name fields(includeDeprecated: true) {{ name args {{ name type {{ {typeRef} }} }} type {{ {typeRef} }} }} }} }} "
                : $"t{c}: __type(name: \"{(c % 2 == 0 ? "Case" : "Defender")}\") {{ name fields {{ name type {{ {typeRef} }} }} }} ");
        }

        text.Append('}');
        return Body(text.ToString(), null);
    }

    /// <summary>
    /// Wide anniversary windows (issue 15, hole 4), anonymous: 1 to 8 aliases of a window in a far year (9991:
    /// 3 s each before the years were bounded; 9999: INTERNAL; 1850), refused as VALIDATION on the argument
    /// before any work; and 20 to 50 aliases of a full year within the allowed years (2000–2030), refused by the
    /// complexity budget (each day of a window counts) before any work.
    /// </summary>
    private static string Anniversaries(int i)
    {
        const string selection = "date kind years days case { reference title status } caseEvent { type date } victim { name }";
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"query Anniversaries{i} {{ ");
        if (i % 2 == 0)
        {
            var year = (i / 2 % 3) switch { 0 => 9991 - i / 6 % 50, 1 => 9999, _ => 1850 + i / 6 % 49 };
            var aliases = 1 + i / 2 % 8;
            for (var a = 0; a < aliases; a++)
            {
                text.Append(CultureInfo.InvariantCulture, $"a{a}: anniversaries(from: \"{year}-01-01\", to: \"{year}-12-{31 - a}\") {{ {selection} }} ");
            }
        }
        else
        {
            var aliases = 20 + i / 2 % 31;
            for (var a = 0; a < aliases; a++)
            {
                var year = 2000 + (a + i) % 31;
                text.Append(CultureInfo.InvariantCulture, $"a{a}: anniversaries(from: \"{year}-01-01\", to: \"{year}-12-31\") {{ {selection} }} ");
            }
        }

        text.Append('}');
        return Body(text.ToString(), null);
    }

    private static string Body(string query, Dictionary<string, object>? variables) =>
        JsonSerializer.Serialize(variables is null ? new Dictionary<string, object> { ["query"] = query }
            : new Dictionary<string, object> { ["query"] = query, ["variables"] = variables });
}
