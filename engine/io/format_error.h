// The error every reader throws for bad input: it names the file, the byte offset (when one applies)
// and what was expected versus found, so a user can tell exactly what is wrong with a file.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace linea::io {

class FormatError : public std::runtime_error {
 public:
  // what() reads "<file>: at byte <offset>: <message>" (the offset part only when given).
  FormatError(std::string file, std::optional<std::uint64_t> offset, std::string message);

  const std::string& file() const { return file_; }
  std::optional<std::uint64_t> offset() const { return offset_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  std::optional<std::uint64_t> offset_;
  std::string message_;
};

}  // namespace linea::io
