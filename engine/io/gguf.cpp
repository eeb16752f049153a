#include "engine/io/gguf.h"

#include "engine/io/checked_math.h"
#include "engine/io/format_error.h"
#include "engine/io/little_endian.h"
#include "engine/core/utf8.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <unordered_set>

namespace linea::io {
namespace {

constexpr auto kInt64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

// A bounds-checked reader over the mapped bytes; every failure names the byte offset.
class Cursor {
 public:
  Cursor(const std::string& file, const std::byte* data, std::uint64_t size) : file_(file), data_(data), size_(size) {}

  std::uint64_t offset() const { return offset_; }
  std::uint64_t remaining() const { return size_ - offset_; }
  const std::string& file() const { return file_; }

  [[noreturn]] void fail(std::uint64_t at, const std::string& message) const { throw FormatError(file_, at, message); }

  void need(std::uint64_t bytes, const std::string& what) const {
    if (bytes > remaining()) {
      fail(offset_, what + " needs " + std::to_string(bytes) + " bytes, but the file ends after " +
                        std::to_string(remaining()) + " more (file size " + std::to_string(size_) + ")");
    }
  }

  template <typename T>
  T read(const std::string& what) {
    need(sizeof(T), what);
    const T value = load_le<T>(data_ + offset_);
    offset_ += sizeof(T);
    return value;
  }

  // `count` values of T (count already checked against the file size by the caller).
  template <typename T>
  void read_into(std::vector<T>& out, std::uint64_t count, const std::string& what) {
    need(count * sizeof(T), what);
    out.resize(static_cast<std::size_t>(count));
    if (count != 0) std::memcpy(out.data(), data_ + offset_, static_cast<std::size_t>(count * sizeof(T)));
    offset_ += count * sizeof(T);
  }

  std::string read_string(const std::string& what) {
    const std::uint64_t length_at = offset_;
    const auto length = read<std::uint64_t>("the length of " + what);
    if (length > remaining()) {
      fail(length_at, what + " has length " + std::to_string(length) + ", past the end of the file (" +
                          std::to_string(remaining()) + " bytes left)");
    }
    std::string text(reinterpret_cast<const char*>(data_ + offset_), static_cast<std::size_t>(length));
    if (const std::size_t bad = valid_utf8_prefix(text); bad != text.size()) {
      fail(offset_ + bad, what + " is not valid UTF-8 (ill-formed byte 0x" + hex_byte(text[bad]) + " at index " +
                              std::to_string(bad) + " of the string)");
    }
    offset_ += length;
    return text;
  }

 private:
  static std::string hex_byte(char c) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    const auto b = static_cast<unsigned char>(c);
    return {kDigits[b >> 4], kDigits[b & 15]};
  }

  const std::string& file_;
  const std::byte* data_;
  std::uint64_t size_;
  std::uint64_t offset_ = 0;
};

// The fewest bytes one value of this type occupies in the file (bounds array counts before reading).
std::uint64_t min_encoded_bytes(GgufType type) {
  switch (type) {
    case GgufType::u8:
    case GgufType::i8:
    case GgufType::boolean: return 1;
    case GgufType::u16:
    case GgufType::i16: return 2;
    case GgufType::u32:
    case GgufType::i32:
    case GgufType::f32: return 4;
    case GgufType::u64:
    case GgufType::i64:
    case GgufType::f64: return 8;
    case GgufType::string: return 8;
    case GgufType::array: return 12;
  }
  return 1;
}

bool is_value_type(std::uint32_t id) { return id <= static_cast<std::uint32_t>(GgufType::f64); }

class MetadataReader {
 public:
  explicit MetadataReader(Cursor& cursor) : cursor_(cursor) {}

