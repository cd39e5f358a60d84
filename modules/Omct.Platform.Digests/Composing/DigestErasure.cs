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
}
