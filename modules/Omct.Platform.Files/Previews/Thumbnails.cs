using SkiaSharp;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Omct.Platform.Files.Previews;

/// <summary>
/// Thumbnails, as PNG, at most <see cref="MaxSide"/> pixels on their longer side: an image scaled down from its shown
/// copy; a PDF's first page drawn from what PdfPig reads of it (there is no PDF renderer here): the page white, its
/// images placed at their bounds, its letters at their positions in a default typeface — enough to recognise a page.
/// </summary>
internal static class Thumbnails
{
    public const int MaxSide = 320;
    public const string MediaType = "image/png";

    /// <summary>At most this many letters and images are drawn on a page's thumbnail (a crafted page cannot make it slow).</summary>
    private const int MaxLetters = 20_000;
    private const int MaxImages = 50;
    private const long MaxImagePixels = 16_000_000;

    public static byte[] OfImage(SKBitmap image)
    {
        var (width, height) = Fit(image.Width, image.Height);
        using var scaled = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(scaled))
        using (var source = SKImage.FromBitmap(image))
        {
            canvas.Clear(SKColors.Transparent);
            canvas.DrawImage(source, new SKRect(0, 0, width, height), new SKSamplingOptions(SKCubicResampler.Mitchell), null);
        }

        return Png(scaled);
    }

    /// <summary>The first page of the PDF, or null when it has none or cannot be read.</summary>
    public static byte[]? OfPdfFirstPage(PdfDocument document)
    {
        if (document.NumberOfPages < 1)
        {
            return null;
        }

        var page = document.GetPage(1);
        var box = page.CropBox.Bounds;
        if (box.Width <= 0 || box.Height <= 0)
        {
            return null;
        }

        var (width, height) = Fit(box.Width, box.Height);
        var scale = (float)(width / box.Width);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(scale);
            // PDF space: origin at the bottom left of the box, y up; the canvas: top left, y down.
            SKRect ToCanvas(double left, double bottom, double right, double top) =>
                new((float)(left - box.Left), (float)(box.Top - top), (float)(right - box.Left), (float)(box.Top - bottom));

            foreach (var image in page.GetImages().Take(MaxImages))
            {
                DrawImage(canvas, image, ToCanvas(image.BoundingBox.Left, image.BoundingBox.Bottom, image.BoundingBox.Right, image.BoundingBox.Top));
            }

            using var paint = new SKPaint { Color = new SKColor(0x20, 0x20, 0x20), IsAntialias = true };
            using var boxes = new SKPaint { Color = new SKColor(0x60, 0x60, 0x60) };
            var typeface = SKTypeface.Default;
            var drawsText = typeface.GlyphCount > 0;
            using var font = new SKFont(typeface, 10);
            foreach (var letter in page.Letters.Take(MaxLetters))
            {
                if (string.IsNullOrWhiteSpace(letter.Value))
                {
                    continue;
                }

                var glyph = letter.BoundingBox;
                if (drawsText && letter.PointSize > 0)
                {
                    font.Size = (float)letter.PointSize;
                    canvas.DrawText(letter.Value, (float)(letter.StartBaseLine.X - box.Left), (float)(box.Top - letter.StartBaseLine.Y), SKTextAlign.Left, font, paint);
                }
                else
                {
                    // Without a typeface (no fonts on the machine), the letter's box: the page's text still shows as text.
                    canvas.DrawRect(ToCanvas(glyph.Left, glyph.Bottom, glyph.Right, glyph.Top), boxes);
                }
            }
        }

        return Png(bitmap);
    }

    private static void DrawImage(SKCanvas canvas, IPdfImage image, SKRect bounds)
    {
        if ((long)image.WidthInSamples * image.HeightInSamples > MaxImagePixels || bounds.Width <= 0 || bounds.Height <= 0)
        {
            return;
        }

        // A PNG when PdfPig can make one (raw samples, Flate); else the stream as stored (a JPEG: DCTDecode), if Skia reads it.
        var bytes = image.TryGetPng(out var png) ? png : image.RawMemory.ToArray();
        using var decoded = SKBitmap.Decode(bytes);
        if (decoded is null)
        {
            return;
        }

        using var picture = SKImage.FromBitmap(decoded);
        canvas.DrawImage(picture, bounds, new SKSamplingOptions(SKFilterMode.Linear), null);
    }

    /// <summary>The size that fits <see cref="MaxSide"/> keeping the proportions (never larger than the source, never 0).</summary>
    private static (int Width, int Height) Fit(double width, double height)
    {
        var scale = Math.Min(1.0, MaxSide / Math.Max(width, height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    private static byte[] Png(SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
