using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Import;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The console's import screens in Debian's Chromium with a real XLSX workbook (the Open XML SDK, read by the import
/// module's ExcelDataReader): uploaded with tus, its columns mapped with a preview of its rows, the mapping saved by
/// name, a dry run that names the bad row's error (line, column, message), writes nothing and downloads its error
/// report with the session, then the import itself followed to its end and its records read back through GraphQL;
/// a saved mapping reused from the list; axe and screenshots in EN/FR/ES.
/// </summary>
public sealed class ImportConsoleTests(ConsoleFixture fixture, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    private GraphQLClient Admin => new(new HttpClient { BaseAddress = fixture.BaseUrl }, PlatformFactory.AdminKey);

    private static byte[] Workbook(string prefix) => ImportKit.Xlsx(
    [
        ["Ref", "Full name", "Country", "Gender"],
        [1, $"{prefix} Amara", "CM", "female"],
        [2, $"{prefix} Bilal", "TN", "MALE"],
        [3, $"{prefix} Chen", "ZZ", "MALE"],
    ]);

    private static Task UploadAsync(IPage page, byte[] content, string name, string type) =>
        page.Locator("[data-testid=import-upload-form] input[type=file]").SetInputFilesAsync(new FilePayload { Name = name, MimeType = type, Buffer = content });

    private static ILocator Combobox(IPage page, string name) => page.GetByRole(AriaRole.Textbox, new() { Name = name, Exact = true }).Or(
        page.GetByRole(AriaRole.Combobox, new() { Name = name, Exact = true })).First;

    [Fact]
    public async Task An_xlsx_file_is_uploaded_mapped_dry_run_with_its_bad_row_then_imported_and_its_defenders_exist()
    {
        var page = await ConsolePages.SignedInPageAsync(fixture, "import.staff@example.org", "STAFF", "STAFF");
        await page.GetByRole(AriaRole.Link, new() { Name = "Import", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/import$"));
        await page.Mouse.MoveAsync(600, 5); // off the navigation: a hovered link is not the screen's state
        await Expect(page.GetByTestId("import-upload-form")).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "import home (en)", output);

        // Nothing chosen: the error is on the file field.
        await page.GetByTestId("import-upload").ClickAsync();
        await Expect(page.GetByLabel("File to import")).ToHaveAttributeAsync("aria-invalid", "true");

        await UploadAsync(page, Workbook("Console"), "defenders.xlsx", ImportKit.XlsxType);
        await page.GetByTestId("import-upload").ClickAsync();
        await Expect(page.GetByTestId("import-mapping-title")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("import-file")).ToContainTextAsync("defenders.xlsx · XLSX");
        var preview = page.GetByTestId("import-preview");
        await Expect(preview.Locator("thead th")).ToHaveTextAsync(["Line", "Ref", "Full name", "Country", "Gender"]);
        await Expect(preview.Locator("tbody tr")).ToHaveCountAsync(3);
        await Expect(preview.Locator("tbody tr[data-line='2'] td")).ToHaveTextAsync(["1", "Console Amara", "CM", "female"]);

        await ConsolePages.ChooseAsync(page, Combobox(page, "What the file holds"), "Defenders");
        var columns = page.GetByTestId("import-columns");
        await Expect(columns.Locator("tr[data-column='Gender'] input[data-testid=import-column-field]")).ToHaveValueAsync("gender"); // same name: mapped at once
        await ConsolePages.ChooseAsync(page, Combobox(page, "Imported as: column Full name"), "name (required)");
        await ConsolePages.ChooseAsync(page, Combobox(page, "Key column"), "Ref");
        await ConsolePages.ChooseAsync(page, Combobox(page, "Default confidentiality"), "Network");

        // A required field left unmapped, and no name: each error where it belongs, nothing saved.
        await page.GetByTestId("import-save-mapping").ClickAsync();
        await Expect(page.GetByTestId("import-columns-error")).ToContainTextAsync("countryCode");
        await Expect(page.GetByTestId("import-mapping-name")).ToHaveAttributeAsync("aria-invalid", "true");
        await ConsolePages.ChooseAsync(page, Combobox(page, "Imported as: column Country"), "countryCode (required)");
        await page.GetByTestId("import-mapping-name").FillAsync("console-defenders");
        await Expect(page.GetByTestId("import-start-dry")).ToBeDisabledAsync(); // not saved yet
        await ConsolePages.AssertAccessibleAsync(page, "import mapping (en)", output);
        await ScreenshotAsync(page, "import-mapping-en");

        // Saved with the keyboard.
        await page.GetByTestId("import-mapping-name").FocusAsync();
        Assert.True(await ConsolePages.TabToAsync(page, "e => e.dataset.testid === 'import-save-mapping'", 5), "Tab never reached Save the mapping");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("import-mapping-saved")).ToContainTextAsync("Saved as “console-defenders” (version 1).");
        var mapping = (await Admin.QueryAsync("{ importMapping(name: \"console-defenders\") { kind keyColumn columns { column field } fixedValues { field value } } }")).GetProperty("importMapping");
        Assert.Equal("DEFENDER", mapping.GetProperty("kind").GetString());
        Assert.Equal("Ref", mapping.GetProperty("keyColumn").GetString());
        Assert.Equal(["Full name=name", "Country=countryCode", "Gender=gender"],
            mapping.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("column").GetString() + "=" + c.GetProperty("field").GetString()).ToArray());
        Assert.Equal("confidentiality=NETWORK", Assert.Single(mapping.GetProperty("fixedValues").EnumerateArray().Select(f => f.GetProperty("field").GetString() + "=" + f.GetProperty("value").GetString())));

        // The dry run: the bad row's error by line, column and message; would create two; nothing written.
        await page.GetByTestId("import-start-dry").ClickAsync();
        await Expect(page.GetByTestId("import-run-title")).ToHaveTextAsync("Dry run of defenders.xlsx");
        await Expect(page.GetByTestId("import-run-status")).ToHaveAttributeAsync("data-status", "SUCCEEDED", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("import-finished")).ToHaveTextAsync("Dry run finished: nothing was written.");
        await Expect(page.GetByText("Mapping “console-defenders” · Defenders · started by you on")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("import-rows")).ToHaveTextAsync("3 of 3 rows");
        await Expect(page.Locator("[data-figure=created] dd")).ToHaveTextAsync("2");
        await Expect(page.Locator("[data-figure=errorRows] dd")).ToHaveTextAsync("1");
        var errorRow = page.GetByTestId("import-errors").Locator("tbody tr");
        await Expect(errorRow).ToHaveCountAsync(1);
        await Expect(errorRow.Locator("th")).ToHaveTextAsync("4");
        await Expect(errorRow.Locator("td").First).ToHaveTextAsync("Country");
        await Expect(errorRow.Locator("td").Nth(1)).ToContainTextAsync("ZZ");
        Assert.Equal(0, await DefendersAsync("Console"));
        await ConsolePages.AssertAccessibleAsync(page, "import dry run (en)", output);
        await ScreenshotAsync(page, "import-dry-run-en");

        // The error report, downloaded with the session alone.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("import-error-report").ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.StartsWith("line,column,message", csv, StringComparison.Ordinal);
        Assert.Contains("4,Country,", csv, StringComparison.Ordinal);

        // The import itself, from the dry run's page, with the keyboard: followed to its end.
        await page.GetByTestId("import-error-report").FocusAsync();
        Assert.True(await ConsolePages.TabToAsync(page, "e => e.dataset.testid === 'import-start-after-dry'", 10), "Tab never reached Start the import");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("import-run-title")).ToHaveTextAsync("Import of defenders.xlsx");
        await Expect(page.GetByTestId("import-run-status")).ToHaveAttributeAsync("data-status", "SUCCEEDED", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("import-finished")).ToHaveTextAsync("Import finished.");
        await Expect(page.GetByTestId("import-rows")).ToHaveTextAsync("3 of 3 rows");
        await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Rows done" })).ToHaveAttributeAsync("aria-valuenow", "100");
        await Expect(page.Locator("[data-figure=created] dd")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("import-errors").Locator("tbody tr[data-line='4']")).ToHaveCountAsync(1);
        await ConsolePages.AssertAccessibleAsync(page, "import run (en)", output);
        await ScreenshotAsync(page, "import-run-en");

        // The records exist, as the mapping said: NETWORK by the fixed value, the country and gender from the file.
        var defenders = (await Admin.QueryAsync("{ defenders(filter: { text: \"Console\" }) { nodes { name gender confidentiality country { code } } } }"))
            .GetProperty("defenders").GetProperty("nodes").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!);
        Assert.Equal(["Console Amara", "Console Bilal"], defenders.Keys.Order().ToArray());
        Assert.Equal(("FEMALE", "NETWORK", "CM"), (defenders["Console Amara"].GetProperty("gender").GetString(),
            defenders["Console Amara"].GetProperty("confidentiality").GetString(), defenders["Console Amara"].GetProperty("country").GetProperty("code").GetString()));
        Assert.Equal("TN", defenders["Console Bilal"].GetProperty("country").GetProperty("code").GetString());

        // The past runs: the import, then the dry run.
        await page.GetByRole(AriaRole.Link, new() { Name = "Import another file" }).ClickAsync();
        var runs = page.GetByTestId("import-runs").Locator("tbody tr");
        await Expect(runs).ToHaveCountAsync(2);
        await Expect(runs.Nth(0).Locator("td").Nth(0)).ToHaveTextAsync("Import");
        await Expect(runs.Nth(1).Locator("td").Nth(0)).ToHaveTextAsync("Dry run");
        await Expect(runs.Nth(0)).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        await ConsolePages.AssertAccessibleAsync(page, "import home with runs (en)", output);
        await ScreenshotAsync(page, "import-home-en");
    }

    [Fact]
    public async Task A_running_import_is_cancelled_from_its_progress_and_stops_before_the_end()
    {
        await Admin.QueryAsync(
            "mutation { saveImportMapping(input: { name: \"cancel-orgs\", kind: ORGANISATION, keyColumn: \"ref\", columns: [{ column: \"org name\", field: \"name\" }, { column: \"country\", field: \"countryCode\" }] }) { importMapping { id } } }");
        var csv = ImportKit.Csv(new[] { new[] { "ref", "org name", "country" } }.Concat(Enumerable.Range(0, 5000).Select(i => new[] { $"C{i:D5}", $"Cancel org {i:D5}", "CM" })));
        var page = await ConsolePages.SignedInPageAsync(fixture, "import.cancel@example.org", "STAFF", "STAFF");
        await page.GotoAsync(fixture.Url("/import"));
        await UploadAsync(page, csv, "organisations.csv", "text/csv");
        await page.GetByTestId("import-upload").ClickAsync();
        await Expect(page.GetByTestId("import-preview").Locator("tbody tr")).ToHaveCountAsync(10);
        await ConsolePages.ChooseAsync(page, page.GetByTestId("import-saved-mapping"), "cancel-orgs (Organisations)");
        await page.GetByTestId("import-start-real").ClickAsync();
        await Expect(page.GetByTestId("import-run-title")).ToHaveTextAsync("Import of organisations.csv");
        await page.GetByTestId("import-cancel").ClickAsync();
        await Expect(page.GetByTestId("import-run-status")).ToHaveAttributeAsync("data-status", "CANCELLED", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("import-cancel")).ToHaveCountAsync(0);

        // Stopped after the row it was on: fewer organisations than rows, as many as the run says it did.
        await Expect(page.GetByTestId("import-rows")).ToContainTextAsync("of 5,000 rows");
        var done = long.Parse(Regex.Match(await page.GetByTestId("import-rows").InnerTextAsync(), "^([0-9,]+) of").Groups[1].Value.Replace(",", "", StringComparison.Ordinal),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(done, 0, 4999);
        var organisations = (await Admin.QueryAsync("{ organisations(filter: { text: \"Cancel org\" }) { totalCount } }")).GetProperty("organisations").GetProperty("totalCount").GetInt32();
        Assert.Equal(done, organisations);
    }

    [Theory]
    [InlineData("fr", "Importation", "Défenseur·es", "Essai à blanc de", "Lignes traitées", "obligatoire")]
    [InlineData("es", "Importación", "Defensores", "Prueba en seco de", "Filas procesadas", "obligatorio")]
    public async Task A_saved_mapping_is_reused_and_every_screen_is_in_the_persons_language(string language, string nav, string kind, string dryTitle, string progress, string required)
    {
        var name = $"saved-{language}";
        await Admin.QueryAsync(
            "mutation($n: String!) { saveImportMapping(input: { name: $n, kind: DEFENDER, keyColumn: \"Ref\", columns: [{ column: \"Full name\", field: \"name\" }, { column: \"Country\", field: \"countryCode\" }] }) { importMapping { id } } }",
            new { n = name });
        var page = await ConsolePages.SignedInPageAsync(fixture, $"import.{language}@example.org", "STAFF", "STAFF", language);
        await page.GetByRole(AriaRole.Link, new() { Name = nav, Exact = true }).ClickAsync();
        await page.Mouse.MoveAsync(600, 5);
        await Expect(page.GetByTestId("import-upload-form")).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, $"import home ({language})", output);
        await ScreenshotAsync(page, $"import-home-{language}");

        await UploadAsync(page, Workbook("Saved" + language), $"defenders-{language}.xlsx", ImportKit.XlsxType);
        await page.GetByTestId("import-upload").ClickAsync();
        await Expect(page.GetByTestId("import-mapping-title")).ToBeVisibleAsync();
        await ConsolePages.ChooseAsync(page, page.GetByTestId("import-saved-mapping"), $"{name} ({kind})");
        await Expect(page.GetByTestId("import-mapping-name")).ToHaveValueAsync(name);
        await Expect(page.GetByTestId("import-key-column")).ToHaveValueAsync("Ref");
        await Expect(page.GetByTestId("import-columns").Locator("tr[data-column='Country'] input[data-testid=import-column-field]")).ToHaveValueAsync($"countryCode ({required})");
        await Expect(page.GetByTestId("import-start-dry")).ToBeEnabledAsync();
        await ConsolePages.AssertAccessibleAsync(page, $"import mapping ({language})", output);
        await ScreenshotAsync(page, $"import-mapping-{language}");

        await page.GetByTestId("import-start-dry").ClickAsync();
        await Expect(page.GetByTestId("import-run-title")).ToHaveTextAsync($"{dryTitle} defenders-{language}.xlsx");
        await Expect(page.GetByTestId("import-run-status")).ToHaveAttributeAsync("data-status", "SUCCEEDED", new() { Timeout = 60_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = progress })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("import-errors").Locator("tbody tr[data-line='4'] td").First).ToHaveTextAsync("Country");
        await ConsolePages.AssertAccessibleAsync(page, $"import dry run ({language})", output);
        await ScreenshotAsync(page, $"import-dry-run-{language}");
        Assert.Equal(0, await DefendersAsync("Saved" + language));
    }

    /// <summary>From the top of the page: a full-page screenshot of a scrolled page draws the fixed header mid-way.</summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await ConsolePages.ScreenshotAsync(page, name);
    }

    private async Task<int> DefendersAsync(string text) =>
        (await Admin.QueryAsync("query($t: String!) { defenders(filter: { text: $t }) { totalCount } }", new { t = text }))
        .GetProperty("defenders").GetProperty("totalCount").GetInt32();
}
