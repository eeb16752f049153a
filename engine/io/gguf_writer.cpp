#include "engine/io/gguf_writer.h"

#include "engine/core/atomic_file.h"
#include "engine/io/checked_math.h"
#include "engine/io/little_endian.h"

#include <algorithm>
#include <stdexcept>

namespace linea::io {
namespace {

class ByteSink {
 public:
  template <typename T>
  void put(T value) {
    const std::size_t at = bytes_.size();
    bytes_.resize(at + sizeof(T));
    store_le(bytes_.data() + at, value);
  }
  void put_string(const std::string& text) {
    put<std::uint64_t>(text.size());
    const auto* begin = reinterpret_cast<const std::byte*>(text.data());
    bytes_.insert(bytes_.end(), begin, begin + text.size());
  }
  void pad_to(std::uint64_t alignment) {
    bytes_.resize(static_cast<std::size_t>(*checked_align_up(bytes_.size(), alignment)), std::byte{0});
  }
  std::vector<std::byte>& bytes() { return bytes_; }

 private:
  std::vector<std::byte> bytes_;
};

void put_array(ByteSink& sink, const GgufArray& array);

void put_value(ByteSink& sink, const GgufValue& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          sink.put_string(v);
        } else if constexpr (std::is_same_v<T, GgufArray>) {
          put_array(sink, v);
        } else if constexpr (std::is_same_v<T, bool>) {
          sink.put<std::uint8_t>(v ? 1 : 0);
        } else {
          sink.put<T>(v);
        }
      },
      value.value);
}

void put_array(ByteSink& sink, const GgufArray& array) {
  sink.put<std::uint32_t>(static_cast<std::uint32_t>(array.element_type()));
  sink.put<std::uint64_t>(array.size());
  std::visit(
      [&](const auto& items) {
        using T = typename std::decay_t<decltype(items)>::value_type;
        for (const auto& item : items) {
          if constexpr (std::is_same_v<T, std::string>) {
            sink.put_string(item);
          } else if constexpr (std::is_same_v<T, GgufArray>) {
            put_array(sink, item);
          } else if constexpr (std::is_same_v<T, bool>) {
            sink.put<std::uint8_t>(item ? 1 : 0);
          } else {
            sink.put<T>(item);
          }
        }
      },
      array.items);
}

std::uint64_t padded(std::uint64_t bytes, std::uint32_t alignment) { return *checked_align_up(bytes, alignment); }

}  // namespace

void GgufWriter::add_metadata(std::string key, GgufValue value) {
  for (const auto& entry : metadata_)
    if (entry.first == key) throw std::invalid_argument("GGUF writer: metadata key '" + key + "' added twice");
  if (key == "general.alignment") {
    const auto* alignment = value.get_if<std::uint32_t>();
    if (alignment == nullptr)
      throw std::invalid_argument("GGUF writer: general.alignment must be a UINT32, got " + value.type_description());
    if (*alignment == 0 || (*alignment & (*alignment - 1)) != 0 || *alignment % 8 != 0) {
      throw std::invalid_argument("GGUF writer: general.alignment " + std::to_string(*alignment) +
                                  " is not a power of two that is a multiple of 8");
    }
    alignment_ = *alignment;
  }
  metadata_.emplace_back(std::move(key), std::move(value));
}

