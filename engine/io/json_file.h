// Reading JSON (config.json, tokenizer files, safetensors headers, shard indexes) with errors that say
// where: the file, the byte offset, the line and column, and what the parser expected there.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace linea::io {

// Parses `text` as exactly one JSON value (trailing whitespace allowed, nothing else). Duplicate keys
// in any object are rejected: nlohmann would silently keep the last one, hiding a corrupt file.
// Throws FormatError naming `source`, the byte offset (`base_offset` + index into `text`) and the
// line and column; strings must be valid UTF-8.
nlohmann::json parse_json(std::string_view text, const std::string& source, std::uint64_t base_offset = 0);

// Reads and parses a whole file. Throws std::system_error when it cannot be read, FormatError when it
// is not valid JSON.
nlohmann::json read_json_file(const std::filesystem::path& path);

}  // namespace linea::io
