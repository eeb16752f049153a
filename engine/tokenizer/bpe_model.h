// The BPE merge loop over the bytes of one pre-tokenized piece: start from one token per byte, then
// repeatedly merge the adjacent pair with the lowest merge rank (leftmost first on ties) until no
// pair has a merge. Pairs are looked up by a hash of their two ids; the loop keeps the symbols in a
// linked list and the candidate merges in a priority queue; results are cached per piece.
#pragma once

#include "engine/tokenizer/tokenizer.h"

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace linea::tokenizer {

// Lets string-keyed maps be searched with a string_view without building a string.
struct TransparentStringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
template <typename Value>
using StringMap = std::unordered_map<std::string, Value, TransparentStringHash, std::equal_to<>>;

struct BpeMerge {
  TokenId left = 0;
  TokenId right = 0;
  TokenId result = 0;
};

class BpeModel {
 public:
  // byte_tokens[b]: the id of the token for the single byte b (-1 when the vocabulary lacks it:
  // such bytes become `unknown`, one each, if given, else they are dropped, as `tokenizers` does).
  // merges: in rank order (first = applied first). A pair listed twice keeps its last rank.
  // whole_pieces: with ignore_merges, a piece found here is one token without merging.
  BpeModel(const std::array<TokenId, 256>& byte_tokens, const std::vector<BpeMerge>& merges,
           std::optional<TokenId> unknown, bool ignore_merges, StringMap<TokenId> whole_pieces);

  // Appends the ids for one piece.
  void encode_piece(std::string_view piece, std::vector<TokenId>& out) const;

 private:
  struct MergeEntry {
    std::uint64_t key;  // left << 32 | right; kEmptyKey when the slot is free
    std::uint32_t rank;
    TokenId result;
  };
  static constexpr std::uint64_t kEmptyKey = ~std::uint64_t{0};

  const MergeEntry* find_merge(TokenId left, TokenId right) const;
  void insert_merge(const BpeMerge& merge, std::uint32_t rank);
  void merge_symbols(std::string_view piece, std::vector<TokenId>& out) const;

  std::array<TokenId, 256> byte_tokens_;
  std::optional<TokenId> unknown_;
  bool ignore_merges_;
  StringMap<TokenId> whole_pieces_;

  std::vector<MergeEntry> table_;  // open addressing, power-of-two size
  std::uint64_t mask_ = 0;

  // Piece -> ids. Bounded; cleared when full (text repeats its common words quickly).
  mutable std::mutex cache_mutex_;
  mutable StringMap<std::vector<TokenId>> cache_;
};

}  // namespace linea::tokenizer
