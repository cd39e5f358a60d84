using System.Text;
using UglyToad.PdfPig;

namespace Omct.Platform.Files.Search;

/// <summary>
/// A PDF's text for the full-text search, bounded: the words of its first <see cref="MaxPages"/> pages, at most
/// <see cref="MaxCharacters"/> characters (PostgreSQL's tsvector holds at most 1 MB), control characters dropped.
/// </summary>
internal static class PdfText
{
    public const int MaxPages = 500;
    public const int MaxCharacters = 200_000;

    public static string Extract(PdfDocument document)
    {
        var text = new StringBuilder();
        for (var number = 1; number <= Math.Min(document.NumberOfPages, MaxPages) && text.Length < MaxCharacters; number++)
        {
            foreach (var word in document.GetPage(number).GetWords())
            {
                foreach (var c in word.Text)
                {
                    if (!char.IsControl(c))
                    {
                        text.Append(c);
                    }
                }

                text.Append(' ');
                if (text.Length >= MaxCharacters)
                {
                    break;
                }
            }

            text.Append('\n');
        }

        return text.Length > MaxCharacters ? text.ToString(0, MaxCharacters) : text.ToString().TrimEnd();
    }
}

/// <summary>The text extracted from a file (a PDF), kept beside it under its id; searched with the file's level and record (see <see cref="FileTextSearch"/>).</summary>
public sealed class FileText
{
    public Guid Id { get; set; }
    public string Text { get; set; } = "";
}
