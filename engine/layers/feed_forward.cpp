#include "engine/layers/feed_forward.h"

#include "engine/cpu/attention_ops.h"
#include "engine/cpu/ops.h"
#include "engine/cpu/scratch_floats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace linea::layers {

void SwiGluMlp::apply(cpu::ThreadPool& pool, std::span<const float> x, std::int64_t positions,
                      std::span<float> out) const {
  const std::int64_t F = gate.rows;
  cpu::ScratchFloats hidden(static_cast<std::size_t>(positions * F));
  cpu::ScratchFloats lifted(hidden.size());
  const cpu::MatmulTask both[] = {{&gate, x, hidden}, {&up, x, lifted}};
  cpu::matmul_batch(pool, positions, both);
  cpu::for_position_ranges(pool, positions, [&](std::int64_t begin, std::int64_t end) {
    cpu::silu(cpu::position_rows(hidden, F, begin, end));
    for (std::int64_t i = begin * F; i < end * F; ++i) hidden[i] *= lifted[i];
  });
  cpu::matmul(pool, down, hidden, positions, out);
}

namespace {

struct Routing {
  std::vector<std::int64_t> positions;  // which positions an expert serves
  std::vector<float> weights;           // and with which weight
};

}  // namespace

void MixtureOfExperts::apply(cpu::ThreadPool& pool, std::span<const float> x, std::int64_t positions,
                             std::span<float> out) const {
  const std::int64_t C = router.cols;
  const auto E = static_cast<std::int64_t>(experts.size());
  std::vector<float> logits(static_cast<std::size_t>(positions * E));
  cpu::matmul(pool, router, x, positions, logits);

  std::vector<Routing> routes(static_cast<std::size_t>(E));
  std::vector<std::int64_t> order(static_cast<std::size_t>(E));
  std::vector<float> probabilities(static_cast<std::size_t>(E));
  for (std::int64_t t = 0; t < positions; ++t) {
    const float* row = logits.data() + t * E;
    const float largest = *std::max_element(row, row + E);
    float sum = 0.0f;
    for (std::int64_t e = 0; e < E; ++e) sum += probabilities[static_cast<std::size_t>(e)] = std::exp(row[e] - largest);
    for (float& p : probabilities) p /= sum;
    // Highest probability first; on a tie the lower expert index wins.
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + top_k, order.end(), [&](std::int64_t a, std::int64_t b) {
      const float pa = probabilities[static_cast<std::size_t>(a)], pb = probabilities[static_cast<std::size_t>(b)];
      return pa > pb || (pa == pb && a < b);
    });
    float chosen = 0.0f;
    for (std::int64_t j = 0; j < top_k; ++j)
      chosen += probabilities[static_cast<std::size_t>(order[static_cast<std::size_t>(j)])];
    for (std::int64_t j = 0; j < top_k; ++j) {
      const std::int64_t e = order[static_cast<std::size_t>(j)];
      Routing& route = routes[static_cast<std::size_t>(e)];
      route.positions.push_back(t);
      route.weights.push_back(probabilities[static_cast<std::size_t>(e)] / (renormalize ? chosen : 1.0f));
    }
  }

  std::fill(out.begin(), out.end(), 0.0f);
  // An expert serves at most every position once.
  cpu::ScratchFloats gathered(static_cast<std::size_t>(positions * C)), result(gathered.size());
  for (std::int64_t e = 0; e < E; ++e) {
    const Routing& route = routes[static_cast<std::size_t>(e)];
    const auto count = static_cast<std::int64_t>(route.positions.size());
    if (count == 0) continue;
    const auto values = static_cast<std::size_t>(count * C);
    for (std::int64_t i = 0; i < count; ++i)
      std::copy_n(x.data() + route.positions[static_cast<std::size_t>(i)] * C, C, gathered.data() + i * C);
    experts[static_cast<std::size_t>(e)].apply(pool, std::span<const float>(gathered).first(values), count,
                                               std::span<float>(result).first(values));
    for (std::int64_t i = 0; i < count; ++i) {
      float* target = out.data() + route.positions[static_cast<std::size_t>(i)] * C;
      const float weight = route.weights[static_cast<std::size_t>(i)];
      const float* source = result.data() + i * C;
      for (std::int64_t c = 0; c < C; ++c) target[c] += weight * source[c];
    }
  }

  if (shared_expert) {
    shared_expert->apply(pool, x, positions, result);
    std::vector<float> gate(static_cast<std::size_t>(positions), 1.0f);
    if (shared_expert_gate) {
      cpu::matmul(pool, *shared_expert_gate, x, positions, gate);
      cpu::sigmoid(gate);
    }
    for (std::int64_t t = 0; t < positions; ++t)
      for (std::int64_t c = 0; c < C; ++c)
        out[static_cast<std::size_t>(t * C + c)] +=
            gate[static_cast<std::size_t>(t)] * result[static_cast<std::size_t>(t * C + c)];
  }
}

}  // namespace linea::layers
