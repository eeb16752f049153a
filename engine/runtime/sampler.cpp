#include "engine/runtime/sampler.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>

namespace linea {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

constexpr std::uint64_t rotate_left(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// xoshiro256** (Blackman & Vigna): a fully specified generator, so a seed means the same stream on
// every platform, unlike std::uniform_real_distribution.
std::uint64_t xoshiro256_next(std::array<std::uint64_t, 4>& s) {
  const std::uint64_t result = rotate_left(s[1] * 5, 7) * 9;
  const std::uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotate_left(s[3], 45);
  return result;
}

float penalized(float logit, float penalty) { return logit < 0.0f ? logit * penalty : logit / penalty; }

// The distinct history tokens that the penalty applies to, ascending.
std::vector<std::int32_t> penalized_tokens(std::span<const std::int32_t> history, int window, std::size_t vocab) {
  if (window == 0) return {};
  const std::size_t count = window < 0 ? history.size() : std::min(history.size(), static_cast<std::size_t>(window));
  std::vector<std::int32_t> tokens;
  tokens.reserve(count);
  for (std::int32_t token : history.last(count)) {
    if (token < 0) throw std::invalid_argument("sampler: history holds the negative token id " + std::to_string(token));
    // Ids the logits row does not cover cannot be generated, so there is nothing to penalize (as in
    // transformers, whose embedding table may be larger than its output layer).
    if (static_cast<std::size_t>(token) < vocab) tokens.push_back(token);
  }
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return tokens;
}

// The logits after the repetition penalty, NaN turned into -inf. The penalty is applied in float, as
// transformers does, so a penalized logit is the same number there and here.
void effective_logits(std::span<const float> logits, std::span<const std::int32_t> history,
                      const SamplingParams& params, std::vector<float>& values) {
  if (logits.empty()) throw std::invalid_argument("sampler: empty logits row");
  values.assign(logits.begin(), logits.end());
  for (float& value : values)
    if (std::isnan(value)) value = -std::numeric_limits<float>::infinity();
  if (params.repetition_penalty != 1.0f) {
    for (std::int32_t token : penalized_tokens(history, params.repetition_window, logits.size())) {
      float& value = values[static_cast<std::size_t>(token)];
      value = penalized(value, params.repetition_penalty);
    }
  }
}

[[noreturn]] void throw_no_usable_logit(std::size_t vocab) {
  throw std::invalid_argument("sampler: all " + std::to_string(vocab) +
                              " logits are NaN or -inf; there is no token to choose");
}

struct Candidate {
  std::int32_t token = 0;
  double weight = 0.0;  // exp((logit - max logit) / temperature): the top token has 1
};

// Ranks first: the larger weight, then the lower id. A strict total order, so every filter's result
// is the same whatever order the candidates arrive in.
bool ranks_before(const Candidate& a, const Candidate& b) {
  return a.weight != b.weight ? a.weight > b.weight : a.token < b.token;
}

// How many of the top-ranked candidates top-p keeps: the smallest count whose mass reaches `limit`
// (so each kept token has less than `limit` before it), or all of them. A weighted quickselect:
// expected linear time, where sorting a 200k vocabulary would dominate a decode step. Written out
// rather than using std::nth_element so the summation order, and with it every rounding, is the
// same with every standard library.
// `order` holds the indices of the candidates to consider (a top-ranked subset holding the cut);
// on return its first `count` entries are the kept ones.
std::size_t top_p_count(const std::vector<Candidate>& candidates, std::vector<std::uint32_t>& order, double limit) {
  auto before = [&](std::uint32_t a, std::uint32_t b) { return ranks_before(candidates[a], candidates[b]); };
  std::size_t low = 0;
  std::size_t high = order.size();
  double mass_before_low = 0.0;  // the mass of order[0, low): the top `low` candidates, in some order
  while (low < high) {
    // Median of three as the pivot, parked at the end of the range.
    const std::size_t middle = low + (high - low) / 2;
    if (before(order[middle], order[low])) std::swap(order[middle], order[low]);
    if (before(order[high - 1], order[low])) std::swap(order[high - 1], order[low]);
    if (before(order[middle], order[high - 1])) std::swap(order[middle], order[high - 1]);
    const std::uint32_t pivot = order[high - 1];
    std::size_t store = low;
    double upper_mass = 0.0;
    for (std::size_t j = low; j + 1 < high; ++j) {
      if (before(order[j], pivot)) {
        upper_mass += candidates[order[j]].weight;
        std::swap(order[store++], order[j]);
      }
    }
    std::swap(order[store], order[high - 1]);
    if (store > low && mass_before_low + upper_mass >= limit) {
      high = store;  // the cut falls among the candidates ranked above the pivot
      continue;
    }
    const double through_pivot = mass_before_low + upper_mass + candidates[pivot].weight;
    if (through_pivot >= limit) return store + 1;
    mass_before_low = through_pivot;
    low = store + 1;
  }
  return order.size();  // rounding kept the mass just under the limit: keep everything
}

// The k-th largest value (k >= 1, k < values.size()). For the usual small k, one pass with a min-heap
// of the k largest so far: most values lose a single comparison against the heap's top, several
// times faster than std::nth_element over a whole vocabulary.
float kth_largest(const std::vector<float>& values, std::size_t k, std::vector<float>& buffer) {
  if (k > values.size() / 16) {
    buffer.assign(values.begin(), values.end());
    const auto kth = buffer.begin() + static_cast<std::ptrdiff_t>(k - 1);
    std::nth_element(buffer.begin(), kth, buffer.end(), std::greater<>());
    return *kth;
  }
  buffer.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k));
  std::make_heap(buffer.begin(), buffer.end(), std::greater<>());
  for (std::size_t i = k; i < values.size(); ++i) {
    if (values[i] <= buffer.front()) continue;
    std::pop_heap(buffer.begin(), buffer.end(), std::greater<>());
    buffer.back() = values[i];
    std::push_heap(buffer.begin(), buffer.end(), std::greater<>());
  }
  return buffer.front();
}

