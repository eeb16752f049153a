#include "app/cli/ingest_command.h"

#include "app/cli/argument_parser.h"
#include "engine/runtime/ingestion.h"
#include "engine/runtime/model_bundle.h"
#include "engine/runtime/process_memory.h"

#include <atomic>
#include <csignal>
#include <fstream>
#include <iomanip>
#include <ostream>
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

}  // namespace

int run_ingest(CommandContext& context) {
  ArgumentParser parser("linea-cli ingest", "Read a document into a model and save the state.");
  parser.add_flag({"-h", "--help"}, "show this help");
  parser.add_option({"--model"}, "M", "GGUF file, Hugging Face model folder, or rwkv.cpp .bin file");
  parser.add_option({"--input"}, "FILE", "the document (UTF-8 text)");
  parser.add_option({"--state"}, "OUT", "the state file to write (and the checkpoint file)");
  parser.add_option({"--checkpoint-every"}, "N", "save a checkpoint to OUT every N tokens; 0: only at the end", "0");
  parser.add_flag({"--resume"}, "continue from the checkpoint in OUT when there is one");
  parser.add_option({"--chunk"}, "N", "tokens per forward pass", "256");
  parser.add_option({"--threads"}, "T", "compute threads (default: every hardware thread)", "0");
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;
  const std::string model_path = parser.value("--model");
  const std::string input = parser.value("--input");
  const std::string state_file = parser.value("--state");
  const long long every = parser.integer("--checkpoint-every");
  const long long chunk = parser.integer("--chunk");
  const long long threads = parser.integer("--threads");
  if (every < 0) throw UsageError("--checkpoint-every must not be negative");
  if (chunk <= 0) throw UsageError("--chunk must be positive");
  if (threads < 0) throw UsageError("--threads must not be negative");

  const ModelBundle bundle = open_model_bundle(model_path);
  if (!bundle.tokenizer)
    throw std::runtime_error("no tokenizer for " + model_path + " (" + bundle.tokenizer_error + ")");
  const std::vector<std::int32_t> document = bundle.tokenizer->encode(read_file(input), /*allow_special=*/false);
  context.out << "ingest: " << input << ": " << document.size() << " tokens into " << bundle.model->info().description
              << std::endl;

  Session session(bundle.model, std::make_shared<cpu::ThreadPool>(static_cast<int>(threads)));
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
  return result.completed ? 0 : 1;
}

}  // namespace linea::cli