  GgufValue value(std::uint32_t type_id, std::uint64_t type_at, const std::string& key, const std::string& what,
                  int depth) {
    if (!is_value_type(type_id))
      cursor_.fail(type_at, "metadata key '" + key + "' has unknown value type id " + std::to_string(type_id));
    switch (static_cast<GgufType>(type_id)) {
      case GgufType::u8: return cursor_.read<std::uint8_t>(what);
      case GgufType::i8: return cursor_.read<std::int8_t>(what);
      case GgufType::u16: return cursor_.read<std::uint16_t>(what);
      case GgufType::i16: return cursor_.read<std::int16_t>(what);
      case GgufType::u32: return cursor_.read<std::uint32_t>(what);
      case GgufType::i32: return cursor_.read<std::int32_t>(what);
      case GgufType::f32: return cursor_.read<float>(what);
      case GgufType::u64: return cursor_.read<std::uint64_t>(what);
      case GgufType::i64: return cursor_.read<std::int64_t>(what);
      case GgufType::f64: return cursor_.read<double>(what);
      case GgufType::boolean: return boolean(what);
      case GgufType::string: return cursor_.read_string(what);
      case GgufType::array: return array(key, what, depth);
    }
    return {};
  }

 private:
  bool boolean(const std::string& what) {
    const std::uint64_t at = cursor_.offset();
    const auto byte = cursor_.read<std::uint8_t>(what);
    if (byte > 1) cursor_.fail(at, what + " is a BOOL of value " + std::to_string(byte) + ", expected 0 or 1");
    return byte == 1;
  }

  GgufArray array(const std::string& key, const std::string& what, int depth) {
    if (depth >= kGgufMaxArrayDepth) {
      cursor_.fail(cursor_.offset(), "metadata key '" + key + "' nests arrays deeper than " +
                                         std::to_string(kGgufMaxArrayDepth) + " levels");
    }
    const std::uint64_t type_at = cursor_.offset();
    const auto element_type = cursor_.read<std::uint32_t>("the element type of " + what);
    if (!is_value_type(element_type)) {
      cursor_.fail(type_at, "metadata key '" + key + "' has an array of unknown element type id " +
                                std::to_string(element_type));
    }
    const std::uint64_t count_at = cursor_.offset();
    const auto count = cursor_.read<std::uint64_t>("the element count of " + what);
    const GgufType type = static_cast<GgufType>(element_type);
    if (count > cursor_.remaining() / min_encoded_bytes(type)) {
      cursor_.fail(count_at, "metadata key '" + key + "' declares an array of " + std::to_string(count) + " " +
                                 gguf_type_name(type) + " elements, more than the " +
                                 std::to_string(cursor_.remaining()) + " bytes left in the file can hold");
    }
    const std::string element_what = "an element of " + what;
    switch (type) {
      case GgufType::u8: return numeric<std::uint8_t>(count, element_what);
      case GgufType::i8: return numeric<std::int8_t>(count, element_what);
      case GgufType::u16: return numeric<std::uint16_t>(count, element_what);
      case GgufType::i16: return numeric<std::int16_t>(count, element_what);
      case GgufType::u32: return numeric<std::uint32_t>(count, element_what);
      case GgufType::i32: return numeric<std::int32_t>(count, element_what);
      case GgufType::f32: return numeric<float>(count, element_what);
      case GgufType::u64: return numeric<std::uint64_t>(count, element_what);
      case GgufType::i64: return numeric<std::int64_t>(count, element_what);
      case GgufType::f64: return numeric<double>(count, element_what);
      case GgufType::boolean: {
        std::vector<bool> items;
        items.reserve(static_cast<std::size_t>(count));
        for (std::uint64_t i = 0; i < count; ++i) items.push_back(boolean(element_what));
        return GgufArray{std::move(items)};
      }
      case GgufType::string: {
        std::vector<std::string> items;
        items.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(count, 1u << 20)));
        for (std::uint64_t i = 0; i < count; ++i) items.push_back(cursor_.read_string(element_what));
        return GgufArray{std::move(items)};
      }
      case GgufType::array: {
        std::vector<GgufArray> items;
        items.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(count, 1u << 16)));
        for (std::uint64_t i = 0; i < count; ++i) items.push_back(array(key, element_what, depth + 1));
        return GgufArray{std::move(items)};
      }
    }
    return {};
  }

  template <typename T>
  GgufArray numeric(std::uint64_t count, const std::string& what) {
    std::vector<T> items;
    cursor_.read_into(items, count, what);
    return GgufArray{std::move(items)};
  }

  Cursor& cursor_;
};

