#include "engine/io/format_error.h"

namespace linea::io {
namespace {

std::string compose(const std::string& file, std::optional<std::uint64_t> offset, const std::string& message) {
  std::string text = file;
  if (offset) text += ": at byte " + std::to_string(*offset);
  return text + ": " + message;
}

}  // namespace

FormatError::FormatError(std::string file, std::optional<std::uint64_t> offset, std::string message)
    : std::runtime_error(compose(file, offset, message)),
      file_(std::move(file)),
      offset_(offset),
      message_(std::move(message)) {}

}  // namespace linea::io
