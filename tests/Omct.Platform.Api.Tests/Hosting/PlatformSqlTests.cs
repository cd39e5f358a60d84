using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Storage;
using Xunit;

namespace Omct.Platform.Api.Tests.Hosting;

/// <summary>The stores' SQL helper: parameters by name, one keyset page in either order (the stores' own tests run it against PostgreSQL).</summary>
public sealed class PlatformSqlTests
{
    [Fact]
    public void A_newest_first_page_after_a_key_adds_the_key_and_the_size_as_named_parameters()
    {
        using var command = new NpgsqlCommand().BindNames("levels", new[] { Confidentiality.Public, Confidentiality.Staff })
            .KeysetPage("select id from t where level = any(@levels)", afterKey: 42, take: 10);

        Assert.Equal("select id from t where level = any(@levels) and order_key < @p2 order by order_key desc limit @p3", command.CommandText);
        Assert.Equal(["levels", "p2", "p3"], command.Parameters.Select(p => p.ParameterName));
        Assert.Equal(new[] { "Public", "Staff" }, (string[])command.Parameters["levels"].Value!);
        Assert.Equal(NpgsqlDbType.Array | NpgsqlDbType.Text, command.Parameters["levels"].NpgsqlDbType);
        Assert.Equal((42L, 10), ((long)command.Parameters["p2"].Value!, (int)command.Parameters["p3"].Value!));
    }

    [Fact]
    public void An_oldest_first_first_page_has_no_key_and_a_null_is_sql_null()
    {
        using var command = new NpgsqlCommand().Bind("owner", null, NpgsqlDbType.Text)
            .KeysetPage("select id from t where (@owner::text is null or owner = @owner)", afterKey: null, take: 5, newestFirst: false);

        Assert.Equal("select id from t where (@owner::text is null or owner = @owner) order by order_key asc limit @p2", command.CommandText);
        Assert.Equal(DBNull.Value, command.Parameters["owner"].Value);
    }
}