std::string supported_types() {
  std::string text;
  for (std::uint32_t id = 0; id < 64; ++id) {
    if (dtype_from_ggml_type(id)) text += (text.empty() ? "" : ", ") + std::string(*ggml_type_name(id));
  }
  return text;
}

struct PendingTensor {
  std::uint64_t info_at;    // where its tensor info starts
  std::uint64_t offset_at;  // where its offset field is
  std::uint64_t relative_offset;
  std::uint64_t bytes;
};

}  // namespace

std::unique_ptr<GgufFile> GgufFile::open(const std::filesystem::path& path) {
  std::unique_ptr<GgufFile> file(new GgufFile(MappedFile::open(path)));
  file->parse();
  return file;
}

void GgufFile::parse() {
  const std::string name = file_.path().string();
  Cursor cursor(name, file_.data(), file_.size());

  if (file_.size() < 4) {
    throw FormatError(name, 0, "file is " + std::to_string(file_.size()) + " bytes, too short for a GGUF header");
  }
  const auto magic = cursor.read<std::uint32_t>("the magic");
  if (magic != kGgufMagic) {
    std::string shown;
    for (int i = 0; i < 4; ++i) {
      const auto c = static_cast<unsigned char>(file_.data()[i]);
      static constexpr char kDigits[] = "0123456789ABCDEF";
      shown += (c >= 0x20 && c < 0x7F) ? std::string(1, static_cast<char>(c))
                                       : std::string{'\\', 'x', kDigits[c >> 4], kDigits[c & 15]};
    }
    throw FormatError(name, 0, "not a GGUF file: the first 4 bytes are \"" + shown + "\", expected \"GGUF\"");
  }
  version_ = cursor.read<std::uint32_t>("the version");
  if (version_ == 1 || version_ == 2) {
    throw FormatError(name, 4,
                      "GGUF version " + std::to_string(version_) +
                          " is not supported, re-convert with a current llama.cpp (Linea reads version 3)");
  }
  if (version_ != kGgufVersion) {
    if (__builtin_bswap32(version_) == kGgufVersion)
      throw FormatError(name, 4, "this is a big-endian GGUF file; Linea reads only little-endian GGUF version 3");
    throw FormatError(name, 4,
                      "GGUF version " + std::to_string(version_) + " is not supported (Linea reads version 3)");
  }

  const std::uint64_t tensor_count_at = cursor.offset();
  const auto tensor_count = cursor.read<std::uint64_t>("the tensor count");
  const std::uint64_t kv_count_at = cursor.offset();
  const auto kv_count = cursor.read<std::uint64_t>("the metadata count");
  // Each metadata entry takes at least 13 bytes (key length, type, a one-byte value), each tensor info
  // at least 32 (name length, n_dims, one dim, type, offset): bound the counts before trusting them.
  if (kv_count > cursor.remaining() / 13) {
    cursor.fail(kv_count_at, "metadata count " + std::to_string(kv_count) + " cannot fit in the " +
                                 std::to_string(cursor.remaining()) + " bytes left in the file");
  }
  if (tensor_count > cursor.remaining() / 32) {
    cursor.fail(tensor_count_at, "tensor count " + std::to_string(tensor_count) + " cannot fit in the " +
                                     std::to_string(cursor.remaining()) + " bytes left in the file");
  }

  MetadataReader reader(cursor);
  std::unordered_set<std::string> seen_keys;
  metadata_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(kv_count, 1u << 16)));
  for (std::uint64_t i = 0; i < kv_count; ++i) {
    const std::uint64_t key_at = cursor.offset();
    std::string key = cursor.read_string("metadata key #" + std::to_string(i));
    if (!seen_keys.insert(key).second) cursor.fail(key_at, "duplicate metadata key '" + key + "'");
    const std::uint64_t type_at = cursor.offset();
    const auto type = cursor.read<std::uint32_t>("the value type of metadata key '" + key + "'");
    GgufValue value = reader.value(type, type_at, key, "the value of metadata key '" + key + "'", 0);
    metadata_.push_back({std::move(key), std::move(value)});
  }
  for (std::size_t i = 0; i < metadata_.size(); ++i) metadata_by_key_.emplace(metadata_[i].key, i);

  if (const GgufValue* alignment = find_metadata("general.alignment")) {
    const auto* value = alignment->get_if<std::uint32_t>();
    if (value == nullptr) {
      throw FormatError(name, std::nullopt,
                        "general.alignment is " + alignment->type_description() + ", expected UINT32");
    }
    if (*value == 0 || (*value & (*value - 1)) != 0 || *value % 8 != 0) {
      throw FormatError(
          name, std::nullopt,
          "general.alignment is " + std::to_string(*value) + ", expected a power of two that is a multiple of 8");
    }
    alignment_ = *value;
  }

  std::vector<PendingTensor> pending;
  std::unordered_set<std::string> seen_names;
  tensors_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(tensor_count, 1u << 16)));
  for (std::uint64_t i = 0; i < tensor_count; ++i) {
    const std::uint64_t info_at = cursor.offset();
    std::string tensor_name = cursor.read_string("the name of tensor #" + std::to_string(i));
    if (tensor_name.size() > kGgufMaxTensorNameBytes) {
      cursor.fail(info_at, "tensor name '" + tensor_name + "' is " + std::to_string(tensor_name.size()) +
                               " bytes, longer than ggml's limit of " + std::to_string(kGgufMaxTensorNameBytes));
    }
    if (!seen_names.insert(tensor_name).second) cursor.fail(info_at, "duplicate tensor name '" + tensor_name + "'");
    const std::string what = "tensor '" + tensor_name + "'";

    const std::uint64_t dims_at = cursor.offset();
    const auto n_dims = cursor.read<std::uint32_t>("the n_dims of " + what);
    if (n_dims < 1 || n_dims > kGgufMaxDims) {
      cursor.fail(dims_at,
                  what + " has n_dims " + std::to_string(n_dims) + ", expected 1 to " + std::to_string(kGgufMaxDims));
    }
    std::vector<std::uint64_t> ne(n_dims);
    for (std::uint32_t d = 0; d < n_dims; ++d) {
      const std::uint64_t dim_at = cursor.offset();
      ne[d] = cursor.read<std::uint64_t>("ne[" + std::to_string(d) + "] of " + what);
      if (ne[d] > kInt64Max) {
        cursor.fail(dim_at, what + " has ne[" + std::to_string(d) + "] = " + std::to_string(ne[d]) +
                                ", negative as ggml's int64");
      }
    }
    const std::uint64_t type_at = cursor.offset();
    const auto type_id = cursor.read<std::uint32_t>("the type of " + what);
    const auto dtype = dtype_from_ggml_type(type_id);
    if (!dtype) {
      const auto type_name = ggml_type_name(type_id);
      cursor.fail(type_at, what + " has " +
                               (type_name ? "type " + std::string(*type_name) + " (" + std::to_string(type_id) +
                                                ") which is not supported"
                                          : "unknown type id " + std::to_string(type_id)) +
                               "; supported types: " + supported_types());
    }
    const std::uint64_t offset_at = cursor.offset();
    const auto relative_offset = cursor.read<std::uint64_t>("the data offset of " + what);

    const DTypeInfo info = dtype_info(*dtype);
    if (ne[0] % info.block_size != 0) {
      cursor.fail(dims_at, what + " has ne[0] = " + std::to_string(ne[0]) + ", not a multiple of the " +
                               std::string(info.name) + " block size " + std::to_string(info.block_size));
    }
    const auto elements = checked_product(ne);
    if (!elements) cursor.fail(dims_at, what + " has more elements than fit in 64 bits");  // bounded by 2^63 - 1
    const auto bytes = checked_mul(*elements / info.block_size, info.block_bytes);
    if (!bytes) cursor.fail(dims_at, what + " needs more bytes than fit in 64 bits");

    TensorInfo tensor;
    tensor.name = std::move(tensor_name);
    tensor.dtype = *dtype;
    tensor.shape.assign(ne.rbegin(), ne.rend());
    tensor.size_bytes = *bytes;
    tensor.file = name;
    tensors_.push_back(std::move(tensor));
    ggml_types_.push_back(type_id);
    pending.push_back({info_at, offset_at, relative_offset, *bytes});
  }

  const auto data_start = checked_align_up(cursor.offset(), alignment_);
  if (!data_start) cursor.fail(cursor.offset(), "the data section start overflows 64 bits");
  data_offset_ = *data_start;

  // ggml's rule: tensor i starts at the sum of the padded sizes of tensors 0..i-1.
  std::uint64_t expected = 0;
  for (std::size_t i = 0; i < tensors_.size(); ++i) {
    TensorInfo& tensor = tensors_[i];
    const PendingTensor& info = pending[i];
    if (info.relative_offset % alignment_ != 0) {
      cursor.fail(info.offset_at, "tensor '" + tensor.name + "' has data offset " +
                                      std::to_string(info.relative_offset) + ", not a multiple of the alignment " +
                                      std::to_string(alignment_));
    }
    if (info.relative_offset != expected) {
      cursor.fail(info.offset_at, "tensor '" + tensor.name + "' has data offset " +
                                      std::to_string(info.relative_offset) + ", expected " + std::to_string(expected) +
                                      " (tensors are stored densely in info order, each padded to " +
                                      std::to_string(alignment_) + " bytes)");
    }
    const auto absolute = checked_add(data_offset_, info.relative_offset);
    const auto end = absolute ? checked_add(*absolute, info.bytes) : std::nullopt;
    if (!end || *end > file_.size()) {
      cursor.fail(info.offset_at, "tensor '" + tensor.name + "' data (" + std::to_string(info.bytes) +
                                      " bytes at file offset " +
                                      (absolute ? std::to_string(*absolute) : std::string("past 2^64")) +
                                      ") runs past the end of the file (" + std::to_string(file_.size()) + " bytes)");
    }
    tensor.file_offset = *absolute;
    tensor.data = file_.data() + *absolute;
    const auto next = checked_align_up(info.relative_offset + info.bytes, alignment_);
    if (!next) cursor.fail(info.offset_at, "tensor '" + tensor.name + "' ends past 2^64");
    expected = *next;
  }
  for (std::size_t i = 0; i < tensors_.size(); ++i) tensors_by_name_.emplace(tensors_[i].name, i);
}

