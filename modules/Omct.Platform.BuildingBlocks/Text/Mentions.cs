using System.Text;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.BuildingBlocks.Text;

/// <summary>
/// Structured mentions in free text (a case's title, an event's description, a note, an article): <c>@[globalId]</c>, the
/// global id the API gives a defender. The text stores the token, never the name, so a person is named only when the text
/// is read — as the reader may name them — and an erasure, which changes the profile, changes every text at once without
/// searching any of them for a name. This class knows the syntax only; which ids are mentionable and how a reader names
/// them is the caller's to say (the defenders module's directory), so it stays free of any module.
/// </summary>
public static class Mentions
{
    /// <summary>What a mention reads as when the reader may not name the person, or nobody may any more: one text for both, so it tells nothing.</summary>
    public const string Withheld = "[name withheld]";

    /// <summary>The refusal of a mention the writer may not make, alike for an id that is malformed, of another type, missing or hidden.</summary>
    public const string NotMentionable = "Mentions @[{0}], which is not a defender you can mention.";

    private const string Open = "@[";

    /// <summary>The longest id a token holds (as <see cref="GlobalId.TryDecode(string?, out string, out Guid)"/> accepts).</summary>
    private const int MaxIdLength = 100;

    /// <summary>Whether the text may hold a mention: the fast path that costs a text without one a single search.</summary>
    public static bool Any(string? text) => text is not null && text.Contains(Open, StringComparison.Ordinal);

    /// <summary>
    /// The tokens of the text in order: each <c>@[id]</c> whose id is 1 to 100 base64url characters. Anything else that
    /// starts with <c>@[</c> (a space, another bracket) is text, not a token.
    /// </summary>
    public static IReadOnlyList<MentionToken> Tokens(string? text)
    {
        if (!Any(text))
        {
            return [];
        }

        var tokens = new List<MentionToken>();
        for (var at = text!.IndexOf(Open, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Open, at + 1, StringComparison.Ordinal))
        {
            var start = at + Open.Length;
            var end = start;
            while (end < text.Length && end - start <= MaxIdLength && IsIdChar(text[end]))
            {
                end++;
            }

            if (end > start && end - start <= MaxIdLength && end < text.Length && text[end] == ']')
            {
                tokens.Add(new MentionToken(at, end + 1 - at, text[start..end]));
                at = end;
            }
        }

        return tokens;
    }

    /// <summary>The ids of <paramref name="typeName"/> that the texts mention, once each (a token of another type, or malformed, is not one).</summary>
    public static IReadOnlyList<Guid> Ids(string typeName, params IEnumerable<string?> texts)
    {
        List<Guid>? ids = null;
        foreach (var text in texts)
        {
            foreach (var token in Tokens(text))
            {
                if (GlobalId.TryDecode(token.GlobalId, typeName, out var id) && !(ids ??= []).Contains(id))
                {
                    ids.Add(id);
                }
            }
        }

        return ids ?? [];
    }

    /// <summary>
    /// Refuses (VALIDATION on the field) the first text that mentions anything other than a <paramref name="typeName"/> among
    /// those <paramref name="mentionable"/> answers for the writer (the ids it may find). One call to it for all the texts.
    /// The message names the token as written and says the same for an id that does not exist and one the writer may not see.
    /// </summary>
    public static async Task RequireMentionableAsync(
        string typeName, Func<IReadOnlyCollection<Guid>, Task<IReadOnlySet<Guid>>> mentionable, params IEnumerable<(string Field, string? Text)> texts)
    {
        var fields = texts.Where(t => Any(t.Text)).ToList();
        if (fields.Count == 0)
        {
            return;
        }

        var ids = Ids(typeName, fields.Select(f => f.Text));
        var found = ids.Count == 0 ? new HashSet<Guid>() : await mentionable(ids);
        foreach (var (field, text) in fields)
        {
            foreach (var token in Tokens(text))
            {
                if (!GlobalId.TryDecode(token.GlobalId, typeName, out var id) || !found.Contains(id))
                {
                    throw DomainException.Validation(field, string.Format(System.Globalization.CultureInfo.InvariantCulture, NotMentionable, token.GlobalId));
                }
            }
        }
    }

