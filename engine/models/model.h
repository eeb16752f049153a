// A loaded model: immutable weights plus the code that runs them. One Model is shared (by
// std::shared_ptr) between any number of sessions and threads; everything that changes while a
// sequence is processed lives in the session's Memory.
//
//   std::shared_ptr<const linea::Model> model = linea::load_model("rwkv7.gguf");   // registry.h
//   std::unique_ptr<linea::Memory> memory = model->new_memory();
//   std::vector<float> logits;
//   model->forward(pool, tokens, *memory, linea::LogitsFor::last, logits);        // logits: [1, V]
//
// Threading: forward() is const and touches no shared mutable state, so sessions on different
// threads may call it at once; each call must own its Memory.
#pragma once

#include "engine/cpu/thread_pool.h"
#include "engine/runtime/memory.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace linea {

// Which positions of a forward pass produce logits.
enum class LogitsFor { none, last, all };

// Rows that take the place of the token embeddings at some positions (image features at the
// `<image>` placeholders of a vision-language prompt). The tokens there are still fed (and stored
// in state files); only their embedding rows are replaced.
struct EmbeddingRows {
  std::int64_t first = 0;       // position within the tokens of the call
  std::span<const float> rows;  // [count, n_embd]: count = rows.size() / n_embd
};

// Throws std::invalid_argument when a set is not whole rows of n_embd or runs past the positions.
void check_embedding_rows(std::span<const EmbeddingRows> replaced, std::int64_t positions, std::int64_t n_embd);

// For models' forward(): checks (as above; nothing written on failure), then writes each set of
// rows over x [positions, n_embd].
void replace_embedding_rows(std::span<const EmbeddingRows> replaced, std::int64_t positions, std::int64_t n_embd,
                            std::span<float> x);

struct ModelInfo {
  std::string architecture;  // registry name, e.g. "rwkv7"
  std::string description;   // one line for people, e.g. "RWKV-7, 12 layers, C 768, 12 heads, F 3072, F16"
  std::string source;        // where the weights came from (path, or "random weights")
  std::string format;        // "GGUF", "safetensors", "rwkv.cpp", "memory"
  std::string fingerprint;   // identity of the weights (model_fingerprint), for state files
  std::int64_t n_vocab = 0;
  std::int64_t n_embd = 0;
  std::int64_t n_layer = 0;
  std::uint64_t weight_bytes = 0;  // bytes of weight data used
  // Size of a session's memory (and so of its state file): a fixed part (recurrent states) plus a
  // part per position (KV caches of softmax layers; 0 for purely recurrent models).
  std::uint64_t memory_bytes_fixed = 0;
  std::uint64_t memory_bytes_per_token = 0;
};

class Model {
 public:
  virtual ~Model() = default;

  virtual const ModelInfo& info() const = 0;

  // A fresh memory (zero state) for one sequence.
  virtual std::unique_ptr<Memory> new_memory() const = 0;

  // Runs `tokens` (positions after whatever `memory` has seen) through the model in one pass:
  // projections as matmuls over all positions, recurrences scanned in order. Updates `memory`.
  // `logits` is resized to [n, n_vocab] with n = 0, 1 or tokens.size() as `which` asks.
  // `replaced` (may be empty) swaps in embedding rows at some positions. Throws std::out_of_range
  // for a token outside the vocabulary (memory unchanged then), std::invalid_argument for a memory
  // that did not come from this model's new_memory() or rows that do not fit the tokens.
  virtual void forward(cpu::ThreadPool& pool, std::span<const std::int32_t> tokens, Memory& memory, LogitsFor which,
                       std::vector<float>& logits, std::span<const EmbeddingRows> replaced) const = 0;

  void forward(cpu::ThreadPool& pool, std::span<const std::int32_t> tokens, Memory& memory, LogitsFor which,
               std::vector<float>& logits) const {
    forward(pool, tokens, memory, which, logits, {});
  }
};

}  // namespace linea
