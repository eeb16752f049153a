#include "engine/runtime/state_file.h"

#include "engine/core/atomic_file.h"
#include "engine/io/format_error.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>

namespace linea {
namespace {

constexpr std::uint32_t flag_zstd_payload = 1u;
constexpr std::uint32_t known_flags = flag_zstd_payload;

constexpr std::uint32_t max_architecture_bytes = 256;
constexpr std::uint32_t max_fingerprint_bytes = 256;
constexpr std::uint32_t max_blob_name_bytes = 1024;
constexpr std::uint32_t max_blob_count = 65536;
constexpr std::uint64_t max_header_bytes = std::uint64_t{1} << 30;  // 256 Mi stored tokens
constexpr std::uint64_t max_token_count = std::uint64_t{1} << 40;
// A compressed payload's raw size cannot be checked against the file size; this bounds what a
// corrupt or hostile header can make us allocate.
constexpr std::uint64_t max_payload_raw_bytes = std::uint64_t{1} << 40;

// Prefix field offsets (see the table in state_file.h).
constexpr std::size_t at_version = 8;
constexpr std::size_t at_flags = 12;
constexpr std::size_t at_header_size = 16;
constexpr std::size_t at_payload_size = 24;
constexpr std::size_t at_payload_raw_size = 32;
constexpr std::size_t at_payload_hash = 40;
constexpr std::size_t at_reserved = 48;
constexpr std::size_t at_header_hash = 56;
static_assert(at_header_hash + 8 == state_file_prefix_size);

using Prefix = std::array<std::byte, state_file_prefix_size>;

void store_u32(std::byte* out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::byte>(value >> (8 * i));
}
void store_u64(std::byte* out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::byte>(value >> (8 * i));
}
std::uint32_t load_u32(const std::byte* in) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<std::uint32_t>(in[i]) << (8 * i);
  return value;
}
std::uint64_t load_u64(const std::byte* in) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= static_cast<std::uint64_t>(in[i]) << (8 * i);
  return value;
}

