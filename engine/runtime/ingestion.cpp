#include "engine/runtime/ingestion.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

namespace linea {

namespace {

// How many document tokens a loaded checkpoint holds, after checking that it read `base` and then
// the start of `document`.
std::uint64_t checkpoint_progress(const std::vector<std::int32_t>& base, const Session& checkpoint,
                                  std::span<const std::int32_t> document, const std::filesystem::path& file) {
  const std::vector<std::int32_t>& saved = checkpoint.tokens();
  const std::string where = "checkpoint " + file.string();
  if (saved.size() != checkpoint.position())
    throw std::runtime_error(where + " does not list the tokens it has read, so it cannot be matched to this document");
  if (saved.size() < base.size() || saved.size() > base.size() + document.size())
    throw std::runtime_error(where + " holds " + std::to_string(saved.size()) + " tokens; this ingestion spans " +
                             std::to_string(base.size()) + " to " + std::to_string(base.size() + document.size()));
  for (std::size_t i = 0; i < saved.size(); ++i) {
    const std::int32_t expected = i < base.size() ? base[i] : document[i - base.size()];
    if (saved[i] != expected)
      throw std::runtime_error(where + " was made from other text: token " + std::to_string(i) + " is " +
                               std::to_string(saved[i]) + " there and " + std::to_string(expected) + " here");
  }
  return saved.size() - base.size();
}

}  // namespace

IngestionResult ingest(Session& session, std::span<const std::int32_t> document, const IngestionOptions& options) {
  if ((options.checkpoint_every > 0 || options.resume) && options.checkpoint_file.empty())
    throw std::invalid_argument("ingest: checkpoints and resume need a checkpoint file");
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };

  IngestionResult result;
  result.total = document.size();
  if (options.resume && std::filesystem::exists(options.checkpoint_file)) {
    Session checkpoint = session.fork();
    checkpoint.load(options.checkpoint_file);
    result.resumed_from = checkpoint_progress(session.tokens(), checkpoint, document, options.checkpoint_file);
    session = std::move(checkpoint);
  }
  result.done = result.resumed_from;

  const std::size_t chunk = std::max<std::size_t>(1, options.chunk_size);
  std::uint64_t fed_here = 0;
  while (result.done < result.total) {
    if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
      result.cancelled = true;
      break;
    }
    std::uint64_t end = std::min<std::uint64_t>(result.total, result.done + chunk);
    if (options.checkpoint_every > 0) {
      const std::uint64_t next_checkpoint = (result.done / options.checkpoint_every + 1) * options.checkpoint_every;
      end = std::min(end, next_checkpoint);
    }
    FeedOptions feed;
    feed.chunk_size = chunk;
    feed.logits = LogitsFor::none;
    session.feed(document.subspan(result.done, end - result.done), feed);
    fed_here += end - result.done;
    result.done = end;

    if (options.checkpoint_every > 0 && (result.done % options.checkpoint_every == 0 || result.done == result.total)) {
      session.save(options.checkpoint_file);
      ++result.checkpoints_written;
    }
    if (options.on_progress) {
      const double seconds = elapsed();
      options.on_progress({result.done, result.total, seconds, seconds > 0 ? fed_here / seconds : 0.0});
    }
  }
  result.completed = result.done == result.total;
  result.seconds = elapsed();
  result.tokens_per_second = result.seconds > 0 ? fed_here / result.seconds : 0.0;
  return result;
}

}  // namespace linea
