namespace CaravanBot.Retrieval.Embeddings;

/// <summary>A text's pooled vector and its word pieces' contextual vectors (all unit length).</summary>
/// <param name="Pooled">The sentence vector.</param>
/// <param name="Tokens">One vector per word piece, in order.</param>
/// <param name="Pieces">The word pieces ("##s" continues a word).</param>
public sealed record TokenEmbedding(float[] Pooled, float[][] Tokens, string[] Pieces);
