// A read-only memory map of a whole file (POSIX mmap). Model weights are read straight from the
// mapping: opening a multi-GB checkpoint copies nothing and reads only the pages that are touched.
//
//   linea::io::MappedFile file = linea::io::MappedFile::open("model.safetensors");
//   std::span<const std::byte> bytes = file.bytes();  // valid until `file` is destroyed or moved from
//
// Sizes are 64-bit throughout, so files larger than 4 GiB map whole. An empty file maps to an empty
// span (mmap itself refuses a zero length). Failures throw std::system_error whose what() names the
// path, the step that failed (open, stat, mmap) and the errno text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>

namespace linea::io {

class MappedFile {
 public:
  static MappedFile open(const std::filesystem::path& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const std::byte* data() const { return data_; }
  std::uint64_t size() const { return size_; }
  std::span<const std::byte> bytes() const { return {data_, static_cast<std::size_t>(size_)}; }
  const std::filesystem::path& path() const { return path_; }

  // Whether [first, first + bytes) lies in this mapping.
  bool holds(const std::byte* first, std::size_t bytes) const {
    return data_ != nullptr && first >= data_ && bytes <= size_ &&
           first - data_ <= static_cast<std::ptrdiff_t>(size_ - bytes);
  }
  // Drops the whole pages inside [first, first + bytes), a range this mapping holds, from the
  // process's memory; read again, they come back from the file (the mapping is never written).
  void drop_pages(const std::byte* first, std::size_t bytes) const noexcept;

 private:
  MappedFile(std::filesystem::path path, const std::byte* data, std::uint64_t size);
  void release() noexcept;

  std::filesystem::path path_;
  const std::byte* data_ = nullptr;
  std::uint64_t size_ = 0;
};

}  // namespace linea::io
