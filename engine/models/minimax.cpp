#include "engine/models/minimax.h"

#include "engine/io/format_error.h"
#include "engine/io/quantize.h"
#include "engine/models/attention_config.h"
#include "engine/models/config_reader.h"
#include "engine/models/decoder_model.h"
#include "engine/models/memory_tensor_source.h"
#include "engine/models/model_files.h"
#include "engine/models/random_fill.h"
#include "engine/models/tensor_reader.h"
#include "engine/runtime/model_fingerprint.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace linea {

namespace {

bool is_minimax_type(const std::string& type) {
  return type == "minimax" || type == "minimax_m1" || type == "minimax_text_01" || type == "minimax_vl_01";
}

// What config.json says, in the terms of either layout.
struct MiniMaxConfig {
  MiniMaxShape shape;
  bool remote_layout = false;  // MiniMax's own keys (attn_type_list …) rather than transformers'
  bool postnorm = true;
  float full_alpha = 1, full_beta = 1, linear_alpha = 1, linear_beta = 1, mlp_alpha = 1, mlp_beta = 1;
  float rms_norm_eps = 1e-5f;
  std::int64_t block_size = 256;
  bool tie_embeddings = false;
  std::optional<std::int64_t> vocab_size;
};

MiniMaxConfig read_config(const ConfigReader& cfg) {
  MiniMaxConfig config;
  MiniMaxShape& s = config.shape;
  const AttentionHeads heads = read_attention_heads(cfg);
  s.n_embd = heads.hidden;
  s.n_layer = cfg.positive("num_hidden_layers");
  s.heads = heads.heads;
  s.kv_heads = heads.kv_heads;
  s.head_dim = heads.head_dim;
  s.expert_ffn = cfg.positive("intermediate_size");
  s.experts = cfg.positive("num_local_experts");
  s.experts_per_token = cfg.positive("num_experts_per_tok");
  if (s.experts_per_token > s.experts)
    cfg.fail("num_experts_per_tok", "(" + std::to_string(s.experts_per_token) + ") exceeds num_local_experts (" +
                                        std::to_string(s.experts) + ")");
  config.rms_norm_eps = static_cast<float>(cfg.number("rms_norm_eps").value_or(1e-5));
  config.block_size = cfg.positive("block_size", cfg.positive("block", 256));
  config.tie_embeddings = cfg.boolean("tie_word_embeddings").value_or(false);
  config.vocab_size = cfg.integer("vocab_size");
  if (cfg.integer("shared_intermediate_size").value_or(0) > 0)
    cfg.fail("shared_intermediate_size",
             "asks for MiniMax's shared expert, which Linea does not run yet (no published checkpoint uses it)");

  if (const auto list = cfg.array("attn_type_list")) {
    config.remote_layout = true;
    for (const nlohmann::json& entry : *list) {
      if (!entry.is_number_integer() || (entry.get<int>() != 0 && entry.get<int>() != 1))
        cfg.fail("attn_type_list", "must hold 0 (lightning) or 1 (softmax) per layer, found " + entry.dump());
      s.softmax_layers.push_back(entry.get<int>() == 1);
    }
  } else if (const auto types = cfg.array("layer_types")) {
    for (const nlohmann::json& entry : *types) {
      const std::string type = entry.is_string() ? entry.get<std::string>() : "";
      if (type != "linear_attention" && type != "full_attention")
        cfg.fail("layer_types", "must hold \"linear_attention\" or \"full_attention\" per layer, found " + entry.dump());
      s.softmax_layers.push_back(type == "full_attention");
    }
  } else {
    cfg.fail("attn_type_list", "is missing (and so is layer_types): which layers are lightning attention is unknown");
  }
  if (static_cast<std::int64_t>(s.softmax_layers.size()) != s.n_layer)
    cfg.fail(config.remote_layout ? "attn_type_list" : "layer_types",
             "has " + std::to_string(s.softmax_layers.size()) + " entries for " + std::to_string(s.n_layer) + " layers");

  auto factor = [&](const char* key) { return static_cast<float>(cfg.number(key).value_or(1.0)); };
  if (config.remote_layout) {
    config.postnorm = cfg.boolean("postnorm").value_or(false);
    config.full_alpha = factor("layernorm_full_attention_alpha");
    config.full_beta = factor("layernorm_full_attention_beta");
    config.linear_alpha = factor("layernorm_linear_attention_alpha");
    config.linear_beta = factor("layernorm_linear_attention_beta");
    config.mlp_alpha = factor("layernorm_mlp_alpha");
    config.mlp_beta = factor("layernorm_mlp_beta");
  } else {
    config.postnorm = true;  // transformers' MiniMaxDecoderLayer always adds to the normed input
    config.full_alpha = factor("full_attn_alpha_factor");
    config.full_beta = factor("full_attn_beta_factor");
    config.linear_alpha = factor("linear_attn_alpha_factor");
    config.linear_beta = factor("linear_attn_beta_factor");
    config.mlp_alpha = factor("mlp_alpha_factor");
    config.mlp_beta = factor("mlp_beta_factor");
  }

  // Rotary embedding: theta and how much of each head it covers.
  const RotaryConfig rotary = read_rotary(cfg);
  if (!rotary.theta) cfg.fail("rope_theta", "is missing (neither rope_parameters.rope_theta nor rope_theta is set)");
  s.rope_theta = *rotary.theta;
  s.rotary_dim = cfg.has("rotary_dim")
                     ? cfg.positive("rotary_dim")
                     : static_cast<std::int64_t>(static_cast<double>(s.head_dim) * rotary.partial_factor.value_or(1.0));
  if (s.rotary_dim % 2 != 0 || s.rotary_dim > s.head_dim)
    cfg.fail("rotary_dim", "(" + std::to_string(s.rotary_dim) + ") must be even and at most head_dim (" +
                               std::to_string(s.head_dim) + ")");
  return config;
}

// Per-head decay rates of lightning layer `layer` when the checkpoint does not carry them.
std::vector<float> computed_slopes(const MiniMaxConfig& config, std::int64_t layer) {
  const std::int64_t H = config.shape.heads, L = config.shape.n_layer;
  std::vector<float> slopes(static_cast<std::size_t>(H));
  if (config.remote_layout) {
    // MiniMax's code: ALiBi slopes × (1 − l/(L−1) + 1e-5). One layer would divide by zero there; use l/(L−1) = 0.
    const std::vector<double> base = layers::alibi_slopes(H);
    const double ratio = L > 1 ? static_cast<double>(layer) / static_cast<double>(L - 1) : 0.0;
    for (std::int64_t h = 0; h < H; ++h)
      slopes[static_cast<std::size_t>(h)] =
          static_cast<float>(static_cast<float>(base[static_cast<std::size_t>(h)]) * (1.0 - ratio + 1e-5));
  } else {
    // transformers: (2^(−8/H))^(h+1) × (1 − l/(L−1+1e-5) + 1e-5).
    const double factor = 1.0 - static_cast<double>(layer) / (static_cast<double>(L - 1) + 1e-5) + 1e-5;
    const double base = 1.0 / std::pow(2.0, 8.0 / static_cast<double>(H));
    for (std::int64_t h = 0; h < H; ++h)
      slopes[static_cast<std::size_t>(h)] =
          static_cast<float>(static_cast<float>(std::pow(base, static_cast<double>(h + 1))) * factor);
  }
  return slopes;
}

layers::MixtureOfExperts read_experts(const TensorReader& reader, const std::string& p, const MiniMaxShape& s,
                                      const std::string& what) {
  const std::int64_t C = s.n_embd, E = s.experts, I = s.expert_ffn;
  layers::MixtureOfExperts moe;
  moe.top_k = s.experts_per_token;
  const std::string router_name =
      reader.find(p + "block_sparse_moe.gate.weight") ? p + "block_sparse_moe.gate.weight" : p + "mlp.gate.weight";
  moe.router = reader.matrix(router_name, E, C, what + " MoE router");
  for (std::int64_t e = 0; e < E; ++e) {
    const std::string expert = what + " expert " + std::to_string(e);
    layers::SwiGluMlp mlp;
    if (reader.find(p + "mlp.experts.gate_up_proj")) {
      const std::string gate_up = p + "mlp.experts.gate_up_proj";  // gate rows first, then up
      mlp.gate = reader.stacked_matrix(gate_up, e, E, 2 * I, 0, I, C, expert + " fused gate/up projection");
      mlp.up = reader.stacked_matrix(gate_up, e, E, 2 * I, I, I, C, expert + " fused gate/up projection");
      mlp.down = reader.stacked_matrix(p + "mlp.experts.down_proj", e, E, C, 0, C, I, expert + " down projection");
    } else if (reader.find(p + "mlp.experts.0.gate_proj.weight")) {
      const std::string q = p + "mlp.experts." + std::to_string(e) + ".";
      mlp.gate = reader.matrix(q + "gate_proj.weight", I, C, expert + " gate projection");
      mlp.up = reader.matrix(q + "up_proj.weight", I, C, expert + " up projection");
      mlp.down = reader.matrix(q + "down_proj.weight", C, I, expert + " down projection");
    } else {
      const std::string q = p + "block_sparse_moe.experts." + std::to_string(e) + ".";
      mlp.gate = reader.matrix(q + "w1.weight", I, C, expert + " gate projection (w1)");
      mlp.up = reader.matrix(q + "w3.weight", I, C, expert + " up projection (w3)");
      mlp.down = reader.matrix(q + "w2.weight", C, I, expert + " down projection (w2)");
    }
    moe.experts.push_back(mlp);
  }
  return moe;
}

std::string describe(const MiniMaxShape& s, DType dtype) {
  std::int64_t softmax = 0;
  for (bool is_softmax : s.softmax_layers) softmax += is_softmax ? 1 : 0;
  std::ostringstream out;
  out << "MiniMax lightning hybrid, " << s.n_layer << " layers (" << s.n_layer - softmax << " lightning, " << softmax
      << " softmax), d " << s.n_embd << ", " << s.heads << " heads of " << s.head_dim << " (" << s.kv_heads
      << " KV heads), " << s.experts << " experts top-" << s.experts_per_token << " of " << s.expert_ffn
      << ", vocabulary " << s.n_vocab << ", " << dtype_name(dtype) << " weights";
  return out.str();
}

std::shared_ptr<const Model> load_from(const ModelFiles& files, const ConfigReader& cfg, std::string fingerprint) {
  MiniMaxConfig config = read_config(cfg);
  MiniMaxShape& s = config.shape;
  const io::TensorSource& tensors = *files.tensors;
  const std::string prefix = tensors.find("language_model.model.embed_tokens.weight") ? "language_model." : "";
  DecoderWeights weights;
  weights.packed = std::make_shared<cpu::PackedWeights>();
  const TensorReader reader(tensors, "MiniMax", prefix, *weights.packed);

  const io::TensorInfo& embedding = reader.require("model.embed_tokens.weight", "token embedding");
  if (embedding.shape.size() != 2 || embedding.shape[1] != s.n_embd || embedding.shape[0] <= 0)
    reader.fail(embedding, "token embedding",
                "has shape " + io::shape_text(embedding.shape) + ", expected [vocab_size, " +
                    std::to_string(s.n_embd) + "]");
  s.n_vocab = embedding.shape[0];
  if (config.vocab_size && *config.vocab_size != s.n_vocab)
    cfg.fail("vocab_size", "is " + std::to_string(*config.vocab_size) + " but the embedding has " +
                               std::to_string(s.n_vocab) + " rows");

  const std::int64_t C = s.n_embd, H = s.heads, D = s.head_dim, W = H * D;
  weights.residual = config.postnorm ? ResidualStyle::scaled_postnorm : ResidualStyle::prenorm;
  weights.embedding = reader.table("model.embed_tokens.weight", s.n_vocab, C, "token embedding");
  const std::vector<float> inverse_frequencies = layers::rotary_inverse_frequencies(s.rope_theta, s.rotary_dim);

  for (std::int64_t l = 0; l < s.n_layer; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    const std::string what = "layer " + std::to_string(l);
    DecoderLayer layer;
    layer.input_norm = {reader.values(p + "input_layernorm.weight", C, what + " input RMSNorm"), config.rms_norm_eps};
    layer.post_attention_norm = {reader.values(p + "post_attention_layernorm.weight", C, what + " post-attention RMSNorm"),
                                 config.rms_norm_eps};
    if (s.softmax_layers[static_cast<std::size_t>(l)]) {
      layers::SoftmaxAttention attention;
      attention.heads = H;
      attention.kv_heads = s.kv_heads;
      attention.head_dim = D;
      attention.rotary_dim = s.rotary_dim;
      attention.inverse_frequencies = inverse_frequencies;
      attention.scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));
      attention.query = reader.matrix(p + "self_attn.q_proj.weight", W, C, what + " softmax query projection");
      attention.key = reader.matrix(p + "self_attn.k_proj.weight", s.kv_heads * D, C, what + " softmax key projection");
      attention.value =
          reader.matrix(p + "self_attn.v_proj.weight", s.kv_heads * D, C, what + " softmax value projection");
      attention.output = reader.matrix(p + "self_attn.o_proj.weight", C, W, what + " softmax output projection");
      layer.softmax = std::move(attention);
      layer.attention_alpha = config.full_alpha;
      layer.attention_beta = config.full_beta;
    } else {
      layers::LightningAttention attention;
      attention.heads = H;
      attention.head_dim = D;
      attention.block_size = config.block_size;
      attention.qkv = reader.matrix(p + "self_attn.qkv_proj.weight", 3 * W, C, what + " lightning qkv projection");
      attention.output_gate = reader.matrix(p + "self_attn.output_gate.weight", W, C, what + " lightning output gate");
      attention.output = reader.matrix(p + "self_attn.out_proj.weight", C, W, what + " lightning output projection");
      attention.norm = {reader.values(p + "self_attn.norm.weight", W, what + " lightning output RMSNorm"), 1e-6f};
      if (const io::TensorInfo* stored = reader.find(p + "self_attn.slope_rate")) {
        attention.slopes = reader.values(p + "self_attn.slope_rate", H, what + " lightning decay rates");
        for (float slope : attention.slopes)
          if (!(slope >= 0.0f) || !std::isfinite(slope))
            reader.fail(*stored, what + " lightning decay rates",
                        "holds " + std::to_string(slope) + "; decay rates must be finite and non-negative");
      } else {
        attention.slopes = computed_slopes(config, l);
      }
      layer.lightning = std::move(attention);
      layer.attention_alpha = config.linear_alpha;
      layer.attention_beta = config.linear_beta;
    }
    layer.moe = read_experts(reader, p, s, what);
    layer.mlp_alpha = config.mlp_alpha;
    layer.mlp_beta = config.mlp_beta;
    weights.layers.push_back(std::move(layer));
  }
  weights.final_norm = {reader.values("model.norm.weight", C, "final RMSNorm"), config.rms_norm_eps};
  if (config.tie_embeddings && !reader.find("lm_head.weight"))
    weights.head = reader.for_products(weights.embedding);
  else
    weights.head = reader.matrix("lm_head.weight", s.n_vocab, C, "output head (lm_head)");

  ModelInfo info;
  info.architecture = "minimax";
  info.description = describe(s, weights.layers.front().moe->experts.front().gate.dtype);
  info.source = tensors.describe();
  info.format = files.format;
  info.fingerprint = fingerprint.empty() ? model_fingerprint(tensors) : std::move(fingerprint);
  return std::make_shared<DecoderModel>(files.tensors, std::move(weights), std::move(info));
}

}  // namespace

