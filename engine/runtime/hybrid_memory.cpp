#include "engine/runtime/hybrid_memory.h"

#include "engine/io/format_error.h"

#include <algorithm>
#include <cstring>

namespace linea {

std::size_t HybridMemory::add_cache(std::string name, std::int64_t width) {
  NamedCache named;
  named.keys_name = name + ".keys";
  named.values_name = name + ".values";
  named.cache.width = width;
  caches_.push_back(std::move(named));
  return caches_.size() - 1;
}

std::uint64_t HybridMemory::bytes_per_position() const {
  std::uint64_t total = 0;
  for (const NamedCache& named : caches_) total += 2 * static_cast<std::uint64_t>(named.cache.width) * sizeof(float);
  return total;
}

void HybridMemory::clear() {
  recurrent_.clear();
  for (NamedCache& named : caches_) named.cache.clear();
}

std::uint64_t HybridMemory::byte_size() const {
  std::uint64_t total = recurrent_.byte_size();
  for (const NamedCache& named : caches_)
    total += (named.cache.keys.size() + named.cache.values.size()) * sizeof(float);
  return total;
}

std::optional<std::uint64_t> HybridMemory::positions() const {
  if (caches_.empty()) return std::nullopt;
  return static_cast<std::uint64_t>(caches_.front().cache.positions);
}

std::vector<StateBlobView> HybridMemory::blob_views() const {
  std::vector<StateBlobView> views = recurrent_.blob_views();
  for (const NamedCache& named : caches_) {
    views.push_back({named.keys_name, std::as_bytes(named.cache.keys.view())});
    views.push_back({named.values_name, std::as_bytes(named.cache.values.view())});
  }
  return views;
}

void HybridMemory::restore(std::span<const StateBlob> blobs, const std::string& source) {
  std::vector<StateBlob> recurrent_blobs;
  std::vector<const StateBlob*> cache_blobs(2 * caches_.size(), nullptr);
  for (const StateBlob& blob : blobs) {
    bool is_cache = false;
    for (std::size_t i = 0; i < caches_.size() && !is_cache; ++i) {
      if (blob.name == caches_[i].keys_name) cache_blobs[2 * i] = &blob, is_cache = true;
      if (blob.name == caches_[i].values_name) cache_blobs[2 * i + 1] = &blob, is_cache = true;
    }
    if (!is_cache) recurrent_blobs.push_back(blob);
  }

  // Check every cache blob before changing anything: present, whole rows, one length for all.
  std::optional<std::uint64_t> positions;
  for (std::size_t i = 0; i < cache_blobs.size(); ++i) {
    const NamedCache& named = caches_[i / 2];
    const std::string& name = i % 2 == 0 ? named.keys_name : named.values_name;
    const StateBlob* blob = cache_blobs[i];
    if (!blob) throw io::FormatError(source, std::nullopt, "state blob '" + name + "' is missing");
    const std::uint64_t row_bytes = static_cast<std::uint64_t>(named.cache.width) * sizeof(float);
    if (blob->bytes.size() % row_bytes != 0)
      throw io::FormatError(source, std::nullopt,
                            "state blob '" + name + "' holds " + std::to_string(blob->bytes.size()) +
                                " bytes, not a whole number of " + std::to_string(row_bytes) + "-byte positions");
    const std::uint64_t rows = blob->bytes.size() / row_bytes;
    if (positions && rows != *positions)
      throw io::FormatError(source, std::nullopt,
                            "state blob '" + name + "' holds " + std::to_string(rows) + " positions, the caches before it " +
                                std::to_string(*positions));
    positions = rows;
  }
  RecurrentState restored = recurrent_;
  restored.restore(recurrent_blobs, source);

  recurrent_ = std::move(restored);
  for (std::size_t i = 0; i < caches_.size(); ++i) {
    layers::KvCache& cache = caches_[i].cache;
    const auto floats = cache_blobs[2 * i]->bytes.size() / sizeof(float);
    cache.keys.resize(floats);
    cache.values.resize(floats);
    if (floats > 0) {
      std::memcpy(cache.keys.data(), cache_blobs[2 * i]->bytes.data(), floats * sizeof(float));
      std::memcpy(cache.values.data(), cache_blobs[2 * i + 1]->bytes.data(), floats * sizeof(float));
    }
    cache.positions = static_cast<std::int64_t>(floats / static_cast<std::size_t>(cache.width));
  }
}

}  // namespace linea
