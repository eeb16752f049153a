#include "engine/models/rwkv7.h"

#include "engine/cpu/scratch_floats.h"
#include "engine/io/format_error.h"
#include "engine/runtime/model_fingerprint.h"
#include "engine/runtime/recurrent_state.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace linea {

using io::shape_text;

namespace {

// ---------------------------------------------------------------------------------------------
// Tensor names, per naming scheme ("{i}" is the layer index).

enum class Role {
  embedding,
  embedding_norm_weight,
  embedding_norm_bias,
  attention_norm_weight,
  attention_norm_bias,
  ffn_norm_weight,
  ffn_norm_bias,
  mixes_fused,  // [6, C] token-shift mixes r, w, k, v, a, g (GGUF, rwkv.cpp)
  mix_r,
  mix_w,
  mix_k,
  mix_v,
  mix_a,
  mix_g,  // one each (Hugging Face)
  decay_bias,
  decay_down,
  decay_up,
  iclr_bias,
  iclr_down,
  iclr_up,
  value_residual_bias,
  value_residual_down,
  value_residual_up,
  gate_down,
  gate_up,
  k_k,
  k_a,
  r_k,
  receptance,
  key,
  value,
  output,
  group_norm_weight,
  group_norm_bias,
  ffn_mix,
  ffn_key,
  ffn_value,
  output_norm_weight,
  output_norm_bias,
  head,
};

struct RoleNames {
  Role role;
  const char* gguf;
  const char* hugging_face;
  const char* rwkv_cpp;
  const char* what;  // for messages
};

constexpr RoleNames kNames[] = {
    {Role::embedding, "token_embd.weight", "model.embeddings.weight", "emb.weight", "token embedding"},
    {Role::embedding_norm_weight, "token_embd_norm.weight", "model.layers.0.pre_norm.weight", "blocks.0.ln0.weight",
     "embedding LayerNorm weight (ln0)"},
    {Role::embedding_norm_bias, "token_embd_norm.bias", "model.layers.0.pre_norm.bias", "blocks.0.ln0.bias",
     "embedding LayerNorm bias (ln0)"},
    {Role::attention_norm_weight, "blk.{i}.attn_norm.weight", "model.layers.{i}.attn_norm.weight",
     "blocks.{i}.ln1.weight", "time-mix LayerNorm weight (ln1)"},
    {Role::attention_norm_bias, "blk.{i}.attn_norm.bias", "model.layers.{i}.attn_norm.bias", "blocks.{i}.ln1.bias",
     "time-mix LayerNorm bias (ln1)"},
    {Role::ffn_norm_weight, "blk.{i}.attn_norm_2.weight", "model.layers.{i}.ffn_norm.weight", "blocks.{i}.ln2.weight",
     "channel-mix LayerNorm weight (ln2)"},
    {Role::ffn_norm_bias, "blk.{i}.attn_norm_2.bias", "model.layers.{i}.ffn_norm.bias", "blocks.{i}.ln2.bias",
     "channel-mix LayerNorm bias (ln2)"},
    {Role::mixes_fused, "blk.{i}.time_mix_lerp_fused.weight", "", "blocks.{i}.att.x_rwkvag",
     "fused token-shift mixes (r, w, k, v, a, g)"},
    {Role::mix_r, "", "model.layers.{i}.attn.x_r", "", "token-shift mix x_r"},
    {Role::mix_w, "", "model.layers.{i}.attn.x_w", "", "token-shift mix x_w"},
    {Role::mix_k, "", "model.layers.{i}.attn.x_k", "", "token-shift mix x_k"},
    {Role::mix_v, "", "model.layers.{i}.attn.x_v", "", "token-shift mix x_v"},
    {Role::mix_a, "", "model.layers.{i}.attn.x_a", "", "token-shift mix x_a"},
    {Role::mix_g, "", "model.layers.{i}.attn.x_g", "", "token-shift mix x_g"},
    {Role::decay_bias, "blk.{i}.time_mix_w0.weight", "model.layers.{i}.attn.w_lora.lora.2.bias", "blocks.{i}.att.w0",
     "decay bias w0"},
    {Role::decay_down, "blk.{i}.time_mix_w1.weight", "model.layers.{i}.attn.w_lora.lora.0.weight", "blocks.{i}.att.w1",
     "decay LoRA w1"},
    {Role::decay_up, "blk.{i}.time_mix_w2.weight", "model.layers.{i}.attn.w_lora.lora.2.weight", "blocks.{i}.att.w2",
     "decay LoRA w2"},
    {Role::iclr_bias, "blk.{i}.time_mix_a0.weight", "model.layers.{i}.attn.a_lora.lora.2.bias", "blocks.{i}.att.a0",
     "in-context learning rate bias a0"},
    {Role::iclr_down, "blk.{i}.time_mix_a1.weight", "model.layers.{i}.attn.a_lora.lora.0.weight", "blocks.{i}.att.a1",
     "in-context learning rate LoRA a1"},
    {Role::iclr_up, "blk.{i}.time_mix_a2.weight", "model.layers.{i}.attn.a_lora.lora.2.weight", "blocks.{i}.att.a2",
     "in-context learning rate LoRA a2"},
    {Role::value_residual_bias, "blk.{i}.time_mix_v0.weight", "model.layers.{i}.attn.v_lora.lora.2.bias",
     "blocks.{i}.att.v0", "value-residual bias v0"},
    {Role::value_residual_down, "blk.{i}.time_mix_v1.weight", "model.layers.{i}.attn.v_lora.lora.0.weight",
     "blocks.{i}.att.v1", "value-residual LoRA v1"},
    {Role::value_residual_up, "blk.{i}.time_mix_v2.weight", "model.layers.{i}.attn.v_lora.lora.2.weight",
     "blocks.{i}.att.v2", "value-residual LoRA v2"},
    {Role::gate_down, "blk.{i}.time_mix_g1.weight", "model.layers.{i}.attn.g_lora.lora.0.weight", "blocks.{i}.att.g1",
     "gate LoRA g1"},
    {Role::gate_up, "blk.{i}.time_mix_g2.weight", "model.layers.{i}.attn.g_lora.lora.2.weight", "blocks.{i}.att.g2",
     "gate LoRA g2"},
    {Role::k_k, "blk.{i}.time_mix_k_k.weight", "model.layers.{i}.attn.k_k", "blocks.{i}.att.k_k",
     "key normalisation scale k_k"},
    {Role::k_a, "blk.{i}.time_mix_k_a.weight", "model.layers.{i}.attn.k_a", "blocks.{i}.att.k_a",
     "key learning-rate mix k_a"},
    {Role::r_k, "blk.{i}.time_mix_r_k.weight", "model.layers.{i}.attn.r_k", "blocks.{i}.att.r_k", "bonus weights r_k"},
    {Role::receptance, "blk.{i}.time_mix_receptance.weight", "model.layers.{i}.attn.r_proj.weight",
     "blocks.{i}.att.receptance.weight", "receptance projection"},
    {Role::key, "blk.{i}.time_mix_key.weight", "model.layers.{i}.attn.k_proj.weight", "blocks.{i}.att.key.weight",
     "key projection"},
    {Role::value, "blk.{i}.time_mix_value.weight", "model.layers.{i}.attn.v_proj.weight", "blocks.{i}.att.value.weight",
     "value projection"},
    {Role::output, "blk.{i}.time_mix_output.weight", "model.layers.{i}.attn.o_proj.weight",
     "blocks.{i}.att.output.weight", "output projection"},
    {Role::group_norm_weight, "blk.{i}.time_mix_ln.weight", "model.layers.{i}.attn.g_norm.weight",
     "blocks.{i}.att.ln_x.weight", "GroupNorm weight (ln_x)"},
    {Role::group_norm_bias, "blk.{i}.time_mix_ln.bias", "model.layers.{i}.attn.g_norm.bias", "blocks.{i}.att.ln_x.bias",
     "GroupNorm bias (ln_x)"},
    {Role::ffn_mix, "blk.{i}.channel_mix_lerp_k.weight", "model.layers.{i}.ffn.x_k", "blocks.{i}.ffn.x_k",
     "channel-mix token-shift mix x_k"},
    {Role::ffn_key, "blk.{i}.channel_mix_key.weight", "model.layers.{i}.ffn.key.weight", "blocks.{i}.ffn.key.weight",
     "channel-mix key"},
    {Role::ffn_value, "blk.{i}.channel_mix_value.weight", "model.layers.{i}.ffn.value.weight",
     "blocks.{i}.ffn.value.weight", "channel-mix value"},
    {Role::output_norm_weight, "output_norm.weight", "model.norm.weight", "ln_out.weight", "output LayerNorm weight"},
    {Role::output_norm_bias, "output_norm.bias", "model.norm.bias", "ln_out.bias", "output LayerNorm bias"},
    {Role::head, "output.weight", "lm_head.weight", "head.weight", "output head"},
};

const RoleNames& names_of(Role role) {
  for (const RoleNames& entry : kNames)
    if (entry.role == role) return entry;
  throw std::logic_error("rwkv7: no names for a tensor role");
}

// Finds, checks and converts the tensors of one source under one naming scheme. Every failure
// names the source, the tensor, its role and what was expected.
class TensorReader {
 public:
  // Matrices for products are regrouped into `packed` where the active kernels prefer another layout.
  TensorReader(const io::TensorSource& source, Rwkv7Naming naming, cpu::PackedWeights& packed)
      : source_(source), naming_(naming), packed_(packed) {}