bool minimax_recognises(const ModelFiles& files) {
  const std::string declared = files.declared_architecture();
  if (!declared.empty()) return is_minimax_type(declared);
  return files.tensors->find("model.layers.0.self_attn.qkv_proj.weight") ||
         files.tensors->find("language_model.model.layers.0.self_attn.qkv_proj.weight");
}

std::shared_ptr<const Model> load_minimax(const ModelFiles& files) {
  if (!files.config)
    throw io::FormatError(files.path.string(), std::nullopt,
                          "MiniMax weights keep their hyper-parameters in config.json, which is not beside them");
  const ConfigReader root(*files.config, files.config_path.string());
  if (root.string("model_type") == "minimax_vl_01") {
    const std::optional<ConfigReader> text = root.child("text_config");
    if (!text) root.fail("text_config", "is missing: a MiniMax-VL-01 config describes its language model there");
    return load_from(files, *text, {});
  }
  return load_from(files, root, {});
}

// ---------------------------------------------------------------------------------------------
// Random weights for benchmarks.

std::optional<MiniMaxShape> minimax_benchmark_shape(std::string_view size) {
  MiniMaxShape s;
  if (size == "8x256") {
    s.n_layer = 8, s.n_embd = 256, s.heads = 4, s.kv_heads = 2, s.head_dim = 64, s.rotary_dim = 32;
    s.experts = 4, s.experts_per_token = 2, s.expert_ffn = 512, s.n_vocab = 32000;
  } else if (size == "12x1024") {
    s.n_layer = 12, s.n_embd = 1024, s.heads = 8, s.kv_heads = 2, s.head_dim = 128, s.rotary_dim = 64;
    s.experts = 8, s.experts_per_token = 2, s.expert_ffn = 1408, s.n_vocab = 65536;
  } else {
    return std::nullopt;
  }
  // MiniMax's pattern: a softmax layer after every seven lightning layers.
  for (std::int64_t l = 0; l < s.n_layer; ++l) s.softmax_layers.push_back((l + 1) % 8 == 0);
  s.alpha = static_cast<float>(std::pow(2.0 * static_cast<double>(s.n_layer), 0.25));
  return s;
}

