#include "engine/io/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <limits>
#include <string>
#include <system_error>
#include <utility>

namespace linea::io {
namespace {

[[noreturn]] void throw_errno(int error, const std::filesystem::path& path, const char* step) {
  throw std::system_error(error, std::generic_category(), path.string() + ": cannot " + step);
}

// Closes the descriptor on every path out of open(); the mapping outlives it.
struct FileDescriptor {
  int fd = -1;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

MappedFile MappedFile::open(const std::filesystem::path& path) {
  FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) throw_errno(errno, path, "open");

  struct stat status {};
  if (::fstat(file.fd, &status) != 0) throw_errno(errno, path, "stat");
  if (S_ISDIR(status.st_mode)) throw_errno(EISDIR, path, "map");
  if (!S_ISREG(status.st_mode)) {
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            path.string() + ": cannot map: not a regular file");
  }
  const auto size = static_cast<std::uint64_t>(status.st_size);
  if (size == 0) return MappedFile(path, nullptr, 0);
  if (size > std::numeric_limits<std::size_t>::max()) throw_errno(EFBIG, path, "mmap");

  void* address = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, file.fd, 0);
  if (address == MAP_FAILED) throw_errno(errno, path, "mmap");
  return MappedFile(path, static_cast<const std::byte*>(address), size);
}

MappedFile::MappedFile(std::filesystem::path path, const std::byte* data, std::uint64_t size)
    : path_(std::move(path)), data_(data), size_(size) {}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : path_(std::move(other.path_)), data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    release();
    path_ = std::move(other.path_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() { release(); }

void MappedFile::drop_pages(const std::byte* first, std::size_t bytes) const noexcept {
  if (!holds(first, bytes)) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const std::uintptr_t begin = (reinterpret_cast<std::uintptr_t>(first) + page - 1) / page * page;
  const std::uintptr_t end = (reinterpret_cast<std::uintptr_t>(first) + bytes) / page * page;
  if (begin < end) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);  // advice: may be ignored
}

void MappedFile::release() noexcept {
  if (data_ != nullptr) ::munmap(const_cast<std::byte*>(data_), static_cast<std::size_t>(size_));
  data_ = nullptr;
  size_ = 0;
}

}  // namespace linea::io
