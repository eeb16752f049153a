#include "engine/io/safetensors.h"

#include "engine/io/checked_math.h"
#include "engine/io/format_error.h"
#include "engine/io/json_file.h"
#include "engine/io/little_endian.h"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>

namespace linea::io {
namespace {

using nlohmann::json;

constexpr std::array kSafetensorsDTypes = {DType::boolean, DType::u8,  DType::i8,  DType::f8_e5m2, DType::f8_e4m3,
                                           DType::i16,     DType::u16, DType::f16, DType::bf16,    DType::i32,
                                           DType::u32,     DType::f32, DType::f64, DType::i64,     DType::u64};

std::optional<DType> safetensors_dtype(std::string_view name) {
  for (DType type : kSafetensorsDTypes)
    if (dtype_name(type) == name) return type;
  return std::nullopt;
}

std::string dtype_list() {
  std::string text;
  for (DType type : kSafetensorsDTypes) text += (text.empty() ? "" : ", ") + std::string(dtype_name(type));
  return text;
}

std::string json_kind(const json& value) {
  if (value.is_number_unsigned()) return "the integer " + value.dump();
  if (value.is_number_integer()) return "the negative integer " + value.dump();
  if (value.is_number_float()) return "the number " + value.dump();
  if (value.is_string()) return "the string " + value.dump();
  return std::string("a JSON ") + value.type_name();
}

// Parses the header entries of one safetensors file; errors name the file and, where it can be found,
// the byte offset of the tensor's entry in the header.
class HeaderParser {
 public:
  HeaderParser(const std::string& file, std::string_view header_text) : file_(file), text_(header_text) {}

  [[noreturn]] void fail(const std::string& tensor, const std::string& message) const {
    throw FormatError(file_, entry_offset(tensor), "tensor '" + tensor + "': " + message);
  }

  // Byte offset in the file of the tensor's key in the header, when its name appears there verbatim.
  std::optional<std::uint64_t> entry_offset(const std::string& tensor) const {
    const std::size_t at = text_.find(json(tensor).dump());
    if (at == std::string_view::npos) return std::nullopt;
    return 8 + at;
  }

  const json& field(const std::string& tensor, const json& entry, const char* key) const {
    const auto it = entry.find(key);
    if (it == entry.end()) fail(tensor, std::string("missing \"") + key + "\"");
    return *it;
  }

  std::uint64_t non_negative(const std::string& tensor, const json& value, const std::string& what) const {
    if (!value.is_number_unsigned())
      fail(tensor, what + " is " + json_kind(value) + ", expected a non-negative integer");
    return value.get<std::uint64_t>();
  }

