#include "engine/tokenizer/python_literal.h"

#include "engine/core/utf8.h"

#include <stdexcept>

namespace linea::tokenizer {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

[[noreturn]] void bad(std::string_view text, std::size_t at, const std::string& what) {
  throw std::invalid_argument(what + " at character " + std::to_string(at) + " of " + std::string(text));
}

// Decodes `body` (the text between the quotes). In a bytes literal, \x gives a byte and non-ASCII
// source text is an error; in a str literal, \x gives a code point and text passes through.
std::string parse_body(std::string_view body, bool is_bytes, std::string_view whole) {
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size();) {
    const char c = body[i];
    if (c != '\\') {
      if (is_bytes && static_cast<unsigned char>(c) >= 0x80) bad(whole, i, "non-ASCII character in a bytes literal");
      out += c;
      ++i;
      continue;
    }
    if (i + 1 >= body.size()) bad(whole, i, "backslash at the end");
    const char kind = body[i + 1];
    i += 2;
    auto read_hex = [&](std::size_t digits) {
      if (i + digits > body.size()) bad(whole, i, "truncated \\" + std::string(1, kind) + " escape");
      std::uint32_t value = 0;
      for (std::size_t k = 0; k < digits; ++k) {
        const int digit = hex_value(body[i + k]);
        if (digit < 0) bad(whole, i + k, "bad hex digit in \\" + std::string(1, kind) + " escape");
        value = value * 16 + static_cast<std::uint32_t>(digit);
      }
      i += digits;
      return value;
    };
    switch (kind) {
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\n': break;  // line continuation
      case 'x': {
        const std::uint32_t value = read_hex(2);
        if (is_bytes)
          out += static_cast<char>(value);
        else
          append_utf8(out, value);
        break;
      }
      case 'u':
      case 'U': {
        if (is_bytes) {  // not an escape in bytes: kept literally
          out += '\\';
          out += kind;
          break;
        }
        const std::uint32_t value = read_hex(kind == 'u' ? 4 : 8);
        if (value > 0x10FFFF) bad(whole, i, "code point above U+10FFFF");
        append_utf8(out, value);
        break;
      }
      default:
        if (kind >= '0' && kind <= '7') {
          std::uint32_t value = static_cast<std::uint32_t>(kind - '0');
          for (int k = 0; k < 2 && i < body.size() && body[i] >= '0' && body[i] <= '7'; ++k, ++i)
            value = value * 8 + static_cast<std::uint32_t>(body[i] - '0');
          if (is_bytes)
            out += static_cast<char>(value & 0xFF);
          else
            append_utf8(out, value);
        } else {
          // Python keeps an unknown escape as backslash + character.
          out += '\\';
          out += kind;
        }
    }
  }
  return out;
}

}  // namespace

std::string parse_python_literal(std::string_view literal) {
  std::size_t at = 0;
  bool is_bytes = false;
  if (at < literal.size() && (literal[at] == 'b' || literal[at] == 'B')) {
    is_bytes = true;
    ++at;
  }
  if (at >= literal.size() || (literal[at] != '\'' && literal[at] != '"')) bad(literal, at, "expected a quote");
  const char quote = literal[at];
  if (literal.size() < at + 2 || literal.back() != quote) bad(literal, literal.size(), "missing closing quote");
  const std::string_view body = literal.substr(at + 1, literal.size() - at - 2);
  // The closing quote must be the only unescaped quote of its kind.
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\')
      ++i;
    else if (body[i] == quote)
      bad(literal, at + 1 + i, "unescaped quote inside the literal");
  }
  if (!is_bytes && !is_valid_utf8(body)) bad(literal, at + 1, "str literal is not valid UTF-8");
  return parse_body(body, is_bytes, literal);
}

std::string parse_python_bytes_body(std::string_view body) { return parse_body(body, true, body); }

}  // namespace linea::tokenizer
