#include "engine/models/llama_decoder.h"

#include "engine/io/format_error.h"
#include "engine/models/attention_config.h"
#include "engine/models/config_reader.h"
#include "engine/models/decoder_model.h"
#include "engine/models/model_files.h"
#include "engine/models/tensor_reader.h"
#include "engine/runtime/model_fingerprint.h"

#include <cmath>
#include <sstream>

namespace linea {

namespace {

bool is_llama_type(const std::string& type) { return type == "llama" || type == "mistral" || type == "qwen2"; }

// LLaVA / LLaVA-NeXT folders: the language model is described by text_config, and its tensors sit
// under language_model. (vision/ reads the tower and projector of the same folder).
bool is_llava_type(const std::string& type) { return type == "llava" || type == "llava_next"; }

std::string llava_text_type(const nlohmann::json& config) {
  const auto text = config.find("text_config");
  if (text == config.end() || !text->is_object()) return {};
  const auto type = text->find("model_type");
  return type != text->end() && type->is_string() ? type->get<std::string>() : std::string();
}

std::shared_ptr<const Model> load_decoder(const ModelFiles& files, const ConfigReader& cfg, const std::string& prefix);

}  // namespace

bool llama_recognises(const ModelFiles& files) {
  const std::string declared = files.declared_architecture();
  if (is_llama_type(declared)) return true;
  return is_llava_type(declared) && files.config && is_llama_type(llava_text_type(*files.config));
}

std::shared_ptr<const Model> load_llama(const ModelFiles& files) {
  if (!files.config)
    throw io::FormatError(files.path.string(), std::nullopt,
                          "Llama-style weights keep their hyper-parameters in config.json, which is not beside them");
  const ConfigReader root(*files.config, files.config_path.string());
  if (is_llava_type(root.string("model_type").value_or(""))) {
    const std::optional<ConfigReader> text = root.child("text_config");
    if (!text) root.fail("text_config", "is missing: a LLaVA config describes its language model there");
    return load_decoder(files, *text, "language_model.");
  }
  return load_decoder(files, root, "");
}

namespace {

std::shared_ptr<const Model> load_decoder(const ModelFiles& files, const ConfigReader& cfg, const std::string& prefix) {
  const std::string type = cfg.string("model_type").value_or("");
  if (!is_llama_type(type)) cfg.fail("model_type", "is \"" + type + "\", expected llama, mistral or qwen2");
  const bool qwen2 = type == "qwen2";

  const AttentionHeads shape = read_attention_heads(cfg);
  const std::int64_t C = shape.hidden, H = shape.heads, KV = shape.kv_heads, D = shape.head_dim;
  const std::int64_t L = cfg.positive("num_hidden_layers");
  const std::int64_t F = cfg.positive("intermediate_size");
  const auto eps = static_cast<float>(cfg.number("rms_norm_eps").value_or(1e-6));
  const bool tie = cfg.boolean("tie_word_embeddings").value_or(false);
  const bool qkv_bias = qwen2 || cfg.boolean("attention_bias").value_or(false);
  if (cfg.boolean("mlp_bias").value_or(false)) cfg.fail("mlp_bias", "is true; Linea runs bias-free MLPs only");
  if (cfg.boolean("use_sliding_window").value_or(type == "mistral" && cfg.has("sliding_window")))
    cfg.fail("sliding_window", "is in use; Linea runs full causal attention only");
  if (const auto act = cfg.string("hidden_act"); act && *act != "silu")
    cfg.fail("hidden_act", "is \"" + *act + "\"; Linea runs SwiGLU (silu) MLPs only");

  const RotaryConfig rotary = read_rotary(cfg);
  const auto rotary_dim = static_cast<std::int64_t>(static_cast<double>(D) * rotary.partial_factor.value_or(1.0));
  if (rotary_dim % 2 != 0) cfg.fail("partial_rotary_factor", "gives an odd rotary dimension");

  DecoderWeights weights;
  weights.packed = std::make_shared<cpu::PackedWeights>();
  const TensorReader reader(*files.tensors, type, prefix, *weights.packed);
  const io::TensorInfo& embedding = reader.require("model.embed_tokens.weight", "token embedding");
  if (embedding.shape.size() != 2 || embedding.shape[1] != C || embedding.shape[0] <= 0)
    reader.fail(embedding, "token embedding",
                "has shape " + io::shape_text(embedding.shape) + ", expected [vocab_size, " + std::to_string(C) + "]");
  const std::int64_t V = embedding.shape[0];
  if (const auto vocab = cfg.integer("vocab_size"); vocab && *vocab != V)
    cfg.fail("vocab_size", "is " + std::to_string(*vocab) + " but the embedding has " + std::to_string(V) + " rows");

  weights.residual = ResidualStyle::prenorm;
  weights.embedding = reader.table("model.embed_tokens.weight", V, C, "token embedding");
  const std::vector<float> inverse_frequencies = layers::rotary_inverse_frequencies(rotary.theta.value_or(10000.0), rotary_dim);
  for (std::int64_t l = 0; l < L; ++l) {
    const std::string p = "model.layers." + std::to_string(l) + ".";
    const std::string what = "layer " + std::to_string(l);
    DecoderLayer layer;
    layer.input_norm = {reader.values(p + "input_layernorm.weight", C, what + " input RMSNorm"), eps};
    layer.post_attention_norm = {reader.values(p + "post_attention_layernorm.weight", C, what + " post-attention RMSNorm"),
                                 eps};
    layers::SoftmaxAttention attention;
    attention.heads = H;
    attention.kv_heads = KV;
    attention.head_dim = D;
    attention.rotary_dim = rotary_dim;
    attention.inverse_frequencies = inverse_frequencies;
    attention.scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));
    attention.query = reader.matrix(p + "self_attn.q_proj.weight", H * D, C, what + " query projection");
    attention.key = reader.matrix(p + "self_attn.k_proj.weight", KV * D, C, what + " key projection");
    attention.value = reader.matrix(p + "self_attn.v_proj.weight", KV * D, C, what + " value projection");
    attention.output = reader.matrix(p + "self_attn.o_proj.weight", C, H * D, what + " output projection");
    if (qkv_bias) {
      attention.query_bias = reader.values(p + "self_attn.q_proj.bias", H * D, what + " query bias");
      attention.key_bias = reader.values(p + "self_attn.k_proj.bias", KV * D, what + " key bias");
      attention.value_bias = reader.values(p + "self_attn.v_proj.bias", KV * D, what + " value bias");
    }
    layer.softmax = std::move(attention);
    layers::SwiGluMlp mlp;
    mlp.gate = reader.matrix(p + "mlp.gate_proj.weight", F, C, what + " MLP gate projection");
    mlp.up = reader.matrix(p + "mlp.up_proj.weight", F, C, what + " MLP up projection");
    mlp.down = reader.matrix(p + "mlp.down_proj.weight", C, F, what + " MLP down projection");
    layer.mlp = mlp;
    weights.layers.push_back(std::move(layer));
  }
  weights.final_norm = {reader.values("model.norm.weight", C, "final RMSNorm"), eps};
  if (tie && !reader.find("lm_head.weight"))
    weights.head = reader.for_products(weights.embedding);
  else
    weights.head = reader.matrix("lm_head.weight", V, C, "output head (lm_head)");

  ModelInfo info;
  info.architecture = "llama";
  std::ostringstream description;
  description << (qwen2 ? "Qwen2" : type == "mistral" ? "Mistral" : "Llama") << " decoder, " << L << " layers, d " << C
              << ", " << H << " heads of " << D << " (" << KV << " KV heads), MLP " << F << ", vocabulary " << V
              << ", " << dtype_name(weights.layers.front().mlp->gate.dtype) << " weights";
  info.description = description.str();
  info.source = files.tensors->describe();
  info.format = files.format;
  info.fingerprint = model_fingerprint(*files.tensors);
  return std::make_shared<DecoderModel>(files.tensors, std::move(weights), std::move(info));
}

}  // namespace

}  // namespace linea