// Buffers reused from one token to the next: a 200k vocabulary would otherwise cost several MiB of
// fresh (page-faulting) allocations per token. Per thread, so Samplers stay independent and copyable.
struct Scratch {
  std::vector<float> values;
  std::vector<float> sorted;
  std::vector<Candidate> candidates;  // after filtered_candidates: the survivors, ascending id
  std::vector<std::uint32_t> order;
  std::vector<char> keep;
};

Scratch& thread_scratch() {
  thread_local Scratch scratch;
  return scratch;
}

// Leaves the survivors of every filter in scratch.candidates (ascending id) and returns their total weight.
double filtered_candidates(std::span<const float> logits, std::span<const std::int32_t> history,
                           const SamplingParams& params, Scratch& scratch) {
  std::vector<float>& values = scratch.values;
  std::vector<Candidate>& candidates = scratch.candidates;
  effective_logits(logits, history, params, values);
  candidates.clear();

  if (params.temperature <= 0.0f) {
    const auto best = std::max_element(values.begin(), values.end());  // the first of equals: lowest id
    if (*best == -std::numeric_limits<float>::infinity()) throw_no_usable_logit(values.size());
    candidates.push_back({static_cast<std::int32_t>(best - values.begin()), 1.0});
    return 1.0;
  }

  float max_logit = -std::numeric_limits<float>::infinity();
  for (float value : values) max_logit = std::max(max_logit, value);
  if (max_logit == -std::numeric_limits<float>::infinity()) throw_no_usable_logit(values.size());
  if (max_logit == std::numeric_limits<float>::infinity()) {
    // In the limit of softmax the +inf tokens hold all the mass, shared equally.
    for (std::size_t i = 0; i < values.size(); ++i)
      if (values[i] == max_logit) candidates.push_back({static_cast<std::int32_t>(i), 1.0});
    return static_cast<double>(candidates.size());
  }

  // top-k: the k-th largest logit is the threshold, so ties with the k-th token stay (dividing by a
  // positive temperature preserves the order, so thresholding before scaling is the same).
  float threshold = -std::numeric_limits<float>::infinity();
  if (params.top_k > 0 && static_cast<std::size_t>(params.top_k) < values.size())
    threshold = kth_largest(values, static_cast<std::size_t>(params.top_k), scratch.sorted);

  // Scaled as (logit - max) / temperature, in double: the top token's weight is exactly 1.
  const double inverse_temperature = 1.0 / static_cast<double>(params.temperature);
  const double max_value = max_logit;
  candidates.reserve(values.size());
  double top_k_total = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] == -std::numeric_limits<float>::infinity() || values[i] < threshold) continue;
    const double weight = std::exp((static_cast<double>(values[i]) - max_value) * inverse_temperature);
    candidates.push_back({static_cast<std::int32_t>(i), weight});
    top_k_total += weight;
  }

  // min-p: the top token's weight is 1, so the weight is the ratio to the largest probability.
  if (params.min_p > 0.0f) {
    const double min_p = params.min_p;
    std::erase_if(candidates, [&](const Candidate& c) { return c.weight < min_p; });
  }

  // top-p and min-p each keep a prefix of the ranked tokens, and min-p only looks at ratios to the
  // top token, so cutting min-p first and then top-p by the mass of the top-k distribution (as
  // transformers measures it) keeps exactly the intersection transformers keeps.
  if (params.top_p < 1.0f) {
    std::vector<char>& keep = scratch.keep;
    keep.assign(candidates.size(), 0);
    if (params.top_p <= 0.0f) {
      keep[static_cast<std::size_t>(std::min_element(candidates.begin(), candidates.end(), ranks_before) -
                                    candidates.begin())] = 1;
    } else {
      const double limit = static_cast<double>(params.top_p) * top_k_total;
      double remaining = 0.0;  // what min-p left
      for (const Candidate& c : candidates) remaining += c.weight;
      // The n tokens lighter than (remaining - limit) / n weigh less than remaining - limit together,
      // so the heavier rest holds more than the limit and the cut falls among them: the light tail,
      // most of a vocabulary when the distribution is peaked, is dropped unexamined. (When min-p
      // left less than the limit, the cut lies beyond its survivors and all of them stay.)
      const double tail_weight = std::max(0.0, remaining - limit) / static_cast<double>(candidates.size());
      scratch.order.clear();
      for (std::size_t i = 0; i < candidates.size(); ++i)
        if (candidates[i].weight >= tail_weight) scratch.order.push_back(static_cast<std::uint32_t>(i));
      const std::size_t count =
          remaining < limit ? scratch.order.size() : top_p_count(candidates, scratch.order, limit);
      for (std::size_t j = 0; j < count; ++j) keep[scratch.order[j]] = 1;
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < candidates.size(); ++i)
      if (keep[i]) candidates[kept++] = candidates[i];
    candidates.resize(kept);
  }

  // A weight that underflowed to 0 can never be drawn; it is not a candidate.
  std::erase_if(candidates, [](const Candidate& c) { return c.weight == 0.0; });
  double total = 0.0;
  for (const Candidate& c : candidates) total += c.weight;
  return total;
}

}  // namespace

