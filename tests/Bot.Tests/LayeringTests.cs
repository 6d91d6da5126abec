using System.Collections.Concurrent;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;

namespace CaravanBot.Bot.Tests;

/// <summary>
/// The layers of bot/ are projects (README, "CaravanBot on Discord"), and these tests hold them to it: each
/// project reaches only the CaravanBot projects its row allows, only the answer-log stores (and the host,
/// through them) reach a database driver, and only the host reaches a store. "Reaches" is checked twice: as
/// declared to the build (project and package references, transitively, from this test's deps.json, so a
/// reference that no code uses yet counts too) and as compiled (assembly references in the IL, transitively).
/// </summary>
public sealed class LayeringTests
{
    /// <summary>The executable: the command line and the host, which wires every layer and may reach them all.</summary>
    private const string Host = "caravanbot";

    /// <summary>The answer log's interface, records and options: what the features see of the log.</summary>
    private const string AnswerLogAbstraction = "CaravanBot.AnswerLog";

    /// <summary>Every answer-log store is a project named after the abstraction, one per store (CaravanBot.AnswerLog.Sqlite, …).</summary>
    private const string StorePrefix = AnswerLogAbstraction + ".";

    /// <summary>Database client libraries (name prefixes): the stores' business alone.</summary>
    private static readonly string[] DatabaseDrivers = ["Microsoft.Data.Sqlite", "SQLitePCLRaw", "Npgsql"];

    /// <summary>The CaravanBot projects each layer may reach; a store may reach the abstraction only. The host is not listed.</summary>
    private static readonly Dictionary<string, string[]> AllowedProjects = new(StringComparer.Ordinal)
    {
        ["CaravanBot.Retrieval"] = [],
        ["CaravanBot.Discord"] = [],
        [AnswerLogAbstraction] = [],
        ["CaravanBot.Features"] = ["CaravanBot.Retrieval", "CaravanBot.Discord", AnswerLogAbstraction],
    };

    private static readonly Lazy<Dictionary<string, string[]>> Declared = new(ReadDeclaredDependencies);
    private static readonly ConcurrentDictionary<string, string[]> CompiledReferences = new(StringComparer.Ordinal);

    public static TheoryData<string> Layers()
    {
        var layers = new TheoryData<string>();
        foreach (var project in ProjectsUnderTheHost())
        {
            layers.Add(project);
        }

        return layers;
    }

