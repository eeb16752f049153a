// Reading a long document into a session: chunked prefill with progress, cancel, and checkpoints, so
// that an ingestion stopped for any reason (cancel, crash, power loss) resumes from the last
// checkpoint and ends in exactly the state an uninterrupted run reaches.
//
//   linea::IngestionOptions options;
//   options.checkpoint_every = 16384;
//   options.checkpoint_file = "book.lstate";
//   options.resume = true;                     // pick up book.lstate if an earlier run left one
//   options.on_progress = [](const linea::IngestionProgress& p) { ... p.done, p.total, p.tokens_per_second ... };
//   linea::IngestionResult result = linea::ingest(session, document_tokens, options);
//
// Checkpoints fall exactly on multiples of `checkpoint_every` document tokens (chunks are cut there),
// are written atomically, and hold every token read (the session's tokens before the document, then
// the document's), which is how a resume checks that a checkpoint belongs to this document.
#pragma once

#include "engine/runtime/session.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>

namespace linea {

struct IngestionProgress {
  std::uint64_t done = 0;        // document tokens in the session (resumed ones included)
  std::uint64_t total = 0;       // document tokens
  double seconds = 0;            // since this call started
  double tokens_per_second = 0;  // over the tokens this call fed
};

struct IngestionOptions {
  std::size_t chunk_size = 256;
  std::uint64_t checkpoint_every = 0;     // document tokens between checkpoints; 0: none
  std::filesystem::path checkpoint_file;  // required when checkpoint_every > 0 or resume
  bool resume = false;                    // continue from checkpoint_file when it exists
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(const IngestionProgress&)> on_progress;  // after every chunk
};

struct IngestionResult {
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  std::uint64_t resumed_from = 0;  // document tokens taken from the checkpoint
  std::uint64_t checkpoints_written = 0;
  bool completed = false;
  bool cancelled = false;
  double seconds = 0;
  double tokens_per_second = 0;  // over the tokens this call fed
};

// Feeds `document` after whatever `session` holds. With `resume`, an existing checkpoint must have
// been made by this model from the session's current tokens followed by a prefix of `document`;
// otherwise std::runtime_error says where they differ (the session is left unchanged).
IngestionResult ingest(Session& session, std::span<const std::int32_t> document, const IngestionOptions& options);

}  // namespace linea