void GgufWriter::add_tensor(std::string name, DType dtype, std::vector<std::int64_t> shape,
                            std::span<const std::byte> data) {
  const std::string what = "GGUF writer: tensor '" + name + "'";
  if (name.size() > kGgufMaxTensorNameBytes) {
    throw std::invalid_argument(what + " has a name of " + std::to_string(name.size()) + " bytes, ggml's limit is " +
                                std::to_string(kGgufMaxTensorNameBytes));
  }
  for (const Tensor& tensor : tensors_)
    if (tensor.name == name) throw std::invalid_argument(what + " added twice");
  const auto type = ggml_type_from_dtype(dtype);
  if (!type) throw std::invalid_argument(what + ": GGUF cannot store dtype " + std::string(dtype_name(dtype)));
  if (shape.empty() || shape.size() > kGgufMaxDims)
    throw std::invalid_argument(what + " has " + std::to_string(shape.size()) + " dimensions, GGUF needs 1 to 4");
  std::vector<std::uint64_t> dims;
  for (std::int64_t d : shape) {
    if (d < 0) throw std::invalid_argument(what + " has a negative dimension");
    dims.push_back(static_cast<std::uint64_t>(d));
  }
  const DTypeInfo info = dtype_info(dtype);
  if (dims.back() % info.block_size != 0) {
    throw std::invalid_argument(what + ": the innermost dimension " + std::to_string(dims.back()) +
                                " is not a multiple of the " + std::string(info.name) + " block size " +
                                std::to_string(info.block_size));
  }
  const auto elements = checked_product(dims);
  const auto bytes = elements ? checked_mul(*elements / info.block_size, info.block_bytes) : std::nullopt;
  if (!bytes) throw std::invalid_argument(what + ": size overflows 64 bits");
  if (*bytes != data.size()) {
    throw std::invalid_argument(what + ": " + std::to_string(data.size()) + " bytes given, the shape needs " +
                                std::to_string(*bytes));
  }
  tensors_.push_back({std::move(name), *type, std::move(shape), data, {}});
}

void GgufWriter::add_tensor(std::string name, DType dtype, std::vector<std::int64_t> shape,
                            std::vector<std::byte> data) {
  const std::span<const std::byte> view(data);
  add_tensor(std::move(name), dtype, std::move(shape), view);
  tensors_.back().owned = std::move(data);  // moving a vector keeps its buffer, so `data` stays valid
}

std::vector<std::byte> GgufWriter::header() const {
  ByteSink sink;
  sink.put<std::uint32_t>(kGgufMagic);
  sink.put<std::uint32_t>(kGgufVersion);
  sink.put<std::uint64_t>(tensors_.size());
  sink.put<std::uint64_t>(metadata_.size());
  for (const auto& [key, value] : metadata_) {
    sink.put_string(key);
    sink.put<std::uint32_t>(static_cast<std::uint32_t>(value.type()));
    put_value(sink, value);
  }
  std::uint64_t offset = 0;
  for (const Tensor& tensor : tensors_) {
    sink.put_string(tensor.name);
    sink.put<std::uint32_t>(static_cast<std::uint32_t>(tensor.shape.size()));
    for (auto d = tensor.shape.rbegin(); d != tensor.shape.rend(); ++d)
      sink.put<std::uint64_t>(static_cast<std::uint64_t>(*d));
    sink.put<std::uint32_t>(tensor.ggml_type);
    sink.put<std::uint64_t>(offset);
    offset += padded(tensor.data.size(), alignment_);
  }
  if (!tensors_.empty()) sink.pad_to(alignment_);
  return std::move(sink.bytes());
}

std::vector<std::byte> GgufWriter::to_bytes() const {
  std::vector<std::byte> bytes = header();
  for (const Tensor& tensor : tensors_) {
    bytes.insert(bytes.end(), tensor.data.begin(), tensor.data.end());
    bytes.resize(static_cast<std::size_t>(padded(bytes.size(), alignment_)), std::byte{0});
  }
  return bytes;
}

void GgufWriter::write(const std::filesystem::path& path) const {
  AtomicFileWriter file(path);
  file.write(header());
  static const std::vector<std::byte> kZeros(256, std::byte{0});
  for (const Tensor& tensor : tensors_) {
    file.write(tensor.data);
    std::uint64_t padding = padded(tensor.data.size(), alignment_) - tensor.data.size();
    while (padding > 0) {
      const auto chunk = static_cast<std::size_t>(std::min<std::uint64_t>(padding, kZeros.size()));
      file.write(std::span(kZeros.data(), chunk));
      padding -= chunk;
    }
  }
  file.commit();
}

}  // namespace linea::io
