// Writes a file so that readers (and a crash or power cut) see either the whole old file or the whole
// new one, never a mixture: the bytes go to a temporary file beside the target (same folder, so the
// final rename stays on one filesystem), which is fsync'ed, renamed over the target, and then the
// folder is fsync'ed so the rename itself is durable.
//
// Two ways to use it:
//
//   // 1. A producer callback: commits when it returns, discards when it throws.
//   linea::write_file_atomically(path, [&](linea::AtomicFileWriter& out) {
//     out.write(header_bytes);
//     out.write(payload_bytes);
//   });
//
//   // 2. The RAII writer itself: nothing replaces the target until commit(); the destructor of an
//   //    uncommitted writer removes the temporary file and leaves the target untouched.
//   linea::AtomicFileWriter out(path);
//   out.write(bytes);
//   out.commit();
//
// Every failure throws FileWriteError naming the path and the operating system's reason.
// POSIX only (open/fsync/rename); not thread-safe (one writer per thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace linea {

class FileWriteError : public std::runtime_error {
 public:
  // what() reads "<path>: <action>: <strerror(error_number)>" (the last part only when error_number != 0).
  FileWriteError(std::filesystem::path path, const std::string& action, int error_number);

  const std::filesystem::path& path() const { return path_; }
  int error_number() const { return error_number_; }

 private:
  std::filesystem::path path_;
  int error_number_;
};

class AtomicFileWriter {
 public:
  // Creates a uniquely named temporary file in the target's folder. Throws FileWriteError when the
  // folder is missing, not a folder, or not writable.
  explicit AtomicFileWriter(std::filesystem::path target);
  // An uncommitted writer removes its temporary file; the target is left as it was.
  ~AtomicFileWriter();

  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  // Appends bytes. Small writes are buffered; large ones go straight to the file (no extra copy).
  // A failed write discards the temporary file at once; the writer cannot be used after that.
  void write(std::span<const std::byte> bytes);
  void write(std::string_view text) { write(std::as_bytes(std::span(text.data(), text.size()))); }

  // Replaces already written bytes at `offset` (offset + size must not pass bytes_written()): lets a
  // caller stream a body and then fill in a header field (a size or checksum) known only at the end.
  void overwrite_at(std::uint64_t offset, std::span<const std::byte> bytes);

  std::uint64_t bytes_written() const { return bytes_written_; }
  const std::filesystem::path& target() const { return target_; }
  const std::filesystem::path& temporary_path() const { return temporary_; }

  // Flushes, fsyncs the file, renames it over the target, fsyncs the folder. After a failure the
  // temporary file is removed and the target is untouched (unless only the folder fsync failed, in
  // which case the new content is in place but its durability is not guaranteed; the error says so).
  void commit();

 private:
  void flush_buffer();
  void write_fully(const std::byte* data, std::size_t size);
  void discard() noexcept;
  // Removes the temporary file (the target stays as it was) and throws FileWriteError.
  [[noreturn]] void fail(const std::string& action, int error_number);

  std::filesystem::path target_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  bool committed_ = false;
  std::uint64_t bytes_written_ = 0;
  std::vector<std::byte> buffer_;
};

// Runs `produce` on a fresh writer and commits when it returns normally. When `produce` throws, the
// temporary file is removed, the target is untouched, and the exception propagates unchanged.
void write_file_atomically(const std::filesystem::path& target, const std::function<void(AtomicFileWriter&)>& produce);

}  // namespace linea
