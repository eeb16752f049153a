#include "app/cli/ingest_command.h"

#include "app/cli/argument_parser.h"
#include "app/cli/model_argument.h"
#include "engine/models/decoder_model.h"
#include "engine/models/registry.h"
#include "engine/runtime/ingestion.h"
#include "engine/runtime/model_bundle.h"
#include "engine/runtime/process_memory.h"

#include <atomic>
#include <csignal>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <random>
#include <sstream>

namespace linea::cli {

namespace {

std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void on_interrupt(int) { interrupted.store(true); }

// Installs the Ctrl-C handler for the lifetime of the command and restores the previous one.
class InterruptGuard {
 public:
  InterruptGuard() {
    interrupted = false;
    previous_ = std::signal(SIGINT, on_interrupt);
  }
  ~InterruptGuard() { std::signal(SIGINT, previous_); }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  void (*previous_)(int);
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// N token ids drawn uniformly from the vocabulary with a fixed seed: a stand-in document for
// measuring long-context ingestion on random weights (the cost does not depend on the text).
std::vector<std::int32_t> synthetic_document(std::int64_t tokens, std::int64_t vocabulary) {
  std::mt19937_64 random(20261126);
  std::uniform_int_distribution<std::int32_t> pick(0, static_cast<std::int32_t>(vocabulary - 1));
  std::vector<std::int32_t> document(static_cast<std::size_t>(tokens));
  for (std::int32_t& token : document) token = pick(random);
  return document;
}

DType parse_random_dtype(const std::string& name) {
  if (name == "f32") return DType::f32;
  if (name == "f16") return DType::f16;
  if (name == "bf16") return DType::bf16;
  throw UsageError("--dtype must be f32, f16 or bf16, not '" + name + "'");
}

double mib(std::uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

}  // namespace

int run_ingest(CommandContext& context) {
  ArgumentParser parser("linea-cli ingest", "Read a document into a model and save the state.");
  parser.add_flag({"-h", "--help"}, "show this help");
  parser.add_option({"--model"}, "M", "GGUF file, Hugging Face model folder, or rwkv.cpp .bin file (default: the bundled model)");
  parser.add_option({"--input"}, "FILE", "the document (UTF-8 text)");
  parser.add_option({"--random"}, "ARCH:SIZE", "random weights with a model's shapes instead of --model, e.g. minimax:8x256");
  parser.add_option({"--dtype"}, "TYPE", "weight type of --random: f32, f16 or bf16", "bf16");
  parser.add_option({"--synthetic"}, "N", "instead of --input: a document of N random token ids (for measurements)");
  parser.add_option({"--state"}, "OUT", "the state file to write (and the checkpoint file)");
  parser.add_option({"--checkpoint-every"}, "N", "save a checkpoint to OUT every N tokens; 0: only at the end", "0");
  parser.add_flag({"--resume"}, "continue from the checkpoint in OUT when there is one");
  parser.add_option({"--chunk"}, "N", "tokens per forward pass", "256");
  parser.add_option({"--threads"}, "T", "compute threads (default: every hardware thread)", "0");
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;
  const long long every = parser.integer("--checkpoint-every");
  const long long chunk = parser.integer("--chunk");
  const long long threads = parser.integer("--threads");
  const std::string state_file = parser.value("--state");
  if (every < 0) throw UsageError("--checkpoint-every must not be negative");
  if (chunk <= 0) throw UsageError("--chunk must be positive");
  if (threads < 0) throw UsageError("--threads must not be negative");
  if (parser.has("--model") && parser.has("--random")) throw UsageError("give --model or --random, not both");
  if (parser.has("--input") == parser.has("--synthetic")) throw UsageError("give exactly one of --input and --synthetic");

  std::shared_ptr<const Model> model;
  std::vector<std::int32_t> document;
  std::string document_name;
  if (parser.has("--random")) {
    model = make_random_model(parser.value("--random"), parse_random_dtype(parser.value("--dtype")));
  } else {
    const std::string model_path = model_argument(parser);
    const ModelBundle bundle = open_model_bundle(model_path);
    model = bundle.model;
    if (parser.has("--input")) {
      if (!bundle.tokenizer)
        throw std::runtime_error("no tokenizer for " + model_path + " (" + bundle.tokenizer_error + ")");
      document = bundle.tokenizer->encode(read_file(parser.value("--input")), /*allow_special=*/false);
      document_name = parser.value("--input");
    }
  }
  if (parser.has("--synthetic")) {
    const long long tokens = parser.integer("--synthetic");
    if (tokens <= 0) throw UsageError("--synthetic must be positive");
    document = synthetic_document(tokens, model->info().n_vocab);
    document_name = "synthetic document";
  }
  const ModelInfo& info = model->info();
  context.out << "ingest: " << document_name << ": " << document.size() << " tokens into " << info.description
              << std::endl;
  const std::uint64_t predicted_memory =
      info.memory_bytes_fixed + info.memory_bytes_per_token * static_cast<std::uint64_t>(document.size());
  context.out << std::fixed << std::setprecision(1) << "memory: predicted session memory " << mib(predicted_memory)
              << " MiB = recurrent states " << mib(info.memory_bytes_fixed) << " MiB + KV caches "
              << mib(info.memory_bytes_per_token) * 1024.0 << " KiB/token x " << document.size() << " tokens; weights "
              << mib(info.weight_bytes) << " MiB" << std::endl;

  Session session(model, std::make_shared<cpu::ThreadPool>(static_cast<int>(threads)));
  InterruptGuard guard;
  IngestionOptions options;
  options.chunk_size = static_cast<std::size_t>(chunk);
  options.checkpoint_every = static_cast<std::uint64_t>(every);
  options.checkpoint_file = state_file;
  options.resume = parser.has("--resume");
  options.cancel = &interrupted;
  double last_report = -1;
  options.on_progress = [&](const IngestionProgress& p) {
    if (p.seconds - last_report < 1.0 && p.done < p.total) return;
    last_report = p.seconds;
    const double remaining = p.tokens_per_second > 0 ? static_cast<double>(p.total - p.done) / p.tokens_per_second : 0;
    context.out << std::fixed << std::setprecision(1) << "ingest: " << p.done << "/" << p.total << " tokens ("
                << (p.total ? 100.0 * static_cast<double>(p.done) / static_cast<double>(p.total) : 100.0) << "%), "
                << p.tokens_per_second << " tokens/s, ETA " << remaining << " s, RSS " << current_rss_mib() << " MiB"
                << std::endl;
  };
  const IngestionResult result = ingest(session, document, options);
  if (result.resumed_from > 0 && result.done == result.resumed_from)
    context.out << "ingest: resumed at " << result.resumed_from << " tokens\n";
  // The final state (or, after Ctrl-C, the state reached) goes to OUT; a completed checkpointed run
  // has just written it.
  if (!(result.completed && options.checkpoint_every > 0 && result.checkpoints_written > 0)) session.save(state_file);

  context.out << std::fixed << std::setprecision(2) << (result.completed ? "done: " : "stopped: ") << result.done << "/"
              << result.total << " tokens (" << (result.done - result.resumed_from) << " this run) in "
              << result.seconds << " s, " << std::setprecision(1) << result.tokens_per_second << " tokens/s, peak RSS "
              << peak_rss_mib() << " MiB, state saved to " << state_file << std::endl;
  if (const auto* decoder = dynamic_cast<const DecoderModel*>(model.get())) {
    const DecoderModel::TimeSplit split = decoder->time_split();
    const double total =
        split.lightning_seconds + split.softmax_seconds + split.feed_forward_seconds + split.other_seconds;
    auto share = [&](double seconds) { return total > 0 ? 100.0 * seconds / total : 0.0; };
    context.out << std::setprecision(1) << "time:    lightning attention " << split.lightning_seconds << " s ("
                << share(split.lightning_seconds) << "%), softmax attention " << split.softmax_seconds << " s ("
                << share(split.softmax_seconds) << "%), feed-forward " << split.feed_forward_seconds << " s ("
                << share(split.feed_forward_seconds) << "%), rest " << split.other_seconds << " s ("
                << share(split.other_seconds) << "%)" << std::endl;
  }
  return result.completed ? 0 : 1;
}

}  // namespace linea::cli