Sampler::Sampler(const SamplingParams& params) : params_(params) {
  if (std::isnan(params.temperature)) throw std::invalid_argument("sampler: temperature is NaN");
  if (params.top_k < 0) throw std::invalid_argument("sampler: top_k is " + std::to_string(params.top_k) + ", below 0");
  if (!(params.top_p >= 0.0f && params.top_p <= 1.0f))
    throw std::invalid_argument("sampler: top_p is " + std::to_string(params.top_p) + ", outside [0, 1]");
  if (!(params.min_p >= 0.0f && params.min_p <= 1.0f))
    throw std::invalid_argument("sampler: min_p is " + std::to_string(params.min_p) + ", outside [0, 1]");
  if (!(params.repetition_penalty > 0.0f && std::isfinite(params.repetition_penalty)))
    throw std::invalid_argument("sampler: repetition_penalty is " + std::to_string(params.repetition_penalty) +
                                ", not a positive finite number");
  std::uint64_t seed_state = params.seed;
  for (std::uint64_t& word : rng_state_) word = splitmix64(seed_state);
}

double Sampler::next_uniform() {
  // The top 53 bits: every double in [0, 1) on a 2^-53 grid, equally likely.
  return static_cast<double>(xoshiro256_next(rng_state_) >> 11) * 0x1.0p-53;
}

std::int32_t Sampler::sample(std::span<const float> logits, std::span<const std::int32_t> history) {
  Scratch& scratch = thread_scratch();
  const double total = filtered_candidates(logits, history, params_, scratch);
  const std::vector<Candidate>& candidates = scratch.candidates;
  if (params_.temperature <= 0.0f) return candidates.front().token;
  const double target = next_uniform() * total;
  double cumulative = 0.0;
  for (const Candidate& candidate : candidates) {
    cumulative += candidate.weight;
    if (target < cumulative) return candidate.token;
  }
  return candidates.back().token;  // only reachable through rounding of the running sum
}

std::vector<TokenProbability> Sampler::distribution(std::span<const float> logits,
                                                    std::span<const std::int32_t> history) const {
  Scratch& scratch = thread_scratch();
  const double total = filtered_candidates(logits, history, params_, scratch);
  std::vector<TokenProbability> result;
  result.reserve(scratch.candidates.size());
  for (const Candidate& candidate : scratch.candidates) result.push_back({candidate.token, candidate.weight / total});
  return result;
}

std::vector<float> apply_repetition_penalty(std::span<const float> logits, std::span<const std::int32_t> history,
                                            float penalty, int window) {
  std::vector<float> result(logits.begin(), logits.end());
  for (std::int32_t token : penalized_tokens(history, window, logits.size())) {
    float& logit = result[static_cast<std::size_t>(token)];
    logit = penalized(logit, penalty);
  }
  return result;
}

}  // namespace linea
