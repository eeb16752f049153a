#include "engine/runtime/recurrent_state.h"

#include "engine/io/format_error.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <unordered_map>

namespace linea {

static_assert(std::endian::native == std::endian::little, "state blobs are little-endian fp32 as in memory");

std::size_t RecurrentState::add(std::string name, std::int64_t element_count) {
  tensors_.push_back({std::move(name), std::vector<float>(static_cast<std::size_t>(element_count), 0.0f)});
  return tensors_.size() - 1;
}

std::unique_ptr<Memory> RecurrentState::clone() const { return std::make_unique<RecurrentState>(*this); }

void RecurrentState::clear() {
  for (Tensor& tensor : tensors_) std::fill(tensor.values.begin(), tensor.values.end(), 0.0f);
}

std::uint64_t RecurrentState::byte_size() const {
  std::uint64_t total = 0;
  for (const Tensor& tensor : tensors_) total += tensor.values.size() * sizeof(float);
  return total;
}

std::vector<StateBlobView> RecurrentState::blob_views() const {
  std::vector<StateBlobView> views;
  views.reserve(tensors_.size());
  for (const Tensor& tensor : tensors_)
    views.push_back({tensor.name, std::as_bytes(std::span<const float>(tensor.values))});
  return views;
}

void RecurrentState::restore(std::span<const StateBlob> blobs, const std::string& source) {
  std::unordered_map<std::string_view, const StateBlob*> by_name;
  for (const StateBlob& blob : blobs) by_name.emplace(blob.name, &blob);
  // Check everything before changing anything.
  for (const Tensor& tensor : tensors_) {
    const auto found = by_name.find(tensor.name);
    if (found == by_name.end())
      throw io::FormatError(source, std::nullopt, "state blob '" + tensor.name + "' is missing");
    const std::size_t expected = tensor.values.size() * sizeof(float);
    if (found->second->bytes.size() != expected)
      throw io::FormatError(source, std::nullopt,
                            "state blob '" + tensor.name + "' holds " + std::to_string(found->second->bytes.size()) +
                                " bytes, expected " + std::to_string(expected));
  }
  for (const StateBlob& blob : blobs) {
    const bool known =
        std::any_of(tensors_.begin(), tensors_.end(), [&](const Tensor& t) { return t.name == blob.name; });
    if (!known)
      throw io::FormatError(source, std::nullopt, "state blob '" + blob.name + "' is not part of this model's state");
  }
  for (Tensor& tensor : tensors_)
    std::memcpy(tensor.values.data(), by_name.at(tensor.name)->bytes.data(), tensor.values.size() * sizeof(float));
}

}  // namespace linea