namespace {

nlohmann::json remote_config(const MiniMaxShape& s) {
  nlohmann::json types = nlohmann::json::array();
  for (bool softmax : s.softmax_layers) types.push_back(softmax ? 1 : 0);
  return {{"model_type", "minimax_m1"},
          {"architectures", {"MiniMaxM1ForCausalLM"}},
          {"vocab_size", s.n_vocab},
          {"hidden_size", s.n_embd},
          {"num_hidden_layers", s.n_layer},
          {"num_attention_heads", s.heads},
          {"num_key_value_heads", s.kv_heads},
          {"head_dim", s.head_dim},
          {"rotary_dim", s.rotary_dim},
          {"rope_theta", s.rope_theta},
          {"intermediate_size", s.expert_ffn},
          {"num_local_experts", s.experts},
          {"num_experts_per_tok", s.experts_per_token},
          {"rms_norm_eps", 1e-5},
          {"attn_type_list", types},
          {"postnorm", true},
          {"layernorm_full_attention_alpha", s.alpha},
          {"layernorm_full_attention_beta", 1.0},
          {"layernorm_linear_attention_alpha", s.alpha},
          {"layernorm_linear_attention_beta", 1.0},
          {"layernorm_mlp_alpha", s.alpha},
          {"layernorm_mlp_beta", 1.0},
          {"shared_intermediate_size", 0},
          {"tie_word_embeddings", false}};
}

}  // namespace

