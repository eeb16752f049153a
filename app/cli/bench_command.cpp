#include "app/cli/bench_command.h"

#include "app/cli/argument_parser.h"
#include "engine/cpu/cpu_features.h"
#include "engine/cpu/kernels.h"
#include "engine/cpu/ops.h"
#include "engine/cpu/roofline.h"
#include "engine/models/registry.h"
#include "engine/runtime/model_bundle.h"
#include "engine/runtime/process_memory.h"
#include "engine/runtime/session.h"

#include <cctype>
#include <chrono>
#include <iomanip>
#include <ostream>

namespace linea::cli {

namespace {

DType parse_dtype(const std::string& text) {
  for (DType type : {DType::f32, DType::f16, DType::bf16, DType::q8_0, DType::q4_0, DType::q4_k, DType::q6_k}) {
    std::string name(dtype_name(type));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (text == name) return type;
  }
  throw UsageError("--dtype must be f32, f16, bf16, q8_0, q4_0, q4_k or q6_k, not '" + text + "'");
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Deterministic token ids spread over the vocabulary (the speed does not depend on which).
std::vector<std::int32_t> bench_tokens(std::size_t count, std::int64_t vocabulary, std::uint32_t seed) {
  std::vector<std::int32_t> tokens(count);
  std::uint32_t x = seed * 2654435761u + 12345u;
  for (auto& token : tokens) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    token = static_cast<std::int32_t>(x % static_cast<std::uint32_t>(vocabulary));
  }
  return tokens;
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}

}  // namespace

int run_bench(CommandContext& context) {
  ArgumentParser parser("linea-cli bench", "Measure prefill and decode speed and peak memory.");
  parser.add_flag({"-h", "--help"}, "show this help");
  parser.add_option({"--model"}, "M", "GGUF file, Hugging Face model folder, or rwkv.cpp .bin file");
  parser.add_option({"--random"}, "ARCH:SIZE",
                    "random weights with a real model's shapes, e.g. rwkv7:0.1b (0.4b, 1.5b)");
  parser.add_option({"--dtype"}, "TYPE",
                    "weight type of --random: f32, f16, bf16, or (where the architecture offers it) q8_0, q4_0, "
                    "q4_k, q6_k",
                    "bf16");
  parser.add_option({"-p", "--prefill"}, "N", "prompt tokens to prefill", "512");
  parser.add_option({"-n", "--decode"}, "N", "tokens to decode one at a time", "128");
  parser.add_option({"--chunk"}, "N", "prefill positions per forward pass", "128");
  parser.add_option({"--threads"}, "T", "compute threads (default: every hardware thread)", "0");
  parser.add_option({"--kernels"}, "NAME",
                    "kernel table: reference, avx2 or avx512 (default: the fastest this CPU runs)");
  parser.add_flag({"--roofline"},
                  "also measure this machine's memory bandwidth and peak FMA rate, and report the fraction of each "
                  "that decode (weight bytes read per second) and prefill (matmul FLOPs per second) reach");
  parser.add_flag({"--json"}, "print one JSON object");
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;
  if (parser.has("--model") == parser.has("--random")) throw UsageError("give exactly one of --model and --random");
  const long long prefill = parser.integer("-p"), decode = parser.integer("-n"), chunk = parser.integer("--chunk");
  long long threads = parser.integer("--threads");
  if (prefill < 1 || decode < 0 || chunk < 1) throw UsageError("-p and --chunk must be positive, -n not negative");
  if (threads < 0) throw UsageError("--threads must not be negative");
  if (threads == 0) threads = cpu::ThreadPool::hardware_threads();

  if (parser.has("--kernels")) {
    const cpu::Kernels* table = cpu::find_kernels(parser.value("--kernels"));
    if (table == nullptr) {
      std::string usable;
      for (const cpu::Kernels* candidate : cpu::usable_kernels())
        usable += (usable.empty() ? "" : ", ") + std::string(candidate->name);
      throw UsageError("--kernels '" + parser.value("--kernels") + "' is not a table this CPU runs (" + usable + ")");
    }
    cpu::set_active_kernels(*table);
  }

  const auto load_start = std::chrono::steady_clock::now();
  std::shared_ptr<const Model> model;
  std::string name;
  if (parser.has("--random")) {
    name = parser.value("--random") + " random " + parser.value("--dtype");
    model = make_random_model(parser.value("--random"), parse_dtype(parser.value("--dtype")));
  } else {
    name = parser.value("--model");
    model = open_model_bundle(name).model;
  }
  const double load_seconds = seconds_since(load_start);
  auto pool = std::make_shared<cpu::ThreadPool>(static_cast<int>(threads));
  const std::int64_t vocabulary = model->info().n_vocab;

  // Warm up: one token touches every weight once (page faults of a memory-mapped file, caches).
  {
    Session warm(model, pool);
    warm.feed_one(1 % static_cast<std::int32_t>(vocabulary));
  }

  Session session(model, pool);
  const std::vector<std::int32_t> prompt = bench_tokens(static_cast<std::size_t>(prefill), vocabulary, 1);
  FeedOptions options;
  options.chunk_size = static_cast<std::size_t>(chunk);
  options.logits = LogitsFor::last;
  const cpu::OpCounters before_prefill = cpu::op_counters();
  const auto prefill_start = std::chrono::steady_clock::now();
  session.feed(prompt, options);
  const double prefill_seconds = seconds_since(prefill_start);
  const cpu::OpCounters after_prefill = cpu::op_counters();

  const std::vector<std::int32_t> continuation = bench_tokens(static_cast<std::size_t>(decode), vocabulary, 2);
  const auto decode_start = std::chrono::steady_clock::now();
  for (std::int32_t token : continuation) session.feed_one(token);
  const double decode_seconds = seconds_since(decode_start);
  const cpu::OpCounters after_decode = cpu::op_counters();

  // The roofline: this machine's limits measured now, in this process, on the same threads.
  double bandwidth = 0, peak = 0, decode_fraction = 0, prefill_fraction = 0;
  const double decode_bytes_per_token =
      decode > 0 ? static_cast<double>(after_decode.weight_bytes - after_prefill.weight_bytes) / decode : 0.0;
  const double prefill_flops_per_token =
      static_cast<double>(after_prefill.matmul_flops - before_prefill.matmul_flops) / prefill;
  if (parser.has("--roofline")) {
    bandwidth = cpu::measure_bandwidth_gb_s(*pool);
    peak = cpu::measure_peak_gflop_s(*pool);
    if (decode > 0) decode_fraction = decode_bytes_per_token * decode / decode_seconds / 1e9 / bandwidth;
    prefill_fraction = prefill_flops_per_token * prefill / prefill_seconds / 1e9 / peak;
  }

  const double prefill_rate = static_cast<double>(prefill) / prefill_seconds;
  const double decode_rate = decode > 0 ? static_cast<double>(decode) / decode_seconds : 0.0;
  const std::string kernels(cpu::active_kernels().name);
  if (parser.has("--json")) {
    context.out << std::setprecision(6) << "{\"model\": " << json_string(name)
                << ", \"description\": " << json_string(model->info().description) << ", \"threads\": " << threads
                << ", \"kernels\": " << json_string(kernels) << ", \"prefill_tokens\": " << prefill
                << ", \"prefill_chunk\": " << chunk << ", \"prefill_tok_s\": " << prefill_rate
                << ", \"decode_tokens\": " << decode << ", \"decode_tok_s\": " << decode_rate
                << ", \"load_seconds\": " << load_seconds
                << ", \"weight_mib\": " << static_cast<double>(model->info().weight_bytes) / (1024.0 * 1024.0)
                << ", \"peak_rss_mb\": " << peak_rss_mib()
                << ", \"decode_weight_bytes_per_token\": " << decode_bytes_per_token
                << ", \"prefill_matmul_flop_per_token\": " << prefill_flops_per_token;
    if (parser.has("--roofline"))
      context.out << ", \"bandwidth_gb_s\": " << bandwidth << ", \"peak_gflop_s\": " << peak
                  << ", \"decode_roofline_fraction\": " << decode_fraction
                  << ", \"prefill_roofline_fraction\": " << prefill_fraction;
    context.out << "}\n";
  } else {
    context.out << std::fixed << std::setprecision(2) << "model:   " << name << "\n         "
                << model->info().description << "\nthreads: " << threads << " (kernels: " << kernels << ")\n"
                << "prefill: " << prefill << " tokens in " << prefill_seconds << " s = " << prefill_rate
                << " tokens/s (chunks of " << chunk << ")\n"
                << "decode:  " << decode << " tokens in " << decode_seconds << " s = " << decode_rate << " tokens/s\n"
                << "memory:  peak RSS " << peak_rss_mib() << " MiB (weights "
                << static_cast<double>(model->info().weight_bytes) / (1024.0 * 1024.0) << " MiB, loaded in "
                << load_seconds << " s)\n";
    if (parser.has("--roofline")) {
      context.out << "machine: " << cpu::cpu_features().brand << " (" << cpu::describe(cpu::cpu_features())
                  << ")\n         bandwidth " << bandwidth << " GB/s (triad), peak " << peak << " GFLOP/s (f32 FMA, "
                  << kernels << " width)\n"
                  << "decode:  " << decode_bytes_per_token / 1e6
                  << " MB of weights per token = " << decode_bytes_per_token * decode_rate / 1e9
                  << " GB/s = " << 100 * decode_fraction << "% of the bandwidth\n"
                  << "prefill: " << prefill_flops_per_token / 1e9
                  << " GFLOP of matmul per token = " << prefill_flops_per_token * prefill_rate / 1e9
                  << " GFLOP/s = " << 100 * prefill_fraction << "% of the peak\n";
    }
  }
  return 0;
}

}  // namespace linea::cli