const TensorInfo* GgufFile::find(std::string_view name) const {
  const auto it = tensors_by_name_.find(name);
  return it == tensors_by_name_.end() ? nullptr : &tensors_[it->second];
}

const GgufValue* GgufFile::find_metadata(std::string_view key) const {
  const auto it = metadata_by_key_.find(key);
  return it == metadata_by_key_.end() ? nullptr : &metadata_[it->second].value;
}

void GgufFile::wrong_type(std::string_view key, const GgufValue& value, std::string_view expected) const {
  throw FormatError(
      file_.path().string(), std::nullopt,
      "metadata key '" + std::string(key) + "' is " + value.type_description() + ", expected " + std::string(expected));
}

const GgufValue& GgufFile::get(std::string_view key) const {
  const GgufValue* value = find_metadata(key);
  if (value == nullptr)
    throw FormatError(file_.path().string(), std::nullopt, "metadata key '" + std::string(key) + "' is missing");
  return *value;
}

const std::string& GgufFile::get_string(std::string_view key) const {
  const GgufValue& value = get(key);
  if (const auto* text = value.get_if<std::string>()) return *text;
  wrong_type(key, value, "STRING");
}

std::uint32_t GgufFile::get_u32(std::string_view key) const {
  const GgufValue& value = get(key);
  if (const auto* number = value.get_if<std::uint32_t>()) return *number;
  wrong_type(key, value, "UINT32");
}

