// RWKV-7 "Goose" (x070), model-spec §3: weights from llama.cpp GGUF, Hugging Face / fla safetensors
// or rwkv.cpp `.bin` files, all used in place from the memory map, and the forward pass (§3.2 per
// position, §3.3 over a run of positions).
//
// State per layer (RecurrentState, fp32): "blocks.{i}.att_shift" [C], "blocks.{i}.ffn_shift" [C]
// (the LayerNormed input of the previous position) and "blocks.{i}.wkv" [H, N, N] laid out
// S[h][i][j] with i the value row and j the key column (rwkv.cpp's and llama.cpp's order).
#pragma once

#include "engine/core/dtype.h"
#include "engine/cpu/packed_weights.h"
#include "engine/io/tensor_source.h"
#include "engine/layers/layer_norm.h"
#include "engine/layers/rwkv7_channel_mix.h"
#include "engine/layers/rwkv7_time_mix.h"
#include "engine/models/model.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linea {

struct Rwkv7Hyperparameters {
  std::int64_t n_vocab = 0;     // V
  std::int64_t n_embd = 0;      // C
  std::int64_t n_layer = 0;     // L
  std::int64_t head_size = 64;  // N
  std::int64_t n_head = 0;      // H = C / N
  std::int64_t n_ffn = 0;       // F
  std::int64_t rank_decay = 0;
  std::int64_t rank_iclr = 0;
  std::int64_t rank_value_residual = 0;  // 0 when the model has a single layer
  std::int64_t rank_gate = 0;
  float layer_norm_eps = 1e-5f;
  float group_norm_eps = 64e-5f;  // head_size · 1e-5, as every reference computes it
};

// The tensor naming schemes RWKV-7 weights come in.
enum class Rwkv7Naming {
  gguf,          // llama.cpp: token_embd, blk.{i}.time_mix_*, fused token-shift mixes
  hugging_face,  // flash-linear-attention RWKV7ForCausalLM: model.layers.{i}.attn.*_lora.lora.{0,2}
  rwkv_cpp,      // rwkv.cpp .bin: BlinkDL names, fused att.x_rwkvag, LoRAs stored [out, in]
};

// Picks the naming scheme from the tensor names present; std::nullopt when none fits.
std::optional<Rwkv7Naming> detect_rwkv7_naming(const io::TensorSource& source);

struct Rwkv7LoadOptions {
  std::string format;                     // for ModelInfo: "GGUF", "safetensors", "rwkv.cpp"
  std::optional<std::int64_t> n_layer;    // from metadata, checked against the tensors
  std::optional<std::int64_t> head_size;  // from metadata; 64 when absent
  std::optional<float> layer_norm_eps;    // from metadata; 1e-5 when absent
  bool layer_norm_bias = true;            // fla's norm_bias; false: LayerNorms have no bias
  bool head_may_reuse_embedding = false;  // a missing head uses the embedding (tied weights)
  std::string fingerprint;                // precomputed identity; computed from the source when empty
};

class Rwkv7Model final : public Model {
 public:
  // Reads and validates every tensor (names, shapes, dtypes) and keeps `source` alive: the big
  // matrices are used in place. Throws io::FormatError naming the source and the tensor (missing,
  // wrong shape with expected vs found, unsupported dtype).
  static std::shared_ptr<const Rwkv7Model> load(std::shared_ptr<const io::TensorSource> source,
                                                const Rwkv7LoadOptions& options);

  const ModelInfo& info() const override { return info_; }
  const Rwkv7Hyperparameters& hyperparameters() const { return hparams_; }
  std::unique_ptr<Memory> new_memory() const override;
  using Model::forward;
  void forward(cpu::ThreadPool& pool, std::span<const std::int32_t> tokens, Memory& memory, LogitsFor which,
               std::vector<float>& logits, std::span<const EmbeddingRows> replaced) const override;

 private:
  struct Layer {
    layers::LayerNorm attention_norm;  // ln1
    layers::Rwkv7TimeMix time_mix;
    layers::LayerNorm ffn_norm;  // ln2
    layers::Rwkv7ChannelMix channel_mix;
  };

  Rwkv7Model() = default;

  std::shared_ptr<const io::TensorSource> source_;  // owns the mapped weights
  cpu::PackedWeights packed_;                       // owns the regrouped ones
  ModelInfo info_;
  Rwkv7Hyperparameters hparams_;
  cpu::WeightView embedding_;                        // [V, C]
  std::optional<layers::LayerNorm> embedding_norm_;  // ln0 (absent in fla models without norm_first)
  std::vector<Layer> layers_;
  layers::LayerNorm output_norm_;  // ln_out
  cpu::WeightView head_;           // [V, C]
};

}  // namespace linea

// ---- Registry entry points (registry.cpp's row for "rwkv7") ----

namespace linea {

struct ModelFiles;
class MemoryTensorSource;

// GGUF general.architecture "rwkv7", config.json model_type "rwkv7", or RWKV-7 tensor names.
bool rwkv7_recognises(const ModelFiles& files);
// Reads the hyper-parameters the format carries (GGUF rwkv7.* keys, config.json), then the tensors.
std::shared_ptr<const Model> load_rwkv7(const ModelFiles& files);

// Random weights with llama.cpp GGUF names for the given shapes, stored as `dtype` (F32, F16, BF16).
std::unique_ptr<MemoryTensorSource> random_rwkv7_weights(const Rwkv7Hyperparameters& shape, DType dtype,
                                                         std::uint64_t seed);
// The shapes of the released RWKV-7 sizes: "0.1b", "0.4b", "1.5b" (std::nullopt for others).
std::optional<Rwkv7Hyperparameters> rwkv7_released_shape(std::string_view size);
std::shared_ptr<const Model> make_random_rwkv7(std::string_view size, DType dtype, std::uint64_t seed);

}  // namespace linea
