// Speed of the attention-family kernels in every table this CPU runs, against the reference table
// (not a test: speed is never asserted). One thread, one head, the shapes of the random MiniMax
// benchmark models (head_dim 64 and 128, block 256). The tables take turns within each round, so a
// machine whose speed drifts moves them together; the median of the rounds is printed, with each
// table's speed-up over the reference in the same rounds.
//
//   bench_attention_kernels [ROUNDS] [SECONDS_PER_MEASUREMENT] [NAME_FILTER] [TABLE]
//   e.g. bench_attention_kernels 3 0 lightning_stream avx512   (linear cost: 4k against 1M tokens)
// TABLE runs that table alone (the reference takes minutes per call at 1M tokens); the speed-up
// column then has nothing to compare with and is left out.
#include "engine/cpu/kernels.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using linea::cpu::Kernels;

std::vector<float> random_values(std::size_t n, std::uint32_t seed, float low, float high) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(low, high);
  std::vector<float> out(n);
  for (float& v : out) v = dist(rng);
  return out;
}

// Seconds per call of `run`, called until `seconds` have passed (at least twice).
double seconds_per_call(const std::function<void()>& run, double seconds) {
  using clock = std::chrono::steady_clock;
  run();  // warm the caches and the scratch buffers
  const auto start = clock::now();
  int calls = 0;
  double elapsed = 0.0;
  do {
    run();
    ++calls;
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  } while (elapsed < seconds || calls < 2);
  return elapsed / calls;
}

struct Case {
  std::string name;
  double work;  // units of `unit` per call
  std::string unit;
  std::function<void(const Kernels&)> run;
};

// The buffers of one lightning head over `positions` tokens in the MiniMax layout (q | k | v per
// head, 4 heads), and the kernel arguments that point into them; the state starts at zero.
struct LightningHead {
  std::vector<float> qkv, out, state;
  linea::cpu::LightningHeadArgs args;

  LightningHead(std::int64_t head_dim, std::int64_t positions, std::uint32_t seed) {
    const std::int64_t heads = 4, stride = 3 * heads * head_dim;
    qkv = random_values(static_cast<std::size_t>(positions * stride), seed, -0.25f, 1.0f);
    out.resize(static_cast<std::size_t>(positions * heads * head_dim));
    state.assign(static_cast<std::size_t>(head_dim * head_dim), 0.0f);
    args.positions = positions;
    args.head_dim = head_dim;
    args.stride = stride;
    args.o_stride = heads * head_dim;
    args.block_size = 256;
    args.slope = 0.0625f;
    args.q = qkv.data();
    args.k = qkv.data() + head_dim;
    args.v = qkv.data() + 2 * head_dim;
    args.state = state.data();
    args.o = out.data();
  }
};

// One head of lightning attention over `positions` tokens.
Case lightning_case(bool block, std::int64_t head_dim, std::int64_t positions) {
  auto head = std::make_shared<LightningHead>(head_dim, positions, 1);
  return {std::string(block ? "lightning_block_head" : "lightning_recurrent_head") + " D=" + std::to_string(head_dim) +
              " T=" + std::to_string(positions) + (block ? " B=256" : ""),
          static_cast<double>(positions), "tok", [=](const Kernels& kernels) {
            std::fill(head->state.begin(), head->state.end(), 0.0f);
            (block ? kernels.lightning_block_head : kernels.lightning_recurrent_head)(head->args);
          }};
}

// Chunked prefill of one lightning head over `total` tokens: kChunkTokens at a time through the block
// kernel, the state carried from chunk to chunk, as the engine ingests a long document. The chunk's
// inputs are reused (their values do not change the work), so memory stays one chunk and one state
// whatever `total` is; tokens per second at 4k and at 1M tokens show whether the cost is linear.
Case lightning_stream_case(std::int64_t head_dim, std::int64_t total) {
  constexpr std::int64_t kChunkTokens = 4096;
  auto head = std::make_shared<LightningHead>(head_dim, kChunkTokens, 8);
  return {"lightning_stream D=" + std::to_string(head_dim) + " T=" + std::to_string(total) + " in chunks of " +
              std::to_string(kChunkTokens) + " B=256",
          static_cast<double>(total), "tok", [=](const Kernels& kernels) {
            std::fill(head->state.begin(), head->state.end(), 0.0f);
            linea::cpu::LightningHeadArgs args = head->args;
            for (std::int64_t done = 0; done < total; done += kChunkTokens) {
              args.positions = std::min(kChunkTokens, total - done);
              kernels.lightning_block_head(args);
            }
          }};
}

