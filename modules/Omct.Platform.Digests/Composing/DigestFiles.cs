namespace Omct.Platform.Digests.Composing;

/// <summary>
/// The files a digest names: on a new case's or a new case event's item, after its text, <c>Files: warrant.pdf, x-ray.jpg</c>
/// — each name a piece of the item's text with the file's id (<see cref="DigestTextPart.FileId"/>), so that a file raised
/// later above the digest's audience leaves the digest by its id, as an erased defender's name does
/// (<see cref="DigestErasure"/>): no search of the rendered text.
/// </summary>
internal static class DigestFiles
{
    public const string Label = "Files: ";
    public const string Separator = ", ";

    /// <summary>
    /// The digest without the names of <paramref name="fileIds"/> (with the separator before each, or the label when it was
    /// the item's last file), rendered again; the same digest when it names none of them.
    /// </summary>
    public static Digest Without(Digest digest, IReadOnlyCollection<Guid> fileIds)
    {
        var changed = false;
        var sections = digest.Sections.Select(section => section with
        {
            Items = section.Items.Select(item =>
            {
                if (item.Parts is not { } parts || !parts.Any(p => p.FileId is { } id && fileIds.Contains(id)))
                {
                    return item;
                }

                changed = true;
                var kept = new List<DigestTextPart>(parts.Count);
                foreach (var part in parts)
                {
                    if (part.FileId is { } id && fileIds.Contains(id))
                    {
                        // Drop the name and what introduced it: the separator before it, else (the first name) the label, which
                        // the next name's separator then replaces.
                        if (kept.Count > 0 && kept[^1] is { FileId: null, DefenderId: null, Text: Separator })
                        {
                            kept.RemoveAt(kept.Count - 1);
                        }

                        continue;
                    }

                    if (part is { FileId: null, DefenderId: null, Text: Separator } && kept.Count > 0 && IsLabel(kept[^1]))
                    {
                        continue; // the first name went: the label introduces the next one
                    }

                    kept.Add(part);
                }

                if (kept.Count > 0 && IsLabel(kept[^1]))
                {
                    kept.RemoveAt(kept.Count - 1); // no file left
                }

                var text = string.Concat(kept.Select(p => p.Text));
                return item with
                {
                    Text = text.Length == 0 ? null : text,
                    Parts = kept.Any(p => p.DefenderId is not null || p.FileId is not null) ? kept : null,
                };
            }).ToList(),
        }).ToList();
        return changed ? DigestComposer.Rendered(digest with { Sections = sections }) : digest;
    }

    /// <summary>The file ids a digest names.</summary>
    public static Guid[] FilesNamed(Digest digest) =>
        [.. digest.Sections.SelectMany(s => s.Items).SelectMany(i => i.Parts ?? []).Select(p => p.FileId).OfType<Guid>().Distinct()];

    private static bool IsLabel(DigestTextPart part) => part is { FileId: null, DefenderId: null } && part.Text.TrimStart() == Label;
}
