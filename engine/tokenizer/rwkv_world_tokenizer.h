// The RWKV World tokenizer (every released RWKV-7 model): greedy longest match over the UTF-8 bytes
// against a 65,529-entry vocabulary, using a byte trie. Id 0 is end-of-document and stands for no
// text; no text is ever read as a special token.
#pragma once

#include "engine/tokenizer/tokenizer.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace linea::tokenizer {

struct RwkvToken {
  std::string bytes;      // what the token stands for
  std::string piece;      // how the vocabulary spells it (for messages and find_piece)
  bool special = false;   // control token: never matched in text
  bool matchable = true;  // false for unused padding rows
};

class RwkvWorldTokenizer final : public Tokenizer {
 public:
  // tokens[id]; id 0 must be the end-of-document control token. Throws linea::io::FormatError
  // naming `source` when two matchable tokens have the same bytes.
  RwkvWorldTokenizer(std::vector<RwkvToken> tokens, std::string source);
  ~RwkvWorldTokenizer() override;

  // Reads rwkv_vocab_v20230424.txt: lines "<id> <python str or bytes literal> <byte length>".
  // Throws linea::io::FormatError naming the file, the line's byte offset and what is wrong.
  static std::unique_ptr<RwkvWorldTokenizer> from_vocab_file(const std::filesystem::path& path);
  static std::unique_ptr<RwkvWorldTokenizer> from_vocab_text(std::string_view text, const std::string& source);

  // Any bytes encode (no UTF-8 check). Throws std::invalid_argument if a byte has no token.
  std::vector<TokenId> encode(std::string_view text, bool allow_special) const override;
  std::string_view token_bytes(TokenId id) const override;
  std::string_view token_piece(TokenId id) const override;
  std::optional<TokenId> find_piece(std::string_view piece) const override;
  std::size_t vocab_size() const override { return tokens_.size(); }
  bool is_special(TokenId id) const override;
  std::string_view kind() const override { return "RWKV World"; }

 private:
  struct Node {
    TokenId token = -1;            // token ending here, -1 if none
    std::uint32_t first_edge = 0;  // children: edges_[first_edge, first_edge + edge_count)
    std::uint32_t edge_count = 0;
  };
  struct Edge {
    std::uint8_t byte;
    std::uint32_t node;
  };

  std::vector<RwkvToken> tokens_;
  std::vector<Node> nodes_;  // nodes_[0] is the root
  std::vector<Edge> edges_;  // sorted by byte within each node
};

}  // namespace linea::tokenizer
