// Generating text in a session: prefill the prompt, then sample one token at a time, streaming each
// token (and the text it completes) to a callback that may stop the generation.
//
//   linea::GenerationOptions options;
//   options.max_tokens = 200;
//   options.sampling.temperature = 0.8f;
//   linea::generate(session, prompt, options, &tokenizer,
//                   [](std::int32_t token, std::string_view text) { std::cout << text; return true; });
//
// Every generated token is fed back into the session before the callback sees it, so afterwards the
// session holds the prompt and the whole reply (a saved state continues the conversation exactly).
#pragma once

#include "engine/runtime/sampler.h"
#include "engine/runtime/session.h"
#include "engine/tokenizer/tokenizer.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace linea {

struct GenerationOptions {
  std::size_t max_tokens = 128;
  SamplingParams sampling;
  std::vector<std::int32_t> stop_tokens;      // generation ends after one of these (fed, but not streamed)
  const std::atomic<bool>* cancel = nullptr;  // checked between prefill chunks and between tokens
  std::size_t prefill_chunk_size = 128;
};

enum class StopReason { max_tokens, stop_token, callback, cancelled };
const char* stop_reason_name(StopReason reason);

struct GenerationResult {
  std::vector<std::int32_t> tokens;  // generated tokens, the stop token included when there was one
  StopReason reason = StopReason::max_tokens;
  std::uint64_t prompt_tokens = 0;
  double prefill_seconds = 0;
  double decode_seconds = 0;  // sampling and feeding the generated tokens
};

// (token, text that this token completed; may be empty while a character is incomplete or without a
// tokenizer) -> keep going? When generation ends with bytes of an unfinished character still held
// back, they are passed once more with token -1.
using TokenCallback = std::function<bool(std::int32_t token, std::string_view text_piece)>;

// Feeds `prompt` (may be empty when the session already holds tokens), then generates. Throws
// std::invalid_argument when there is nothing to continue from (empty session and empty prompt).
GenerationResult generate(Session& session, std::span<const std::int32_t> prompt, const GenerationOptions& options,
                          const tokenizer::Tokenizer* tokenizer = nullptr, const TokenCallback& on_token = {});

}  // namespace linea
