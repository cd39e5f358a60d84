using Ganss.Xss;
using Markdig;

namespace Omct.Platform.BuildingBlocks.Rendering;

/// <summary>
/// Markdown to safe HTML: Markdig (CommonMark, raw HTML in the Markdown escaped, not passed through),
/// then an HTML sanitiser as a second line (no script, no event handlers, no <c>javascript:</c> or
/// <c>data:</c> links). The raw Markdown is kept in the events; the HTML is derived. Shared by the news
/// module (article bodies) and the digests module (digests and reports), so both render the same way.
/// </summary>
public static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string ToHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedTags.Remove("input");
        sanitizer.AllowedTags.Remove("button");
        sanitizer.AllowedTags.Remove("textarea");
        sanitizer.AllowedTags.Remove("select");
        return sanitizer;
    }
}

/// <summary>Text from the records put into Markdown that the platform writes (digests, reports), so a title cannot become a link or a heading.</summary>
public static class MarkdownText
{
    /// <summary>Escapes what Markdown gives a meaning to inside a line, and folds line breaks into spaces: for text put after a marker (<c>- </c>, <c># </c>, a table cell).</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                // Inline text only (never at the start of a line: line breaks are folded), so list and heading markers
                // (-, +, 1., #) cannot take effect; what remains is emphasis, code, links, HTML, tables, strike-through, entities.
                case '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '~' or '&':
                    escaped.Append('\\').Append(c);
                    break;
                case '\r' or '\n':
                    escaped.Append(' ');
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }
}