  std::string name(Role role, std::int64_t layer = -1) const {
    const RoleNames& entry = names_of(role);
    const char* pattern = naming_ == Rwkv7Naming::gguf           ? entry.gguf
                          : naming_ == Rwkv7Naming::hugging_face ? entry.hugging_face
                                                                 : entry.rwkv_cpp;
    std::string result = pattern;
    const std::size_t at = result.find("{i}");
    if (at != std::string::npos) result.replace(at, 3, std::to_string(layer));
    return result;
  }

  const io::TensorInfo* find(Role role, std::int64_t layer = -1) const { return source_.find(name(role, layer)); }

  const io::TensorInfo& require(Role role, std::int64_t layer = -1) const {
    const io::TensorInfo* info = find(role, layer);
    if (!info)
      throw io::FormatError(source_.describe(), std::nullopt,
                            "tensor '" + name(role, layer) + "' (RWKV-7 " + what(role, layer) + ") is missing");
    return *info;
  }

  // A matrix for products: shape exactly [rows, cols], a dtype the kernels read; used in place or
  // regrouped.
  cpu::WeightView matrix(Role role, std::int64_t layer, std::int64_t rows, std::int64_t cols) const {
    return packed_.prepare(table(role, layer, rows, cols), source_);
  }
  // The same, used in place as the file has it: a table whose rows are looked up (the embedding).
  cpu::WeightView table(Role role, std::int64_t layer, std::int64_t rows, std::int64_t cols) const {
    const io::TensorInfo& info = require(role, layer);
    if (info.shape != std::vector<std::int64_t>{rows, cols})
      fail(info, role, layer, "has shape " + shape_text(info.shape) + ", expected " + shape_text({rows, cols}));
    if (!cpu::weight_dtype_supported(info.dtype))
      fail(info, role, layer,
           "has dtype " + std::string(dtype_name(info.dtype)) + ", which the CPU kernels cannot read");
    return cpu::WeightView{info.dtype, rows, cols, info.data};
  }

