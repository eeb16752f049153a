// Byte-level BPE (GPT-2, Qwen, Llama 3, MiniMax): added tokens, normalization, pre-tokenization,
// then BPE merges over the bytes of each piece. Built from a BpeTokenizerSpec, which the readers of
// tokenizer.json, vocab.json + merges.txt and GGUF fill in.
#pragma once

#include "engine/tokenizer/added_tokens.h"
#include "engine/tokenizer/bpe_model.h"
#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/text_normalizer.h"
#include "engine/tokenizer/tokenizer.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace linea::tokenizer {

struct BpeTokenizerSpec {
  std::string source;  // the file it came from, for error messages
  // The model vocabulary in its byte-level spelling ("Ġhello"), with ids.
  std::vector<std::pair<std::string, TokenId>> vocab;
  // Merge rules in rank order, as pairs of spellings.
  std::vector<std::pair<std::string, std::string>> merges;
  std::optional<std::string> unknown_piece;  // BPE's unk_token, if any
  bool ignore_merges = false;                // a piece already in the vocabulary is one token
  std::vector<NormalizationStep> normalization;
  std::vector<PreTokenizerStep> pre_tokenizer;
  std::vector<AddedToken> added_tokens;
  SpecialTokenIds special_ids;
};

class BpeTokenizer final : public Tokenizer {
 public:
  // Throws linea::io::FormatError naming spec.source when the spec is inconsistent (a merge of
  // tokens not in the vocabulary, a repeated id, a bad regex, ...).
  explicit BpeTokenizer(const BpeTokenizerSpec& spec);
  ~BpeTokenizer() override;

  std::vector<TokenId> encode(std::string_view text, bool allow_special) const override;
  std::string_view token_bytes(TokenId id) const override;
  std::string_view token_piece(TokenId id) const override;
  std::optional<TokenId> find_piece(std::string_view piece) const override;
  std::size_t vocab_size() const override { return pieces_.size(); }
  bool is_special(TokenId id) const override;
  std::string_view kind() const override { return "byte-level BPE"; }

 private:
  // Pre-tokenizes and BPE-encodes text that holds no added token.
  void encode_text(std::string_view text, std::vector<TokenId>& out) const;

  std::vector<std::string> pieces_;  // by id; empty for unassigned ids
  std::vector<std::string> bytes_;   // by id
  std::vector<bool> special_;        // by id
  StringMap<TokenId> id_of_piece_;
  AddedTokenMatcher raw_matcher_;         // added tokens matched before normalization
  AddedTokenMatcher normalized_matcher_;  // added tokens matched after it
  TextNormalizer normalizer_;
  PreTokenizer pre_tokenizer_;
  std::unique_ptr<BpeModel> model_;
};

}  // namespace linea::tokenizer
