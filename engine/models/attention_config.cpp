#include "engine/models/attention_config.h"

#include <string>

namespace linea {

AttentionHeads read_attention_heads(const ConfigReader& cfg) {
  AttentionHeads a;
  a.hidden = cfg.positive("hidden_size");
  a.heads = cfg.positive("num_attention_heads");
  a.kv_heads = cfg.positive("num_key_value_heads", a.heads);
  if (a.heads % a.kv_heads != 0)
    cfg.fail("num_key_value_heads", "(" + std::to_string(a.kv_heads) + ") must divide num_attention_heads (" +
                                        std::to_string(a.heads) + ")");
  if (!cfg.has("head_dim") && a.hidden % a.heads != 0)
    cfg.fail("head_dim", "is missing and hidden_size is not a multiple of num_attention_heads");
  a.head_dim = cfg.positive("head_dim", a.hidden / a.heads);
  return a;
}

RotaryConfig read_rotary(const ConfigReader& cfg) {
  RotaryConfig rotary;
  const std::optional<ConfigReader> rope = cfg.child("rope_parameters");
  if (rope) {
    if (const auto type = rope->string("rope_type"); type && *type != "default")
      rope->fail("rope_type", "is \"" + *type + "\"; Linea runs the default rotary embedding only");
    rotary.theta = rope->number("rope_theta");
    rotary.partial_factor = rope->number("partial_rotary_factor");
  }
  if (cfg.has("rope_scaling")) cfg.fail("rope_scaling", "is set; Linea runs the default rotary embedding only");
  if (!rotary.theta) rotary.theta = cfg.number("rope_theta");
  if (!rotary.partial_factor) rotary.partial_factor = cfg.number("partial_rotary_factor");
  return rotary;
}

}  // namespace linea
