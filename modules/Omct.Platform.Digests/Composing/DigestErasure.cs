using Omct.Platform.BuildingBlocks.Privacy;

namespace Omct.Platform.Digests.Composing;

/// <summary>
/// What an erased defender leaves in a stored digest: nothing of the name. Each piece of an item's
/// text that is the defender's name (<see cref="DigestTextPart.DefenderId"/>) becomes
/// <see cref="Replacement"/> and no longer carries the id; the item's text is joined again from its
/// pieces and the Markdown and HTML are rendered again from the sections, exactly as the digest was
/// made — no search of the rendered text for the name, so a name that is also a common word, or
/// that Markdown or HTML escape, goes all the same and nothing else changes.
/// </summary>
internal static class DigestErasure
{
    public const string Replacement = "[name erased]";

    /// <summary>The defenders a digest names (what its <c>defender_ids</c> column holds).</summary>
    public static Guid[] DefendersNamed(Digest digest) =>
        [.. digest.Sections.SelectMany(s => s.Items).SelectMany(i => i.Parts ?? []).Select(p => p.DefenderId).OfType<Guid>().Distinct()];

    /// <summary>The digest without the names of <paramref name="defenderIds"/>; the same digest when it names none of them.</summary>
    public static Digest Erase(Digest digest, IReadOnlyCollection<Guid> defenderIds)
    {
        var changed = false;
        var sections = digest.Sections.Select(section => section with
        {
            Items = section.Items.Select(item =>
            {
                if (item.Parts is not { } parts || !parts.Any(p => p.DefenderId is { } id && defenderIds.Contains(id)))
                {
                    return item;
                }

                changed = true;
                var kept = parts.Select(p => p.DefenderId is { } id && defenderIds.Contains(id) ? new DigestTextPart(Replacement) : p).ToList();
                return item with
                {
                    Text = string.Concat(kept.Select(p => p.Text)),
                    Parts = kept.Any(p => p.DefenderId is not null || p.FileId is not null) ? kept : null,
                };
            }).ToList(),
        }).ToList();
        return changed ? DigestComposer.Rendered(digest with { Sections = sections }) : digest;
    }

    /// <summary>
    /// The digest with an erased person's name, where it was typed into the records' text (a case's title, an event's
    /// description), replaced in each item's title and text (not in the pieces that name a defender by id: those are the
    /// erasure above); the same digest when it holds none. <paramref name="count"/> grows by the occurrences.
    /// </summary>
    public static Digest EraseText(Digest digest, NameRedaction redaction, ref int count)
    {
        var before = count;
        var sections = new List<DigestSection>();
        foreach (var section in digest.Sections)
        {
            var items = new List<DigestItem>();
            foreach (var item in section.Items)
            {
                var title = redaction.Redact(item.Title, ref count)!;
                List<DigestTextPart>? parts = null;
                if (item.Parts is { } original)
                {
                    parts = [];
                    foreach (var p in original)
                    {
                        parts.Add(p.DefenderId is null ? p with { Text = redaction.Redact(p.Text, ref count)! } : p);
                    }
                }

                var text = parts is null ? redaction.Redact(item.Text, ref count) : string.Concat(parts.Select(p => p.Text));
                items.Add(item with { Title = title, Text = text, Parts = parts });
            }

            sections.Add(section with { Items = items });
        }

        return count == before ? digest : DigestComposer.Rendered(digest with { Sections = sections });
    }
}
