// The fuzz input as a file the readers can open (they take paths and memory-map them): one memfd
// per process, rewritten for every input, opened through /proc/self/fd.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace linea::fuzz {

inline std::filesystem::path in_memory_file(const std::uint8_t* data, std::size_t size) {
  static const int fd = [] {
    const int created = ::memfd_create("linea-fuzz-input", MFD_CLOEXEC);
    if (created < 0) std::abort();
    return created;
  }();
  if (::ftruncate(fd, 0) != 0) std::abort();
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::pwrite(fd, data + written, size - written, static_cast<off_t>(written));
    if (n <= 0) std::abort();
    written += static_cast<std::size_t>(n);
  }
  return "/proc/self/fd/" + std::to_string(fd);
}

}  // namespace linea::fuzz
