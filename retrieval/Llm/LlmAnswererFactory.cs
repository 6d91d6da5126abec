using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.AI.OpenAI;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Prompts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.AzureOpenAI;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CaravanBot.Retrieval.Llm;

/// <summary>
/// The optional language-model mode: when <see cref="IsEnabled"/> it wraps an article's extractive
/// answerer in an <see cref="LlmAnswerService"/>; when the provider is <see cref="LlmProvider.None"/>
/// hosts keep the extractive answerer untouched.
/// </summary>
public sealed class LlmAnswererFactory
{
    /// <summary>The prompt template file under <c>prompts/</c>.</summary>
    public const string PromptFile = "llm-answer.yaml";

    private readonly LlmOptions _options;
    private readonly PromptProvider _prompts;
    private readonly ILoggerFactory _loggers;
    private readonly Lazy<(Microsoft.SemanticKernel.Kernel Kernel, KernelFunction Function, PromptExecutionSettings Settings)> _kernel;

    /// <summary>Creates the factory; nothing connects to a model until the first question.</summary>
    public LlmAnswererFactory(IOptions<LlmOptions> options, PromptProvider prompts, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _prompts = prompts;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _kernel = new(BuildKernel);
    }

    /// <summary>True when a provider is configured.</summary>
    public bool IsEnabled => _options.IsEnabled;

    /// <summary>The configured options (the key redacted by <see cref="LlmOptions.ToString"/>).</summary>
    public LlmOptions Options => _options;

    /// <summary>The language-model answerer for one article.</summary>
    /// <exception cref="InvalidOperationException">No provider is configured.</exception>
    public LlmAnswerService Create(ArticleAnswerer answerer)
    {
        if (!IsEnabled)
        {
            throw new InvalidOperationException("The language-model mode is off (Llm:Provider is None).");
        }

        var (kernel, function, settings) = _kernel.Value;
        return new LlmAnswerService(
            answerer,
            kernel,
            function,
            settings,
            _prompts,
            TimeSpan.FromSeconds(_options.TimeoutSeconds),
            maxQuotes: 3,
            _loggers.CreateLogger<LlmAnswerService>());
    }

    /// <summary>
    /// What hosts serve for one article: the extractive answerer itself when the mode is off (so nothing
    /// changes), otherwise the language-model answerer around it.
    /// </summary>
    public IAnswerService Wrap(ArticleAnswerer answerer) => IsEnabled ? Create(answerer) : answerer;

    /// <summary>The prompt template config from <c>prompts/llm-answer.yaml</c>.</summary>
    public static PromptTemplateConfig LoadPrompt(PromptProvider prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);

        // Semantic Kernel's own YAML loader ships in a package this build cannot use, so the YAML is
        // read with YamlDotNet and handed to Semantic Kernel as the equivalent JSON config.
        var yaml = new YamlStream();
        using (var reader = new StringReader(prompts.Get(PromptFile)))
        {
            yaml.Load(reader);
        }

        return PromptTemplateConfig.FromJson(ToJson(yaml.Documents[0].RootNode)!.ToJsonString());
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        // Only plain (unquoted, non-block) scalars are typed, as YAML does: a block template stays text.
        YamlScalarNode { Style: ScalarStyle.Plain, Value: var value } when bool.TryParse(value, out var flag) => JsonValue.Create(flag),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: var value } when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"Unsupported YAML node in prompts/{PromptFile}."),
    };

    private (Microsoft.SemanticKernel.Kernel, KernelFunction, PromptExecutionSettings) BuildKernel()
    {
        var config = LoadPrompt(_prompts);
        var settings = OpenAIPromptExecutionSettings.FromExecutionSettings(config.DefaultExecutionSettings);
        settings.MaxTokens = _options.MaxOutputTokens;
        settings.Temperature ??= 0;

        // Hosted OpenAI models enforce the JSON schema of LlmReply; local servers differ in what they
        // accept, so they are asked for plain JSON and the reply is parsed strictly either way.
        settings.ResponseFormat = _options.Provider == LlmProvider.OpenAICompatible ? "json_object" : typeof(LlmReply);

        var builder = Microsoft.SemanticKernel.Kernel.CreateBuilder();
        builder.Services.AddSingleton(_loggers);
        builder.Services.AddSingleton<IChatCompletionService>(CreateChatService());
        var kernel = builder.Build();
        return (kernel, KernelFunctionFactory.CreateFromPrompt(config, loggerFactory: _loggers), settings);
    }

    private IChatCompletionService CreateChatService()
    {
        // No client retries: a rate-limited or failing model is answered by the extractive engine at once,
        // instead of spending the reader's timeout on back-off.
        var retry = new ClientRetryPolicy(maxRetries: 0);
        var networkTimeout = TimeSpan.FromSeconds(_options.TimeoutSeconds + 1);
        var model = _options.Model!;
        switch (_options.Provider)
        {
            case LlmProvider.AzureOpenAI:
                var azure = new AzureOpenAIClient(
                    _options.Endpoint!,
                    new ApiKeyCredential(_options.ApiKey!),
                    new AzureOpenAIClientOptions { RetryPolicy = retry, NetworkTimeout = networkTimeout });
                return new AzureOpenAIChatCompletionService(model, azure, model, _loggers);
            default:
                // Local servers ignore the key, but the client insists on one.
                var key = string.IsNullOrEmpty(_options.ApiKey) ? "unused" : _options.ApiKey;
                var client = new OpenAIClient(
                    new ApiKeyCredential(key),
                    new OpenAIClientOptions { Endpoint = _options.Endpoint, RetryPolicy = retry, NetworkTimeout = networkTimeout });
                return new OpenAIChatCompletionService(model, client, _loggers);
        }
    }
}
