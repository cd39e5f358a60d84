using SkiaSharp;

namespace Omct.Platform.Files.Content;

/// <summary>An image that cannot become a shown copy: too many pixels, or not decodable.</summary>
internal sealed class ImageRefusedException(string message) : Exception(message);

/// <summary>
/// The shown copy of an uploaded image: decoded (after its size is checked against the pixel limit, from the header
/// alone), turned upright as its EXIF orientation says, and encoded again in its own format. Skia's encoders write no
/// EXIF, XMP, IPTC or comment: GPS positions, camera serials, owner names and editing history stay in the original.
/// </summary>
internal static class ImageCopies
{
    public const int JpegQuality = 90;

    /// <summary>Decodes <paramref name="content"/> upright; refuses an image above <paramref name="maxPixels"/> before decoding a pixel.</summary>
    public static SKBitmap DecodeUpright(Stream content, long maxPixels)
    {
        using var codec = SKCodec.Create(content) ?? throw new ImageRefusedException("The image could not be decoded.");
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > maxPixels)
        {
            throw new ImageRefusedException(
                $"The image is {info.Width} × {info.Height} pixels: at most {maxPixels:N0} pixels are accepted.");
        }

        var decoded = SKBitmap.Decode(codec, info.WithColorType(SKColorType.Rgba8888).WithAlphaType(info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul))
                      ?? throw new ImageRefusedException("The image could not be decoded.");
        var upright = Upright(decoded, codec.EncodedOrigin);
        if (!ReferenceEquals(upright, decoded))
        {
            decoded.Dispose();
        }

        return upright;
    }

    /// <summary>The image encoded again in <paramref name="type"/>'s format (JPEG, PNG or WebP), without any metadata.</summary>
    public static byte[] Encode(SKBitmap bitmap, FileType type)
    {
        var format = type == FileTypes.Png ? SKEncodedImageFormat.Png : type == FileTypes.WebP ? SKEncodedImageFormat.Webp : SKEncodedImageFormat.Jpeg;
        using var data = bitmap.Encode(format, JpegQuality) ?? throw new ImageRefusedException("The image could not be encoded again.");
        return data.ToArray();
    }

    /// <summary>Draws <paramref name="source"/> as the EXIF origin says it is meant to be seen.</summary>
    private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return source;
        }

        float w = source.Width, h = source.Height;
        var turned = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(new SKImageInfo(turned ? source.Height : source.Width, turned ? source.Width : source.Height, source.ColorType, source.AlphaType));
        using var canvas = new SKCanvas(result);
        // The canvas applies the last transform first: each case maps the source's (x, y) to where it is seen.
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: // mirrored: (w - x, y)
                canvas.Translate(w, 0);
                canvas.Scale(-1, 1);
                break;
            case SKEncodedOrigin.BottomRight: // upside down: (w - x, h - y)
                canvas.Translate(w, h);
                canvas.RotateDegrees(180);
                break;
            case SKEncodedOrigin.BottomLeft: // flipped: (x, h - y)
                canvas.Translate(0, h);
                canvas.Scale(1, -1);
                break;
            case SKEncodedOrigin.LeftTop: // transposed: (y, x)
                canvas.Scale(-1, 1);
                canvas.RotateDegrees(90);
                break;
            case SKEncodedOrigin.RightTop: // a quarter turn clockwise: (h - y, x)
                canvas.Translate(h, 0);
                canvas.RotateDegrees(90);
                break;
            case SKEncodedOrigin.RightBottom: // transverse: (h - y, w - x)
                canvas.Translate(h, w);
                canvas.Scale(-1, 1);
                canvas.RotateDegrees(-90);
                break;
            case SKEncodedOrigin.LeftBottom: // a quarter turn anticlockwise: (y, w - x)
                canvas.Translate(0, w);
                canvas.RotateDegrees(-90);
                break;
        }

        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), null);
        return result;
    }
}