 private:
  const std::string& file_;
  std::string_view text_;
};

struct ParsedEntry {
  std::string name;
  DType dtype;
  std::vector<std::uint64_t> shape;
  std::uint64_t begin;
  std::uint64_t end;
};

ParsedEntry parse_entry(const HeaderParser& parser, const std::string& name, const json& entry) {
  if (!entry.is_object())
    parser.fail(name, "entry is " + json_kind(entry) + ", expected an object with dtype, shape and data_offsets");

  const json& dtype_value = parser.field(name, entry, "dtype");
  if (!dtype_value.is_string()) parser.fail(name, "dtype is " + json_kind(dtype_value) + ", expected a string");
  const auto dtype = safetensors_dtype(dtype_value.get<std::string>());
  if (!dtype) parser.fail(name, "unknown dtype " + dtype_value.dump() + " (safetensors dtypes: " + dtype_list() + ")");

  const json& shape_value = parser.field(name, entry, "shape");
  if (!shape_value.is_array()) parser.fail(name, "shape is " + json_kind(shape_value) + ", expected an array");
  std::vector<std::uint64_t> shape;
  for (std::size_t i = 0; i < shape_value.size(); ++i) {
    const std::uint64_t dim = parser.non_negative(name, shape_value[i], "shape[" + std::to_string(i) + "]");
    if (dim > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      parser.fail(name, "shape[" + std::to_string(i) + "] = " + std::to_string(dim) + " is larger than 2^63 - 1");
    shape.push_back(dim);
  }

  const json& offsets = parser.field(name, entry, "data_offsets");
  if (!offsets.is_array() || offsets.size() != 2)
    parser.fail(name, "data_offsets is " + json_kind(offsets) + ", expected [begin, end]");
  const std::uint64_t begin = parser.non_negative(name, offsets[0], "data_offsets begin");
  const std::uint64_t end = parser.non_negative(name, offsets[1], "data_offsets end");
  if (end < begin)
    parser.fail(name,
                "data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) + "] end before they begin");

  const auto elements = checked_product(shape);
  if (!elements)  // checked_product bounds it by 2^63 - 1
    parser.fail(name, "shape " + shape_text(shape) + " has more elements than fit in 64 bits");
  const auto bytes = checked_mul(*elements, dtype_info(*dtype).block_bytes);
  if (!bytes)
    parser.fail(name, "shape " + shape_text(shape) + " of " + std::string(dtype_name(*dtype)) +
                          " needs more bytes than fit in 64 bits");
  if (end - begin != *bytes) {
    parser.fail(name, "data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) + "] hold " +
                          std::to_string(end - begin) + " bytes, but shape " + shape_text(shape) + " of " +
                          std::string(dtype_name(*dtype)) + " needs " + std::to_string(*bytes) + " bytes");
  }
  return {name, *dtype, std::move(shape), begin, end};
}

}  // namespace

std::unique_ptr<SafetensorsFile> SafetensorsFile::open(const std::filesystem::path& path) {
  std::unique_ptr<SafetensorsFile> file(new SafetensorsFile(MappedFile::open(path)));
  file->parse();
  return file;
}

void SafetensorsFile::parse() {
  const std::string name = file_.path().string();
  const std::uint64_t size = file_.size();
  if (size < 8) {
    throw FormatError(
        name, 0,
        "file is " + std::to_string(size) + " bytes, too short for the 8-byte header length of a safetensors file");
  }
  const auto header_bytes = load_le<std::uint64_t>(file_.data());
  if (header_bytes > kSafetensorsMaxHeaderBytes) {
    throw FormatError(name, 0,
                      "header length " + std::to_string(header_bytes) + " exceeds the safetensors limit of " +
                          std::to_string(kSafetensorsMaxHeaderBytes) + " bytes");
  }
  if (header_bytes > size - 8) {
    throw FormatError(name, 0,
                      "header length " + std::to_string(header_bytes) + " runs past the end of the file (" +
                          std::to_string(size) + " bytes, so at most " + std::to_string(size - 8) +
                          " bytes of header)");
  }
  header_bytes_ = header_bytes;
  const std::string_view text(reinterpret_cast<const char*>(file_.data() + 8), static_cast<std::size_t>(header_bytes));
  const json header = parse_json(text, name, 8);
  if (!header.is_object())
    throw FormatError(name, 8, "the header is " + json_kind(header) + ", expected a JSON object");

  const HeaderParser parser(name, text);
  std::vector<ParsedEntry> entries;
  entries.reserve(header.size());
  for (const auto& [key, value] : header.items()) {
    if (key == "__metadata__") {
      if (!value.is_object())
        throw FormatError(name, parser.entry_offset(key),
                          "__metadata__ is " + json_kind(value) + ", expected an object of strings");
      for (const auto& [meta_key, meta_value] : value.items()) {
        if (!meta_value.is_string()) {
          throw FormatError(
              name, parser.entry_offset(key),
              "__metadata__ value of '" + meta_key + "' is " + json_kind(meta_value) + ", expected a string");
        }
        metadata_.emplace(meta_key, meta_value.get<std::string>());
      }
      continue;
    }
    entries.push_back(parse_entry(parser, key, value));
  }

  const std::uint64_t buffer_start = 8 + header_bytes;
  const std::uint64_t buffer_size = size - buffer_start;
  for (const ParsedEntry& entry : entries) {
    if (entry.end > buffer_size) {
      parser.fail(entry.name, "data_offsets end " + std::to_string(entry.end) +
                                  " is past the end of the data buffer (" + std::to_string(buffer_size) +
                                  " bytes from file offset " + std::to_string(buffer_start) + ")");
    }
  }

  // The tensors must tile the buffer exactly, as the reference reader requires.
  std::sort(entries.begin(), entries.end(), [](const ParsedEntry& a, const ParsedEntry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t covered = 0;
  const ParsedEntry* previous = nullptr;
  for (const ParsedEntry& entry : entries) {
    if (entry.begin < covered) {
      throw FormatError(name, buffer_start + entry.begin,
                        "tensor '" + entry.name + "' (data offsets [" + std::to_string(entry.begin) + ", " +
                            std::to_string(entry.end) + "]) overlaps tensor '" + previous->name + "', which ends at " +
                            std::to_string(covered));
    }
    if (entry.begin > covered) {
      throw FormatError(name, buffer_start + covered,
                        "gap of " + std::to_string(entry.begin - covered) +
                            " bytes in the data buffer before tensor '" + entry.name + "' (data offsets " +
                            std::to_string(covered) + " to " + std::to_string(entry.begin) + " belong to no tensor)");
    }
    covered = entry.end;
    previous = &entry;
  }
  if (covered != buffer_size) {
    throw FormatError(name, buffer_start + covered,
                      "the tensors end at data offset " + std::to_string(covered) + " but the data buffer is " +
                          std::to_string(buffer_size) + " bytes (" + std::to_string(buffer_size - covered) +
                          " trailing bytes belong to no tensor)");
  }

  tensors_.reserve(entries.size());
  for (ParsedEntry& entry : entries) {
    TensorInfo info;
    info.name = std::move(entry.name);
    info.dtype = entry.dtype;
    info.shape.assign(entry.shape.begin(), entry.shape.end());
    info.file_offset = buffer_start + entry.begin;
    info.data = file_.data() + info.file_offset;
    info.size_bytes = entry.end - entry.begin;
    info.file = name;
    tensors_.push_back(std::move(info));
  }
  for (std::size_t i = 0; i < tensors_.size(); ++i) by_name_.emplace(tensors_[i].name, i);
}

const TensorInfo* SafetensorsFile::find(std::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &tensors_[it->second];
}

std::unique_ptr<SafetensorsCheckpoint> SafetensorsCheckpoint::open(const std::filesystem::path& index_path) {
  std::unique_ptr<SafetensorsCheckpoint> checkpoint(new SafetensorsCheckpoint());
  checkpoint->index_path_ = std::filesystem::is_directory(index_path) ? index_path / kSafetensorsIndexName : index_path;
  const std::filesystem::path& index_file = checkpoint->index_path_;
  const std::string index_name = index_file.string();

  const json index = read_json_file(index_file);
  if (!index.is_object())
    throw FormatError(index_name, std::nullopt, "the index is " + json_kind(index) + ", expected a JSON object");
  if (const auto metadata = index.find("metadata"); metadata != index.end()) {
    if (!metadata->is_object())
      throw FormatError(index_name, std::nullopt, "\"metadata\" is " + json_kind(*metadata) + ", expected an object");
    checkpoint->index_metadata_json_ = metadata->dump();
  } else {
    checkpoint->index_metadata_json_ = "{}";
  }
  const auto weight_map = index.find("weight_map");
  if (weight_map == index.end()) throw FormatError(index_name, std::nullopt, "missing \"weight_map\"");
  if (!weight_map->is_object())
    throw FormatError(index_name, std::nullopt, "\"weight_map\" is " + json_kind(*weight_map) + ", expected an object");
  if (weight_map->empty())
    throw FormatError(index_name, std::nullopt, "\"weight_map\" is empty: a checkpoint needs at least one tensor");

  // Shard file name -> the tensors the index puts there.
  std::map<std::string, std::vector<std::string>> tensors_by_shard;
  for (const auto& [tensor, shard_value] : weight_map->items()) {
    if (!shard_value.is_string()) {
      throw FormatError(
          index_name, std::nullopt,
          "weight_map entry of tensor '" + tensor + "' is " + json_kind(shard_value) + ", expected a shard file name");
    }
    const std::string shard = shard_value.get<std::string>();
    if (shard.empty() || shard == "." || shard == ".." || shard.find('/') != std::string::npos ||
        shard.find('\\') != std::string::npos) {
      throw FormatError(index_name, std::nullopt,
                        "weight_map entry of tensor '" + tensor + "' is \"" + shard +
                            "\", expected a file name in the index's folder");
    }
    tensors_by_shard[shard].push_back(tensor);
  }

  const std::filesystem::path folder = index_file.parent_path();
  for (const auto& [shard_name, names] : tensors_by_shard) {
    const std::filesystem::path shard_path = folder / shard_name;
    if (!std::filesystem::exists(shard_path)) {
      throw FormatError(index_name, std::nullopt,
                        "weight_map puts " + std::to_string(names.size()) + " tensors (e.g. '" + names.front() +
                            "') in shard '" + shard_name + "', but " + shard_path.string() + " does not exist");
    }
    auto shard = SafetensorsFile::open(shard_path);
    for (const TensorInfo& tensor : shard->tensors()) {
      const auto mapped = weight_map->find(tensor.name);
      if (mapped == weight_map->end()) {
        throw FormatError(shard_path.string(), tensor.file_offset,
                          "tensor '" + tensor.name + "' is in this shard but not in the index " + index_name);
      }
      if (mapped->get<std::string>() != shard_name) {
        throw FormatError(shard_path.string(), tensor.file_offset,
                          "tensor '" + tensor.name + "' is in this shard but the index " + index_name +
                              " puts it in '" + mapped->get<std::string>() +
                              "' (a tensor must be in exactly one shard)");
      }
    }
    for (const std::string& name : names) {
      if (shard->find(name) == nullptr) {
        throw FormatError(
            index_name, std::nullopt,
            "weight_map puts tensor '" + name + "' in shard '" + shard_name + "', which has no such tensor");
      }
    }
    checkpoint->shards_.push_back(std::move(shard));
  }

  for (const auto& shard : checkpoint->shards_)
    checkpoint->tensors_.insert(checkpoint->tensors_.end(), shard->tensors().begin(), shard->tensors().end());
  for (std::size_t i = 0; i < checkpoint->tensors_.size(); ++i)
    checkpoint->by_name_.emplace(checkpoint->tensors_[i].name, i);
  return checkpoint;
}

const TensorInfo* SafetensorsCheckpoint::find(std::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &tensors_[it->second];
}

std::string SafetensorsCheckpoint::describe() const {
  return "sharded checkpoint " + index_path_.parent_path().string() + " (" + std::to_string(shards_.size()) + " files)";
}

void SafetensorsCheckpoint::drop_pages(const std::byte* data, std::size_t bytes) const {
  for (const auto& shard : shards_) shard->drop_pages(data, bytes);  // only the shard holding them acts
}

}  // namespace linea::io