std::uint64_t GgufFile::get_u64(std::string_view key) const {
  const GgufValue& value = get(key);
  if (const auto* number = value.get_if<std::uint64_t>()) return *number;
  wrong_type(key, value, "UINT64");
}

bool GgufFile::get_bool(std::string_view key) const {
  const GgufValue& value = get(key);
  if (const auto* flag = value.get_if<bool>()) return *flag;
  wrong_type(key, value, "BOOL");
}

float GgufFile::get_f32(std::string_view key) const {
  const GgufValue& value = get(key);
  if (const auto* number = value.get_if<float>()) return *number;
  wrong_type(key, value, "FLOAT32");
}

std::int64_t GgufFile::get_int(std::string_view key) const {
  const GgufValue& value = get(key);
  if (const auto* big = value.get_if<std::uint64_t>()) {
    if (*big > kInt64Max) {
      throw FormatError(file_.path().string(), std::nullopt,
                        "metadata key '" + std::string(key) + "' = " + std::to_string(*big) + " does not fit an int64");
    }
    return static_cast<std::int64_t>(*big);
  }
  switch (value.type()) {
    case GgufType::u8: return *value.get_if<std::uint8_t>();
    case GgufType::i8: return *value.get_if<std::int8_t>();
    case GgufType::u16: return *value.get_if<std::uint16_t>();
    case GgufType::i16: return *value.get_if<std::int16_t>();
    case GgufType::u32: return *value.get_if<std::uint32_t>();
    case GgufType::i32: return *value.get_if<std::int32_t>();
    case GgufType::i64: return *value.get_if<std::int64_t>();
    default: wrong_type(key, value, "an integer");
  }
}

