// The interface every tokenizer implements (byte-level BPE, RWKV World), so that sessions, the CLI
// and the GUI never care which one a model uses.
//
// Thread safety: a loaded tokenizer is immutable apart from internal caches that are guarded; any
// number of threads may call every const member at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace linea::tokenizer {

using TokenId = std::int32_t;

// Ids with a role. Any may be absent: not every vocabulary has every role.
struct SpecialTokenIds {
  std::optional<TokenId> bos;
  std::optional<TokenId> eos;
  std::optional<TokenId> pad;
  std::optional<TokenId> unk;
  // Ids that end a generated reply (eos, end-of-turn markers such as <|im_end|>), without repeats.
  std::vector<TokenId> end_of_generation;

  bool ends_generation(TokenId id) const;
  void add_end_of_generation(TokenId id);  // ignores repeats
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Text to ids. Special (control) tokens written in the text, such as "<|im_end|>", become their
  // ids only when allow_special is true; otherwise they are encoded as the plain text they spell.
  // Throws std::invalid_argument when a tokenizer that needs UTF-8 is given malformed UTF-8.
  virtual std::vector<TokenId> encode(std::string_view text, bool allow_special) const = 0;

  // Ids to bytes: the concatenation of token_bytes(). May end inside a character when the ids do;
  // StreamingDecoder handles that for live output. skip_special drops special tokens.
  // Throws std::out_of_range for an id outside [0, vocab_size()).
  std::string decode(std::span<const TokenId> ids, bool skip_special = false) const;

  // The bytes one token stands for (a special token: its text). Empty for ids the vocabulary
  // leaves unassigned. Throws std::out_of_range for an id outside [0, vocab_size()).
  virtual std::string_view token_bytes(TokenId id) const = 0;

  // The token as its vocabulary spells it (byte-level BPE: "Ġhello"; RWKV: the bytes).
  virtual std::string_view token_piece(TokenId id) const = 0;

  // The id of a token given its exact vocabulary spelling, e.g. "<|im_end|>" or "Ġhello".
  virtual std::optional<TokenId> find_piece(std::string_view piece) const = 0;

  // One more than the largest id (ids in between may be unassigned).
  virtual std::size_t vocab_size() const = 0;

  // True for control tokens that stand for no text of their own (bos, eos, <|im_start|>, ...).
  virtual bool is_special(TokenId id) const = 0;

  const SpecialTokenIds& special_ids() const { return special_ids_; }

  // A short name of the algorithm, for messages: "byte-level BPE" or "RWKV World".
  virtual std::string_view kind() const = 0;

 protected:
  // Throws std::out_of_range naming the id and the vocabulary size.
  void check_id(TokenId id) const;

  SpecialTokenIds special_ids_;
};

}  // namespace linea::tokenizer
