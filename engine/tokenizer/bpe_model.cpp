#include "engine/tokenizer/bpe_model.h"

#include <algorithm>
#include <bit>

namespace linea::tokenizer {
namespace {

constexpr std::size_t kCacheCapacity = 1u << 16;
constexpr std::size_t kLongestCachedPiece = 256;

std::uint64_t pair_key(TokenId left, TokenId right) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) | static_cast<std::uint32_t>(right);
}

std::uint64_t mix(std::uint64_t key) {
  key ^= key >> 33;
  key *= 0xff51afd7ed558ccdULL;
  key ^= key >> 33;
  return key;
}

struct Symbol {
  TokenId id;
  std::int32_t prev;
  std::int32_t next;
};

struct Candidate {
  std::uint32_t rank;
  std::int32_t pos;  // index of the left symbol
  TokenId left;
  TokenId right;
  TokenId result;
  // std::push_heap builds a max-heap: "less" means lower priority (higher rank, then further right).
  bool operator<(const Candidate& other) const { return rank != other.rank ? rank > other.rank : pos > other.pos; }
};

}  // namespace

BpeModel::BpeModel(const std::array<TokenId, 256>& byte_tokens, const std::vector<BpeMerge>& merges,
                   std::optional<TokenId> unknown, bool ignore_merges, StringMap<TokenId> whole_pieces)
    : byte_tokens_(byte_tokens),
      unknown_(unknown),
      ignore_merges_(ignore_merges),
      whole_pieces_(std::move(whole_pieces)) {
  const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, merges.size() * 2));
  table_.assign(capacity, MergeEntry{kEmptyKey, 0, 0});
  mask_ = capacity - 1;
  for (std::uint32_t rank = 0; rank < merges.size(); ++rank) insert_merge(merges[rank], rank);
}

void BpeModel::insert_merge(const BpeMerge& merge, std::uint32_t rank) {
  const std::uint64_t key = pair_key(merge.left, merge.right);
  for (std::uint64_t slot = mix(key) & mask_;; slot = (slot + 1) & mask_) {
    MergeEntry& entry = table_[slot];
    if (entry.key == kEmptyKey || entry.key == key) {
      entry = {key, rank, merge.result};  // a repeated pair takes the later rank, like `tokenizers`
      return;
    }
  }
}

const BpeModel::MergeEntry* BpeModel::find_merge(TokenId left, TokenId right) const {
  const std::uint64_t key = pair_key(left, right);
  for (std::uint64_t slot = mix(key) & mask_;; slot = (slot + 1) & mask_) {
    const MergeEntry& entry = table_[slot];
    if (entry.key == key) return &entry;
    if (entry.key == kEmptyKey) return nullptr;
  }
}

void BpeModel::encode_piece(std::string_view piece, std::vector<TokenId>& out) const {
  if (piece.empty()) return;
  if (ignore_merges_) {
    if (const auto it = whole_pieces_.find(piece); it != whole_pieces_.end()) {
      out.push_back(it->second);
      return;
    }
  }
  if (piece.size() == 1) {
    const TokenId id = byte_tokens_[static_cast<unsigned char>(piece[0])];
    if (id >= 0)
      out.push_back(id);
    else if (unknown_)
      out.push_back(*unknown_);
    return;
  }
  const bool cacheable = piece.size() <= kLongestCachedPiece;
  if (cacheable) {
    std::lock_guard lock(cache_mutex_);
    if (const auto it = cache_.find(piece); it != cache_.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  const std::size_t first = out.size();
  merge_symbols(piece, out);
  if (cacheable) {
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kCacheCapacity) cache_.clear();
    cache_.emplace(std::string(piece),
                   std::vector<TokenId>(out.begin() + static_cast<std::ptrdiff_t>(first), out.end()));
  }
}

void BpeModel::merge_symbols(std::string_view piece, std::vector<TokenId>& out) const {
  thread_local std::vector<Symbol> symbols;
  thread_local std::vector<Candidate> queue;
  symbols.clear();
  queue.clear();

  // One symbol per byte; bytes without a token become unk or vanish.
  for (char c : piece) {
    const TokenId id = byte_tokens_[static_cast<unsigned char>(c)];
    if (id >= 0)
      symbols.push_back({id, 0, 0});
    else if (unknown_)
      symbols.push_back({*unknown_, 0, 0});
  }
  const auto count = static_cast<std::int32_t>(symbols.size());
  for (std::int32_t i = 0; i < count; ++i) {
    symbols[i].prev = i - 1;
    symbols[i].next = i + 1 < count ? i + 1 : -1;
  }

  auto offer = [&](std::int32_t pos) {
    const std::int32_t next = symbols[pos].next;
    if (next < 0) return;
    if (const MergeEntry* merge = find_merge(symbols[pos].id, symbols[next].id)) {
      queue.push_back({merge->rank, pos, symbols[pos].id, symbols[next].id, merge->result});
      std::push_heap(queue.begin(), queue.end());
    }
  };
  for (std::int32_t i = 0; i + 1 < count; ++i) offer(i);

  while (!queue.empty()) {
    std::pop_heap(queue.begin(), queue.end());
    const Candidate candidate = queue.back();
    queue.pop_back();
    Symbol& left = symbols[candidate.pos];
    // Stale when either side has been merged into something else since it was offered.
    if (left.id != candidate.left || left.next < 0) continue;
    const std::int32_t right_index = left.next;
    Symbol& right = symbols[right_index];
    if (right.id != candidate.right) continue;
    left.id = candidate.result;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = candidate.pos;
    right.id = -1;  // dead
    if (left.prev >= 0) offer(left.prev);
    offer(candidate.pos);
  }

  for (std::int32_t i = count > 0 ? 0 : -1; i >= 0; i = symbols[i].next) out.push_back(symbols[i].id);
}

}  // namespace linea::tokenizer