double GgufFile::get_float(std::string_view key) const {
  const GgufValue& value = get(key);
  if (const auto* single = value.get_if<float>()) return *single;
  if (const auto* dbl = value.get_if<double>()) return *dbl;
  wrong_type(key, value, "FLOAT32 or FLOAT64");
}

const GgufArray& GgufFile::get_array(std::string_view key) const {
  const GgufValue& value = get(key);
  if (const auto* array = value.get_if<GgufArray>()) return *array;
  wrong_type(key, value, "ARRAY");
}

const std::vector<std::string>& GgufFile::get_string_array(std::string_view key) const {
  const GgufValue& value = get(key);
  if (const auto* array = value.get_if<GgufArray>())
    if (const auto* items = array->get_if<std::string>()) return *items;
  wrong_type(key, value, "ARRAY[STRING]");
}

const std::vector<float>& GgufFile::get_f32_array(std::string_view key) const {
  const GgufValue& value = get(key);
  if (const auto* array = value.get_if<GgufArray>())
    if (const auto* items = array->get_if<float>()) return *items;
  wrong_type(key, value, "ARRAY[FLOAT32]");
}

std::vector<std::int64_t> GgufFile::get_int_array(std::string_view key) const {
  const GgufValue& value = get(key);
  const auto* array = value.get_if<GgufArray>();
  if (array == nullptr) wrong_type(key, value, "an ARRAY of integers");
  std::vector<std::int64_t> out;
  bool fits = true;
  const bool is_integer = std::visit(
      [&](const auto& items) {
        using Element = typename std::decay_t<decltype(items)>::value_type;
        if constexpr (std::is_integral_v<Element> && !std::is_same_v<Element, bool>) {
          out.reserve(items.size());
          for (Element item : items) {
            if constexpr (std::is_same_v<Element, std::uint64_t>) fits = fits && item <= kInt64Max;
            out.push_back(static_cast<std::int64_t>(item));
          }
          return true;
        } else {
          return false;
        }
      },
      array->items);
  if (!is_integer) wrong_type(key, value, "an ARRAY of integers");
  if (!fits) {
    throw FormatError(file_.path().string(), std::nullopt,
                      "metadata key '" + std::string(key) + "' holds a UINT64 element that does not fit an int64");
  }
  return out;
}

}  // namespace linea::io
