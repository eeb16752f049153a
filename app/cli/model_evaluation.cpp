#include "app/cli/model_evaluation.h"

#include "app/cli/image_input.h"

#include "engine/io/format_error.h"
#include "engine/io/json_file.h"
#include "engine/runtime/generation.h"
#include "engine/runtime/session.h"
#include "vision/image_decode.h"
#include "vision/image_prompt.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace linea::cli {

namespace {

struct TaskLine {
  nlohmann::json value;
  std::string where;  // "file line N"
};

std::vector<TaskLine> read_task_lines(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot be read");
  std::vector<TaskLine> lines;
  std::string line;
  std::uint64_t offset = 0;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::uint64_t line_offset = offset;
    offset += line.size() + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    // Named by file and line: the parser's own line and column then count within that line.
    const std::string where = file.string() + " line " + std::to_string(number);
    TaskLine task{io::parse_json(line, where, line_offset), where};
    if (!task.value.is_object())
      throw io::FormatError(file.string(), line_offset, "line " + std::to_string(number) + " is not a JSON object");
    lines.push_back(std::move(task));
  }
  if (lines.empty()) throw io::FormatError(file.string(), std::nullopt, "holds no tasks");
  return lines;
}

std::string text_field(const TaskLine& line, const char* key) {
  const auto it = line.value.find(key);
  if (it == line.value.end() || !it->is_string())
    throw std::runtime_error(line.where + ": \"" + key + "\" is missing or not a string");
  return it->get<std::string>();
}

