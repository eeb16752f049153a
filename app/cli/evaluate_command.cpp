#include "app/cli/evaluate_command.h"

#include "app/cli/argument_parser.h"
#include "app/cli/model_argument.h"
#include "app/cli/model_evaluation.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <map>
#include <ostream>

namespace linea::cli {

namespace {

std::string percent(double fraction) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << 100.0 * fraction << '%';
  return out.str();
}

nlohmann::json score_json(const TaskScore& score) {
  nlohmann::json outcomes = nlohmann::json::array();
  std::map<std::string, std::pair<int, int>> by_kind;  // kind -> (correct, total)
  for (const TaskOutcome& o : score.outcomes) {
    outcomes.push_back({{"kind", o.kind}, {"expected", o.expected}, {"reply", o.reply}, {"correct", o.correct},
                        {"exact", o.exact}, {"prompt_tokens", o.prompt_tokens}});
    by_kind[o.kind].first += o.correct;
    by_kind[o.kind].second += 1;
  }
  nlohmann::json kinds = nlohmann::json::object();
  for (const auto& [kind, counts] : by_kind)
    kinds[kind] = {{"correct", counts.first}, {"tasks", counts.second},
                   {"accuracy", static_cast<double>(counts.first) / counts.second}};
  return {{"tasks", score.outcomes.size()}, {"accuracy", score.accuracy()}, {"exact", score.exact()},
          {"by_kind", kinds}, {"outcomes", outcomes}};
}

void print_score(std::ostream& out, const std::string& what, const TaskScore& score) {
  std::map<std::string, std::pair<int, int>> by_kind;
  std::uint64_t shortest = UINT64_MAX, longest = 0;
  for (const TaskOutcome& o : score.outcomes) {
    by_kind[o.kind].first += o.correct;
    by_kind[o.kind].second += 1;
    shortest = std::min(shortest, o.prompt_tokens);
    longest = std::max(longest, o.prompt_tokens);
  }
  const auto correct = static_cast<int>(std::lround(score.accuracy() * static_cast<double>(score.outcomes.size())));
  out << what << ": " << correct << '/' << score.outcomes.size() << " correct (" << percent(score.accuracy())
      << "), exact answers " << percent(score.exact()) << "; prompts of " << shortest << ".." << longest
      << " tokens\n";
  for (const auto& [kind, counts] : by_kind)
    if (!kind.empty()) out << "  " << kind << ": " << counts.first << '/' << counts.second << '\n';
  int shown = 0;
  for (const TaskOutcome& o : score.outcomes) {
    if (o.correct || shown == 5) continue;
    out << "  wrong: expected \"" << o.expected << "\", got \"" << o.reply << "\"\n";
    ++shown;
  }
}

}  // namespace

int run_evaluate(CommandContext& context) {
  ArgumentParser parser("linea-cli evaluate",
                        "Measure a model on a task file (tools/train/evaluation_sets.py) through the engine.");
  parser.add_flag({"-h", "--help"}, "show this help");
  parser.add_positional("what", "bits-per-byte, reading or pictures");
  parser.add_positional("tasks", "the task file (JSON Lines)");
  parser.add_option({"--model"}, "M", "Hugging Face model folder or model file (default: the bundled model)");
  parser.add_flag({"--through-state"},
                  "reading: save the state after each document, load it into a new session, then ask");
  parser.add_option({"--begin"}, "TOKEN", "bits-per-byte: the token each text starts with", "<begin_of_document>");
  parser.add_option({"--reference"}, "BPB", "bits-per-byte: a reference value to compare with");
  parser.add_option({"--tolerance"}, "R", "bits-per-byte: largest relative difference from --reference", "0.005");
  parser.add_option({"--min-accuracy"}, "A", "reading, pictures: fail (exit status 1) below this fraction");
  parser.add_flag({"--json"}, "print one JSON object on stdout");
  parser.add_option({"--threads"}, "T", "compute threads (default: every hardware thread)", "0");
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;
  const std::string what = *parser.positional("what");
  if (what != "bits-per-byte" && what != "reading" && what != "pictures")
    throw UsageError("unknown evaluation '" + what + "' (expected bits-per-byte, reading or pictures)");
  const std::filesystem::path tasks = *parser.positional("tasks");
  const long long threads = parser.integer("--threads");
  if (threads < 0) throw UsageError("--threads must not be negative");
  const std::string model_path = model_argument(parser);

  const auto started = std::chrono::steady_clock::now();
  const ModelBundle bundle = open_model_bundle(model_path);
  auto pool = std::make_shared<cpu::ThreadPool>(static_cast<int>(threads));
  const auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  const auto progress = [&](std::size_t done, std::size_t total) {
    context.err << "\r[" << done << '/' << total << ']' << (done == total ? "\n" : "") << std::flush;
  };

  nlohmann::json report = {{"evaluation", what}, {"tasks_file", tasks.string()}, {"model", model_path}};
  bool passed = true;
  std::string verdict;
  if (what == "bits-per-byte") {
    const BitsPerByte result = measure_bits_per_byte(bundle, pool, tasks, parser.value("--begin"));
    report.update({{"bits_per_byte", result.bits_per_byte}, {"tokens", result.tokens}, {"bytes", result.bytes},
                   {"texts", result.texts}});
    std::ostringstream text;
    text << std::setprecision(6) << "bits per byte: " << result.bits_per_byte << " (" << result.texts << " texts, "
         << result.tokens << " tokens, " << result.bytes << " bytes)\n";
    if (const auto reference = parser.optional_value("--reference")) {
      const double expected = parser.number("--reference"), tolerance = parser.number("--tolerance");
      const double relative = std::abs(result.bits_per_byte - expected) / std::abs(expected);
      passed = relative <= tolerance;
      report.update({{"reference", expected}, {"relative_difference", relative}, {"tolerance", tolerance}});
      text << "reference " << expected << ": relative difference " << std::setprecision(3) << 100.0 * relative
           << "% (tolerance " << 100.0 * tolerance << "%)\n";
    }
    verdict = text.str();
  } else {
    const TaskScore score =
        what == "reading"
            ? evaluate_reading(bundle, pool, tasks, parser.has("--through-state"), progress)
            : evaluate_pictures(bundle, model_path, pool, tasks, progress);
    report.update(score_json(score));
    report["through_state"] = parser.has("--through-state");
    std::ostringstream text;
    print_score(text, what + (parser.has("--through-state") ? " (through a state file)" : ""), score);
    if (const auto minimum = parser.optional_value("--min-accuracy")) {
      passed = score.accuracy() >= parser.number("--min-accuracy");
      text << (passed ? "at least " : "below ") << "--min-accuracy " << *minimum << '\n';
    }
    verdict = text.str();
  }
  report["seconds"] = seconds();
  report["passed"] = passed;
  if (parser.has("--json")) {
    context.out << report.dump(1) << '\n';
    context.err << verdict;
  } else {
    context.out << verdict << std::fixed << std::setprecision(1) << "[" << seconds() << " s]\n";
  }
  return passed ? 0 : 1;
}

}  // namespace linea::cli
