// The on-disk form of a session's memory (recurrent states, KV cache) and of what it has read, so a
// long document is ingested once and reopened instantly. Full description: docs/state-file-format.md.
//
// Layout, format version 1; every integer little-endian, fixed width:
//
//   fixed prefix, 64 bytes
//     0   8  magic             "LINEASTF"
//     8   4  format version    u32, 1
//     12  4  flags             u32; bit 0: the payload is one zstd frame. Other bits must be 0.
//     16  8  header size H     u64, bytes of the header section
//     24  8  payload size P    u64, bytes of the payload as stored (compressed size when compressed)
//     32  8  payload raw size  u64, bytes of the blobs (= P when not compressed)
//     40  8  payload hash      u64, XXH3-64 (seed 0) of the P stored payload bytes
//     48  8  reserved          u64, 0
//     56  8  header hash       u64, XXH3-64 (seed 0) of bytes 0..55 followed by the header section
//   header section, H bytes
//     u32 architecture length, then its bytes (UTF-8, at most 256)
//     u32 fingerprint length, then its bytes (at most 256)
//     u64 token count
//     u64 stored token count (0, or equal to the token count), then that many i32 token ids
//     u32 blob count (at most 65536)
//     per blob: u32 name length, name bytes (at most 1024), u64 blob size
//   payload, P bytes: the blobs' bytes back to back in table order (or one zstd frame of them)
//   the file ends there: its size is exactly 64 + H + P.
//
// Loading checks, in this order, before trusting anything: the magic, the version, the flags, that
// the file holds the prefix and header section, the header hash, every count and size in the header
// (against fixed limits and the file size), the file size, and the payload hash. Each failure throws
// io::FormatError naming the file, with its own message (see docs/state-file-format.md).
//
// Saving is atomic (AtomicFileWriter) and streams: blob bytes go from the caller's buffers to the
// file (and through zstd when compressing) without an intermediate copy of the payload.
// Compression is off by default: session states are float tensors that zstd shrinks little (see
// the measurements in docs/state-file-format.md), so it costs time for a small saving.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace linea {

inline constexpr std::string_view state_file_magic = "LINEASTF";
inline constexpr std::uint32_t state_file_format_version = 1;
inline constexpr std::uint64_t state_file_prefix_size = 64;

struct StateFileHeader {
  std::string architecture;
  std::string model_fingerprint;
  std::uint64_t token_count = 0;
  std::vector<std::int32_t> tokens;  // optional: empty when not stored, else token_count ids
};

struct StateBlob {
  std::string name;
  std::vector<std::byte> bytes;
};

struct StateFile {
  StateFileHeader header;
  std::vector<StateBlob> blobs;
};

// A blob to save that lives in someone else's buffer (a session's state tensors): written from there.
struct StateBlobView {
  std::string_view name;
  std::span<const std::byte> bytes;
};

struct StateFileOptions {
  bool compress = false;  // one zstd frame over the payload
  int zstd_level = 1;
};

// Throws std::invalid_argument when the header breaks the format's limits (a name too long, tokens
// stored but not token_count of them, too many blobs), FileWriteError when the file cannot be written.
// The old file, if any, is untouched on failure.
void save_state_file(const std::filesystem::path& file, const StateFile& state, const StateFileOptions& options = {});
void save_state_file(const std::filesystem::path& file, const StateFileHeader& header,
                     std::span<const StateBlobView> blobs, const StateFileOptions& options = {});

// Reads and verifies everything. Throws io::FormatError for a bad file, std::runtime_error (naming the
// file and the system's reason) when it cannot be read at all.
StateFile load_state_file(const std::filesystem::path& file);

// Reads and verifies the prefix and header section only (and that the file has the size they
// announce); the payload is neither read nor checked. Cheap, for listing saved states.
StateFileHeader read_state_file_header(const std::filesystem::path& file);

class StateMismatchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws StateMismatchError ("state file X was made by model <fp> (<arch>), but the loaded model is
// <fp> (<arch>)") unless both the architecture and the fingerprint match.
void require_state_matches(const StateFileHeader& header, std::string_view architecture, std::string_view fingerprint,
                           const std::filesystem::path& file);

}  // namespace linea
