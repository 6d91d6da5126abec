using Microsoft.Extensions.Options;

namespace CaravanBot.Retrieval.Llm;

/// <summary>Which language-model service answers questions; <see cref="None"/> keeps the bot fully offline.</summary>
public enum LlmProvider
{
    /// <summary>No language model: extractive answers only.</summary>
    None,

    /// <summary>OpenAI's hosted API.</summary>
    OpenAI,

    /// <summary>An Azure OpenAI resource (<see cref="LlmOptions.Endpoint"/>; the deployment name is <see cref="LlmOptions.Model"/>).</summary>
    AzureOpenAI,

    /// <summary>Any server speaking OpenAI's chat completions API: Ollama, llama.cpp, vLLM, LM Studio.</summary>
    OpenAICompatible,
}

/// <summary>The optional language-model answer mode (configuration section <c>Llm</c>).</summary>
public sealed class LlmOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Llm";

    /// <summary>Which service to use; <see cref="LlmProvider.None"/> (the default) changes nothing.</summary>
    public LlmProvider Provider { get; set; } = LlmProvider.None;

    /// <summary>Model name (OpenAI, OpenAI-compatible) or deployment name (Azure OpenAI).</summary>
    public string? Model { get; set; }

    /// <summary>API key; required for OpenAI and Azure OpenAI, optional for local servers. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Base URL of an OpenAI-compatible server (e.g. <c>http://localhost:11434/v1</c>) or the Azure resource endpoint.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// Seconds the model may take before the extractive answer is served instead. 8 s keeps a deferred
    /// Discord reply well inside a reader's patience while leaving a hosted model room for ~400 tokens.
    /// </summary>
    public double TimeoutSeconds { get; set; } = 8;

    /// <summary>Cap on the model's reply; the JSON with a short answer and three quotes fits in 400 tokens.</summary>
    public int MaxOutputTokens { get; set; } = 400;

    /// <summary>True when a provider is configured.</summary>
    public bool IsEnabled => Provider != LlmProvider.None;

    /// <summary>The settings with the API key redacted, safe for logs.</summary>
    public override string ToString() =>
        $"Provider={Provider}, Model={Model}, Endpoint={Endpoint}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")}, TimeoutSeconds={TimeoutSeconds}, MaxOutputTokens={MaxOutputTokens}";

    /// <summary>What is wrong with these settings; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Provider == LlmProvider.None)
        {
            return problems;
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            problems.Add($"Llm:Model is required when Llm:Provider is {Provider}.");
        }

        if (Provider is LlmProvider.OpenAICompatible or LlmProvider.AzureOpenAI && Endpoint is null)
        {
            problems.Add($"Llm:Endpoint is required when Llm:Provider is {Provider}.");
        }

        if (Endpoint is { IsAbsoluteUri: false })
        {
            problems.Add("Llm:Endpoint must be an absolute URL.");
        }

        if (Provider is LlmProvider.OpenAI or LlmProvider.AzureOpenAI && string.IsNullOrWhiteSpace(ApiKey))
        {
            problems.Add($"Llm:ApiKey is required when Llm:Provider is {Provider}.");
        }

        if (TimeoutSeconds is <= 0 or > 120 || double.IsNaN(TimeoutSeconds))
        {
            problems.Add("Llm:TimeoutSeconds must be between 0 and 120.");
        }

        if (MaxOutputTokens is < 50 or > 4000)
        {
            problems.Add("Llm:MaxOutputTokens must be between 50 and 4000.");
        }

        return problems;
    }
}

/// <summary>Checks <see cref="LlmOptions"/> at start-up so a misconfigured model fails the start, not the first question.</summary>
public sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