std::string hex64(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

struct Xxh3StateDeleter {
  void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
};
using Xxh3State = std::unique_ptr<XXH3_state_t, Xxh3StateDeleter>;

Xxh3State new_hash_state() {
  Xxh3State state(XXH3_createState());
  if (!state) throw std::bad_alloc();
  XXH3_64bits_reset(state.get());
  return state;
}

// The header hash covers the prefix up to (not including) itself, then the header section.
std::uint64_t header_hash(const Prefix& prefix, std::span<const std::byte> section) {
  const Xxh3State state = new_hash_state();
  XXH3_64bits_update(state.get(), prefix.data(), at_header_hash);
  XXH3_64bits_update(state.get(), section.data(), section.size());
  return XXH3_64bits_digest(state.get());
}

// ---- writing ----

class SectionWriter {
 public:
  void u32(std::uint32_t value) {
    std::byte b[4];
    store_u32(b, value);
    bytes_.insert(bytes_.end(), b, b + 4);
  }
  void u64(std::uint64_t value) {
    std::byte b[8];
    store_u64(b, value);
    bytes_.insert(bytes_.end(), b, b + 8);
  }
  void text(std::string_view value) {
    u32(static_cast<std::uint32_t>(value.size()));
    const auto* data = reinterpret_cast<const std::byte*>(value.data());
    bytes_.insert(bytes_.end(), data, data + value.size());
  }
  const std::vector<std::byte>& bytes() const { return bytes_; }

 private:
  std::vector<std::byte> bytes_;
};

void require_within(std::size_t size, std::uint32_t limit, const std::string& what) {
  if (size > limit)
    throw std::invalid_argument("state file: " + what + " is " + std::to_string(size) +
                                " bytes, more than the limit of " + std::to_string(limit));
}

std::vector<std::byte> encode_header_section(const StateFileHeader& header, std::span<const StateBlobView> blobs) {
  require_within(header.architecture.size(), max_architecture_bytes, "the architecture name");
  require_within(header.model_fingerprint.size(), max_fingerprint_bytes, "the model fingerprint");
  if (!header.tokens.empty() && header.tokens.size() != header.token_count)
    throw std::invalid_argument("state file: " + std::to_string(header.tokens.size()) +
                                " tokens stored but token_count is " + std::to_string(header.token_count));
  if (header.token_count > max_token_count)
    throw std::invalid_argument("state file: token_count " + std::to_string(header.token_count) + " is absurd");
  if (blobs.size() > max_blob_count)
    throw std::invalid_argument("state file: " + std::to_string(blobs.size()) + " blobs, more than the limit of " +
                                std::to_string(max_blob_count));

  SectionWriter section;
  section.text(header.architecture);
  section.text(header.model_fingerprint);
  section.u64(header.token_count);
  section.u64(header.tokens.size());
  for (std::int32_t token : header.tokens) section.u32(static_cast<std::uint32_t>(token));
  section.u32(static_cast<std::uint32_t>(blobs.size()));
  for (const StateBlobView& blob : blobs) {
    require_within(blob.name.size(), max_blob_name_bytes, "the blob name \"" + std::string(blob.name) + "\"");
    section.text(blob.name);
    section.u64(blob.bytes.size());
  }
  if (section.bytes().size() > max_header_bytes)
    throw std::invalid_argument("state file: the header section would be " + std::to_string(section.bytes().size()) +
                                " bytes, more than the limit of " + std::to_string(max_header_bytes));
  return section.bytes();
}

struct ZstdCStreamDeleter {
  void operator()(ZSTD_CStream* stream) const { ZSTD_freeCStream(stream); }
};

// Streams blobs into the writer, raw or through zstd; returns the stored payload size and its hash.
struct PayloadSummary {
  std::uint64_t stored_size = 0;
  std::uint64_t hash = 0;
};

PayloadSummary write_payload(AtomicFileWriter& out, std::span<const StateBlobView> blobs,
                             const StateFileOptions& options) {
  Xxh3State hash = new_hash_state();
  const std::uint64_t start = out.bytes_written();
  auto emit = [&](std::span<const std::byte> bytes) {
    XXH3_64bits_update(hash.get(), bytes.data(), bytes.size());
    out.write(bytes);
  };

  if (!options.compress) {
    for (const StateBlobView& blob : blobs) emit(blob.bytes);
  } else {
    std::unique_ptr<ZSTD_CStream, ZstdCStreamDeleter> stream(ZSTD_createCStream());
    if (!stream) throw std::bad_alloc();
    auto check = [&](std::size_t code) {
      if (ZSTD_isError(code))
        throw std::runtime_error(out.target().string() + ": zstd compression failed: " + ZSTD_getErrorName(code));
      return code;
    };
    check(ZSTD_CCtx_setParameter(stream.get(), ZSTD_c_compressionLevel, options.zstd_level));
    // The content size in the frame lets a reader cross-check the blob table.
    std::uint64_t raw_size = 0;
    for (const StateBlobView& blob : blobs) raw_size += blob.bytes.size();
    check(ZSTD_CCtx_setPledgedSrcSize(stream.get(), raw_size));
    std::vector<std::byte> chunk(ZSTD_CStreamOutSize());
    auto pump = [&](ZSTD_inBuffer& input, ZSTD_EndDirective directive) {
      for (;;) {
        ZSTD_outBuffer output{chunk.data(), chunk.size(), 0};
        const std::size_t remaining = check(ZSTD_compressStream2(stream.get(), &output, &input, directive));
        if (output.pos > 0) emit(std::span(chunk.data(), output.pos));
        const bool done = directive == ZSTD_e_end ? remaining == 0 : input.pos == input.size;
        if (done) return;
      }
    };
    for (const StateBlobView& blob : blobs) {
      ZSTD_inBuffer input{blob.bytes.data(), blob.bytes.size(), 0};
      pump(input, ZSTD_e_continue);
    }
    ZSTD_inBuffer empty{nullptr, 0, 0};
    pump(empty, ZSTD_e_end);
  }
  return {out.bytes_written() - start, XXH3_64bits_digest(hash.get())};
}

// ---- reading ----

[[noreturn]] void fail(const std::filesystem::path& file, std::optional<std::uint64_t> offset,
                       const std::string& message) {
  throw io::FormatError(file.string(), offset, message);
}

[[noreturn]] void fail_truncated(const std::filesystem::path& file, std::uint64_t expected, std::uint64_t found) {
  fail(file, std::nullopt,
       "truncated: expected " + std::to_string(expected) + " bytes, found " + std::to_string(found));
}

class InputFile {
 public:
  explicit InputFile(std::filesystem::path path) : path_(std::move(path)) {
    descriptor_.fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor_.fd < 0) system_failure("cannot open state file", errno);
    struct stat info {};
    if (::fstat(descriptor_.fd, &info) != 0) system_failure("cannot stat state file", errno);
    if (!S_ISREG(info.st_mode)) fail(path_, std::nullopt, "not a regular file");
    size_ = static_cast<std::uint64_t>(info.st_size);
  }

  std::uint64_t size() const { return size_; }
  const std::filesystem::path& path() const { return path_; }

  void read_exact(std::uint64_t offset, std::span<std::byte> out) const {
    std::size_t done = 0;
    while (done < out.size()) {
      const ssize_t got =
          ::pread(descriptor_.fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
      if (got < 0) {
        if (errno == EINTR) continue;
        system_failure("cannot read state file", errno);
      }
      // The file shrank after we measured it (another process truncating it).
      if (got == 0) fail_truncated(path_, offset + out.size(), offset + done);
      done += static_cast<std::size_t>(got);
    }
  }

 private:
  // A member, so the descriptor is closed even when the constructor throws.
  struct Descriptor {
    int fd = -1;
    Descriptor() = default;
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor() {
      if (fd >= 0) ::close(fd);
    }
  };

  [[noreturn]] void system_failure(const std::string& action, int error_number) const {
    throw std::runtime_error(path_.string() + ": " + action + ": " + std::strerror(error_number));
  }

  std::filesystem::path path_;
  Descriptor descriptor_;
  std::uint64_t size_ = 0;
};

// Bounds-checked little-endian reader over the header section; offsets in errors are file offsets.
class SectionReader {
 public:
  SectionReader(std::span<const std::byte> bytes, const std::filesystem::path& file) : bytes_(bytes), file_(file) {}

  std::uint32_t u32(const char* what) { return load_u32(take(4, what).data()); }
  std::uint64_t u64(const char* what) { return load_u64(take(8, what).data()); }
  std::string text(const char* what, std::uint32_t limit) {
    const std::uint64_t at = offset();
    const std::uint32_t length = u32(what);
    if (length > limit)
      fail(file_, at,
           std::string(what) + " is " + std::to_string(length) + " bytes long, more than the limit of " +
               std::to_string(limit) + " (absurd length)");
    const auto bytes = take(length, what);
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  std::span<const std::byte> take(std::uint64_t count, const char* what) {
    if (count > bytes_.size() - position_)
      fail(file_, offset(),
           std::string(what) + " needs " + std::to_string(count) + " bytes but the header section has only " +
               std::to_string(bytes_.size() - position_) + " left");
    const auto result = bytes_.subspan(position_, count);
    position_ += count;
    return result;
  }
  std::uint64_t offset() const { return state_file_prefix_size + position_; }
  std::size_t remaining() const { return bytes_.size() - position_; }

 private:
  std::span<const std::byte> bytes_;
  const std::filesystem::path& file_;
  std::size_t position_ = 0;
};

struct BlobEntry {
  std::string name;
  std::uint64_t size = 0;
};

struct ParsedHeader {
  StateFileHeader header;
  std::vector<BlobEntry> blobs;
  bool compressed = false;
  std::uint64_t payload_size = 0;
  std::uint64_t payload_raw_size = 0;
  std::uint64_t payload_hash = 0;
};

// Everything up to the payload: validated and parsed.
ParsedHeader read_header(const InputFile& input) {
  const std::filesystem::path& file = input.path();
  const std::uint64_t size = input.size();

  Prefix prefix{};
  const std::size_t magic_size = state_file_magic.size();
  const std::size_t have = static_cast<std::size_t>(std::min<std::uint64_t>(size, prefix.size()));
  input.read_exact(0, std::span(prefix.data(), have));
  const bool magic_matches = std::memcmp(prefix.data(), state_file_magic.data(), std::min(have, magic_size)) == 0;
  if (!magic_matches)
    fail(file, 0, "not a Linea state file (it does not start with \"" + std::string(state_file_magic) + "\")");
  if (have < prefix.size()) fail_truncated(file, prefix.size(), size);

  const std::uint32_t version = load_u32(prefix.data() + at_version);
  if (version != state_file_format_version)
    fail(file, at_version,
         "unsupported state file format version " + std::to_string(version) + " (this build reads version " +
             std::to_string(state_file_format_version) +
             (version > state_file_format_version ? "; the file was made by a newer Linea)" : ")"));

  ParsedHeader parsed;
  const std::uint32_t flags = load_u32(prefix.data() + at_flags);
  if ((flags & ~known_flags) != 0)
    fail(file, at_flags, "unknown flags 0x" + hex64(flags).substr(8) + " (this build knows only bit 0, zstd payload)");
  parsed.compressed = (flags & flag_zstd_payload) != 0;

  const std::uint64_t header_size = load_u64(prefix.data() + at_header_size);
  parsed.payload_size = load_u64(prefix.data() + at_payload_size);
  parsed.payload_raw_size = load_u64(prefix.data() + at_payload_raw_size);
  parsed.payload_hash = load_u64(prefix.data() + at_payload_hash);
  if (header_size > max_header_bytes)
    fail(file, at_header_size,
         "header size " + std::to_string(header_size) + " is absurd (limit " + std::to_string(max_header_bytes) + ")");
  // Sizes are capped before adding them so the expected total cannot overflow.
  const std::uint64_t payload_for_total = std::min(parsed.payload_size, std::uint64_t{1} << 62);
  const std::uint64_t expected_total = prefix.size() + header_size + payload_for_total;
  if (size < prefix.size() + header_size) fail_truncated(file, expected_total, size);

  std::vector<std::byte> section(header_size);
  input.read_exact(prefix.size(), section);
  const std::uint64_t stored_header_hash = load_u64(prefix.data() + at_header_hash);
  const std::uint64_t computed_header_hash = header_hash(prefix, section);
  if (stored_header_hash != computed_header_hash)
    fail(file, at_header_hash,
         "header checksum mismatch: the header is corrupted (stored XXH3-64 " + hex64(stored_header_hash) +
             ", computed " + hex64(computed_header_hash) + ")");

  // From here the header is what the writer wrote; the checks below catch a writer that broke the rules.
  if (load_u64(prefix.data() + at_reserved) != 0) fail(file, at_reserved, "reserved field is not 0");
  if (parsed.payload_size > (std::uint64_t{1} << 62))
    fail(file, at_payload_size, "payload size " + std::to_string(parsed.payload_size) + " is absurd");
  if (parsed.payload_raw_size > max_payload_raw_bytes)
    fail(file, at_payload_raw_size,
         "payload raw size " + std::to_string(parsed.payload_raw_size) + " is absurd (limit " +
             std::to_string(max_payload_raw_bytes) + ")");
  if (!parsed.compressed && parsed.payload_raw_size != parsed.payload_size)
    fail(file, at_payload_raw_size,
         "uncompressed payload: raw size " + std::to_string(parsed.payload_raw_size) + " differs from stored size " +
             std::to_string(parsed.payload_size));

  SectionReader reader(section, file);
  StateFileHeader& header = parsed.header;
  header.architecture = reader.text("architecture name", max_architecture_bytes);
  header.model_fingerprint = reader.text("model fingerprint", max_fingerprint_bytes);
  const std::uint64_t token_count_at = reader.offset();
  header.token_count = reader.u64("token count");
  if (header.token_count > max_token_count)
    fail(file, token_count_at, "token count " + std::to_string(header.token_count) + " is absurd");
  const std::uint64_t stored_tokens_at = reader.offset();
  const std::uint64_t stored_tokens = reader.u64("stored token count");
  if (stored_tokens != 0 && stored_tokens != header.token_count)
    fail(file, stored_tokens_at,
         "stores " + std::to_string(stored_tokens) + " tokens, expected 0 or the token count " +
             std::to_string(header.token_count));
  if (stored_tokens > reader.remaining() / 4)
    fail(file, stored_tokens_at,
         "stored token count " + std::to_string(stored_tokens) + " does not fit in the header section");
  const auto token_bytes = reader.take(stored_tokens * 4, "stored tokens");
  header.tokens.resize(stored_tokens);
  for (std::size_t i = 0; i < stored_tokens; ++i)
    header.tokens[i] = static_cast<std::int32_t>(load_u32(token_bytes.data() + 4 * i));

  const std::uint64_t blob_count_at = reader.offset();
  const std::uint32_t blob_count = reader.u32("blob count");
  if (blob_count > max_blob_count)
    fail(file, blob_count_at,
         "blob count " + std::to_string(blob_count) + " is absurd (limit " + std::to_string(max_blob_count) + ")");
  std::uint64_t blob_total = 0;
  parsed.blobs.reserve(blob_count);
  for (std::uint32_t i = 0; i < blob_count; ++i) {
    BlobEntry entry;
    entry.name = reader.text("blob name", max_blob_name_bytes);
    const std::uint64_t size_at = reader.offset();
    entry.size = reader.u64("blob size");
    if (entry.size > parsed.payload_raw_size - blob_total)
      fail(file, size_at,
           "blob \"" + entry.name + "\" is " + std::to_string(entry.size) + " bytes, more than the " +
               std::to_string(parsed.payload_raw_size - blob_total) + " bytes of payload left for it");
    blob_total += entry.size;
    parsed.blobs.push_back(std::move(entry));
  }
  if (reader.remaining() != 0)
    fail(file, reader.offset(),
         std::to_string(reader.remaining()) + " unexpected bytes at the end of the header section");
  if (blob_total != parsed.payload_raw_size)
    fail(file, at_payload_raw_size,
         "the blobs add up to " + std::to_string(blob_total) + " bytes, but the payload raw size is " +
             std::to_string(parsed.payload_raw_size));

  const std::uint64_t total = prefix.size() + header_size + parsed.payload_size;
  if (size < total) fail_truncated(file, total, size);
  if (size > total)
    fail(file, total,
         "expected " + std::to_string(total) + " bytes, found " + std::to_string(size) + ": " +
             std::to_string(size - total) + " unexpected bytes after the payload");
  return parsed;
}

std::string checksum_mismatch(std::uint64_t stored, std::uint64_t computed) {
  return "payload checksum mismatch: the saved state is corrupted (stored XXH3-64 " + hex64(stored) + ", computed " +
         hex64(computed) + ")";
}

void read_raw_payload(const InputFile& input, std::uint64_t payload_start, const ParsedHeader& parsed,
                      std::vector<StateBlob>& blobs) {
  Xxh3State hash = new_hash_state();
  std::uint64_t offset = payload_start;
  for (StateBlob& blob : blobs) {
    input.read_exact(offset, blob.bytes);
    XXH3_64bits_update(hash.get(), blob.bytes.data(), blob.bytes.size());
    offset += blob.bytes.size();
  }
  const std::uint64_t computed = XXH3_64bits_digest(hash.get());
  if (computed != parsed.payload_hash)
    fail(input.path(), payload_start, checksum_mismatch(parsed.payload_hash, computed));
}

struct ZstdDStreamDeleter {
  void operator()(ZSTD_DStream* stream) const { ZSTD_freeDStream(stream); }
};

// Reads the stored payload in chunks, hashing and decompressing into the blobs as it goes. The hash
// is judged before any decompression error, so corruption is reported as such.
void read_compressed_payload(const InputFile& input, std::uint64_t payload_start, const ParsedHeader& parsed,
                             std::vector<StateBlob>& blobs) {
  Xxh3State hash = new_hash_state();
  std::unique_ptr<ZSTD_DStream, ZstdDStreamDeleter> stream(ZSTD_createDStream());
  if (!stream) throw std::bad_alloc();
  std::vector<std::byte> chunk(std::size_t{1} << 20);
  std::optional<std::string> decompress_error;
  std::size_t blob_index = 0;
  std::size_t blob_position = 0;
  std::uint64_t produced = 0;
  std::size_t last_code = 1;

  for (std::uint64_t done = 0; done < parsed.payload_size;) {
    const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), parsed.payload_size - done));
    input.read_exact(payload_start + done, std::span(chunk.data(), count));
    XXH3_64bits_update(hash.get(), chunk.data(), count);
    done += count;
    if (decompress_error) continue;

    ZSTD_inBuffer in{chunk.data(), count, 0};
    const bool last_chunk = done == parsed.payload_size;
    // Loop while there is input, and on the last chunk until zstd has flushed everything it holds.
    for (;;) {
      while (blob_index < blobs.size() && blob_position == blobs[blob_index].bytes.size()) {
        ++blob_index;
        blob_position = 0;
      }
      // Past the last blob, decompress into a scratch byte: any output there is an error.
      std::byte overflow[1];
      const bool past_end = blob_index == blobs.size();
      ZSTD_outBuffer out =
          past_end ? ZSTD_outBuffer{overflow, sizeof overflow, 0}
                   : ZSTD_outBuffer{blobs[blob_index].bytes.data(), blobs[blob_index].bytes.size(), blob_position};
      const std::size_t in_before = in.pos;
      const std::size_t out_before = out.pos;
      last_code = ZSTD_decompressStream(stream.get(), &out, &in);
      if (ZSTD_isError(last_code)) {
        decompress_error = std::string("the payload does not decompress: ") + ZSTD_getErrorName(last_code);
        break;
      }
      if (past_end && out.pos > 0) {
        decompress_error = "the payload decompresses to more than the blob table's " +
                           std::to_string(parsed.payload_raw_size) + " bytes";
        break;
      }
      if (!past_end) {
        produced += out.pos - blob_position;
        blob_position = out.pos;
      }
      if (last_code == 0) {
        if (in.pos < in.size || !last_chunk) decompress_error = "bytes after the end of the zstd frame";
        break;
      }
      const bool progressed = in.pos != in_before || out.pos != out_before;
      if (in.pos == in.size && (!last_chunk || !progressed)) break;
    }
  }

  const std::uint64_t computed = XXH3_64bits_digest(hash.get());
  if (computed != parsed.payload_hash)
    fail(input.path(), payload_start, checksum_mismatch(parsed.payload_hash, computed));
  if (!decompress_error && last_code != 0) decompress_error = "the zstd frame is incomplete";
  if (!decompress_error && produced != parsed.payload_raw_size)
    decompress_error = "the payload decompresses to " + std::to_string(produced) + " bytes, the blob table says " +
                       std::to_string(parsed.payload_raw_size);
  if (decompress_error) fail(input.path(), payload_start, *decompress_error);
}

}  // namespace

