#include "engine/models/model.h"

#include <algorithm>
#include <stdexcept>

namespace linea {

void check_embedding_rows(std::span<const EmbeddingRows> replaced, std::int64_t positions, std::int64_t n_embd) {
  for (const EmbeddingRows& set : replaced) {
    const auto values = static_cast<std::int64_t>(set.rows.size());
    if (values % n_embd != 0)
      throw std::invalid_argument("replacement embeddings hold " + std::to_string(values) +
                                  " values, not whole rows of " + std::to_string(n_embd));
    if (set.first < 0 || set.first + values / n_embd > positions)
      throw std::invalid_argument("replacement embeddings for positions " + std::to_string(set.first) + " to " +
                                  std::to_string(set.first + values / n_embd - 1) + " do not fit " +
                                  std::to_string(positions) + " positions");
  }
}

void replace_embedding_rows(std::span<const EmbeddingRows> replaced, std::int64_t positions, std::int64_t n_embd,
                            std::span<float> x) {
  check_embedding_rows(replaced, positions, n_embd);
  for (const EmbeddingRows& set : replaced)
    std::copy(set.rows.begin(), set.rows.end(), x.begin() + set.first * n_embd);
}

}  // namespace linea