  // A small tensor of `rows`·`count` values converted to f32. Accepted shapes: [rows, count] or
  // [count] when rows is 1, each optionally with extra dimensions of 1 (BlinkDL's [1, 1, C]), or
  // flattened to [rows·count].
  std::vector<float> values(Role role, std::int64_t layer, std::int64_t count, std::int64_t rows = 1) const {
    const io::TensorInfo& info = require(role, layer);
    std::vector<std::int64_t> significant;
    for (std::int64_t d : info.shape)
      if (d != 1) significant.push_back(d);
    const bool matches = (significant == std::vector<std::int64_t>{rows, count} && rows != 1) ||
                         significant == std::vector<std::int64_t>{rows * count} ||
                         (rows * count == 1 && significant.empty());
    if (!matches) {
      const std::string expected = rows == 1 ? shape_text({count}) : shape_text({rows, count});
      fail(info, role, layer, "has shape " + shape_text(info.shape) + ", expected " + expected);
    }
    if (dtype_info(info.dtype).quantized || !cpu::weight_dtype_supported(info.dtype))
      fail(info, role, layer, "has dtype " + std::string(dtype_name(info.dtype)) + ", expected F32, F16 or BF16");
    std::vector<float> out(static_cast<std::size_t>(rows * count));
    cpu::convert_to_f32(info.dtype, info.data, rows * count, out.data());
    return out;
  }

