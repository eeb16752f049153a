#include "engine/tokenizer/streaming_decoder.h"

#include "engine/core/utf8.h"

namespace linea::tokenizer {

StreamingDecoder::StreamingDecoder(const Tokenizer& tokenizer, bool skip_special)
    : tokenizer_(&tokenizer), skip_special_(skip_special) {}

std::string StreamingDecoder::push(TokenId id) {
  const std::string_view bytes = tokenizer_->token_bytes(id);
  if (skip_special_ && tokenizer_->is_special(id)) return {};
  pending_ += bytes;
  const std::size_t complete = complete_utf8_prefix(pending_);
  std::string ready = pending_.substr(0, complete);
  pending_.erase(0, complete);
  return ready;
}

std::string StreamingDecoder::finish() {
  std::string rest;
  rest.swap(pending_);
  return rest;
}

}  // namespace linea::tokenizer
