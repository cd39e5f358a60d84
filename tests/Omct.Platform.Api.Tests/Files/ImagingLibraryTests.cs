using SkiaSharp;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>SkiaSharp's native library loads on this platform (the NoDependencies Linux build) and encodes and decodes an image.</summary>
public sealed class ImagingLibraryTests
{
    [Fact]
    public void SkiaSharp_loads_natively_and_round_trips_a_PNG()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(40, 30, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var paint = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(10, 10, 5, 5, paint);
        }

        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var decoded = SKBitmap.Decode(png.ToArray());
        Assert.Equal(40, decoded.Width);
        Assert.Equal(30, decoded.Height);
        Assert.Equal(SKColors.Red, decoded.GetPixel(12, 12));
        Assert.Equal(SKColors.White, decoded.GetPixel(1, 1));
    }
}