  [[noreturn]] void fail(const io::TensorInfo& info, Role role, std::int64_t layer, const std::string& message) const {
    const std::string file = info.file.empty() ? source_.describe() : info.file;
    throw io::FormatError(file, info.file_offset,
                          "tensor '" + info.name + "' (RWKV-7 " + what(role, layer) + ") " + message);
  }

 private:
  std::string what(Role role, std::int64_t layer) const {
    std::string text = names_of(role).what;
    if (layer >= 0) text = "layer " + std::to_string(layer) + " " + text;
    return text;
  }

  const io::TensorSource& source_;
  Rwkv7Naming naming_;
  cpu::PackedWeights& packed_;
};

layers::LayerNorm read_layer_norm(const TensorReader& reader, Role weight, Role bias, std::int64_t layer,
                                  std::int64_t n, float eps, bool with_bias) {
  layers::LayerNorm norm;
  norm.weight = reader.values(weight, layer, n);
  if (with_bias) norm.bias = reader.values(bias, layer, n);
  norm.eps = eps;
  return norm;
}

layers::LowRankProjection read_low_rank(const TensorReader& reader, Role down, Role up, std::optional<Role> bias,
                                        std::int64_t layer, std::int64_t n_embd, layers::LowRankActivation activation) {
  const io::TensorInfo& down_info = reader.require(down, layer);
  if (down_info.shape.size() != 2 || down_info.shape[1] != n_embd || down_info.shape[0] <= 0)
    reader.fail(down_info, down, layer,
                "has shape " + shape_text(down_info.shape) + ", expected [rank, " + std::to_string(n_embd) + "]");
  const std::int64_t rank = down_info.shape[0];
  layers::LowRankProjection projection;
  projection.down = reader.matrix(down, layer, rank, n_embd);
  projection.up = reader.matrix(up, layer, n_embd, rank);
  if (bias) projection.bias = reader.values(*bias, layer, n_embd);
  projection.activation = activation;
  return projection;
}

std::int64_t count_layers(const TensorReader& reader) {
  std::int64_t layers = 0;
  while (reader.find(Role::attention_norm_weight, layers)) ++layers;
  return layers;
}

}  // namespace

std::optional<Rwkv7Naming> detect_rwkv7_naming(const io::TensorSource& source) {
  if (source.find("token_embd.weight") && source.find("blk.0.time_mix_lerp_fused.weight")) return Rwkv7Naming::gguf;
  if (source.find("model.embeddings.weight") && source.find("model.layers.0.attn.w_lora.lora.0.weight"))
    return Rwkv7Naming::hugging_face;
  if (source.find("emb.weight") && source.find("blocks.0.att.x_rwkvag") && source.find("blocks.0.att.k_k"))
    return Rwkv7Naming::rwkv_cpp;
  return std::nullopt;
}

