#include "engine/models/rwkv_cpp_file.h"

#include "engine/io/format_error.h"

#include <cstring>
#include <fstream>

namespace linea {

namespace {

constexpr std::int32_t kMaxKeyLength = 1024;

std::optional<DType> rwkv_cpp_dtype(std::int32_t code) {
  switch (code) {
    case 0: return DType::f32;
    case 1: return DType::f16;
    case 2: return DType::q4_0;
    case 3: return DType::q4_1;
    case 7: return DType::q5_0;
    case 8: return DType::q5_1;
    case 9: return DType::q8_0;
    default: return std::nullopt;
  }
}

}  // namespace

bool RwkvCppFile::looks_like(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char bytes[4] = {};
  if (!in.read(reinterpret_cast<char*>(bytes), 4)) return false;
  const std::uint32_t magic =
      bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (static_cast<std::uint32_t>(bytes[3]) << 24);
  return magic == kMagic;
}

std::unique_ptr<RwkvCppFile> RwkvCppFile::open(const std::filesystem::path& path) {
  std::unique_ptr<RwkvCppFile> file(new RwkvCppFile(io::MappedFile::open(path)));
  file->parse();
  return file;
}

const io::TensorInfo* RwkvCppFile::find(std::string_view name) const {
  const auto found = by_name_.find(std::string(name));
  return found == by_name_.end() ? nullptr : &tensors_[found->second];
}

void RwkvCppFile::parse() {
  const std::string path = file_.path().string();
  const std::byte* data = file_.data();
  const std::uint64_t size = file_.size();
  std::uint64_t at = 0;

  auto read_i32 = [&](const char* what) {
    if (size - at < 4) throw io::FormatError(path, at, std::string("file ends inside the ") + what);
    std::int32_t value;
    std::memcpy(&value, data + at, 4);
    at += 4;
    return value;
  };

  if (size < 24)
    throw io::FormatError(path, 0,
                          "file is " + std::to_string(size) + " bytes, too short for the 24-byte rwkv.cpp header");
  const auto magic = static_cast<std::uint32_t>(read_i32("magic"));
  if (magic != kMagic) throw io::FormatError(path, 0, "not an rwkv.cpp model file (magic is not 'ggmf')");
  version_ = read_i32("version");
  if (version_ != 100 && version_ != 101)
    throw io::FormatError(path, 4,
                          "rwkv.cpp file version " + std::to_string(version_) + " is not supported (100 or 101)");
  n_vocab_ = read_i32("header");
  n_embed_ = read_i32("header");
  n_layer_ = read_i32("header");
  const std::int32_t file_type = read_i32("header");
  if (n_vocab_ <= 0 || n_embed_ <= 0 || n_layer_ <= 0)
    throw io::FormatError(path, 8,
                          "header sizes must be positive (n_vocab " + std::to_string(n_vocab_) + ", n_embed " +
                              std::to_string(n_embed_) + ", n_layer " + std::to_string(n_layer_) + ")");
  (void)file_type;  // informational: per-tensor types are what count

  while (at < size) {
    const std::uint64_t record = at;
    const std::int32_t dims = read_i32("tensor record");
    const std::int32_t key_length = read_i32("tensor record");
    const std::int32_t type_code = read_i32("tensor record");
    if (dims < 1 || dims > 3)
      throw io::FormatError(path, record, "tensor has " + std::to_string(dims) + " dimensions, expected 1 to 3");
    if (key_length <= 0 || key_length > kMaxKeyLength)
      throw io::FormatError(
          path, record + 4,
          "tensor name length " + std::to_string(key_length) + " is outside 1.." + std::to_string(kMaxKeyLength));
    std::vector<std::int64_t> ne(static_cast<std::size_t>(dims));
    for (std::int64_t& d : ne) {
      d = read_i32("tensor shape");
      if (d <= 0) throw io::FormatError(path, at - 4, "tensor dimension " + std::to_string(d) + " is not positive");
    }
    if (size - at < static_cast<std::uint64_t>(key_length))
      throw io::FormatError(path, at, "file ends inside a tensor name");
    std::string name(reinterpret_cast<const char*>(data + at), static_cast<std::size_t>(key_length));
    at += static_cast<std::uint64_t>(key_length);

    const std::optional<DType> dtype = rwkv_cpp_dtype(type_code);
    if (!dtype)
      throw io::FormatError(path, record + 8,
                            "tensor '" + name + "' has unknown data type " + std::to_string(type_code));
    const DTypeInfo info = dtype_info(*dtype);
    std::uint64_t elements = 1;
    for (std::int64_t d : ne) elements *= static_cast<std::uint64_t>(d);  // each < 2^31, at most 3: no overflow
    if (ne[0] % info.block_size != 0)
      throw io::FormatError(path, record,
                            "tensor '" + name + "': innermost dimension " + std::to_string(ne[0]) +
                                " is not a multiple of the " + std::string(info.name) + " block size");
    const std::uint64_t bytes = elements / info.block_size * info.block_bytes;
    if (size - at < bytes)
      throw io::FormatError(path, at,
                            "tensor '" + name + "' needs " + std::to_string(bytes) +
                                " bytes of data but the file has " + std::to_string(size - at) + " left");
    if (by_name_.contains(name)) throw io::FormatError(path, record, "tensor '" + name + "' appears twice");

    io::TensorInfo tensor;
    tensor.name = name;
    tensor.dtype = *dtype;
    tensor.shape.assign(ne.rbegin(), ne.rend());
    tensor.data = data + at;
    tensor.size_bytes = bytes;
    tensor.file_offset = at;
    tensor.file = path;
    by_name_.emplace(name, tensors_.size());
    tensors_.push_back(std::move(tensor));
    at += bytes;
  }
}

}  // namespace linea