// `queries` query rows of one head at positions first … first + queries − 1 against the cache
// (GQA layout of minimax:8x256: 4 query heads, 2 kv heads).
Case attention_case(std::int64_t head_dim, std::int64_t queries, std::int64_t first) {
  const std::int64_t heads = 4, kv_heads = 2, cached = first + queries;
  auto q = std::make_shared<std::vector<float>>(
      random_values(static_cast<std::size_t>(queries * heads * head_dim), 2, -2, 2));
  auto k = std::make_shared<std::vector<float>>(
      random_values(static_cast<std::size_t>(cached * kv_heads * head_dim), 3, -2, 2));
  auto v = std::make_shared<std::vector<float>>(
      random_values(static_cast<std::size_t>(cached * kv_heads * head_dim), 4, -1, 1));
  auto o = std::make_shared<std::vector<float>>(q->size());
  // Work: query-key pairs the causal mask keeps.
  const double pairs = static_cast<double>(queries) * static_cast<double>(first) +
                       static_cast<double>(queries) * static_cast<double>(queries + 1) / 2.0;
  return {"attention_head D=" + std::to_string(head_dim) + " queries=" + std::to_string(queries) + " from position " +
              std::to_string(first),
          pairs * 4.0 * static_cast<double>(head_dim) / 1e9, "GFLOP", [=](const Kernels& kernels) {
            linea::cpu::AttentionHeadArgs args;
            args.queries = queries;
            args.first_position = first;
            args.head_dim = head_dim;
            args.q_stride = heads * head_dim;
            args.kv_stride = kv_heads * head_dim;
            args.scale = 0.125f;
            args.q = q->data();
            args.k = k->data();
            args.v = v->data();
            args.o = o->data();
            kernels.attention_head(args);
          }};
}

Case elementwise_case(const std::string& op, std::int64_t n) {
  auto x = std::make_shared<std::vector<float>>(random_values(static_cast<std::size_t>(n), 5, -4, 4));
  auto work = std::make_shared<std::vector<float>>(x->size());
  return {op + " n=" + std::to_string(n), static_cast<double>(n) / 1e6, "Mvalues", [=](const Kernels& kernels) {
            *work = *x;  // the same inputs every call
            if (op == "silu") kernels.silu(work->data(), n);
            if (op == "sigmoid") kernels.sigmoid(work->data(), n);
            if (op == "exp") kernels.exp(work->data(), n);
          }};
}

Case rms_norm_case(std::int64_t n, std::int64_t rows) {
  auto x = std::make_shared<std::vector<float>>(random_values(static_cast<std::size_t>(n * rows), 6, -3, 3));
  auto weight = std::make_shared<std::vector<float>>(random_values(static_cast<std::size_t>(n), 7, 0.5f, 1.5f));
  auto out = std::make_shared<std::vector<float>>(x->size());
  return {"rms_norm n=" + std::to_string(n) + " x" + std::to_string(rows) + " rows",
          static_cast<double>(n * rows) / 1e6, "Mvalues", [=](const Kernels& kernels) {
            for (std::int64_t r = 0; r < rows; ++r)
              kernels.rms_norm(x->data() + r * n, n, weight->data(), 1e-5f, out->data() + r * n);
          }};
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::stoi(argv[1]) : 5;
  const double seconds = argc > 2 ? std::stod(argv[2]) : 0.2;
  const std::string filter = argc > 3 ? argv[3] : "";  // only the cases whose name contains it
  const std::string only_table = argc > 4 ? argv[4] : "";
  std::vector<const Kernels*> tables = linea::cpu::usable_kernels();
  if (!only_table.empty()) {
    std::erase_if(tables, [&](const Kernels* k) { return std::string(k->name) != only_table; });
    if (tables.empty()) {
      std::fprintf(stderr, "no usable kernel table is named '%s'\n", only_table.c_str());
      return 2;
    }
  }
  const bool with_reference = std::string(tables[0]->name) == "reference";
  const std::vector<Case> cases = {lightning_case(true, 64, 1024),    lightning_case(true, 128, 1024),
                                   lightning_case(false, 64, 256),    lightning_case(false, 128, 64),
                                   attention_case(64, 64, 4032),      attention_case(128, 64, 4032),
                                   attention_case(64, 64, 0),         attention_case(64, 1, 4095),
                                   elementwise_case("silu", 1 << 18), elementwise_case("sigmoid", 1 << 18),
                                   elementwise_case("exp", 1 << 18),  rms_norm_case(256, 1024),
                                   rms_norm_case(1024, 256),          lightning_stream_case(64, 4096),
                                   lightning_stream_case(64, 1 << 20)};
  std::printf("%d rounds, %.2f s per measurement, one thread; median seconds per call\n", rounds, seconds);
  for (const Case& c : cases) {
    if (c.name.find(filter) == std::string::npos) continue;
    std::vector<std::vector<double>> times(tables.size());
    for (int round = 0; round < rounds; ++round)
      for (std::size_t t = 0; t < tables.size(); ++t)
        times[t].push_back(seconds_per_call([&] { c.run(*tables[t]); }, seconds));
    std::printf("%s\n", c.name.c_str());
    for (std::size_t t = 0; t < tables.size(); ++t) {
      // Speed-up per round (the reference's time in the same round over this table's), then the median.
      std::vector<double> speedups;
      for (int round = 0; round < rounds; ++round) speedups.push_back(times[0][round] / times[t][round]);
      std::vector<double> sorted = times[t];
      std::sort(sorted.begin(), sorted.end());
      std::sort(speedups.begin(), speedups.end());
      const double median = sorted[sorted.size() / 2];
      std::printf("  %-10s %10.3f ms  %10.2f %s/s", std::string(tables[t]->name).c_str(), median * 1e3, c.work / median,
                  c.unit.c_str());
      if (with_reference) std::printf("  x%.2f vs reference", speedups[speedups.size() / 2]);
      std::printf("\n");
    }
  }
  return 0;
}
