#include "engine/tokenizer/rwkv_world_tokenizer.h"

#include "engine/io/format_error.h"
#include "engine/tokenizer/python_literal.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace linea::tokenizer {
namespace {

// A trie under construction: children in ordered maps, flattened afterwards.
struct BuildNode {
  TokenId token = -1;
  std::map<std::uint8_t, std::uint32_t> children;
};

std::string hex_byte(unsigned char byte) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[byte >> 4] + kDigits[byte & 15];
}

}  // namespace

RwkvWorldTokenizer::RwkvWorldTokenizer(std::vector<RwkvToken> tokens, std::string source) : tokens_(std::move(tokens)) {
  if (tokens_.empty() || !tokens_[0].special)
    throw io::FormatError(source, std::nullopt, "token 0 must be the end-of-document control token");
  std::vector<BuildNode> build(1);
  for (std::size_t id = 0; id < tokens_.size(); ++id) {
    const RwkvToken& token = tokens_[id];
    if (token.special || !token.matchable || token.bytes.empty()) continue;
    std::uint32_t node = 0;
    for (char c : token.bytes) {
      const auto byte = static_cast<std::uint8_t>(c);
      auto it = build[node].children.find(byte);
      if (it == build[node].children.end()) {
        build.emplace_back();
        it = build[node].children.emplace(byte, static_cast<std::uint32_t>(build.size() - 1)).first;
      }
      node = it->second;
    }
    if (build[node].token >= 0)
      throw io::FormatError(
          source, std::nullopt,
          "tokens " + std::to_string(build[node].token) + " and " + std::to_string(id) + " stand for the same bytes");
    build[node].token = static_cast<TokenId>(id);
  }
  nodes_.resize(build.size());
  for (std::size_t i = 0; i < build.size(); ++i) {
    nodes_[i].token = build[i].token;
    nodes_[i].first_edge = static_cast<std::uint32_t>(edges_.size());
    nodes_[i].edge_count = static_cast<std::uint32_t>(build[i].children.size());
    for (const auto& [byte, child] : build[i].children) edges_.push_back({byte, child});
  }
  special_ids_.bos = 0;
  special_ids_.eos = 0;
  special_ids_.add_end_of_generation(0);
}

RwkvWorldTokenizer::~RwkvWorldTokenizer() = default;

std::unique_ptr<RwkvWorldTokenizer> RwkvWorldTokenizer::from_vocab_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw io::FormatError(path.string(), std::nullopt, "cannot open the RWKV vocabulary file");
  std::ostringstream content;
  content << file.rdbuf();
  return from_vocab_text(content.str(), path.string());
}

std::unique_ptr<RwkvWorldTokenizer> RwkvWorldTokenizer::from_vocab_text(std::string_view text,
                                                                        const std::string& source) {
  std::vector<RwkvToken> tokens(1);
  tokens[0].special = true;  // end-of-document, not in the file
  std::size_t line_start = 0;
  std::size_t line_number = 0;
  while (line_start < text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    std::string_view line = text.substr(line_start, line_end - line_start);
    ++line_number;
    const std::size_t offset = line_start;
    line_start = line_end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto fail = [&](const std::string& message) -> void {
      throw io::FormatError(source, offset, "line " + std::to_string(line_number) + ": " + message);
    };
    const std::size_t first_space = line.find(' ');
    const std::size_t last_space = line.rfind(' ');
    if (first_space == std::string_view::npos || first_space == last_space)
      fail("expected '<id> <literal> <byte length>'");
    long long id = 0;
    long long length = 0;
    const std::string_view id_text = line.substr(0, first_space);
    const std::string_view length_text = line.substr(last_space + 1);
    if (std::from_chars(id_text.data(), id_text.data() + id_text.size(), id).ptr != id_text.data() + id_text.size() ||
        id <= 0 || id > 1'000'000)
      fail("bad token id '" + std::string(id_text) + "'");
    if (std::from_chars(length_text.data(), length_text.data() + length_text.size(), length).ptr !=
            length_text.data() + length_text.size() ||
        length <= 0)
      fail("bad byte length '" + std::string(length_text) + "'");
    const std::string_view literal = line.substr(first_space + 1, last_space - first_space - 1);
    std::string bytes;
    try {
      bytes = parse_python_literal(literal);
    } catch (const std::invalid_argument& error) {
      fail(error.what());
    }
    if (static_cast<long long>(bytes.size()) != length)
      fail("the literal is " + std::to_string(bytes.size()) + " bytes but the line says " + std::to_string(length));
    if (static_cast<std::size_t>(id) < tokens.size() && !tokens[static_cast<std::size_t>(id)].bytes.empty())
      fail("token id " + std::to_string(id) + " appears twice");
    if (static_cast<std::size_t>(id) >= tokens.size()) tokens.resize(static_cast<std::size_t>(id) + 1);
    tokens[static_cast<std::size_t>(id)].piece = bytes;
    tokens[static_cast<std::size_t>(id)].bytes = std::move(bytes);
  }
  if (tokens.size() == 1) throw io::FormatError(source, std::nullopt, "the RWKV vocabulary has no tokens");
  return std::make_unique<RwkvWorldTokenizer>(std::move(tokens), source);
}

std::vector<TokenId> RwkvWorldTokenizer::encode(std::string_view text, bool) const {
  std::vector<TokenId> ids;
  ids.reserve(text.size() / 3 + 1);
  std::size_t pos = 0;
  while (pos < text.size()) {
    // Walk the trie as far as the text allows, remembering the longest token passed.
    std::uint32_t node = 0;
    TokenId best = -1;
    std::size_t best_end = pos;
    for (std::size_t i = pos; i < text.size(); ++i) {
      const Node& current = nodes_[node];
      const auto byte = static_cast<std::uint8_t>(text[i]);
      const Edge* first = edges_.data() + current.first_edge;
      const Edge* last = first + current.edge_count;
      const Edge* edge = std::lower_bound(first, last, byte, [](const Edge& e, std::uint8_t b) { return e.byte < b; });
      if (edge == last || edge->byte != byte) break;
      node = edge->node;
      if (nodes_[node].token >= 0) {
        best = nodes_[node].token;
        best_end = i + 1;
      }
    }
    if (best < 0)
      throw std::invalid_argument("byte " + hex_byte(static_cast<unsigned char>(text[pos])) + " at offset " +
                                  std::to_string(pos) + " has no token in the RWKV vocabulary");
    ids.push_back(best);
    pos = best_end;
  }
  return ids;
}

std::string_view RwkvWorldTokenizer::token_bytes(TokenId id) const {
  check_id(id);
  const RwkvToken& token = tokens_[static_cast<std::size_t>(id)];
  return token.special ? std::string_view(token.piece) : std::string_view(token.bytes);
}

std::string_view RwkvWorldTokenizer::token_piece(TokenId id) const {
  check_id(id);
  return tokens_[static_cast<std::size_t>(id)].piece;
}

std::optional<TokenId> RwkvWorldTokenizer::find_piece(std::string_view piece) const {
  for (std::size_t id = 0; id < tokens_.size(); ++id)
    if (!tokens_[id].piece.empty() && tokens_[id].piece == piece) return static_cast<TokenId>(id);
  return std::nullopt;
}

bool RwkvWorldTokenizer::is_special(TokenId id) const {
  check_id(id);
  return tokens_[static_cast<std::size_t>(id)].special;
}

}  // namespace linea::tokenizer
