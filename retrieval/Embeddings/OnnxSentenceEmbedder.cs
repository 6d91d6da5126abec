using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using BERTTokenizers.Base;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CaravanBot.Retrieval.Embeddings;

/// <summary>How a BERT-style model's token vectors become one sentence vector.</summary>
public enum Pooling
{
    /// <summary>Average of the token vectors under the attention mask (sentence-transformers' MiniLM).</summary>
    Mean,

    /// <summary>The first ([CLS]) token's vector (Snowflake's arctic-embed).</summary>
    Cls,
}

/// <summary>
/// A small BERT sentence-embedding model shipped as an ONNX file inside a NuGet package assembly:
/// tokenise, run, pool, normalise. Nothing is downloaded; the model is unpacked once into a cache
/// folder so ONNX Runtime maps it from disk. Load once per process (the session is thread-safe).
/// </summary>
public abstract class OnnxSentenceEmbedder : ISentenceEmbedder, IDisposable
{
    // The models were trained on sequences of at most 256 word pieces (their position tables have
    // 512); longer input is cut so a 10,000-character question cannot fail inference.
    private const int MaxTokens = 256;
    private const int ClsId = 101;
    private const int SepId = 102;
    private const int BatchSize = 8;

    private readonly InferenceSession _session;
    private readonly TokenizerBase _tokenizer;
    private readonly Lock _tokenizerLock = new();
    private readonly Pooling _pooling;
    private readonly string _queryPrefix;

    /// <summary>Loads the model packed as <paramref name="resource"/> in <paramref name="package"/>.</summary>
    /// <param name="package">The package assembly that holds the model.</param>
    /// <param name="resource">The manifest resource name of the ONNX file.</param>
    /// <param name="fileName">The file name to unpack it under (the assembly's version id is added).</param>
    /// <param name="tokenizer">The model's WordPiece tokenizer.</param>
    /// <param name="pooling">How token vectors are pooled.</param>
    /// <param name="queryPrefix">Text put before a search query (asymmetric retrieval models); empty for none.</param>
    /// <param name="modelCacheDirectory">Where the model is unpacked once; null = the per-user cache.</param>
    /// <param name="threads">ONNX Runtime intra-op threads.</param>
    /// <param name="logger">Warnings when the model cannot be unpacked.</param>
    protected OnnxSentenceEmbedder(
        Assembly package, string resource, string fileName, TokenizerBase tokenizer, Pooling pooling, string queryPrefix,
        string? modelCacheDirectory, int threads, ILogger logger)
    {
        Name = fileName;
        _tokenizer = tokenizer;
        _pooling = pooling;
        _queryPrefix = queryPrefix;
        using var options = new SessionOptions
        {
            // Basic graph optimisation keeps load-time memory ~40% lower than "all", at equal speed here.
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            IntraOpNumThreads = Math.Max(1, threads),
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        var path = UnpackModel(package, resource, fileName, modelCacheDirectory, logger);
        _session = path is not null
            ? new InferenceSession(path, options)
            : new InferenceSession(ReadModelBytes(package, resource), options);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int Dimensions => 384;

    /// <inheritdoc />
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        EmbedAll(texts, string.Empty, cancellationToken);

    /// <inheritdoc />
    public float[][] EmbedQueries(IReadOnlyList<string> queries, CancellationToken cancellationToken = default) =>
        EmbedAll(queries, _queryPrefix, cancellationToken);

    /// <summary>
    /// What the model's tokenizer should have seen: these uncased BERT vocabularies were built from
    /// accent-stripped text, but the packaged tokenizer maps "López" to [UNK] + "pez"; curly quotes
    /// and dashes likewise become unknown pieces. Folding them keeps the word the model knows.
    /// </summary>
    public static string FoldForModel(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(c switch
            {
                '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' => '\'',
                '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' => '"',
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212' => '-',
                '\u00A0' or '\u2009' or '\u202F' => ' ',
                '\u2026' => '.',
                _ => c,
            });
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private float[][] EmbedAll(IReadOnlyList<string> texts, string prefix, CancellationToken cancellationToken)
    {
        var result = new float[texts.Count][];
        // Sort by length so each batch pads little; batches bound the attention memory.
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        foreach (var batch in order.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vectors = EmbedBatch(batch.Select(i => prefix + FoldForModel(texts[i])).ToArray());
            for (var k = 0; k < batch.Length; k++)
            {
                result[batch[k]] = vectors[k];
            }
        }

        return result;
    }

    /// <summary>Runs one batch through the model and pools each text's vector.</summary>
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
        // Filled and read through flat row-major arrays: the tensors' [i, j, k] indexers allocate
        // an index array on every access, thousands of times per text.
        var idValues = new long[n * width];
        var maskValues = new long[n * width];
        for (var i = 0; i < n; i++)
        {
            var length = lengths[i];
            var row = i * width;
            for (var j = 0; j < length; j++)
            {
                idValues[row + j] = encoded[i].InputIds[j];
                maskValues[row + j] = 1;
            }

            if (encoded[i].InputIds.Length > length && length > 0)
            {
                idValues[row + length - 1] = SepId; // a cut sequence still ends like a sentence
            }

            idValues[row] = ClsId;
        }

        var ids = new DenseTensor<long>(idValues, [n, width]);
        var mask = new DenseTensor<long>(maskValues, [n, width]);
        var types = new DenseTensor<long>([n, width]);

        using var outputs = _session.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", ids),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
            NamedOnnxValue.CreateFromTensor("token_type_ids", types),
        ]);
        var output = outputs.First(o => o.Name == "last_hidden_state").AsTensor<float>();
        var hidden = (output as DenseTensor<float> ?? output.ToDenseTensor()).Buffer.Span; // [n, width, dims], row-major
        var dims = Dimensions;
        var vectors = new float[n][];
        for (var i = 0; i < n; i++)
        {
            var v = new float[dims];
            var pooled = _pooling == Pooling.Cls ? 1 : lengths[i];
            for (var j = 0; j < pooled; j++)
            {
                var token = hidden.Slice(((i * width) + j) * dims, dims);
                for (var k = 0; k < dims; k++)
                {
                    v[k] += token[k];
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
    private static string? UnpackModel(Assembly package, string resource, string fileName, string? cacheDirectory, ILogger log)
    {
        try
        {
            using var stream = package.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"The package {package.GetName().Name} has no {resource}.");
            var version = package.ManifestModule.ModuleVersionId.ToString("N")[..12];
            var directory = cacheDirectory ?? DefaultCacheDirectory();
            var path = Path.Combine(directory, $"{fileName}.{version}.onnx");
            if (File.Exists(path) && new FileInfo(path).Length == stream.Length)
            {
                return path;
            }

            Directory.CreateDirectory(directory);
            var temporary = path + "." + RandomNumberGenerator.GetHexString(8) + ".tmp";
            using (var file = File.Create(temporary))
            {
                stream.CopyTo(file);
            }

            File.Move(temporary, path, overwrite: true);
            return path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.LogWarning(ex, "Could not unpack the embedding model {Model} to disk; loading it from memory", fileName);
            return null;
        }
    }

    private static byte[] ReadModelBytes(Assembly package, string resource)
    {
        using var stream = package.GetManifestResourceStream(resource)!;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
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
    public void Dispose()
    {
        _session.Dispose();
        GC.SuppressFinalize(this);
    }
}
