// A session: one sequence being read or written by a model. It owns the sequence's memory
// (recurrent state, later a KV cache), the tokens seen so far and the logits after the last one;
// the model's weights are shared. Copying a session forks it: the copy continues independently.
//
//   auto pool = std::make_shared<linea::cpu::ThreadPool>(2);
//   linea::Session session(model, pool);
//   session.feed(prompt_tokens);                 // prefill in chunks (sequence mode)
//   std::span<const float> logits = session.last_logits();
//   session.feed_one(next_token);                // one position (decode)
//   session.save("chat.lstate");                 // state file: header + memory blobs
//   linea::Session later(model, pool);
//   later.load("chat.lstate");                   // continues exactly where `session` was
//
// Threading: a session is used by one thread at a time. Different sessions (forks included) may run
// on different threads at once; they share the immutable Model and may share a ThreadPool (whose
// jobs are then serialised). `cancel` flags may be set from any thread.
#pragma once

#include "engine/cpu/thread_pool.h"
#include "engine/models/model.h"
#include "engine/runtime/memory.h"
#include "engine/runtime/state_file.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace linea {

struct FeedOptions {
  std::size_t chunk_size = 128;               // positions per forward pass; the result does not depend on it
  LogitsFor logits = LogitsFor::last;         // what FeedResult::logits holds
  const std::atomic<bool>* cancel = nullptr;  // checked before every chunk
  // Called after every chunk with (tokens of this call fed so far, tokens in this call).
  std::function<void(std::uint64_t done, std::uint64_t total)> on_chunk;
  // Embedding rows in place of the tokens' own at some positions (image features); `first` counts
  // from the first token of this call. Chunks may cut a set anywhere.
  std::span<const EmbeddingRows> replaced;
};

struct FeedResult {
  std::uint64_t tokens_fed = 0;
  bool cancelled = false;     // stopped early by `cancel`; the session holds exactly tokens_fed more tokens
  std::vector<float> logits;  // [rows, n_vocab]: 1 row (last) or tokens_fed rows (all); empty for none
};

class Session {
 public:
  Session(std::shared_ptr<const Model> model, std::shared_ptr<cpu::ThreadPool> pool);

  // Forking: an independent copy of the memory, tokens and logits; model and pool are shared.
  Session(const Session& other);
  Session& operator=(const Session& other);
  Session(Session&&) noexcept = default;
  Session& operator=(Session&&) noexcept = default;
  Session fork() const { return *this; }

  const Model& model() const { return *model_; }
  const std::shared_ptr<const Model>& shared_model() const { return model_; }
  cpu::ThreadPool& pool() const { return *pool_; }
  const Memory& memory() const { return *memory_; }

  // Tokens fed so far, oldest first. After loading a state file that did not store its tokens this
  // is empty while position() still counts them.
  const std::vector<std::int32_t>& tokens() const { return tokens_; }
  std::uint64_t position() const { return position_; }

  // The logits after the last token fed ([n_vocab]); empty before the first token.
  std::span<const float> last_logits() const { return last_logits_; }

  // Feeds tokens after the ones already seen, `chunk_size` positions per forward pass. Throws
  // std::out_of_range for a token outside the vocabulary (nothing is fed then).
  FeedResult feed(std::span<const std::int32_t> tokens, const FeedOptions& options = {});
  // One position; returns its logits (the same as last_logits() afterwards).
  std::span<const float> feed_one(std::int32_t token);

  // Back to an empty sequence.
  void reset();

  // Saves header (architecture, model fingerprint, tokens) and the memory as named blobs, plus the
  // last logits ("session.last_logits"), atomically.
  void save(const std::filesystem::path& file, const StateFileOptions& options = {}) const;
  // Loads a state file saved from the same model. Throws StateMismatchError for another model,
  // io::FormatError for a damaged file; the session is unchanged when it throws.
  void load(const std::filesystem::path& file);
  // The header save() writes.
  StateFileHeader state_header() const;

 private:
  std::shared_ptr<const Model> model_;
  std::shared_ptr<cpu::ThreadPool> pool_;
  std::unique_ptr<Memory> memory_;
  std::vector<std::int32_t> tokens_;
  std::uint64_t position_ = 0;
  std::vector<float> last_logits_;
};

}  // namespace linea
