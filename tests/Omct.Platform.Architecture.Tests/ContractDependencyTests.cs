using System.Reflection;
using System.Xml.Linq;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Architecture.Tests;

/// <summary>
/// A module's contract (<c>*.Contracts</c>) is what other modules compile against: it depends only on the small
/// <c>Omct.Platform.BuildingBlocks.Abstractions</c> (callers, confidentiality, partial dates), never — directly or
/// through another project — on ASP.NET Core, GraphQL, Marten, Npgsql, Quartz, Markdig or HtmlSanitizer.
/// </summary>
public sealed class ContractDependencyTests
{
    private static readonly string[] Heavy =
        ["Microsoft.AspNetCore", "GraphQL", "Marten", "JasperFx", "Weasel", "Npgsql", "Quartz", "Markdig", "HtmlSanitizer", "AngleSharp"];

    private static readonly Assembly[] Contracts =
    [
        typeof(Omct.Platform.Cases.Contracts.ICaseDirectory).Assembly,
        typeof(Omct.Platform.Defenders.Contracts.IDefenderDirectory).Assembly,
        typeof(Omct.Platform.News.Contracts.IArticleDirectory).Assembly,
        typeof(Omct.Platform.Submissions.Contracts.ISubmissionDirectory).Assembly,
        typeof(Omct.Platform.Files.Contracts.IAttachedFiles).Assembly,
        typeof(Omct.Platform.Accounts.Contracts.AccountClearanceChanged).Assembly,
        typeof(Omct.Platform.Reminders.Contracts.IReminderSource).Assembly,
    ];

    public static TheoryData<string> ContractNames => new(Contracts.Select(c => c.GetName().Name!));

    [Theory]
    [MemberData(nameof(ContractNames))]
    public void A_contract_assembly_loads_nothing_heavy(string contract)
    {
        var heavy = HeavyAssemblies(Contracts.Single(c => c.GetName().Name == contract)).ToList();
        Assert.True(heavy.Count == 0, $"{contract} reaches {string.Join(", ", heavy)}");
    }

    [Theory]
    [MemberData(nameof(ContractNames))]
    public void A_contract_project_references_no_package_or_framework_directly_or_through_a_project(string contract)
    {
        var project = Path.Combine(RepositoryRoot.Path, "modules", contract, contract + ".csproj");
        var references = PackagesAndFrameworks(project).ToList();
        Assert.True(references.Count == 0, $"{contract} depends on {string.Join(", ", references)}");
    }

    [Fact]
    public void The_checks_catch_a_heavy_dependency()
    {
        // The building blocks carry Marten, GraphQL and ASP.NET Core: were a contract to reference them, both rules would refuse it.
        Assert.Contains(HeavyAssemblies(typeof(Omct.Platform.BuildingBlocks.Modules.PlatformModule).Assembly), a => a.StartsWith("Marten", StringComparison.Ordinal));
        var buildingBlocks = Path.Combine(RepositoryRoot.Path, "modules", "Omct.Platform.BuildingBlocks", "Omct.Platform.BuildingBlocks.csproj");
        Assert.Contains("Marten", PackagesAndFrameworks(buildingBlocks));
    }

    /// <summary>The heavy assemblies <paramref name="assembly"/> references, itself or through the platform's own assemblies.</summary>
    private static IEnumerable<string> HeavyAssemblies(Assembly assembly)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([assembly]);
        while (pending.TryPop(out var next))
        {
            foreach (var reference in next.GetReferencedAssemblies())
            {
                if (!seen.Add(reference.Name!))
                {
                    continue;
                }

                if (Heavy.Any(h => reference.Name!.StartsWith(h, StringComparison.Ordinal)))
                {
                    yield return reference.Name!;
                }
                else if (reference.Name!.StartsWith("Omct.Platform.", StringComparison.Ordinal))
                {
                    pending.Push(Assembly.Load(reference));
                }
            }
        }
    }

    /// <summary>The packages and shared frameworks a project references, itself or through its project references.</summary>
    private static IEnumerable<string> PackagesAndFrameworks(string project)
    {
        var document = XDocument.Load(project);
        foreach (var reference in document.Descendants().Where(e => e.Name.LocalName is "PackageReference" or "FrameworkReference"))
        {
            yield return reference.Attribute("Include")!.Value;
        }

        foreach (var reference in document.Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
        {
            var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, reference.Attribute("Include")!.Value.Replace('\\', '/')));
            foreach (var found in PackagesAndFrameworks(path))
            {
                yield return found;
            }
        }
    }
}
