using System.Collections.Concurrent;
using System.Reflection;

namespace CaravanBot.Retrieval.Prompts;

/// <summary>
/// The one place reply wording comes from: the files under <c>prompts/</c>, embedded in this
/// assembly at build time so that every host (command line, Discord, tests) reads the same text.
/// </summary>
public sealed class PromptProvider
{
    private static readonly Assembly ResourceAssembly = typeof(PromptProvider).Assembly;
    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);

    /// <summary>The text of <c>prompts/{name}</c> (e.g. <c>answer-lead-in.txt</c>), trailing newline removed.</summary>
    /// <exception cref="InvalidOperationException">No such prompt file was built into the assembly.</exception>
    public string Get(string name) => _cache.GetOrAdd(name, Load);

    /// <summary>
    /// The non-empty, non-comment lines of a prompt file. Files with several lines hold
    /// alternative wordings; lines starting with <c>#</c> are notes for editors.
    /// </summary>
    public IReadOnlyList<string> GetLines(string name) =>
        Get(name).Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToArray();

    /// <summary>
    /// The labels of a file of short wordings, one <c>name = text</c> line each (<c>review-labels.txt</c>,
    /// <c>about-source.txt</c>), by name.
    /// </summary>
    /// <exception cref="InvalidOperationException">A line is not a <c>name = text</c> line.</exception>
    public IReadOnlyDictionary<string, string> GetLabels(string name)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in GetLines(name))
        {
            var equals = line.IndexOf(" = ", StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new InvalidOperationException($"prompts/{name}: \"{line}\" is not a \"name = text\" line.");
            }

            labels[line[..equals].Trim()] = line[(equals + 3)..].Trim();
        }

        return labels;
    }

    private static string Load(string name)
    {
        using var stream = ResourceAssembly.GetManifestResourceStream("prompts/" + name)
            ?? throw new InvalidOperationException($"Prompt file prompts/{name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().TrimEnd('\n', '\r');
    }
}
