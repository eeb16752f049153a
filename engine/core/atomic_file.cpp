#include "engine/core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace linea {
namespace {

constexpr std::size_t buffer_capacity = std::size_t{1} << 20;
// Writes at least this large skip the buffer: copying them first would only cost time.
constexpr std::size_t direct_write_threshold = std::size_t{256} << 10;
constexpr int max_name_attempts = 64;

std::string compose(const std::filesystem::path& path, const std::string& action, int error_number) {
  std::string text = path.string() + ": " + action;
  if (error_number != 0) text += std::string(": ") + std::strerror(error_number);
  return text;
}

std::filesystem::path folder_of(const std::filesystem::path& target) {
  const std::filesystem::path parent = target.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

// A name that no other writer (this process or another) picks at the same moment; O_EXCL guarantees
// that a clash is detected rather than silently shared.
std::filesystem::path temporary_name(const std::filesystem::path& target, int attempt) {
  static std::atomic<std::uint64_t> counter{0};
  const auto ticks = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  const std::uint64_t mixed =
      (ticks * 0x9e3779b97f4a7c15ull) ^ (counter.fetch_add(1) << 20) ^ static_cast<std::uint64_t>(attempt);
  char suffix[64];
  std::snprintf(suffix, sizeof suffix, ".tmp-%ld-%012llx", static_cast<long>(::getpid()),
                static_cast<unsigned long long>(mixed & 0xffffffffffffull));
  return folder_of(target) / ("." + target.filename().string() + suffix);
}

}  // namespace

FileWriteError::FileWriteError(std::filesystem::path path, const std::string& action, int error_number)
    : std::runtime_error(compose(path, action, error_number)), path_(std::move(path)), error_number_(error_number) {}

AtomicFileWriter::AtomicFileWriter(std::filesystem::path target) : target_(std::move(target)) {
  if (target_.filename().empty()) throw FileWriteError(target_, "not a file name (the path ends in a separator)", 0);
  for (int attempt = 0; attempt < max_name_attempts; ++attempt) {
    std::filesystem::path candidate = temporary_name(target_, attempt);
    const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      fd_ = fd;
      temporary_ = std::move(candidate);
      buffer_.reserve(buffer_capacity);
      return;
    }
    if (errno == EINTR || errno == EEXIST) continue;
    throw FileWriteError(target_, "cannot create a temporary file in folder " + folder_of(target_).string(), errno);
  }
  throw FileWriteError(target_, "cannot find an unused temporary file name in " + folder_of(target_).string(), EEXIST);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (!committed_) discard();
}

void AtomicFileWriter::discard() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!temporary_.empty()) {
    ::unlink(temporary_.c_str());
    temporary_.clear();
  }
}

void AtomicFileWriter::fail(const std::string& action, int error_number) {
  const std::string temporary = temporary_.string();
  discard();
  throw FileWriteError(target_, action + " " + temporary, error_number);
}

void AtomicFileWriter::write_fully(const std::byte* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd_, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("cannot write to temporary file", errno);
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

void AtomicFileWriter::flush_buffer() {
  if (buffer_.empty()) return;
  write_fully(buffer_.data(), buffer_.size());
  buffer_.clear();
}

void AtomicFileWriter::write(std::span<const std::byte> bytes) {
  if (fd_ < 0) throw std::logic_error("AtomicFileWriter::write after commit or failure: " + target_.string());
  if (bytes.size() >= direct_write_threshold) {
    flush_buffer();
    write_fully(bytes.data(), bytes.size());
  } else {
    if (buffer_.size() + bytes.size() > buffer_capacity) flush_buffer();
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  }
  bytes_written_ += bytes.size();
}

void AtomicFileWriter::overwrite_at(std::uint64_t offset, std::span<const std::byte> bytes) {
  if (fd_ < 0) throw std::logic_error("AtomicFileWriter::overwrite_at after commit or failure: " + target_.string());
  if (offset > bytes_written_ || bytes.size() > bytes_written_ - offset)
    throw std::logic_error("AtomicFileWriter::overwrite_at past the written end of " + target_.string());
  flush_buffer();
  const std::byte* data = bytes.data();
  std::size_t size = bytes.size();
  auto position = static_cast<off_t>(offset);
  while (size > 0) {
    const ssize_t written = ::pwrite(fd_, data, size, position);
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("cannot write to temporary file", errno);
    }
    data += written;
    size -= static_cast<std::size_t>(written);
    position += written;
  }
}

void AtomicFileWriter::commit() {
  if (fd_ < 0) throw std::logic_error("AtomicFileWriter::commit twice or after failure: " + target_.string());
  flush_buffer();
  if (::fsync(fd_) != 0) fail("cannot fsync temporary file", errno);
  const int fd = std::exchange(fd_, -1);
  // close() can report a deferred write error (NFS, quota); a file that failed to close is not trusted.
  if (::close(fd) != 0) fail("cannot close temporary file", errno);
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) fail("cannot replace it with temporary file", errno);
  temporary_.clear();
  committed_ = true;

  const std::filesystem::path folder = folder_of(target_);
  const int folder_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder_fd < 0)
    throw FileWriteError(target_, "written, but cannot open folder " + folder.string() + " to make the rename durable",
                         errno);
  const int synced = ::fsync(folder_fd);
  const int sync_error = errno;
  ::close(folder_fd);
  // Some filesystems cannot fsync a folder (EINVAL); there the rename is as durable as they allow.
  if (synced != 0 && sync_error != EINVAL)
    throw FileWriteError(target_, "written, but cannot fsync folder " + folder.string() + " to make the rename durable",
                         sync_error);
}

void write_file_atomically(const std::filesystem::path& target, const std::function<void(AtomicFileWriter&)>& produce) {
  AtomicFileWriter writer(target);
  produce(writer);
  writer.commit();
}

}  // namespace linea
