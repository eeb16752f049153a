#include "engine/io/open_weights.h"

#include "engine/io/format_error.h"
#include "engine/io/gguf.h"
#include "engine/io/gguf_types.h"
#include "engine/io/little_endian.h"
#include "engine/io/safetensors.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>
#include <vector>

namespace linea::io {
namespace {

// Up to the first 9 bytes of a file (a GGUF magic, or a safetensors header length and its '{').
std::vector<std::byte> first_bytes(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), path.string() + ": cannot open");
  std::vector<std::byte> bytes(9);
  const ssize_t got = ::read(fd, bytes.data(), bytes.size());
  const int read_error = errno;
  ::close(fd);
  if (got < 0) throw std::system_error(read_error, std::generic_category(), path.string() + ": cannot read");
  bytes.resize(static_cast<std::size_t>(got));
  return bytes;
}

WeightsLocation locate_in_folder(const std::filesystem::path& folder) {
  if (std::filesystem::exists(folder / kSafetensorsIndexName))
    return {WeightsFormat::safetensors_sharded, folder / kSafetensorsIndexName, folder};
  if (std::filesystem::exists(folder / "model.safetensors"))
    return {WeightsFormat::safetensors, folder / "model.safetensors", folder};
  std::vector<std::filesystem::path> ggufs;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.path().extension() == ".gguf") ggufs.push_back(entry.path());
  if (ggufs.size() == 1) return {WeightsFormat::gguf, ggufs.front(), folder};
  if (ggufs.size() > 1) {
    std::sort(ggufs.begin(), ggufs.end());
    throw FormatError(folder.string(), std::nullopt,
                      "the folder holds " + std::to_string(ggufs.size()) + " GGUF files (" +
                          ggufs[0].filename().string() + ", " + ggufs[1].filename().string() +
                          ", ...): name the one to open");
  }
  throw FormatError(
      folder.string(), std::nullopt,
      "no model weights here: expected model.safetensors.index.json, model.safetensors or one *.gguf file");
}

}  // namespace

std::string_view weights_format_name(WeightsFormat format) {
  switch (format) {
    case WeightsFormat::gguf: return "GGUF";
    case WeightsFormat::safetensors: return "safetensors";
    case WeightsFormat::safetensors_sharded: return "sharded safetensors";
  }
  return "?";
}

WeightsLocation locate_weights(const std::filesystem::path& file_or_dir) {
  if (std::filesystem::is_directory(file_or_dir)) return locate_in_folder(file_or_dir);
  const std::filesystem::path folder =
      file_or_dir.has_parent_path() ? file_or_dir.parent_path() : std::filesystem::path(".");
  const std::vector<std::byte> head = first_bytes(file_or_dir);
  if (head.size() >= 4 && load_le<std::uint32_t>(head.data()) == kGgufMagic)
    return {WeightsFormat::gguf, file_or_dir, folder};
  const std::string name = file_or_dir.filename().string();
  if (name.ends_with(".index.json")) return {WeightsFormat::safetensors_sharded, file_or_dir, folder};
  // safetensors has no magic: a plausible header length followed by the JSON object's '{'.
  if (file_or_dir.extension() == ".safetensors" ||
      (head.size() == 9 && load_le<std::uint64_t>(head.data()) <= kSafetensorsMaxHeaderBytes &&
       head[8] == std::byte{'{'}))
    return {WeightsFormat::safetensors, file_or_dir, folder};
  throw FormatError(file_or_dir.string(), 0,
                    "not model weights: neither a GGUF file (magic \"GGUF\") nor a safetensors file (an 8-byte "
                    "header length, then '{'), nor a *.index.json of a sharded checkpoint");
}

std::unique_ptr<TensorSource> open_weights(const std::filesystem::path& file_or_dir) {
  const WeightsLocation location = locate_weights(file_or_dir);
  switch (location.format) {
    case WeightsFormat::gguf: return GgufFile::open(location.file);
    case WeightsFormat::safetensors: return SafetensorsFile::open(location.file);
    case WeightsFormat::safetensors_sharded: return SafetensorsCheckpoint::open(location.file);
  }
  return nullptr;
}

}  // namespace linea::io
