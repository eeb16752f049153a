// What a session remembers between calls: the recurrent states of linear-attention layers now, a KV
// cache for softmax layers later, behind one interface so sessions, forks and state files do not
// care which kinds a model needs.
#pragma once

#include "engine/runtime/state_file.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace linea {

class Memory {
 public:
  virtual ~Memory() = default;

  // A deep, independent copy (forking a session).
  virtual std::unique_ptr<Memory> clone() const = 0;
  // Back to the state of a fresh sequence.
  virtual void clear() = 0;
  virtual std::uint64_t byte_size() const = 0;

  // The named buffers that make up this memory, as views for saving (valid while this is unchanged).
  virtual std::vector<StateBlobView> blob_views() const = 0;
  // Restores every buffer from `blobs`. Throws io::FormatError naming `source` and the blob when one
  // is missing, has the wrong size, or is not part of this memory; nothing changes then.
  virtual void restore(std::span<const StateBlob> blobs, const std::string& source) = 0;

  // The number of positions a growing memory (a KV cache) holds; std::nullopt for memories whose
  // size does not depend on the context (recurrent states only).
  virtual std::optional<std::uint64_t> positions() const { return std::nullopt; }
};

}  // namespace linea
