using System.Reflection;
using Omct.Platform.BuildingBlocks.Modules;
using Xunit;

namespace Omct.Platform.Architecture.Tests;

/// <summary>
/// Modules talk to each other only through <c>*.Contracts</c> assemblies: a module that references
/// another module's implementation fails the build's tests.
/// </summary>
public sealed class ModuleBoundaryTests
{
    private static readonly Assembly[] Modules =
    [
        typeof(Omct.Platform.Access.AccessModuleRegistration).Assembly,
        typeof(Omct.Platform.Cases.CasesModuleRegistration).Assembly,
        typeof(Omct.Platform.Defenders.DefendersModuleRegistration).Assembly,
        typeof(Omct.Platform.News.NewsModuleRegistration).Assembly,
        typeof(Omct.Platform.Submissions.SubmissionsModuleRegistration).Assembly,
        typeof(Omct.Platform.Integration.IntegrationModuleRegistration).Assembly,
        typeof(Omct.Platform.Operations.OperationsModuleRegistration).Assembly,
        typeof(Omct.Platform.Reminders.RemindersModuleRegistration).Assembly,
        typeof(Omct.Platform.Digests.DigestsModuleRegistration).Assembly,
        typeof(Omct.Platform.Accounts.AccountsModuleRegistration).Assembly,
        typeof(Omct.Platform.Files.FilesModuleRegistration).Assembly,
        typeof(Omct.Platform.Import.ImportModuleRegistration).Assembly,
        typeof(Omct.Platform.Teamwork.TeamworkModuleRegistration).Assembly,
    ];

    public static TheoryData<string> ModuleNames => new(Modules.Select(m => m.GetName().Name!));

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void A_module_references_only_building_blocks_and_contracts(string moduleName)
    {
        var module = Modules.Single(m => m.GetName().Name == moduleName);
        var forbidden = ForbiddenReferences(module).ToList();
        Assert.True(forbidden.Count == 0, $"{moduleName} references other modules' internals: {string.Join(", ", forbidden)}");
    }

    [Fact]
    public void The_check_catches_a_forbidden_reference()
    {
        // The host references every module; were it a module, the rule would refuse it.
        var forbidden = ForbiddenReferences(typeof(Program).Assembly).ToList();
        Assert.Contains("Omct.Platform.Cases", forbidden);
    }

    [Fact]
    public void Every_module_registers_exactly_one_PlatformModule()
    {
        foreach (var module in Modules)
        {
            Assert.Single(module.GetTypes(), t => t.IsSubclassOf(typeof(PlatformModule)) && !t.IsAbstract);
        }
    }

    [Fact]
    public void Building_blocks_know_no_module()
    {
        var references = typeof(PlatformModule).Assembly.GetReferencedAssemblies().Select(a => a.Name!);
        Assert.DoesNotContain(references, r => r.StartsWith("Omct.Platform.", StringComparison.Ordinal) && r != Abstractions);
    }

    /// <summary>The part of the building blocks the contracts see (callers, confidentiality, partial dates).</summary>
    private const string Abstractions = "Omct.Platform.BuildingBlocks.Abstractions";

    private static IEnumerable<string> ForbiddenReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => name.StartsWith("Omct.Platform.", StringComparison.Ordinal)
                           && name != "Omct.Platform.BuildingBlocks" && name != Abstractions
                           && !name.EndsWith(".Contracts", StringComparison.Ordinal));
}
