#include "engine/runtime/session.h"

#include "engine/io/format_error.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace linea {

namespace {

// The session's own blob beside the model's memory blobs.
constexpr std::string_view kLastLogitsBlob = "session.last_logits";

}  // namespace

Session::Session(std::shared_ptr<const Model> model, std::shared_ptr<cpu::ThreadPool> pool)
    : model_(std::move(model)), pool_(std::move(pool)) {
  if (!model_) throw std::invalid_argument("Session: no model");
  if (!pool_) throw std::invalid_argument("Session: no thread pool");
  memory_ = model_->new_memory();
}

Session::Session(const Session& other)
    : model_(other.model_),
      pool_(other.pool_),
      memory_(other.memory_->clone()),
      tokens_(other.tokens_),
      position_(other.position_),
      last_logits_(other.last_logits_) {}

Session& Session::operator=(const Session& other) {
  if (this != &other) {
    Session copy(other);
    *this = std::move(copy);
  }
  return *this;
}

FeedResult Session::feed(std::span<const std::int32_t> tokens, const FeedOptions& options) {
  const std::int64_t vocabulary = model_->info().n_vocab;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i] < 0 || tokens[i] >= vocabulary)
      throw std::out_of_range("token " + std::to_string(tokens[i]) + " at position " + std::to_string(i) +
                              " is outside the vocabulary [0, " + std::to_string(vocabulary) + ")");
  }

  const std::int64_t width = model_->info().n_embd;
  check_embedding_rows(options.replaced, static_cast<std::int64_t>(tokens.size()), width);

  FeedResult result;
  const std::size_t chunk = std::max<std::size_t>(1, options.chunk_size);
  std::vector<float> chunk_logits;
  std::vector<EmbeddingRows> chunk_rows;
  for (std::size_t begin = 0; begin < tokens.size(); begin += chunk) {
    if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
      result.cancelled = true;
      break;
    }
    const std::size_t count = std::min(chunk, tokens.size() - begin);
    const std::span<const std::int32_t> part = tokens.subspan(begin, count);
    // Every chunk yields at least its last logits, so last_logits() is right even after a cancel.
    const LogitsFor which = options.logits == LogitsFor::all ? LogitsFor::all : LogitsFor::last;
    // The part of each replacement set that falls into this chunk.
    chunk_rows.clear();
    for (const EmbeddingRows& set : options.replaced) {
      const std::int64_t first = std::max<std::int64_t>(set.first, static_cast<std::int64_t>(begin));
      const std::int64_t end = std::min<std::int64_t>(set.first + static_cast<std::int64_t>(set.rows.size()) / width,
                                                      static_cast<std::int64_t>(begin + count));
      if (first < end)
        chunk_rows.push_back({first - static_cast<std::int64_t>(begin),
                              set.rows.subspan(static_cast<std::size_t>((first - set.first) * width),
                                               static_cast<std::size_t>((end - first) * width))});
    }
    model_->forward(*pool_, part, *memory_, which, chunk_logits, chunk_rows);
    tokens_.insert(tokens_.end(), part.begin(), part.end());
    position_ += count;
    result.tokens_fed += count;

    const auto n_vocab = static_cast<std::size_t>(vocabulary);
    last_logits_.assign(chunk_logits.end() - static_cast<std::ptrdiff_t>(n_vocab), chunk_logits.end());
    if (options.logits == LogitsFor::all)
      result.logits.insert(result.logits.end(), chunk_logits.begin(), chunk_logits.end());
    if (options.on_chunk) options.on_chunk(result.tokens_fed, tokens.size());
  }
  if (options.logits == LogitsFor::last && result.tokens_fed > 0) result.logits = last_logits_;
  return result;
}

std::span<const float> Session::feed_one(std::int32_t token) {
  const std::int32_t one[] = {token};
  FeedOptions options;
  options.logits = LogitsFor::none;
  feed(one, options);
  return last_logits_;
}

void Session::reset() {
  memory_->clear();
  tokens_.clear();
  position_ = 0;
  last_logits_.clear();
}

StateFileHeader Session::state_header() const {
  StateFileHeader header;
  header.architecture = model_->info().architecture;
  header.model_fingerprint = model_->info().fingerprint;
  header.token_count = position_;
  if (tokens_.size() == position_) header.tokens = tokens_;
  return header;
}

void Session::save(const std::filesystem::path& file, const StateFileOptions& options) const {
  std::vector<StateBlobView> blobs = memory_->blob_views();
  blobs.push_back({kLastLogitsBlob, std::as_bytes(std::span<const float>(last_logits_))});
  save_state_file(file, state_header(), blobs, options);
}

void Session::load(const std::filesystem::path& file) {
  StateFile state = load_state_file(file);
  require_state_matches(state.header, model_->info().architecture, model_->info().fingerprint, file);

  const std::string source = file.string();
  std::vector<StateBlob> memory_blobs;
  std::vector<float> logits;
  bool have_logits = false;
  for (StateBlob& blob : state.blobs) {
    if (blob.name != kLastLogitsBlob) {
      memory_blobs.push_back(std::move(blob));
      continue;
    }
    const std::size_t expected = static_cast<std::size_t>(model_->info().n_vocab) * sizeof(float);
    if (blob.bytes.size() != expected && !(blob.bytes.empty() && state.header.token_count == 0))
      throw io::FormatError(source, std::nullopt,
                            "state blob '" + blob.name + "' holds " + std::to_string(blob.bytes.size()) +
                                " bytes, expected " + std::to_string(expected));
    logits.resize(blob.bytes.size() / sizeof(float));
    std::memcpy(logits.data(), blob.bytes.data(), blob.bytes.size());
    have_logits = true;
  }
  if (!have_logits && state.header.token_count > 0)
    throw io::FormatError(source, std::nullopt, "state blob '" + std::string(kLastLogitsBlob) + "' is missing");

  // Restore into a fresh memory so that a failure leaves this session as it was.
  std::unique_ptr<Memory> memory = model_->new_memory();
  memory->restore(memory_blobs, source);
  if (const std::optional<std::uint64_t> cached = memory->positions(); cached && *cached != state.header.token_count)
    throw io::FormatError(source, std::nullopt,
                          "the KV caches hold " + std::to_string(*cached) + " positions but the header counts " +
                              std::to_string(state.header.token_count) + " tokens");

  memory_ = std::move(memory);
  tokens_ = std::move(state.header.tokens);
  position_ = state.header.token_count;
  last_logits_ = std::move(logits);
}

}  // namespace linea