std::shared_ptr<const Rwkv7Model> Rwkv7Model::load(std::shared_ptr<const io::TensorSource> source,
                                                   const Rwkv7LoadOptions& options) {
  const std::optional<Rwkv7Naming> naming = detect_rwkv7_naming(*source);
  if (!naming)
    throw io::FormatError(source->describe(), std::nullopt,
                          "not an RWKV-7 model: found none of the tensor names of llama.cpp GGUF (token_embd.weight, "
                          "blk.0.time_mix_lerp_fused.weight), Hugging Face / fla (model.embeddings.weight, "
                          "model.layers.0.attn.w_lora.lora.0.weight) or rwkv.cpp (emb.weight, blocks.0.att.x_rwkvag)");
  std::shared_ptr<Rwkv7Model> model(new Rwkv7Model());
  const TensorReader reader(*source, *naming, model->packed_);
  Rwkv7Hyperparameters& hp = model->hparams_;

  // Shapes first: everything follows from the embedding, the layer count and the head size.
  const io::TensorInfo& embedding = reader.require(Role::embedding);
  if (embedding.shape.size() != 2 || embedding.shape[0] <= 0 || embedding.shape[1] <= 0)
    reader.fail(embedding, Role::embedding, -1,
                "has shape " + shape_text(embedding.shape) + ", expected [n_vocab, n_embd]");
  hp.n_vocab = embedding.shape[0];
  hp.n_embd = embedding.shape[1];
  hp.head_size = options.head_size.value_or(64);
  if (hp.head_size <= 0 || hp.n_embd % hp.head_size != 0)
    throw io::FormatError(
        source->describe(), std::nullopt,
        "head size " + std::to_string(hp.head_size) + " does not divide n_embd " + std::to_string(hp.n_embd));
  hp.n_head = hp.n_embd / hp.head_size;
  hp.layer_norm_eps = options.layer_norm_eps.value_or(1e-5f);
  hp.group_norm_eps = static_cast<float>(hp.head_size) * 1e-5f;

  hp.n_layer = count_layers(reader);
  if (options.n_layer && *options.n_layer != hp.n_layer) {
    if (*options.n_layer > hp.n_layer)
      reader.require(Role::attention_norm_weight, hp.n_layer);  // names the first missing
    throw io::FormatError(source->describe(), std::nullopt,
                          "the metadata says " + std::to_string(*options.n_layer) +
                              " layers but the file has tensors for " + std::to_string(hp.n_layer));
  }
  if (hp.n_layer == 0) reader.require(Role::attention_norm_weight, 0);

  const std::int64_t C = hp.n_embd;
  const io::TensorInfo& ffn_key = reader.require(Role::ffn_key, 0);
  if (ffn_key.shape.size() != 2 || ffn_key.shape[1] != C || ffn_key.shape[0] <= 0)
    reader.fail(ffn_key, Role::ffn_key, 0,
                "has shape " + shape_text(ffn_key.shape) + ", expected [n_ffn, " + std::to_string(C) + "]");
  hp.n_ffn = ffn_key.shape[0];

  model->embedding_ = reader.table(Role::embedding, -1, hp.n_vocab, C);
  if (reader.find(Role::embedding_norm_weight) || *naming != Rwkv7Naming::hugging_face)
    model->embedding_norm_ = read_layer_norm(reader, Role::embedding_norm_weight, Role::embedding_norm_bias, -1, C,
                                             hp.layer_norm_eps, options.layer_norm_bias);

  model->layers_.resize(static_cast<std::size_t>(hp.n_layer));
  for (std::int64_t i = 0; i < hp.n_layer; ++i) {
    Layer& layer = model->layers_[static_cast<std::size_t>(i)];
    layer.attention_norm = read_layer_norm(reader, Role::attention_norm_weight, Role::attention_norm_bias, i, C,
                                           hp.layer_norm_eps, options.layer_norm_bias);
    layer.ffn_norm = read_layer_norm(reader, Role::ffn_norm_weight, Role::ffn_norm_bias, i, C, hp.layer_norm_eps,
                                     options.layer_norm_bias);

    layers::Rwkv7TimeMix& tm = layer.time_mix;
    tm.n_embd = C;
    tm.head_count = hp.n_head;
    tm.head_size = hp.head_size;
    if (*naming == Rwkv7Naming::hugging_face) {
      tm.mix_r = reader.values(Role::mix_r, i, C);
      tm.mix_w = reader.values(Role::mix_w, i, C);
      tm.mix_k = reader.values(Role::mix_k, i, C);
      tm.mix_v = reader.values(Role::mix_v, i, C);
      tm.mix_a = reader.values(Role::mix_a, i, C);
      tm.mix_g = reader.values(Role::mix_g, i, C);
    } else {
      const std::vector<float> fused = reader.values(Role::mixes_fused, i, C, 6);
      std::vector<float>* targets[] = {&tm.mix_r, &tm.mix_w, &tm.mix_k, &tm.mix_v, &tm.mix_a, &tm.mix_g};
      for (std::size_t m = 0; m < 6; ++m)
        targets[m]->assign(fused.begin() + static_cast<std::ptrdiff_t>(m * C),
                           fused.begin() + static_cast<std::ptrdiff_t>((m + 1) * C));
    }
    tm.receptance = reader.matrix(Role::receptance, i, C, C);
    tm.key = reader.matrix(Role::key, i, C, C);
    tm.value = reader.matrix(Role::value, i, C, C);
    tm.output = reader.matrix(Role::output, i, C, C);
    tm.decay = read_low_rank(reader, Role::decay_down, Role::decay_up, Role::decay_bias, i, C,
                             layers::LowRankActivation::tanh);
    tm.in_context_rate =
        read_low_rank(reader, Role::iclr_down, Role::iclr_up, Role::iclr_bias, i, C, layers::LowRankActivation::none);
    if (i > 0)  // layer 0 defines v_first; some files carry unused dummies there
      tm.value_residual = read_low_rank(reader, Role::value_residual_down, Role::value_residual_up,
                                        Role::value_residual_bias, i, C, layers::LowRankActivation::none);
    tm.gate =
        read_low_rank(reader, Role::gate_down, Role::gate_up, std::nullopt, i, C, layers::LowRankActivation::sigmoid);
    tm.k_k = reader.values(Role::k_k, i, C);
    tm.k_a = reader.values(Role::k_a, i, C);
    tm.r_k = reader.values(Role::r_k, i, hp.head_size, hp.n_head);
    tm.group_norm_weight = reader.values(Role::group_norm_weight, i, C);
    tm.group_norm_bias = reader.values(Role::group_norm_bias, i, C);
    tm.group_norm_eps = hp.group_norm_eps;

    layers::Rwkv7ChannelMix& cm = layer.channel_mix;
    cm.n_embd = C;
    cm.mix_k = reader.values(Role::ffn_mix, i, C);
    cm.key = reader.matrix(Role::ffn_key, i, hp.n_ffn, C);
    cm.value = reader.matrix(Role::ffn_value, i, C, hp.n_ffn);

    if (i == 0) {
      hp.rank_decay = tm.decay.rank();
      hp.rank_iclr = tm.in_context_rate.rank();
      hp.rank_gate = tm.gate.rank();
    } else if (i == 1) {
      hp.rank_value_residual = tm.value_residual->rank();
    }
  }

  model->output_norm_ = read_layer_norm(reader, Role::output_norm_weight, Role::output_norm_bias, -1, C,
                                        hp.layer_norm_eps, options.layer_norm_bias);
  if (!reader.find(Role::head) && options.head_may_reuse_embedding)
    model->head_ = model->packed_.prepare(model->embedding_);
  else
    model->head_ = reader.matrix(Role::head, -1, hp.n_vocab, C);

  ModelInfo& info = model->info_;
  info.architecture = "rwkv7";
  info.source = source->describe();
  info.format = options.format;
  info.n_vocab = hp.n_vocab;
  info.n_embd = hp.n_embd;
  info.n_layer = hp.n_layer;
  for (const io::TensorInfo& tensor : source->tensors()) info.weight_bytes += tensor.size_bytes;
  info.memory_bytes_fixed = static_cast<std::uint64_t>(hp.n_layer) *
                            (2 * hp.n_embd + hp.n_head * hp.head_size * hp.head_size) * sizeof(float);
  info.fingerprint = options.fingerprint.empty() ? model_fingerprint(*source) : options.fingerprint;
  std::ostringstream description;
  description << "RWKV-7, " << hp.n_layer << " layers, C " << hp.n_embd << ", " << hp.n_head << " heads of "
              << hp.head_size << ", F " << hp.n_ffn << ", vocabulary " << hp.n_vocab << ", "
              << dtype_name(model->layers_.front().time_mix.key.dtype) << " weights";
  info.description = description.str();

  model->source_ = std::move(source);
  return model;
}

