#include "engine/runtime/model_fingerprint.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace linea {
namespace {

constexpr std::string_view domain = "linea model fingerprint v1";

struct Xxh3StateDeleter {
  void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
};

class Hasher {
 public:
  Hasher() : state_(XXH3_createState()) {
    if (!state_) throw std::bad_alloc();
    XXH3_128bits_reset(state_.get());
  }
  void bytes(const void* data, std::size_t size) { XXH3_128bits_update(state_.get(), data, size); }
  void u64(std::uint64_t value) {
    unsigned char le[8];
    for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>(value >> (8 * i));
    bytes(le, sizeof le);
  }
  // Length first, so ("ab", "c") and ("a", "bc") hash differently.
  void text(std::string_view value) {
    u64(value.size());
    bytes(value.data(), value.size());
  }
  XXH128_hash_t digest() const { return XXH3_128bits_digest(state_.get()); }

 private:
  std::unique_ptr<XXH3_state_t, Xxh3StateDeleter> state_;
};

void hash_content_sample(Hasher& hasher, const io::TensorInfo& tensor) {
  const std::uint64_t size = tensor.size_bytes;
  const std::byte* data = tensor.data;
  constexpr std::uint64_t window = fingerprint_window_bytes;
  constexpr std::uint64_t windows = fingerprint_inner_windows + 2;
  if (size <= window * windows) {
    hasher.bytes(data, static_cast<std::size_t>(size));
    return;
  }
  // Window i starts at (size - window) * i / (windows - 1): the first at 0, the last at the end.
  for (std::uint64_t i = 0; i < windows; ++i) {
    const std::uint64_t start = (size - window) * i / (windows - 1);
    hasher.bytes(data + start, static_cast<std::size_t>(window));
  }
}

}  // namespace

std::string model_fingerprint(const io::TensorSource& source) {
  const std::vector<io::TensorInfo>& tensors = source.tensors();
  std::vector<const io::TensorInfo*> ordered;
  ordered.reserve(tensors.size());
  for (const io::TensorInfo& tensor : tensors) ordered.push_back(&tensor);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const io::TensorInfo* a, const io::TensorInfo* b) { return a->name < b->name; });

  Hasher hasher;
  hasher.text(domain);
  hasher.u64(ordered.size());
  for (const io::TensorInfo* tensor : ordered) {
    if (tensor->data == nullptr && tensor->size_bytes > 0)
      throw std::invalid_argument(source.describe() + ": tensor " + tensor->name + " has " +
                                  std::to_string(tensor->size_bytes) + " bytes but no data");
    hasher.text(tensor->name);
    hasher.text(dtype_name(tensor->dtype));
    hasher.u64(tensor->shape.size());
    for (std::int64_t dimension : tensor->shape) hasher.u64(static_cast<std::uint64_t>(dimension));
    hasher.u64(tensor->size_bytes);
    hash_content_sample(hasher, *tensor);
  }

  const XXH128_hash_t hash = hasher.digest();
  char text[33];
  std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(hash.high64),
                static_cast<unsigned long long>(hash.low64));
  return text;
}

}  // namespace linea
