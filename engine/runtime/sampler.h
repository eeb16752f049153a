// Picks the next token from a row of logits.
//
//   linea::SamplingParams params;
//   params.temperature = 0.8f;
//   params.top_p = 0.95f;
//   params.seed = 42;
//   linea::Sampler sampler(params);
//   std::int32_t token = sampler.sample(logits, history);  // history: the tokens so far, oldest first
//
// Order of operations: Hugging Face transformers' (repetition penalty, then temperature, top-k, top-p,
// min-p, then the draw), not llama.cpp's common chain (which applies temperature last). Scaling by
// temperature first means top-p and min-p see the distribution that is actually drawn from, so
// "top_p 0.95 at temperature 0.7" means what the model cards that recommend such settings (e.g.
// MiniMax-M1: temperature 1.0, top_p 0.95) measured with transformers; it also lets the tests check
// each step against transformers' own logits processors.
//
//   repetition penalty  CTRL style, over the distinct tokens in the last `repetition_window` entries of
//                       the history: a negative logit is multiplied by the penalty, any other divided
//                       by it (in float, exactly as transformers computes it).
//   temperature         logits / temperature. temperature <= 0 means greedy: the highest penalized
//                       logit wins, ties go to the lowest id, no randomness is used.
//   top-k               keeps the tokens whose logit is >= the k-th largest (ties with the k-th are kept,
//                       as transformers does). 0 or k >= vocabulary size: off.
//   top-p               keeps the most probable tokens, in order (logit descending, id ascending), while
//                       the probability mass before each token (in the top-k distribution) is
//                       < top_p; so the token that crosses top_p is kept. 0: only the top one. 1: off.
//   min-p               keeps the tokens whose probability is >= min_p x the largest probability.
//                       0: off.
//   draw                one uniform number in [0, 1) from xoshiro256** (seeded with splitmix64 from
//                       `seed`), walked through the survivors' renormalized probabilities in id order.
//
// Every filter keeps at least the most probable token, so the candidate set is never empty after a
// filter. Non-finite logits: NaN counts as -inf (never chosen); -inf is a token with probability 0;
// if any logit is +inf, the +inf tokens share all the probability equally (the limit of softmax; the
// filters do not apply then). A token whose probability underflows to exactly 0 is not a candidate.
// A row with no usable logit (empty, or all NaN / -inf) throws std::invalid_argument.
//
// Deterministic: the same params, logits and history give the same token on every run and platform
// (all arithmetic after the penalty is in double, in an order fixed by this code rather than by the
// standard library's algorithms; only exp() comes from the C library, so a libm whose exp() rounds
// differently can change a draw that lands within rounding of a boundary). Each non-greedy sample()
// consumes exactly one 64-bit random number, whatever survives the filters, so the random stream's
// position is the number of draws so far; greedy consumes none. A copy of a Sampler continues the
// same random sequence as the original.
//
// Cost: linear in the vocabulary (one exp() per token that survives top-k; top-k by a heap, top-p by
// a quickselect that first drops the light tail, never a full sort). Scratch buffers are kept per
// thread, so a Sampler is cheap to copy; one Sampler must not be used by two threads at once.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace linea {

struct SamplingParams {
  float temperature = 1.0f;         // <= 0: greedy
  int top_k = 0;                    // 0: off
  float top_p = 1.0f;               // in [0, 1]; 1: off
  float min_p = 0.0f;               // in [0, 1]; 0: off
  float repetition_penalty = 1.0f;  // > 0; 1: off
  int repetition_window = 64;       // the last N history tokens are penalized; 0: none; < 0: the whole history
  std::uint64_t seed = 0;
};

// One token that survived the filters, with its probability in the final (renormalized) distribution.
struct TokenProbability {
  std::int32_t token = 0;
  double probability = 0.0;
};

class Sampler {
 public:
  // Throws std::invalid_argument for a NaN temperature, top_k < 0, top_p or min_p outside [0, 1],
  // or a repetition penalty that is not a positive finite number.
  explicit Sampler(const SamplingParams& params);

  // `logits`: one per vocabulary entry. `history`: the tokens so far (prompt and generated), oldest
  // first; a negative id throws std::invalid_argument, ids >= logits.size() are not penalized.
  std::int32_t sample(std::span<const float> logits, std::span<const std::int32_t> history);

  // The distribution sample() draws from for these logits, without drawing: the survivors of every
  // filter in ascending id order, probabilities summing to 1. Greedy gives the one winner with 1.
  std::vector<TokenProbability> distribution(std::span<const float> logits,
                                             std::span<const std::int32_t> history) const;

  const SamplingParams& params() const { return params_; }

 private:
  double next_uniform();

  SamplingParams params_;
  std::array<std::uint64_t, 4> rng_state_{};
};

// The logits after the repetition penalty alone (exposed for tests and for tools that show it).
std::vector<float> apply_repetition_penalty(std::span<const float> logits, std::span<const std::int32_t> history,
                                            float penalty, int window);

}  // namespace linea
