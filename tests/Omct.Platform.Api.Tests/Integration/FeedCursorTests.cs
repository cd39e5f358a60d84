using System.Buffers.Text;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.Integration.ChangeFeed;
using Xunit;

namespace Omct.Platform.Api.Tests.Integration;

/// <summary>The feed's cursors, without a database: what they encode, and that anything else is refused on <c>after</c>.</summary>
public sealed class FeedCursorTests
{
    private static readonly PgSnapshot Older = new(1_000, 1_010, [1_000, 1_004, 1_007]);
    private static readonly PgSnapshot Newer = new(1_004, 1_020, [1_004, 1_015]);

    public static TheoryData<string> Positions => new()
    {
        FeedPosition.Start.Encode(),
        FeedPosition.At(Older).Encode(),
        new FeedPosition(Older, Newer, 123_456_789_012, 0).Encode(),
        new FeedPosition(PgSnapshot.Empty, Newer, 1, 42).Encode(),
        new FeedPosition(new PgSnapshot(5_000_000_000, 5_000_000_000, []), new PgSnapshot(4_999_999_990, 5_000_000_100, [4_999_999_990]), 7, 0).Encode(),
    };

    [Theory]
    [MemberData(nameof(Positions))]
    public void A_position_survives_its_cursor(string cursor)
    {
        var decoded = FeedPosition.Decode(cursor);
        Assert.Equal(cursor, decoded.Encode());
    }

    [Fact]
    public void A_cursor_keeps_both_snapshots_the_sequence_and_the_filter()
    {
        var decoded = FeedPosition.Decode(new FeedPosition(Older, Newer, 99, 7).Encode());
        Assert.True(decoded.Seen.SameAs(Older));
        Assert.True(decoded.Bucket!.SameAs(Newer));
        Assert.Equal(99, decoded.AfterSequence);
        Assert.Equal(7u, decoded.Filter);
        Assert.Null(FeedPosition.Decode(FeedPosition.At(Newer).Encode()).Bucket);
        // Small: a page of a thousand edges carries a thousand of them.
        Assert.True(new FeedPosition(Older, Newer, 99, 7).Encode().Length < 40);
    }

    [Fact]
    public void The_snapshot_text_form_is_postgresqls()
    {
        Assert.Equal("1000:1010:1000,1004,1007", Older.ToString());
        Assert.True(PgSnapshot.Parse("1000:1010:1000,1004,1007").SameAs(Older));
        Assert.True(PgSnapshot.Parse("5:5:").SameAs(new PgSnapshot(5, 5, [])));
        Assert.True(Older.IsVisible(999));
        Assert.False(Older.IsVisible(1_004));
        Assert.True(Older.IsVisible(1_005));
        Assert.False(Older.IsVisible(1_010));
        Assert.False(PgSnapshot.Empty.IsVisible(3));
    }

    public static TheoryData<string> BadCursors()
    {
        var good = Base64Url.DecodeFromChars(new FeedPosition(Older, Newer, 5, 0).Encode());
        return new TheoryData<string>
        {
            "nonsense!",
            "AAAA",
            Base64Url.EncodeToString([2, .. good[1..]]),                 // an unknown version
            Base64Url.EncodeToString(good.AsSpan(0, good.Length - 2)),                        // cut short
            Base64Url.EncodeToString([.. good, 0]),                      // trailing bytes
            Base64Url.EncodeToString([1, 0, 10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0]), // xmax overflows
            Enc(new FeedPosition(new PgSnapshot(10, 5, []), null, 0, 0)),                      // xmin above xmax
            Enc(new FeedPosition(new PgSnapshot(10, 20, [25]), null, 0, 0)),                   // in progress beyond xmax
            Enc(new FeedPosition(new PgSnapshot(10, 20, [15, 12]), null, 0, 0)),               // not ascending
            Enc(new FeedPosition(Newer, Older, 0, 0)),                                          // the bucket older than what was seen
            Paging(),                                                                           // another list's cursor
            new string('A', 20_000),
        };
    }

    [Theory]
    [MemberData(nameof(BadCursors))]
    public void Anything_else_is_refused_as_VALIDATION_on_after(string cursor)
    {
        var error = Assert.Throws<DomainException>(() => FeedPosition.Decode(cursor));
        Assert.Equal(ErrorCodes.Validation, error.Code);
        Assert.Equal("after", error.Field);
    }

    // The encoder writes what it is given; a malformed snapshot must still be refused when read back.
    private static string Enc(FeedPosition position) => position.Encode();

    private static string Paging() => BuildingBlocks.GraphQL.Paging.EncodeCursor(42);
}