void save_state_file(const std::filesystem::path& file, const StateFileHeader& header,
                     std::span<const StateBlobView> blobs, const StateFileOptions& options) {
  const std::vector<std::byte> section = encode_header_section(header, blobs);
  std::uint64_t raw_size = 0;
  for (const StateBlobView& blob : blobs) raw_size += blob.bytes.size();

  Prefix prefix{};
  std::memcpy(prefix.data(), state_file_magic.data(), state_file_magic.size());
  store_u32(prefix.data() + at_version, state_file_format_version);
  store_u32(prefix.data() + at_flags, options.compress ? flag_zstd_payload : 0u);
  store_u64(prefix.data() + at_header_size, section.size());
  store_u64(prefix.data() + at_payload_raw_size, raw_size);

  AtomicFileWriter out(file);
  out.write(prefix);  // payload size and both hashes are filled in once the payload is written
  out.write(section);
  const PayloadSummary payload = write_payload(out, blobs, options);
  store_u64(prefix.data() + at_payload_size, payload.stored_size);
  store_u64(prefix.data() + at_payload_hash, payload.hash);
  store_u64(prefix.data() + at_header_hash, header_hash(prefix, section));
  out.overwrite_at(0, prefix);
  out.commit();
}

void save_state_file(const std::filesystem::path& file, const StateFile& state, const StateFileOptions& options) {
  std::vector<StateBlobView> views;
  views.reserve(state.blobs.size());
  for (const StateBlob& blob : state.blobs) views.push_back({blob.name, blob.bytes});
  save_state_file(file, state.header, views, options);
}

