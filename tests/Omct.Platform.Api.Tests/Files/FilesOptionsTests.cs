using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.Files;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>The storage and scanner settings are checked at start, each message naming its setting in both forms.</summary>
public sealed class FilesOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_PostgreSQL_without_scan() =>
        Assert.Empty(ValidatedSections.Errors(new FilesOptions(), FilesOptions.Section));

    [Fact]
    public void S3_without_its_settings_names_each_missing_setting()
    {
        var errors = ValidatedSections.Errors(new FilesOptions { Store = "s3", S3 = new S3StoreOptions { Region = "" } }, FilesOptions.Section);
        Assert.Contains(errors, e => e.StartsWith("Omct:Files:S3:ServiceUrl (Omct__Files__S3__ServiceUrl) must be the object store's http(s) URL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Omct:Files:S3:Bucket (Omct__Files__S3__Bucket) must be a bucket name", StringComparison.Ordinal));
        Assert.Contains("Omct:Files:S3:AccessKey (Omct__Files__S3__AccessKey) is required when Store is s3.", errors);
        Assert.Contains("Omct:Files:S3:SecretKey (Omct__Files__S3__SecretKey) is required when Store is s3.", errors);
        Assert.Contains(errors, e => e.StartsWith("Omct:Files:S3:Region (Omct__Files__S3__Region) is required", StringComparison.Ordinal));

        var complete = new FilesOptions
        {
            Store = "s3",
            S3 = new S3StoreOptions { ServiceUrl = "http://minio:9000", Bucket = "omct-files", AccessKey = "a", SecretKey = "s" },
        };
        Assert.Empty(ValidatedSections.Errors(complete, FilesOptions.Section));
    }

    [Theory]
    [InlineData("Store", "disk", "Omct:Files:Store (Omct__Files__Store) must be postgres or s3, not 'disk'.")]
    [InlineData("Clamd", "clamd", "Omct:Files:Clamd (Omct__Files__Clamd) must be host:port (e.g. 127.0.0.1:3310), not 'clamd'.")]
    [InlineData("Clamd", "clamd:99999", "Omct:Files:Clamd (Omct__Files__Clamd) must be host:port (e.g. 127.0.0.1:3310), not 'clamd:99999'.")]
    [InlineData("AbandonedUploadHours", "0", "Omct:Files:AbandonedUploadHours (Omct__Files__AbandonedUploadHours) must be from 1 to 720, not 0.")]
    public void A_wrong_value_is_refused_naming_the_setting(string setting, string value, string message)
    {
        var options = new FilesOptions();
        switch (setting)
        {
            case "Store":
                options.Store = value;
                break;
            case "Clamd":
                options.Clamd = value;
                break;
            default:
                options.AbandonedUploadHours = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
        }

        Assert.Equal([message], ValidatedSections.Errors(options, FilesOptions.Section));
    }
}