    /// <summary>
    /// The text with each mention of a <paramref name="typeName"/> replaced by its name in <paramref name="names"/>, or
    /// <see cref="Withheld"/> when absent; a token of another type is left as written. <paramref name="escape"/> makes a
    /// name safe where it goes (Markdown, HTML); null puts it as it is. The same text when it mentions nobody.
    /// </summary>
    public static string? Render(string? text, string typeName, IReadOnlyDictionary<Guid, string> names, Func<string, string>? escape = null) =>
        Rewrite(text, token =>
        {
            if (!GlobalId.TryDecode(token.GlobalId, typeName, out var id))
            {
                return null;
            }

            var name = names.GetValueOrDefault(id) ?? Withheld;
            return escape is null ? name : escape(name);
        });

    /// <summary>
    /// The text in pieces, for a stored text that must stay erasable (a digest): literal runs, and each mention of a
    /// <paramref name="typeName"/> as its id with its name (<see cref="Withheld"/> and no id when absent).
    /// </summary>
    public static IReadOnlyList<(string Text, Guid? Id)> Pieces(string text, string typeName, IReadOnlyDictionary<Guid, string> names)
    {
        var pieces = new List<(string, Guid?)>();
        var from = 0;
        foreach (var token in Tokens(text))
        {
            if (!GlobalId.TryDecode(token.GlobalId, typeName, out var id))
            {
                continue;
            }

            if (token.Start > from)
            {
                pieces.Add((text[from..token.Start], null));
            }

            pieces.Add(names.TryGetValue(id, out var name) ? (name, id) : (Withheld, null));
            from = token.Start + token.Length;
        }

        if (from < text.Length)
        {
            pieces.Add((text[from..], null));
        }

        return pieces;
    }

    /// <summary>The text without its mentions (what a slug is made of: neither a name nor an id belongs in a link).</summary>
    public static string Without(string text) => Replaced(text, "")!;

    /// <summary>
    /// The text with every mention read as <see cref="Withheld"/>, for whatever leaves the platform's control or is kept
    /// as one string (a calendar feed, a reminder's wording, a stored digest's title): no name there to outlive an erasure.
    /// </summary>
    public static string? Withhold(string? text) => Replaced(text, Withheld);

    private static string? Replaced(string? text, string replacement) => Rewrite(text, _ => replacement);

    /// <summary>The text with each token replaced by what <paramref name="replacement"/> gives it (null: the token stays as written).</summary>
    private static string? Rewrite(string? text, Func<MentionToken, string?> replacement)
    {
        var tokens = Tokens(text);
        if (tokens.Count == 0)
        {
            return text;
        }

        var rewritten = new StringBuilder(text!.Length);
        var from = 0;
        foreach (var token in tokens)
        {
            if (replacement(token) is not { } with)
            {
                continue;
            }

            rewritten.Append(text, from, token.Start - from).Append(with);
            from = token.Start + token.Length;
        }

        return rewritten.Append(text, from, text.Length - from).ToString();
    }

    /// <summary>The token that mentions <paramref name="id"/> (what a client writes; tests and demo data too).</summary>
    public static string Token(string typeName, Guid id) => $"{Open}{GlobalId.Encode(typeName, id)}]";

    private static bool IsIdChar(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
}

/// <summary>
/// Renders the texts of a stream of records for one reader (an export): names fetched once each, and only for the ids a
/// record brings that earlier ones did not — no call at all while the texts mention nobody.
/// </summary>
public sealed class MentionRenderer(string typeName, Func<IReadOnlyCollection<Guid>, CancellationToken, Task<IReadOnlyDictionary<Guid, string>>> names)
{
    private readonly Dictionary<Guid, string> _known = [];
    private readonly HashSet<Guid> _asked = [];

    /// <summary>Fetches the names of the ids these texts mention that were not asked for yet (call before <see cref="Render"/>).</summary>
    public async Task LoadAsync(CancellationToken ct, params IEnumerable<string?> texts)
    {
        var missing = Mentions.Ids(typeName, texts).Where(id => !_asked.Contains(id)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        foreach (var (id, name) in await names(missing, ct))
        {
            _known[id] = name;
        }

        _asked.UnionWith(missing);
    }

    /// <summary>The text as the reader reads it (after <see cref="LoadAsync"/> of it).</summary>
    public string? Render(string? text, Func<string, string>? escape = null) => Mentions.Render(text, typeName, _known, escape);
}

/// <summary>A mention in a text: where it starts, how long it is (<c>@[</c> to <c>]</c>), and the global id it holds.</summary>
public readonly record struct MentionToken(int Start, int Length, string GlobalId);
