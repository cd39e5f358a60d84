namespace Omct.Platform.BuildingBlocks.Modules;

/// <summary>
/// Draws for generated data sets (the large demo, the benchmarks' data set) from a seeded
/// <see cref="Random"/>, so that a seed always gives the same data.
/// </summary>
public static class SeededRandom
{
    /// <summary>A version-4 Guid made of the generator's bytes (repeatable, unlike <see cref="Guid.NewGuid"/>).</summary>
    public static Guid NextGuid(this Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    public static T Pick<T>(this Random random, IReadOnlyList<T> values)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(values);
        return values[random.Next(values.Count)];
    }

    /// <summary>An index drawn with the given weights (in percent or any unit).</summary>
    public static int Weighted(this Random random, params int[] weights)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(weights);
        var roll = random.Next(weights.Sum());
        for (var i = 0; i < weights.Length; i++)
        {
            if (roll < weights[i])
            {
                return i;
            }

            roll -= weights[i];
        }

        return weights.Length - 1;
    }
}
