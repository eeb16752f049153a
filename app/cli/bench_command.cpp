#include "app/cli/bench_command.h"

#include "app/cli/argument_parser.h"
#include "engine/cpu/kernels.h"
#include "engine/models/registry.h"
#include "engine/runtime/model_bundle.h"
#include "engine/runtime/process_memory.h"
#include "engine/runtime/session.h"

#include <chrono>
#include <iomanip>
#include <ostream>

namespace linea::cli {

namespace {

DType parse_dtype(const std::string& text) {
  if (text == "f32") return DType::f32;
  if (text == "f16") return DType::f16;
  if (text == "bf16") return DType::bf16;
  throw UsageError("--dtype must be f32, f16 or bf16, not '" + text + "'");
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
  parser.add_option({"--dtype"}, "TYPE", "weight type of --random: f32, f16 or bf16", "bf16");
  parser.add_option({"-p", "--prefill"}, "N", "prompt tokens to prefill", "512");
  parser.add_option({"-n", "--decode"}, "N", "tokens to decode one at a time", "128");
  parser.add_option({"--chunk"}, "N", "prefill positions per forward pass", "128");
  parser.add_option({"--threads"}, "T", "compute threads (default: every hardware thread)", "0");
  parser.add_flag({"--json"}, "print one JSON object");
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;
  if (parser.has("--model") == parser.has("--random")) throw UsageError("give exactly one of --model and --random");
  const long long prefill = parser.integer("-p"), decode = parser.integer("-n"), chunk = parser.integer("--chunk");
  long long threads = parser.integer("--threads");
  if (prefill < 1 || decode < 0 || chunk < 1) throw UsageError("-p and --chunk must be positive, -n not negative");
  if (threads < 0) throw UsageError("--threads must not be negative");
  if (threads == 0) threads = cpu::ThreadPool::hardware_threads();

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
  const auto prefill_start = std::chrono::steady_clock::now();
  session.feed(prompt, options);
  const double prefill_seconds = seconds_since(prefill_start);

  const std::vector<std::int32_t> continuation = bench_tokens(static_cast<std::size_t>(decode), vocabulary, 2);
  const auto decode_start = std::chrono::steady_clock::now();
  for (std::int32_t token : continuation) session.feed_one(token);
  const double decode_seconds = seconds_since(decode_start);

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
                << ", \"peak_rss_mb\": " << peak_rss_mib() << "}\n";
  } else {
    context.out << std::fixed << std::setprecision(2) << "model:   " << name << "\n         "
                << model->info().description << "\nthreads: " << threads << " (kernels: " << kernels << ")\n"
                << "prefill: " << prefill << " tokens in " << prefill_seconds << " s = " << prefill_rate
                << " tokens/s (chunks of " << chunk << ")\n"
                << "decode:  " << decode << " tokens in " << decode_seconds << " s = " << decode_rate << " tokens/s\n"
                << "memory:  peak RSS " << peak_rss_mib() << " MiB (weights "
                << static_cast<double>(model->info().weight_bytes) / (1024.0 * 1024.0) << " MiB, loaded in "
                << load_seconds << " s)\n";
  }
  return 0;
}

}  // namespace linea::cli