    [Fact]
    public void Every_project_the_host_builds_on_has_a_row_in_the_layer_table()
    {
        var projects = ProjectsUnderTheHost();

        // The layers this checkout has; a test that found none of them would prove nothing.
        Assert.Superset(
            new HashSet<string>(["CaravanBot.Retrieval", "CaravanBot.Discord", AnswerLogAbstraction, "CaravanBot.AnswerLog.Sqlite", "CaravanBot.AnswerLog.Postgres", "CaravanBot.Features"]),
            projects.ToHashSet());
        var unplaced = projects.Where(p => !AllowedProjects.ContainsKey(p) && !IsStore(p)).ToList();
        Assert.True(unplaced.Count == 0, $"Give {string.Join(", ", unplaced)} a row in {nameof(AllowedProjects)}: which CaravanBot projects may it reach?");
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void A_layer_reaches_only_the_projects_its_row_allows_as_declared(string project) =>
        AssertReachesOnlyAllowed(project, DeclaredClosure(project), "declared");

    [Theory]
    [MemberData(nameof(Layers))]
    public void A_layer_reaches_only_the_projects_its_row_allows_as_compiled(string project) =>
        AssertReachesOnlyAllowed(project, CompiledClosure(project), "compiled");

    [Fact]
    public void The_protocol_client_reaches_no_retrieval_features_answer_log_or_database()
    {
        foreach (var (how, reached) in new[] { ("declared", DeclaredClosure("CaravanBot.Discord")), ("compiled", CompiledClosure("CaravanBot.Discord")) })
        {
            var forbidden = reached.Where(r => r.StartsWith("CaravanBot.", StringComparison.Ordinal) || r == Host || IsDatabaseDriver(r)).Order(StringComparer.Ordinal);
            Assert.True(!forbidden.Any(), $"The protocol client reaches {string.Join(", ", forbidden)} ({how}); it must stand alone.");
        }
    }

    [Fact]
    public void Only_the_stores_and_the_host_reach_a_database_driver()
    {
        foreach (var project in ProjectsUnderTheHost().Where(p => !IsStore(p)))
        {
            Assert.True(!DeclaredClosure(project).Any(IsDatabaseDriver), $"{project} references a database driver: {string.Join(", ", DeclaredClosure(project).Where(IsDatabaseDriver))}");
            Assert.True(!CompiledClosure(project).Any(IsDatabaseDriver), $"{project} is compiled against a database driver: {string.Join(", ", CompiledClosure(project).Where(IsDatabaseDriver))}");
        }
    }

    [Fact]
    public void The_SQLite_driver_is_referenced_by_the_SQLite_store_alone_and_the_host_reaches_it_through_the_store()
    {
        var referencingSqlite = ProjectsUnderTheHost().Append(Host).Where(project => Declared.Value[project].Contains("Microsoft.Data.Sqlite"));

        Assert.Equal(["CaravanBot.AnswerLog.Sqlite"], referencingSqlite);
        Assert.Contains("CaravanBot.AnswerLog.Sqlite", Declared.Value[Host]);
        Assert.Contains("Microsoft.Data.Sqlite", DeclaredClosure(Host));
    }

    [Fact]
    public void The_PostgreSQL_driver_is_referenced_by_the_PostgreSQL_store_alone_and_the_host_reaches_it_through_the_store()
    {
        var referencingNpgsql = ProjectsUnderTheHost().Append(Host).Where(project => Declared.Value[project].Contains("Npgsql"));

        Assert.Equal(["CaravanBot.AnswerLog.Postgres"], referencingNpgsql);
        Assert.Contains("CaravanBot.AnswerLog.Postgres", Declared.Value[Host]);
        Assert.Contains("Npgsql", DeclaredClosure(Host));
        Assert.Contains("Npgsql", CompiledClosure("CaravanBot.AnswerLog.Postgres"));
    }

    private static void AssertReachesOnlyAllowed(string project, IReadOnlySet<string> reached, string how)
    {
        string[] allowed = IsStore(project) ? [AnswerLogAbstraction] : AllowedProjects[project];
        var forbidden = reached
            .Where(r => (r.StartsWith("CaravanBot.", StringComparison.Ordinal) || r == Host) && !allowed.Contains(r))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(forbidden.Count == 0, $"{project} reaches {string.Join(", ", forbidden)} ({how}); it may reach only [{string.Join(", ", allowed)}].");
    }

    private static bool IsStore(string project) => project.StartsWith(StorePrefix, StringComparison.Ordinal);

    private static bool IsDatabaseDriver(string library) =>
        DatabaseDrivers.Any(driver => library.StartsWith(driver, StringComparison.OrdinalIgnoreCase));

    /// <summary>The CaravanBot projects the host builds on (not the host itself), from the declared references.</summary>
    private static List<string> ProjectsUnderTheHost() =>
        DeclaredClosure(Host).Where(r => r.StartsWith("CaravanBot.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every library <paramref name="project"/> depends on, directly or not, as the build resolved them.</summary>
    private static HashSet<string> DeclaredClosure(string project)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(Declared.Value[project]);
        while (pending.TryPop(out var library))
        {
            if (reached.Add(library) && Declared.Value.TryGetValue(library, out var next))
            {
                foreach (var dependency in next)
                {
                    pending.Push(dependency);
                }
            }
        }

        return reached;
    }

    /// <summary>Every assembly in the test's output folder that <paramref name="assembly"/>'s IL refers to, directly or not.</summary>
    private static HashSet<string> CompiledClosure(string assembly)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(AssemblyReferences(assembly));
        while (pending.TryPop(out var reference))
        {
            if (reached.Add(reference))
            {
                foreach (var next in AssemblyReferences(reference))
                {
                    pending.Push(next);
                }
            }
        }

        return reached;
    }

    /// <summary>The assemblies one assembly file refers to; none for an assembly of the shared framework (not in the output folder).</summary>
    private static string[] AssemblyReferences(string assembly) => CompiledReferences.GetOrAdd(assembly, ReadAssemblyReferences);

    private static string[] ReadAssemblyReferences(string assembly)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        if (!File.Exists(path))
        {
            return [];
        }

        using var file = File.OpenRead(path);
        using var pe = new PEReader(file);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name)).ToArray();
    }

    /// <summary>Each library's direct dependencies by name, from the deps.json the build wrote for this test project.</summary>
    private static Dictionary<string, string[]> ReadDeclaredDependencies()
    {
        var path = Path.Combine(AppContext.BaseDirectory, typeof(LayeringTests).Assembly.GetName().Name + ".deps.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var target = document.RootElement.GetProperty("targets").EnumerateObject().First().Value;
        var dependencies = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var library in target.EnumerateObject())
        {
            var name = library.Name[..library.Name.IndexOf('/', StringComparison.Ordinal)];
            dependencies[name] = library.Value.TryGetProperty("dependencies", out var direct)
                ? direct.EnumerateObject().Select(d => d.Name).ToArray()
                : [];
        }

        return dependencies;
    }
}
