using System.IO.Compression;
using System.Text;
using Omct.Platform.Files.Content;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>The type allow-list by content (never by name) and the sanitised names, without a database.</summary>
public sealed class FileContentTests
{
    [Fact]
    public void Each_accepted_type_is_known_by_its_magic_bytes()
    {
        Assert.Equal(FileTypes.Pdf, Detect("%PDF-1.7\n%âãÏÓ"u8.ToArray()));
        Assert.Equal(FileTypes.Jpeg, Detect([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F']));
        Assert.Equal(FileTypes.Png, Detect([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]));
        Assert.Equal(FileTypes.WebP, Detect([.. "RIFF"u8, 0x24, 0, 0, 0, .. "WEBPVP8 "u8]));
        Assert.Equal(FileTypes.Docx, Detect(Zip("[Content_Types].xml", "word/document.xml")));
        Assert.Equal(FileTypes.Xlsx, Detect(Zip("[Content_Types].xml", "xl/workbook.xml")));
        Assert.Equal(FileTypes.Odt, Detect(Zip(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office/>"))));
        Assert.Equal(FileTypes.Text, Detect(Encoding.UTF8.GetBytes("Témoignage, Minsk, 2011.\r\n\tSuite.")));
        Assert.Equal(FileTypes.Text, Detect(Encoding.UTF8.GetBytes("<3 to the team")));
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>x</body></html>")]
    [InlineData("\uFEFF   <html><script>alert(1)</script></html>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]
    [InlineData("<?xml version=\"1.0\"?><x/>")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("MZ\u0090\0\u0003")]
    [InlineData("GIF89a\u0001\0")]
    public void Markup_executables_and_other_types_are_refused(string content) =>
        Assert.Null(Detect(Encoding.UTF8.GetBytes(content)));

    [Fact]
    public void A_zip_that_is_no_office_document_is_refused()
    {
        Assert.Null(Detect(Zip("payload.exe")));
        Assert.Null(Detect(Zip("[Content_Types].xml", "macro.bin")));
        Assert.Null(Detect(Zip(("mimetype", "application/zip"))));
        // A ZIP header with nothing behind it.
        Assert.Null(Detect([.. "PK\u0003\u0004"u8, 1, 2, 3]));
    }

    [Fact]
    public void Text_that_is_not_UTF8_throughout_is_refused_even_across_chunks()
    {
        var euro = Encoding.UTF8.GetBytes("€");
        var split = new TextCheck();
        split.Add(euro.AsSpan(0, 2), last: false);
        split.Add(euro.AsSpan(2), last: true);
        Assert.True(split.IsText);

        var latin1 = new TextCheck();
        latin1.Add("ok"u8, last: false);
        latin1.Add([0xE9, (byte)'t', (byte)'e'], last: true);
        Assert.False(latin1.IsText);

        var cut = new TextCheck();
        cut.Add(euro.AsSpan(0, 2), last: true);
        Assert.False(cut.IsText);
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\x\\report.pdf", "report.pdf")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("a<b>c:d\"e|f?g*h.txt", "abcdefgh.txt")]
    [InlineData("line\r\nbreak\t.pdf", "linebreak.pdf")]
    [InlineData("...", "file")]
    [InlineData("", "file")]
    [InlineData(null, "file")]
    public void Names_are_sanitised(string? given, string kept) => Assert.Equal(kept, FileNames.Sanitise(given));

    [Fact]
    public void A_long_name_keeps_its_end_and_the_name_ends_with_the_contents_extension()
    {
        var name = FileNames.Sanitise(new string('a', 300) + ".pdf");
        Assert.Equal(FileNames.MaxLength, name.Length);
        Assert.EndsWith(".pdf", name, StringComparison.Ordinal);
        Assert.Equal("scan.pdf.png", FileNames.ForType("scan.pdf", FileTypes.Png));
        Assert.Equal("photo.JPEG", FileNames.ForType("photo.JPEG", FileTypes.Jpeg));
        Assert.Equal("notes.txt", FileNames.ForType("notes.txt", FileTypes.Text));
    }

    private static FileType? Detect(byte[] content) =>
        FileTypes.Detect(content.AsSpan(0, Math.Min(content.Length, FileTypes.HeadSize)), () => new MemoryStream(content));

    private static byte[] Zip(params string[] names) => Zip(names.Select(n => (n, "x")).ToArray());

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                // The ODF mimetype entry is stored uncompressed, first, as the format asks.
                var entry = zip.CreateEntry(name, name == "mimetype" ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                using var writer = new StreamWriter(entry.Open());
                writer.Write(text);
            }
        }

        return memory.ToArray();
    }
}
