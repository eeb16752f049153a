#include "engine/runtime/generation.h"

#include "engine/tokenizer/streaming_decoder.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>

namespace linea {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool cancelled(const std::atomic<bool>* flag) { return flag && flag->load(std::memory_order_relaxed); }

}  // namespace

const char* stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::max_tokens: return "max_tokens";
    case StopReason::stop_token: return "stop_token";
    case StopReason::callback: return "callback";
    case StopReason::cancelled: return "cancelled";
  }
  return "?";
}

GenerationResult generate(Session& session, std::span<const std::int32_t> prompt, const GenerationOptions& options,
                          const tokenizer::Tokenizer* tokenizer, const TokenCallback& on_token) {
  GenerationResult result;
  result.prompt_tokens = prompt.size();
  Sampler sampler(options.sampling);

  const auto prefill_start = std::chrono::steady_clock::now();
  if (!prompt.empty()) {
    FeedOptions feed;
    feed.chunk_size = options.prefill_chunk_size;
    feed.logits = LogitsFor::none;
    feed.cancel = options.cancel;
    if (session.feed(prompt, feed).cancelled) {
      result.reason = StopReason::cancelled;
      result.prefill_seconds = seconds_since(prefill_start);
      return result;
    }
  }
  result.prefill_seconds = seconds_since(prefill_start);
  if (session.last_logits().empty())
    throw std::invalid_argument("generate: nothing to continue from (empty session and empty prompt)");

  std::optional<tokenizer::StreamingDecoder> decoder;
  if (tokenizer) decoder.emplace(*tokenizer);

  const auto decode_start = std::chrono::steady_clock::now();
  result.reason = StopReason::max_tokens;
  while (result.tokens.size() < options.max_tokens) {
    if (cancelled(options.cancel)) {
      result.reason = StopReason::cancelled;
      break;
    }
    const std::int32_t token = sampler.sample(session.last_logits(), session.tokens());
    session.feed_one(token);
    result.tokens.push_back(token);
    if (std::find(options.stop_tokens.begin(), options.stop_tokens.end(), token) != options.stop_tokens.end()) {
      result.reason = StopReason::stop_token;
      break;
    }
    const std::string piece = decoder ? decoder->push(token) : std::string();
    if (on_token && !on_token(token, piece)) {
      result.reason = StopReason::callback;
      break;
    }
  }
  if (decoder && on_token && result.reason != StopReason::callback) {
    // Bytes of an unfinished character at the very end are shown as they are.
    const std::string rest = decoder->finish();
    if (!rest.empty()) on_token(-1, rest);
  }
  result.decode_seconds = seconds_since(decode_start);
  return result;
}

}  // namespace linea