std::string optional_text_field(const TaskLine& line, const char* key) {
  const auto it = line.value.find(key);
  return it != line.value.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

tokenizer::ChatFamily chat_family_of(const ModelBundle& bundle) {
  if (!bundle.tokenizer) throw std::runtime_error("the model has no tokenizer (" + bundle.tokenizer_error + ")");
  if (!bundle.chat_family) throw std::runtime_error("the model's chat format is unknown");
  return *bundle.chat_family;
}

std::string user_turn(const ModelBundle& bundle, const std::string& content) {
  const tokenizer::ChatMessage message{"user", content, std::nullopt, {}};
  return tokenizer::render_chat(chat_family_of(bundle), std::span(&message, 1));
}

// Greedy reply to whatever the session holds plus `prompt`, trimmed.
std::string greedy_reply(const ModelBundle& bundle, Session& session, std::span<const std::int32_t> prompt,
                         std::size_t max_tokens) {
  GenerationOptions options;
  options.max_tokens = max_tokens;
  options.sampling.temperature = 0.0f;
  options.stop_tokens = bundle.tokenizer->special_ids().end_of_generation;
  std::string reply;
  generate(session, prompt, options, bundle.tokenizer.get(), [&](std::int32_t, std::string_view piece) {
    reply += piece;
    return true;
  });
  return trimmed(reply);
}

// A state file of its own in the system's temporary folder, removed when done.
class TemporaryStateFile {
 public:
  TemporaryStateFile() {
    std::random_device entropy;
    path_ = std::filesystem::temp_directory_path() /
            ("linea-evaluate-" + std::to_string(entropy()) + "-" + std::to_string(entropy()) + ".lstate");
  }
  ~TemporaryStateFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TemporaryStateFile(const TemporaryStateFile&) = delete;
  TemporaryStateFile& operator=(const TemporaryStateFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

double TaskScore::accuracy() const {
  if (outcomes.empty()) return 0;
  const auto hits = std::count_if(outcomes.begin(), outcomes.end(), [](const TaskOutcome& o) { return o.correct; });
  return static_cast<double>(hits) / static_cast<double>(outcomes.size());
}

double TaskScore::exact() const {
  if (outcomes.empty()) return 0;
  const auto hits = std::count_if(outcomes.begin(), outcomes.end(), [](const TaskOutcome& o) { return o.exact; });
  return static_cast<double>(hits) / static_cast<double>(outcomes.size());
}

BitsPerByte measure_bits_per_byte(const ModelBundle& bundle, const std::shared_ptr<cpu::ThreadPool>& pool,
                                  const std::filesystem::path& task_file, const std::string& first_token) {
  if (!bundle.tokenizer) throw std::runtime_error("the model has no tokenizer (" + bundle.tokenizer_error + ")");
  const std::optional<std::int32_t> first = bundle.tokenizer->find_piece(first_token);
  if (!first) throw std::runtime_error("the tokenizer has no token \"" + first_token + "\" to start each text with");
  const auto n_vocab = static_cast<std::size_t>(bundle.model->info().n_vocab);
  BitsPerByte result;
  double nats = 0;
  for (const TaskLine& line : read_task_lines(task_file)) {
    const std::string text = text_field(line, "text");
    std::vector<std::int32_t> tokens{*first};
    const std::vector<std::int32_t> body = bundle.tokenizer->encode(text, /*allow_special=*/false);
    tokens.insert(tokens.end(), body.begin(), body.end());
    Session session(bundle.model, pool);
    // Row t of the logits predicts token t + 1; fed in slices so that the logits stay small.
    constexpr std::size_t kSlice = 512;
    for (std::size_t begin = 0; begin + 1 < tokens.size(); begin += kSlice) {
      const std::size_t end = std::min(begin + kSlice, tokens.size() - 1);
      FeedOptions options;
      options.logits = LogitsFor::all;
      const FeedResult fed = session.feed(std::span(tokens).subspan(begin, end - begin), options);
      for (std::size_t row = 0; row < end - begin; ++row) {
        const float* logits = fed.logits.data() + row * n_vocab;
        const double largest = *std::max_element(logits, logits + n_vocab);
        double sum = 0;
        for (std::size_t i = 0; i < n_vocab; ++i) sum += std::exp(static_cast<double>(logits[i]) - largest);
        const auto target = static_cast<std::size_t>(tokens[begin + row + 1]);
        nats += largest + std::log(sum) - static_cast<double>(logits[target]);
      }
    }
    result.tokens += tokens.size() - 1;
    result.bytes += text.size();
    ++result.texts;
  }
  if (result.bytes == 0) throw std::runtime_error(task_file.string() + ": the texts are empty");
  result.bits_per_byte = nats / std::log(2.0) / static_cast<double>(result.bytes);
  return result;
}

TaskScore evaluate_reading(const ModelBundle& bundle, const std::shared_ptr<cpu::ThreadPool>& pool,
                           const std::filesystem::path& task_file, bool through_state,
                           const std::function<void(std::size_t, std::size_t)>& progress) {
  const std::vector<TaskLine> lines = read_task_lines(task_file);
  TaskScore score;
  for (const TaskLine& line : lines) {
    const std::string document = text_field(line, "document");
    const std::string key = text_field(line, "key");
    TaskOutcome outcome;
    outcome.kind = optional_text_field(line, "kind");
    outcome.expected = text_field(line, "answer");
    const std::string prompt_text = user_turn(bundle, document + "\n\n" + text_field(line, "question"));
    const std::vector<std::int32_t> prompt = bundle.tokenizer->encode(prompt_text, /*allow_special=*/true);
    outcome.prompt_tokens = prompt.size();

    Session session(bundle.model, pool);
    std::span<const std::int32_t> question(prompt);
    if (through_state) {
      const TemporaryStateFile state_file;
      // Split where the document ends: the tokens of the rendered text up to there, as far as they
      // agree with the whole prompt's (a merge across the cut would move it by a token).
      const std::size_t document_end = prompt_text.find(document) + document.size();
      const std::vector<std::int32_t> head =
          bundle.tokenizer->encode(prompt_text.substr(0, document_end), /*allow_special=*/true);
      const auto cut = static_cast<std::size_t>(
          std::mismatch(head.begin(), head.end(), prompt.begin(), prompt.end()).first - head.begin());
      Session reader(bundle.model, pool);
      reader.feed(std::span(prompt).first(cut));
      reader.save(state_file.path());
      session.load(state_file.path());
      question = std::span(prompt).subspan(cut);
    }
    outcome.reply = greedy_reply(bundle, session, question, 24);
    outcome.correct = outcome.reply.find(key) != std::string::npos;
    outcome.exact = outcome.reply == outcome.expected;
    score.outcomes.push_back(std::move(outcome));
    if (progress) progress(score.outcomes.size(), lines.size());
  }
  return score;
}

TaskScore evaluate_pictures(const ModelBundle& bundle, const std::string& model_path,
                            const std::shared_ptr<cpu::ThreadPool>& pool, const std::filesystem::path& task_file,
                            const std::function<void(std::size_t, std::size_t)>& progress) {
  const std::vector<TaskLine> lines = read_task_lines(task_file);
  const std::unique_ptr<vision::VisionEncoder> encoder = open_vision_encoder(model_path, *bundle.model);
  const std::int32_t placeholder = encoder->config().image_token_index;
  TaskScore score;
  for (const TaskLine& line : lines) {
    TaskOutcome outcome;
    outcome.kind = optional_text_field(line, "kind");
    outcome.expected = text_field(line, "answer");
    const std::filesystem::path image_file = task_file.parent_path() / text_field(line, "image");
    vision::ImageEmbeddings embeddings = encoder->encode(vision::decode_image_file(image_file.string()).image, *pool);
    const std::string prompt_text = user_turn(bundle, "<image>\n" + text_field(line, "prompt"));
    const vision::ImagePrompt shown = vision::expand_image_placeholder(
        bundle.tokenizer->encode(prompt_text, /*allow_special=*/true), placeholder, std::move(embeddings));
    outcome.prompt_tokens = shown.tokens.size();
    Session session(bundle.model, pool);
    const EmbeddingRows rows = shown.replaced();
    FeedOptions feed;
    feed.replaced = std::span<const EmbeddingRows>(&rows, 1);
    session.feed(shown.tokens, feed);
    outcome.reply = greedy_reply(bundle, session, {}, 40);
    outcome.exact = outcome.reply == outcome.expected;
    outcome.correct = outcome.exact;
    score.outcomes.push_back(std::move(outcome));
    if (progress) progress(score.outcomes.size(), lines.size());
  }
  return score;
}

}  // namespace linea::cli
