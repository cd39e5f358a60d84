using System.Globalization;
using System.Text;

namespace Omct.Platform.Files.Content;

/// <summary>
/// A file's name as the platform keeps and serves it: the uploader's name without any path (<c>../../etc/passwd</c> is
/// <c>passwd</c>), without control and bidirectional-override characters (<c>invoice‮fdp.exe</c> is not shown as
/// <c>invoiceexe.pdf</c>), without the characters file systems refuse, normalised (NFC), at most 150 characters, never
/// empty or dots only — and ending with the extension of the type its content is (a PNG named <c>scan.pdf</c> is
/// served as <c>scan.pdf.png</c>).
/// </summary>
internal static class FileNames
{
    public const int MaxLength = 150;

    public static string Sanitise(string? name)
    {
        var text = (name ?? "").Normalize(NormalizationForm.FormC);
        var slash = text.LastIndexOfAny(['/', '\\']);
        if (slash >= 0)
        {
            text = text[(slash + 1)..];
        }

        var kept = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                    or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                || "<>:\"|?*".Contains(c, StringComparison.Ordinal))
            {
                continue;
            }

            kept.Append(char.IsWhiteSpace(c) ? ' ' : c);
        }

        var clean = kept.ToString().Trim().Trim('.').Trim();
        if (clean.Length > MaxLength)
        {
            // Keep the end (the extension) and cut the middle.
            clean = string.Concat(clean.AsSpan(0, MaxLength - 20), "…", clean.AsSpan(clean.Length - 19));
        }

        return clean.Length == 0 ? "file" : clean;
    }

    /// <summary>The sanitised name, ending with <paramref name="type"/>'s extension.</summary>
    public static string ForType(string sanitised, FileType type)
    {
        var extension = Path.GetExtension(sanitised);
        var fits = type == FileTypes.Jpeg
            ? extension.Equals(".jpg", StringComparison.OrdinalIgnoreCase) || extension.Equals(".jpeg", StringComparison.OrdinalIgnoreCase)
            : extension.Equals(type.Extension, StringComparison.OrdinalIgnoreCase);
        return fits ? sanitised : sanitised + type.Extension;
    }
}
