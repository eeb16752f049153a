#include "engine/io/json_file.h"

#include "engine/io/format_error.h"
#include "engine/io/mapped_file.h"

#include <algorithm>
#include <optional>
#include <unordered_set>
#include <vector>

namespace linea::io {
namespace {

using nlohmann::json;

struct LineColumn {
  std::size_t line;
  std::size_t column;
};

LineColumn line_and_column(std::string_view text, std::size_t index) {
  index = std::min(index, text.size());
  const std::string_view before = text.substr(0, index);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t last_newline = before.rfind('\n');
  const std::size_t column = last_newline == std::string_view::npos ? index + 1 : index - last_newline;
  return {line, column};
}

// nlohmann's what() reads "[json.exception.parse_error.101] parse error at line 1, column 2: <reason>";
// we report our own position, so keep only the reason.
std::string parser_reason(const std::string& what) {
  const std::size_t marker = what.find("column ");
  if (marker != std::string::npos) {
    const std::size_t colon = what.find(": ", marker);
    if (colon != std::string::npos) return what.substr(colon + 2);
  }
  const std::size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

// A SAX pass that only tracks the keys of every open object, to find the duplicates nlohmann's DOM
// parser would silently drop. (Cheaper than a DOM parser callback, which rescans each object.)
class DuplicateKeyCheck : public nlohmann::json_sax<json> {
 public:
  explicit DuplicateKeyCheck(const std::string& source) : source_(source) {}

  bool start_object(std::size_t /*elements*/) override {
    objects_.push_back({{}, pending_key_});
    pending_key_.clear();
    return true;
  }
  bool key(string_t& key) override {
    Object& object = objects_.back();
    if (!object.keys.insert(key).second) {
      const std::string where = object.name.empty() ? "the top-level object" : "object '" + object.name + "'";
      throw FormatError(source_, std::nullopt, "duplicate key '" + key + "' in " + where);
    }
    pending_key_ = key;
    return true;
  }
  bool end_object() override {
    objects_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*elements*/) override { return true; }
  bool end_array() override { return true; }
  bool null() override { return true; }
  bool boolean(bool /*value*/) override { return true; }
  bool number_integer(number_integer_t /*value*/) override { return true; }
  bool number_unsigned(number_unsigned_t /*value*/) override { return true; }
  bool number_float(number_float_t /*value*/, const string_t& /*text*/) override { return true; }
  bool string(string_t& /*value*/) override { return true; }
  bool binary(binary_t& /*value*/) override { return true; }
  // Syntax errors are reported by the DOM parse that follows, with their position.
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& /*error*/) override {
    return false;
  }

 private:
  struct Object {
    std::unordered_set<std::string> keys;
    std::string name;  // the key under which this object sits in its parent, for messages
  };
  const std::string& source_;
  std::vector<Object> objects_;
  std::string pending_key_;  // the last key read: names the next object if one starts
};

[[noreturn]] void fail_at(std::string_view text, std::size_t index, const std::string& source,
                          std::uint64_t base_offset, const std::string& reason) {
  const LineColumn position = line_and_column(text, index);
  throw FormatError(source, base_offset + index,
                    "invalid JSON at line " + std::to_string(position.line) + ", column " +
                        std::to_string(position.column) + ": " + reason);
}

}  // namespace

json parse_json(std::string_view text, const std::string& source, std::uint64_t base_offset) {
  // nlohmann stops at a NUL byte as if the input ended there, which would accept "{}\0garbage".
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos)
    fail_at(text, nul, source, base_offset, "a NUL byte (JSON text cannot contain one)");
  try {
    json value = json::parse(text.begin(), text.end());
    DuplicateKeyCheck check(source);
    json::sax_parse(text.begin(), text.end(), &check);
    return value;
  } catch (const json::parse_error& error) {
    // error.byte counts the characters read, the offending one included.
    const std::size_t index = error.byte == 0 ? 0 : static_cast<std::size_t>(error.byte - 1);
    fail_at(text, index, source, base_offset, parser_reason(error.what()));
  } catch (const json::out_of_range& error) {
    // A number too large for a double ("number overflow parsing '1e640'"): locate the literal.
    const std::string reason = parser_reason(error.what());
    const std::size_t open = reason.find('\''), close = reason.rfind('\'');
    const std::size_t at = open < close ? text.find(reason.substr(open + 1, close - open - 1)) : std::string_view::npos;
    if (at != std::string_view::npos) fail_at(text, at, source, base_offset, reason);
    throw FormatError(source, std::nullopt, "invalid JSON: " + reason);
  }
}

json read_json_file(const std::filesystem::path& path) {
  const MappedFile file = MappedFile::open(path);
  const std::string_view text(reinterpret_cast<const char*>(file.data()), static_cast<std::size_t>(file.size()));
  return parse_json(text, path.string());
}

}  // namespace linea::io