StateFile load_state_file(const std::filesystem::path& file) {
  const InputFile input(file);
  ParsedHeader parsed = read_header(input);
  StateFile state;
  state.header = std::move(parsed.header);
  state.blobs.reserve(parsed.blobs.size());
  for (BlobEntry& entry : parsed.blobs)
    state.blobs.push_back({std::move(entry.name), std::vector<std::byte>(static_cast<std::size_t>(entry.size))});
  const std::uint64_t payload_start = input.size() - parsed.payload_size;
  if (parsed.compressed)
    read_compressed_payload(input, payload_start, parsed, state.blobs);
  else
    read_raw_payload(input, payload_start, parsed, state.blobs);
  return state;
}

StateFileHeader read_state_file_header(const std::filesystem::path& file) {
  const InputFile input(file);
  return read_header(input).header;
}

void require_state_matches(const StateFileHeader& header, std::string_view architecture, std::string_view fingerprint,
                           const std::filesystem::path& file) {
  if (header.architecture == architecture && header.model_fingerprint == fingerprint) return;
  throw StateMismatchError("state file " + file.string() + " was made by model " + header.model_fingerprint + " (" +
                           header.architecture + "), but the loaded model is " + std::string(fingerprint) + " (" +
                           std::string(architecture) + ")");
}

}  // namespace linea
