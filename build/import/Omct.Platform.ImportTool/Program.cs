using System.CommandLine;
using Omct.Platform.ImportTool;
using Spectre.Console;

// build/import.sh FILE --mapping M [--dry-run]: see ImportCommand and the README's "Import" section.
var file = new Argument<FileInfo>("file") { Description = "The CSV, XLSX, JSON or NDJSON file to import." };
var mapping = new Option<string>("--mapping", "-m") { Description = "The saved column mapping to import it with (importMappings).", Required = true };
var dryRun = new Option<bool>("--dry-run") { Description = "Check every row and report what would be created or changed; write nothing." };
var url = new Option<string>("--url")
{
    Description = "The platform's address (default: $OMCT_URL, else http://localhost:5080, where build/run.sh serves it).",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OMCT_URL") is { Length: > 0 } u ? u : "http://localhost:5080",
};
var apiKey = new Option<string>("--api-key")
{
    Description = "An API key of STAFF or above (default: $OMCT_API_KEY; build/import.sh falls back to build/run.sh's .local/admin-api-key).",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OMCT_API_KEY") ?? "",
};
var errors = new Option<string?>("--errors") { Description = "Where to save the error report (CSV: line, column, message); default: FILE.errors.csv." };
var poll = new Option<int>("--poll-ms") { Description = "How often to ask for the run's progress, in milliseconds (100 to 10,000).", DefaultValueFactory = _ => 500 };

var root = new RootCommand("Imports a file into the OMCT platform through its API, with a dry run and a progress bar.")
{
    file, mapping, dryRun, url, apiKey, errors, poll,
};
root.SetAction(async (parsed, ct) =>
{
    var console = AnsiConsole.Console;
    var key = parsed.GetValue(apiKey);
    if (string.IsNullOrWhiteSpace(key))
    {
        console.MarkupLine("[red]No API key: give --api-key or set OMCT_API_KEY (a key of STAFF or above, from the console's API keys screen).[/]");
        return ImportCommand.NotStarted;
    }

    if (!Uri.TryCreate(parsed.GetValue(url), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
    {
        console.MarkupLine("[red]--url must be an http(s) address, e.g. http://localhost:5080.[/]");
        return ImportCommand.NotStarted;
    }

    var pollMs = parsed.GetValue(poll);
    if (pollMs is < 100 or > 10_000)
    {
        console.MarkupLine("[red]--poll-ms lies between 100 and 10,000.[/]");
        return ImportCommand.NotStarted;
    }

    using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
    var platform = new PlatformClient(http, key.Trim());
    return await new ImportCommand(platform, console, TimeSpan.FromMilliseconds(pollMs))
        .RunAsync(parsed.GetValue(file)!, parsed.GetValue(mapping)!, parsed.GetValue(dryRun), parsed.GetValue(errors), ct);
});

var result = root.Parse(args);
if (result.Errors.Count > 0 && !args.Contains("--help") && !args.Contains("-h"))
{
    foreach (var error in result.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine("Usage: build/import.sh FILE --mapping NAME [--dry-run] [--url URL] [--api-key KEY] [--errors PATH]  (--help for more)");
    return ImportCommand.NotStarted;
}

return await result.InvokeAsync();