std::unique_ptr<MemoryTensorSource> random_minimax_weights(const MiniMaxShape& s, DType dtype, std::uint64_t seed) {
  auto source =
      std::make_unique<MemoryTensorSource>("random MiniMax weights (seed " + std::to_string(seed) + ")");
  RandomFill random(seed);
  const std::int64_t C = s.n_embd, W = s.heads * s.head_dim, KV = s.kv_heads * s.head_dim, I = s.expert_ffn;
  auto matrix = [&](const std::string& name, std::int64_t rows, std::int64_t cols) {
    const float bound = std::sqrt(3.0f / static_cast<float>(cols));  // variance 1/in keeps activations in scale
    source->add_generated(name, dtype, {rows, cols}, [&] { return random.uniform(-bound, bound); });
  };
  auto norm = [&](const std::string& name, std::int64_t n) {
    source->add_f32(name, DType::f32, {n}, random.values(n, 0.9f, 1.1f));
  };
  matrix("model.embed_tokens.weight", s.n_vocab, C);
  for (std::int64_t l = 0; l < s.n_layer; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    norm(p + "input_layernorm.weight", C);
    norm(p + "post_attention_layernorm.weight", C);
    if (s.softmax_layers[static_cast<std::size_t>(l)]) {
      matrix(p + "self_attn.q_proj.weight", W, C);
      matrix(p + "self_attn.k_proj.weight", KV, C);
      matrix(p + "self_attn.v_proj.weight", KV, C);
      matrix(p + "self_attn.o_proj.weight", C, W);
    } else {
      matrix(p + "self_attn.qkv_proj.weight", 3 * W, C);
      matrix(p + "self_attn.output_gate.weight", W, C);
      matrix(p + "self_attn.out_proj.weight", C, W);
      norm(p + "self_attn.norm.weight", W);
    }
    matrix(p + "block_sparse_moe.gate.weight", s.experts, C);
    for (std::int64_t e = 0; e < s.experts; ++e) {
      const std::string q = p + "block_sparse_moe.experts." + std::to_string(e) + ".";
      matrix(q + "w1.weight", I, C);
      matrix(q + "w3.weight", I, C);
      matrix(q + "w2.weight", C, I);
    }
  }
  norm("model.norm.weight", C);
  matrix("lm_head.weight", s.n_vocab, C);
  return source;
}

std::shared_ptr<const Model> make_random_minimax(std::string_view size, DType dtype, std::uint64_t seed) {
  const std::optional<MiniMaxShape> shape = minimax_benchmark_shape(size);
  if (!shape) throw std::invalid_argument("minimax has no size '" + std::string(size) + "' (8x256 or 12x1024)");
  if (dtype != DType::f32 && dtype != DType::f16 && dtype != DType::bf16 && !io::can_quantize(dtype))
    throw std::invalid_argument("random weights are F32, F16, BF16 or a quantized type (q8_0, q4_0, q4_k, q6_k), not " +
                                std::string(dtype_name(dtype)));
  ModelFiles files;
  files.path = "random minimax:" + std::string(size);
  files.format = "memory";
  files.tensors = random_minimax_weights(*shape, dtype, seed);
  files.config = remote_config(*shape);
  files.config_path = files.path;
  const ConfigReader cfg(*files.config, files.config_path.string());
  return load_from(files, cfg,
                   "random-minimax-" + std::string(size) + "-" + std::string(dtype_name(dtype)) + "-seed" +
                       std::to_string(seed));
}

}  // namespace linea
