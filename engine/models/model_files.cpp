#include "engine/models/model_files.h"

#include "engine/io/format_error.h"
#include "engine/io/json_file.h"
#include "engine/io/open_weights.h"
#include "engine/models/rwkv_cpp_file.h"

namespace linea {

std::string ModelFiles::declared_architecture() const {
  if (gguf) {
    if (const io::GgufValue* value = gguf->find_metadata("general.architecture")) {
      (void)value;
      return gguf->get_string("general.architecture");
    }
    return {};
  }
  if (config) {
    const auto found = config->find("model_type");
    if (found != config->end() && found->is_string()) return found->get<std::string>();
  }
  return {};
}

ModelFiles open_model_files(const std::filesystem::path& path) {
  ModelFiles files;
  files.path = path;
  if (std::filesystem::is_regular_file(path) && RwkvCppFile::looks_like(path)) {
    files.format = "rwkv.cpp";
    files.tensors = RwkvCppFile::open(path);
    return files;
  }
  const io::WeightsLocation location = io::locate_weights(path);
  files.format = std::string(io::weights_format_name(location.format));
  std::unique_ptr<io::TensorSource> tensors = io::open_weights(path);
  if (location.format == io::WeightsFormat::gguf) {
    files.gguf = dynamic_cast<const io::GgufFile*>(tensors.get());
  } else {
    const std::filesystem::path config = location.folder / "config.json";
    if (std::filesystem::is_regular_file(config)) {
      files.config = io::read_json_file(config);
      files.config_path = config;
      if (!files.config->is_object()) throw io::FormatError(config.string(), 0, "config.json is not a JSON object");
    }
  }
  files.tensors = std::move(tensors);
  return files;
}

}  // namespace linea
