// How RWKV-7 files are recognised and opened, and random RWKV-7 weights for benchmarks.
#include "engine/io/format_error.h"
#include "engine/io/quantize.h"
#include "engine/models/memory_tensor_source.h"
#include "engine/models/model_files.h"
#include "engine/models/random_fill.h"
#include "engine/models/rwkv7.h"

#include <cmath>
#include <stdexcept>

namespace linea {

bool rwkv7_recognises(const ModelFiles& files) {
  const std::string declared = files.declared_architecture();
  if (!declared.empty()) return declared == "rwkv7";
  return detect_rwkv7_naming(*files.tensors).has_value();
}

std::shared_ptr<const Model> load_rwkv7(const ModelFiles& files) {
  Rwkv7LoadOptions options;
  options.format = files.format;
  const io::TensorSource& tensors = *files.tensors;
  if (files.gguf) {
    const io::GgufFile& gguf = *files.gguf;
    options.n_layer = gguf.get_int("rwkv7.block_count");
    options.head_size = gguf.get_int("rwkv7.wkv.head_size");
    if (gguf.find_metadata("rwkv7.attention.layer_norm_epsilon"))
      options.layer_norm_eps = static_cast<float>(gguf.get_float("rwkv7.attention.layer_norm_epsilon"));
    options.head_may_reuse_embedding = true;  // llama.cpp falls back to token_embd when output is absent
  } else if (files.config) {
    const nlohmann::json& config = *files.config;
    const std::string where = files.config_path.string();
    auto integer = [&](const char* key) -> std::optional<std::int64_t> {
      const auto found = config.find(key);
      if (found == config.end() || found->is_null()) return std::nullopt;
      if (!found->is_number_integer())
        throw io::FormatError(where, std::nullopt, std::string("config key '") + key + "' must be an integer");
      return found->get<std::int64_t>();
    };
    options.n_layer = integer("num_hidden_layers");
    options.head_size = integer("head_dim");
    if (!options.head_size) options.head_size = integer("head_size");
    if (const auto eps = config.find("norm_eps"); eps != config.end() && eps->is_number())
      options.layer_norm_eps = eps->get<float>();
    if (const auto bias = config.find("norm_bias"); bias != config.end() && bias->is_boolean())
      options.layer_norm_bias = bias->get<bool>();
    if (const auto tie = config.find("tie_word_embeddings"); tie != config.end() && tie->is_boolean())
      options.head_may_reuse_embedding = tie->get<bool>();
    if (const auto attn = config.find("attn"); attn != config.end() && !attn->is_null())
      throw io::FormatError(
          where, std::nullopt,
          "this RWKV-7 model mixes in softmax-attention layers (config 'attn'), which Linea does not run");
  } else if (const io::TensorInfo* r_k = tensors.find("blocks.0.att.r_k"); r_k && r_k->shape.size() == 2) {
    options.head_size = r_k->shape[1];  // rwkv.cpp keeps r_k as [H, N]
  }
  auto model = Rwkv7Model::load(files.tensors, options);
  if (files.gguf) {
    // The metadata must describe the tensors it came with.
    const Rwkv7Hyperparameters& hp = model->hyperparameters();
    const std::pair<const char*, std::int64_t> checks[] = {
        {"rwkv7.embedding_length", hp.n_embd},
        {"rwkv7.feed_forward_length", hp.n_ffn},
        {"rwkv7.attention.decay_lora_rank", hp.rank_decay},
        {"rwkv7.attention.iclr_lora_rank", hp.rank_iclr},
        {"rwkv7.attention.gate_lora_rank", hp.rank_gate},
        {"rwkv7.attention.value_residual_mix_lora_rank", hp.n_layer > 1 ? hp.rank_value_residual : -1},
    };
    for (const auto& [key, actual] : checks) {
      if (actual >= 0 && files.gguf->find_metadata(key) && files.gguf->get_int(key) != actual)
        throw io::FormatError(files.path.string(), std::nullopt,
                              std::string("metadata ") + key + " = " + std::to_string(files.gguf->get_int(key)) +
                                  " but the tensors say " + std::to_string(actual));
    }
  }
  return model;
}

std::optional<Rwkv7Hyperparameters> rwkv7_released_shape(std::string_view size) {
  Rwkv7Hyperparameters hp;
  hp.n_vocab = 65536;
  hp.head_size = 64;
  if (size == "0.1b") {
    hp.n_layer = 12, hp.n_embd = 768, hp.rank_decay = 64, hp.rank_iclr = 64, hp.rank_value_residual = 32,
    hp.rank_gate = 128;
  } else if (size == "0.4b") {
    hp.n_layer = 24, hp.n_embd = 1024, hp.rank_decay = 64, hp.rank_iclr = 64, hp.rank_value_residual = 32,
    hp.rank_gate = 128;
  } else if (size == "1.5b") {
    hp.n_layer = 24, hp.n_embd = 2048, hp.rank_decay = 96, hp.rank_iclr = 96, hp.rank_value_residual = 64,
    hp.rank_gate = 256;
  } else {
    return std::nullopt;
  }
  hp.n_head = hp.n_embd / hp.head_size;
  hp.n_ffn = 4 * hp.n_embd;
  hp.group_norm_eps = static_cast<float>(hp.head_size) * 1e-5f;
  return hp;
}


std::unique_ptr<MemoryTensorSource> random_rwkv7_weights(const Rwkv7Hyperparameters& hp, DType dtype,
                                                         std::uint64_t seed) {
  auto source = std::make_unique<MemoryTensorSource>("random RWKV-7 weights (seed " + std::to_string(seed) + ")");
  RandomFill random(seed);
  const std::int64_t C = hp.n_embd, F = hp.n_ffn, V = hp.n_vocab;

  // Matrices: variance 1/in, so activations keep their scale through the layers.
  auto matrix = [&](const std::string& name, std::int64_t rows, std::int64_t cols) {
    const float bound = std::sqrt(3.0f / static_cast<float>(cols));
    source->add_generated(name, dtype, {rows, cols}, [&] { return random.uniform(-bound, bound); });
  };
  // Small vectors stay F32, as llama.cpp's converter keeps them.
  auto vector = [&](const std::string& name, std::vector<std::int64_t> shape, float low, float high) {
    std::int64_t count = 1;
    for (std::int64_t d : shape) count *= d;
    source->add_f32(name, DType::f32, std::move(shape), random.values(count, low, high));
  };

  matrix("token_embd.weight", V, C);
  vector("token_embd_norm.weight", {C}, 0.9f, 1.1f);
  vector("token_embd_norm.bias", {C}, -0.1f, 0.1f);
  for (std::int64_t i = 0; i < hp.n_layer; ++i) {
    const std::string b = "blk." + std::to_string(i) + ".";
    vector(b + "attn_norm.weight", {C}, 0.9f, 1.1f);
    vector(b + "attn_norm.bias", {C}, -0.1f, 0.1f);
    vector(b + "attn_norm_2.weight", {C}, 0.9f, 1.1f);
    vector(b + "attn_norm_2.bias", {C}, -0.1f, 0.1f);
    vector(b + "time_mix_lerp_fused.weight", {6, 1, 1, C}, 0.0f, 1.0f);
    vector(b + "time_mix_w0.weight", {C}, -3.0f, 0.0f);
    matrix(b + "time_mix_w1.weight", hp.rank_decay, C);
    matrix(b + "time_mix_w2.weight", C, hp.rank_decay);
    vector(b + "time_mix_a0.weight", {C}, -0.5f, 0.5f);
    matrix(b + "time_mix_a1.weight", hp.rank_iclr, C);
    matrix(b + "time_mix_a2.weight", C, hp.rank_iclr);
    if (i > 0) {
      vector(b + "time_mix_v0.weight", {C}, 0.0f, 1.0f);
      matrix(b + "time_mix_v1.weight", hp.rank_value_residual, C);
      matrix(b + "time_mix_v2.weight", C, hp.rank_value_residual);
    }
    matrix(b + "time_mix_g1.weight", hp.rank_gate, C);
    matrix(b + "time_mix_g2.weight", C, hp.rank_gate);
    vector(b + "time_mix_k_k.weight", {C}, 0.6f, 1.0f);
    vector(b + "time_mix_k_a.weight", {C}, 0.8f, 1.2f);
    vector(b + "time_mix_r_k.weight", {C}, -0.1f, 0.1f);
    matrix(b + "time_mix_receptance.weight", C, C);
    matrix(b + "time_mix_key.weight", C, C);
    matrix(b + "time_mix_value.weight", C, C);
    matrix(b + "time_mix_output.weight", C, C);
    vector(b + "time_mix_ln.weight", {C}, 0.5f, 1.0f);
    vector(b + "time_mix_ln.bias", {C}, -0.1f, 0.1f);
    vector(b + "channel_mix_lerp_k.weight", {C}, 0.0f, 1.0f);
    matrix(b + "channel_mix_key.weight", F, C);
    matrix(b + "channel_mix_value.weight", C, F);
  }
  vector("output_norm.weight", {C}, 0.9f, 1.1f);
  vector("output_norm.bias", {C}, -0.1f, 0.1f);
  matrix("output.weight", V, C);
  return source;
}

std::shared_ptr<const Model> make_random_rwkv7(std::string_view size, DType dtype, std::uint64_t seed) {
  const std::optional<Rwkv7Hyperparameters> shape = rwkv7_released_shape(size);
  if (!shape) throw std::invalid_argument("rwkv7 has no size '" + std::string(size) + "' (0.1b, 0.4b or 1.5b)");
  if (dtype != DType::f32 && dtype != DType::f16 && dtype != DType::bf16 && !io::can_quantize(dtype))
    throw std::invalid_argument("random weights are F32, F16, BF16 or a quantized type (q8_0, q4_0, q4_k, q6_k), not " +
                                std::string(dtype_name(dtype)));
  std::shared_ptr<const io::TensorSource> weights = random_rwkv7_weights(*shape, dtype, seed);
  Rwkv7LoadOptions options;
  options.format = "memory";
  options.n_layer = shape->n_layer;
  options.head_size = shape->head_size;
  options.fingerprint =
      "random-rwkv7-" + std::string(size) + "-" + std::string(dtype_name(dtype)) + "-seed" + std::to_string(seed);
  return Rwkv7Model::load(std::move(weights), options);
}

}  // namespace linea
