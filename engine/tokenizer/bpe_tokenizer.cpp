#include "engine/tokenizer/bpe_tokenizer.h"

#include "engine/io/format_error.h"
#include "engine/tokenizer/byte_level.h"
#include "engine/core/utf8.h"

#include <algorithm>
#include <deque>
#include <stdexcept>

namespace linea::tokenizer {
namespace {

[[noreturn]] void fail(const BpeTokenizerSpec& spec, const std::string& message) {
  throw io::FormatError(spec.source, std::nullopt, message);
}

}  // namespace

BpeTokenizer::BpeTokenizer(const BpeTokenizerSpec& spec) {
  TokenId largest = -1;
  for (const auto& [piece, id] : spec.vocab) {
    if (id < 0) fail(spec, "vocabulary entry '" + piece + "' has negative id " + std::to_string(id));
    largest = std::max(largest, id);
  }
  for (const AddedToken& token : spec.added_tokens) {
    if (token.id < 0) fail(spec, "added token '" + token.content + "' has negative id " + std::to_string(token.id));
    if (token.content.empty()) fail(spec, "added token " + std::to_string(token.id) + " has empty content");
    largest = std::max(largest, token.id);
  }
  if (largest < 0) fail(spec, "the vocabulary is empty");
  const auto size = static_cast<std::size_t>(largest) + 1;
  pieces_.resize(size);
  bytes_.resize(size);
  special_.assign(size, false);

  StringMap<TokenId> whole_pieces;
  std::array<TokenId, 256> byte_tokens;
  byte_tokens.fill(-1);
  id_of_piece_.reserve(spec.vocab.size() + spec.added_tokens.size());
  for (const auto& [piece, id] : spec.vocab) {
    if (!pieces_[id].empty())
      fail(spec, "id " + std::to_string(id) + " is given to both '" + pieces_[id] + "' and '" + piece + "'");
    if (piece.empty()) fail(spec, "vocabulary entry with id " + std::to_string(id) + " is empty");
    if (!id_of_piece_.emplace(piece, id).second) fail(spec, "vocabulary entry '" + piece + "' appears twice");
    pieces_[id] = piece;
    // Spellings outside the byte map (rare) stand for their own UTF-8 bytes, as `tokenizers`' decoder does.
    std::optional<std::string> bytes = byte_level_unspell(piece);
    bytes_[id] = bytes ? *bytes : piece;
    if (bytes) {
      if (bytes->size() == 1) byte_tokens[static_cast<unsigned char>((*bytes)[0])] = id;
      if (spec.ignore_merges) whole_pieces.emplace(*bytes, id);
    }
  }

  std::vector<AddedToken> raw_added;
  std::vector<AddedToken> normalized_added;
  normalizer_ = TextNormalizer(spec.normalization);
  for (const AddedToken& token : spec.added_tokens) {
    if (!is_valid_utf8(token.content)) fail(spec, "added token " + std::to_string(token.id) + " is not valid UTF-8");
    pieces_[token.id] = token.content;
    bytes_[token.id] = token.content;
    special_[token.id] = token.special;
    id_of_piece_[token.content] = token.id;
    if (token.normalized && !normalizer_.empty()) {
      AddedToken normalized = token;
      normalized.content = normalizer_.normalize(token.content);
      // `tokenizers` knows such a token by its normalized text, and decodes it to that.
      pieces_[token.id] = normalized.content;
      bytes_[token.id] = normalized.content;
      normalized_added.push_back(std::move(normalized));
    } else if (token.normalized) {
      normalized_added.push_back(token);
    } else {
      raw_added.push_back(token);
    }
  }
  raw_matcher_ = AddedTokenMatcher(std::move(raw_added));
  normalized_matcher_ = AddedTokenMatcher(std::move(normalized_added));

  std::vector<BpeMerge> merges;
  merges.reserve(spec.merges.size());
  auto id_of = [&](const std::string& piece, std::size_t rank) {
    const auto it = id_of_piece_.find(piece);
    if (it == id_of_piece_.end())
      fail(spec, "merge #" + std::to_string(rank) + " ('" + spec.merges[rank].first + "' '" + spec.merges[rank].second +
                     "') needs '" + piece + "', which is not in the vocabulary");
    return it->second;
  };
  for (std::size_t rank = 0; rank < spec.merges.size(); ++rank) {
    const auto& [left, right] = spec.merges[rank];
    merges.push_back({id_of(left, rank), id_of(right, rank), id_of(left + right, rank)});
  }

  std::optional<TokenId> unknown;
  if (spec.unknown_piece) {
    const auto it = id_of_piece_.find(*spec.unknown_piece);
    if (it == id_of_piece_.end()) fail(spec, "unk_token '" + *spec.unknown_piece + "' is not in the vocabulary");
    unknown = it->second;
  }

  try {
    pre_tokenizer_ = PreTokenizer(spec.pre_tokenizer);
  } catch (const std::invalid_argument& error) {
    fail(spec, std::string("pre_tokenizer: ") + error.what());
  }
  model_ = std::make_unique<BpeModel>(byte_tokens, merges, unknown, spec.ignore_merges, std::move(whole_pieces));

  special_ids_ = spec.special_ids;
  for (std::optional<TokenId> id : {special_ids_.bos, special_ids_.eos, special_ids_.pad, special_ids_.unk})
    if (id && (*id < 0 || static_cast<std::size_t>(*id) >= size))
      fail(spec, "special token id " + std::to_string(*id) + " is outside the vocabulary of " + std::to_string(size));
}

BpeTokenizer::~BpeTokenizer() = default;

std::vector<TokenId> BpeTokenizer::encode(std::string_view text, bool allow_special) const {
  const std::size_t valid = valid_utf8_prefix(text);
  if (valid != text.size())
    throw std::invalid_argument("text to tokenize is not valid UTF-8 at byte " + std::to_string(valid));
  std::vector<TokenId> ids;
  ids.reserve(text.size() / 3 + 1);
  std::vector<TextSegment> segments;
  raw_matcher_.split(text, allow_special, segments);
  for (const TextSegment& segment : segments) {
    if (segment.is_token()) {
      ids.push_back(segment.token);
      continue;
    }
    const std::string_view piece = text.substr(segment.begin, segment.end - segment.begin);
    if (normalizer_.empty() && normalized_matcher_.empty()) {
      encode_text(piece, ids);
      continue;
    }
    const std::string normalized = normalizer_.normalize(piece);
    std::vector<TextSegment> inner;
    normalized_matcher_.split(normalized, allow_special, inner);
    for (const TextSegment& part : inner) {
      if (part.is_token())
        ids.push_back(part.token);
      else
        encode_text(std::string_view(normalized).substr(part.begin, part.end - part.begin), ids);
    }
  }
  return ids;
}

void BpeTokenizer::encode_text(std::string_view text, std::vector<TokenId>& out) const {
  std::vector<std::string_view> pieces;
  std::deque<std::string> storage;
  pre_tokenizer_.split(text, pieces, storage);
  for (std::string_view piece : pieces) model_->encode_piece(piece, out);
}

std::string_view BpeTokenizer::token_bytes(TokenId id) const {
  check_id(id);
  return bytes_[static_cast<std::size_t>(id)];
}

std::string_view BpeTokenizer::token_piece(TokenId id) const {
  check_id(id);
  return pieces_[static_cast<std::size_t>(id)];
}

std::optional<TokenId> BpeTokenizer::find_piece(std::string_view piece) const {
  const auto it = id_of_piece_.find(piece);
  if (it == id_of_piece_.end()) return std::nullopt;
  return it->second;
}

bool BpeTokenizer::is_special(TokenId id) const {
  check_id(id);
  return special_[static_cast<std::size_t>(id)];
}

}  // namespace linea::tokenizer
