// Turns tokens into text as they are generated, releasing only whole UTF-8 characters: a token may
// end in the middle of a character (byte-level BPE splits emoji and CJK across tokens), and the
// screen, a speech queue or a pipe must never see half of one.
#pragma once

#include "engine/tokenizer/tokenizer.h"

#include <string>

namespace linea::tokenizer {

class StreamingDecoder {
 public:
  // The tokenizer must outlive the decoder.
  explicit StreamingDecoder(const Tokenizer& tokenizer, bool skip_special = true);

  // Adds one token; returns the text that became complete (often empty, never half a character).
  std::string push(TokenId id);

  // Ends the stream: returns whatever is still held back (possibly bytes of an unfinished
  // character, which a caller shows as is) and starts afresh.
  std::string finish();

  // Bytes held back waiting for the rest of a character.
  std::size_t pending_bytes() const { return pending_.size(); }

 private:
  const Tokenizer* tokenizer_;
  bool skip_special_;
  std::string pending_;
};

}  // namespace linea::tokenizer
