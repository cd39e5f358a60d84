using System.IO.Compression;
using System.Text;

namespace Omct.Platform.Files.Content;

/// <summary>A type of file the platform accepts, as its content shows it (never its name).</summary>
internal sealed record FileType(string Name, string MediaType, string Extension);

/// <summary>
/// The allow-list, checked on the content's magic bytes once the whole file is there: PDF (<c>%PDF-</c>), JPEG
/// (<c>FF D8 FF</c>), PNG (its 8-byte signature), WebP (<c>RIFF….WEBP</c>), the office documents that are ZIP containers
/// — DOCX and XLSX (a <c>[Content_Types].xml</c> and <c>word/document.xml</c> or <c>xl/workbook.xml</c> in the archive),
/// ODT and ODS (the <c>mimetype</c> entry) — and plain UTF-8 text. Everything else is refused: HTML and SVG (scripts),
/// other archives, executables, and text that opens like markup (an HTML page named <c>report.pdf</c>, which a browser
/// told <c>text/plain</c> would not run, but which is no evidence either). The name's extension plays no part.
/// </summary>
internal static class FileTypes
{
    public static readonly FileType Pdf = new("PDF", "application/pdf", ".pdf");
    public static readonly FileType Jpeg = new("JPEG", "image/jpeg", ".jpg");
    public static readonly FileType Png = new("PNG", "image/png", ".png");
    public static readonly FileType WebP = new("WEBP", "image/webp", ".webp");
    public static readonly FileType Docx = new("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx");
    public static readonly FileType Xlsx = new("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx");
    public static readonly FileType Odt = new("ODT", "application/vnd.oasis.opendocument.text", ".odt");
    public static readonly FileType Ods = new("ODS", "application/vnd.oasis.opendocument.spreadsheet", ".ods");
    public static readonly FileType Text = new("TEXT", "text/plain; charset=utf-8", ".txt");

    public static IReadOnlyList<FileType> All { get; } = [Pdf, Jpeg, Png, WebP, Docx, Xlsx, Odt, Ods, Text];

    /// <summary>How many first bytes <see cref="Detect"/> looks at (the text check reads the whole file, see <see cref="TextCheck"/>).</summary>
    public const int HeadSize = 4096;

    /// <summary>The type the content is, or null when it is not on the list. <paramref name="content"/> must be seekable (a ZIP is read from its end).</summary>
    public static FileType? Detect(ReadOnlySpan<byte> head, Func<Stream> content)
    {
        if (head.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP;
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return OfficeDocument(content);
        }

        return LooksLikeText(head) ? Text : null;
    }

    /// <summary>A DOCX, XLSX, ODT or ODS by the entries of its archive; any other ZIP (or a broken one) is refused.</summary>
    private static FileType? OfficeDocument(Func<Stream> content)
    {
        try
        {
            using var stream = content();
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            if (names.Contains("[Content_Types].xml"))
            {
                return names.Contains("word/document.xml") ? Docx : names.Contains("xl/workbook.xml") ? Xlsx : null;
            }

            if (zip.GetEntry("mimetype") is { Length: < 100 } mimetype)
            {
                using var reader = new StreamReader(mimetype.Open(), Encoding.ASCII);
                return reader.ReadToEnd().Trim() switch
                {
                    "application/vnd.oasis.opendocument.text" => Odt,
                    "application/vnd.oasis.opendocument.spreadsheet" => Ods,
                    _ => null,
                };
            }

            return null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>
    /// The first bytes could be plain text: no NUL or other control character than tab, line feed, form feed and carriage
    /// return, and no markup at the start (<c>&lt;html</c>, <c>&lt;!doctype</c>, <c>&lt;svg</c>, <c>&lt;?xml</c>, <c>&lt;script</c> …,
    /// after a byte order mark and blanks). That the whole file is UTF-8 is checked as it is read (<see cref="TextCheck"/>).
    /// </summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return false;
        }

        foreach (var b in head)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\f' or (byte)'\r'))
            {
                return false;
            }
        }

        var start = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head;
        var text = Encoding.UTF8.GetString(start[..Math.Min(start.Length, 256)]).TrimStart().ToLowerInvariant();
        return !text.StartsWith('<') || !(text.StartsWith("<!", StringComparison.Ordinal) || text.StartsWith("<?", StringComparison.Ordinal)
                                          || text.Length > 1 && char.IsAsciiLetter(text[1]));
    }
}

/// <summary>Whether a stream of chunks is UTF-8 text throughout (no NUL, no invalid sequence, none cut at a chunk's end).</summary>
internal sealed class TextCheck
{
    private readonly Decoder _decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
    private readonly char[] _chars = new char[4096];

    public bool IsText { get; private set; } = true;

    public void Add(ReadOnlySpan<byte> bytes, bool last)
    {
        if (!IsText)
        {
            return;
        }

        if (bytes.Contains((byte)0))
        {
            IsText = false;
            return;
        }

        try
        {
            while (true)
            {
                _decoder.Convert(bytes, _chars, last, out var used, out _, out var completed);
                bytes = bytes[used..];
                if (completed || bytes.IsEmpty)
                {
                    break;
                }
            }
        }
        catch (DecoderFallbackException)
        {
            IsText = false;
        }
    }
}