// ---------------------------------------------------------------------------------------------
// State and forward pass.

namespace {

// Per layer: att_shift, ffn_shift, wkv, in this order (RecurrentState indices 3i, 3i+1, 3i+2).
constexpr std::size_t kTensorsPerLayer = 3;

}  // namespace

std::unique_ptr<Memory> Rwkv7Model::new_memory() const {
  auto state = std::make_unique<RecurrentState>();
  for (std::int64_t i = 0; i < hparams_.n_layer; ++i) {
    const std::string prefix = "blocks." + std::to_string(i) + ".";
    state->add(prefix + "att_shift", hparams_.n_embd);
    state->add(prefix + "ffn_shift", hparams_.n_embd);
    state->add(prefix + "wkv", hparams_.n_head * hparams_.head_size * hparams_.head_size);
  }
  return state;
}

void Rwkv7Model::forward(cpu::ThreadPool& pool, std::span<const std::int32_t> tokens, Memory& memory, LogitsFor which,
                         std::vector<float>& logits, std::span<const EmbeddingRows> replaced) const {
  auto* state = dynamic_cast<RecurrentState*>(&memory);
  if (!state || state->tensor_count() != kTensorsPerLayer * layers_.size() ||
      static_cast<std::int64_t>(state->values(2).size()) != hparams_.n_head * hparams_.head_size * hparams_.head_size)
    throw std::invalid_argument("rwkv7: the memory passed to forward() was not made by this model");

  const auto T = static_cast<std::int64_t>(tokens.size());
  const std::int64_t C = hparams_.n_embd;
  if (T == 0) {
    logits.clear();
    return;
  }

  // x [T, C]: the residual stream. The lookup validates every token before any state changes.
  cpu::ScratchFloats x(static_cast<std::size_t>(T * C));
  cpu::embedding_lookup(embedding_, tokens, x);
  replace_embedding_rows(replaced, T, C, x);
  if (embedding_norm_) embedding_norm_->apply(x, x);

  cpu::ScratchFloats normed(x.size()), mixed(x.size()), v_first(x.size());
  // normed = norm(x) and x += mixed, on position ranges on every pool thread.
  const auto normalize = [&](const layers::LayerNorm& norm) {
    cpu::for_position_ranges(pool, T, [&](std::int64_t begin, std::int64_t end) {
      norm.apply(cpu::position_rows(x, C, begin, end), cpu::position_rows(normed, C, begin, end));
    });
  };
  const auto add_mixed = [&] {
    cpu::for_position_ranges(pool, T, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t j = begin * C; j < end * C; ++j) x[j] += mixed[j];
    });
  };
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const Layer& layer = layers_[i];
    const std::size_t base = i * kTensorsPerLayer;

    normalize(layer.attention_norm);
    layer.time_mix.apply(pool, normed, T, {state->values(base), state->values(base + 2)}, v_first, mixed);
    add_mixed();

    normalize(layer.ffn_norm);
    layer.channel_mix.apply(pool, normed, T, state->values(base + 1), mixed);
    add_mixed();
  }

  if (which == LogitsFor::none) {
    logits.clear();
    return;
  }
  const std::int64_t rows = which == LogitsFor::all ? T : 1;
  const std::span<const float> selected = std::span<const float>(x).subspan(static_cast<std::size_t>((T - rows) * C));
  std::vector<float> out_normed(selected.size());
  output_norm_.apply(selected, out_normed);
  logits.resize(static_cast<std::size_t>(rows * hparams_.n_vocab));
  cpu::matmul(pool, head_, out_normed, rows, logits);
}

}  // namespace linea
