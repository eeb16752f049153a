#include "app/cli/inspect_command.h"

#include "app/cli/argument_parser.h"
#include "engine/io/gguf.h"
#include "engine/io/json_file.h"
#include "engine/io/open_weights.h"
#include "engine/io/safetensors.h"
#include "engine/models/registry.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>

namespace linea::cli {

using io::shape_text;
namespace {

using nlohmann::json;

// Arrays longer than this are summarised ("[65536 strings]") instead of listed.
constexpr std::size_t kListedArrayItems = 8;
constexpr std::size_t kShownStringBytes = 80;

// Tokenizer files a Hugging Face (or RWKV) model folder may carry.
constexpr std::array<const char*, 7> kTokenizerFiles = {
    "tokenizer.json",          "tokenizer_config.json",   "vocab.json", "merges.txt", "tokenizer.model",
    "special_tokens_map.json", "rwkv_vocab_v20230424.txt"};

struct DTypeTotals {
  std::uint64_t tensors = 0;
  std::uint64_t bytes = 0;
};

// Everything `inspect` reports, gathered once and printed as text or JSON.
struct Report {
  std::string file;
  std::string format;
  std::string architecture;  // empty when unknown
  std::string model_type;    // config.json "model_type", when present
  std::uint64_t parameters = 0;
  std::uint64_t tensor_bytes = 0;
  std::map<std::string, DTypeTotals> dtypes;
  std::vector<std::pair<std::string, json>> metadata;  // summarised values
  json tokenizer = json::object();
  std::string tokenizer_text;
  const io::TensorSource* source = nullptr;
  // What the engine makes of it: the loaded model, or why it cannot run it.
  std::string model_description;
  std::string model_error;
  std::uint64_t memory_fixed = 0;      // session memory independent of the context (bytes)
  std::uint64_t memory_per_token = 0;  // and per position (KV caches)
};

// Loads the model with the engine (weights stay memory-mapped, so this is cheap) to report what it
// is and how much session memory it needs.
void describe_model(const std::filesystem::path& path, Report& report) {
  try {
    const std::shared_ptr<const Model> model = load_model(path);
    report.model_description = model->info().description;
    report.memory_fixed = model->info().memory_bytes_fixed;
    report.memory_per_token = model->info().memory_bytes_per_token;
  } catch (const std::exception& error) {
    report.model_error = error.what();
  }
}

std::string shortened(const std::string& text) {
  if (text.size() <= kShownStringBytes) return text;
  std::size_t cut = kShownStringBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep whole characters
  return text.substr(0, cut) + "...";
}

json summarise(const io::GgufValue& value);

json summarise_array(const io::GgufArray& array) {
  if (array.size() > kListedArrayItems || array.element_type() == io::GgufType::array) {
    std::string kind = array.element_type() == io::GgufType::string  ? "strings"
                       : array.element_type() == io::GgufType::array ? "arrays"
                                                                     : io::gguf_type_name(array.element_type());
    return "[" + std::to_string(array.size()) + " " + kind + "]";
  }
  return std::visit(
      [](const auto& items) {
        json list = json::array();
        for (const auto& item : items) {
          using T = std::decay_t<decltype(item)>;
          if constexpr (std::is_same_v<T, std::string>) {
            list.push_back(shortened(item));
          } else if constexpr (std::is_same_v<T, io::GgufArray>) {
            list.push_back(summarise_array(item));
          } else {
            list.push_back(static_cast<T>(item));
          }
        }
        return list;
      },
      array.items);
}

json summarise(const io::GgufValue& value) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>)
          return shortened(v);
        else if constexpr (std::is_same_v<T, io::GgufArray>)
          return summarise_array(v);
        else
          return v;
      },
      value.value);
}

std::string grouped(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

std::string human_count(std::uint64_t n) {
  static constexpr std::array<std::pair<double, const char*>, 3> kUnits = {{{1e9, "B"}, {1e6, "M"}, {1e3, "K"}}};
  for (const auto& [scale, unit] : kUnits) {
    if (static_cast<double>(n) >= scale) {
      char text[32];
      std::snprintf(text, sizeof text, "%.2f %s", static_cast<double>(n) / scale, unit);
      return text;
    }
  }
  return std::to_string(n);
}

std::string human_bytes(std::uint64_t n) {
  static constexpr std::array<std::pair<double, const char*>, 3> kUnits = {
      {{1024.0 * 1024 * 1024, "GiB"}, {1024.0 * 1024, "MiB"}, {1024.0, "KiB"}}};
  for (const auto& [scale, unit] : kUnits) {
    if (static_cast<double>(n) >= scale) {
      char text[32];
      std::snprintf(text, sizeof text, "%.2f %s", static_cast<double>(n) / scale, unit);
      return text;
    }
  }
  return std::to_string(n) + " bytes";
}

// config.json's architecture and the tokenizer files beside safetensors weights.
void read_folder(const std::filesystem::path& folder, Report& report) {
  const std::filesystem::path config = folder / "config.json";
  if (std::filesystem::exists(config)) {
    const json parsed = io::read_json_file(config);
    if (const auto it = parsed.find("architectures");
        it != parsed.end() && it->is_array() && !it->empty() && it->front().is_string())
      report.architecture = it->front().get<std::string>();
    if (const auto it = parsed.find("model_type"); it != parsed.end() && it->is_string())
      report.model_type = it->get<std::string>();
    if (report.architecture.empty()) report.architecture = report.model_type;
  }
  json files = json::array();
  for (const char* name : kTokenizerFiles)
    if (std::filesystem::exists(folder / name)) files.push_back(name);
  report.tokenizer = {{"files", files}};
  if (files.empty()) {
    report.tokenizer_text = "no tokenizer files beside the weights";
  } else {
    for (const auto& name : files)
      report.tokenizer_text += (report.tokenizer_text.empty() ? "" : ", ") + name.get<std::string>();
  }
}

void read_gguf(const io::GgufFile& gguf, Report& report) {
  report.format = "GGUF v" + std::to_string(gguf.version()) + " (alignment " + std::to_string(gguf.alignment()) + ")";
  if (const auto* arch = gguf.find_metadata("general.architecture"))
    if (const auto* text = arch->get_if<std::string>()) report.architecture = *text;
  for (const auto& entry : gguf.metadata()) report.metadata.emplace_back(entry.key, summarise(entry.value));
  const auto* model = gguf.find_metadata("tokenizer.ggml.model");
  const auto* tokens = gguf.find_metadata("tokenizer.ggml.tokens");
  const std::string model_name = model && model->get_if<std::string>() ? *model->get_if<std::string>() : "";
  const std::size_t vocab = tokens && tokens->get_if<io::GgufArray>() ? tokens->get_if<io::GgufArray>()->size() : 0;
  if (model_name.empty() && vocab == 0) {
    report.tokenizer_text = "none in the file";
  } else {
    report.tokenizer = {{"model", model_name}, {"tokens", vocab}};
    report.tokenizer_text = (model_name.empty() ? "unnamed" : model_name) + ", " + grouped(vocab) + " tokens";
  }
}

Report gather(const std::filesystem::path& path, std::unique_ptr<io::TensorSource>& weights) {
  const io::WeightsLocation location = io::locate_weights(path);
  Report report;
  switch (location.format) {
    case io::WeightsFormat::gguf: {
      auto gguf = io::GgufFile::open(location.file);
      read_gguf(*gguf, report);
      weights = std::move(gguf);
      break;
    }
    case io::WeightsFormat::safetensors: {
      auto file = io::SafetensorsFile::open(location.file);
      report.format = "safetensors";
      for (const auto& [key, value] : file->metadata()) report.metadata.emplace_back(key, shortened(value));
      read_folder(location.folder, report);
      weights = std::move(file);
      break;
    }
    case io::WeightsFormat::safetensors_sharded: {
      auto checkpoint = io::SafetensorsCheckpoint::open(location.file);
      report.format = "sharded safetensors (" + std::to_string(checkpoint->shards().size()) + " files)";
      const json index_metadata = json::parse(checkpoint->index_metadata_json());
      for (const auto& [key, value] : index_metadata.items()) report.metadata.emplace_back(key, value);
      read_folder(location.folder, report);
      weights = std::move(checkpoint);
      break;
    }
  }
  report.file = location.file.string();
  report.source = weights.get();
  for (const io::TensorInfo& tensor : weights->tensors()) {
    report.parameters += static_cast<std::uint64_t>(tensor.element_count());
    report.tensor_bytes += tensor.size_bytes;
    DTypeTotals& totals = report.dtypes[std::string(dtype_name(tensor.dtype))];
    ++totals.tensors;
    totals.bytes += tensor.size_bytes;
  }
  return report;
}

void print_text(const Report& report, bool list_tensors, std::ostream& out) {
  const auto& tensors = report.source->tensors();
  out << "file:         " << report.file << '\n';
  out << "format:       " << report.format << '\n';
  out << "architecture: " << (report.architecture.empty() ? "unknown" : report.architecture);
  if (!report.model_type.empty() && report.model_type != report.architecture)
    out << " (model_type " << report.model_type << ")";
  out << '\n';
  out << "tensors:      " << tensors.size() << " (" << human_bytes(report.tensor_bytes) << ")\n";
  out << "parameters:   " << grouped(report.parameters) << " (" << human_count(report.parameters) << ")\n";
  out << "dtypes:\n";
  for (const auto& [name, totals] : report.dtypes)
    out << "  " << name << ": " << totals.tensors << (totals.tensors == 1 ? " tensor, " : " tensors, ")
        << human_bytes(totals.bytes) << '\n';
  out << "metadata:     " << report.metadata.size() << " keys\n";
  for (const auto& [key, value] : report.metadata) out << "  " << key << " = " << value.dump() << '\n';
  out << "tokenizer:    " << report.tokenizer_text << '\n';
  if (list_tensors) {
    out << "tensor list:\n";
    for (const io::TensorInfo& tensor : tensors) {
      out << "  " << tensor.name << "  " << dtype_name(tensor.dtype) << "  " << shape_text(tensor.shape) << "  offset "
          << tensor.file_offset << '\n';
    }
  }
  if (report.model_error.empty()) {
    out << "model:        " << report.model_description << '\n';
    out << "memory:       " << human_bytes(report.memory_fixed) << " of recurrent state";
    if (report.memory_per_token > 0) out << " + " << human_bytes(report.memory_per_token) << " per token (KV caches)";
    out << '\n';
  } else {
    out << "model:        not runnable: " << report.model_error << '\n';
  }
  out << "validation:   valid\n";
}

void print_json(const Report& report, bool list_tensors, std::ostream& out) {
  json dtypes = json::object();
  for (const auto& [name, totals] : report.dtypes)
    dtypes[name] = {{"tensors", totals.tensors}, {"bytes", totals.bytes}};
  json metadata = json::object();
  for (const auto& [key, value] : report.metadata) metadata[key] = value;
  json result = {{"file", report.file},
                 {"format", report.format},
                 {"architecture", report.architecture.empty() ? json() : json(report.architecture)},
                 {"tensor_count", report.source->tensors().size()},
                 {"tensor_bytes", report.tensor_bytes},
                 {"parameter_count", report.parameters},
                 {"dtypes", dtypes},
                 {"metadata", metadata},
                 {"tokenizer", report.tokenizer},
                 {"validation", "valid"}};
  if (!report.model_type.empty()) result["model_type"] = report.model_type;
  if (report.model_error.empty())
    result["model"] = {{"description", report.model_description},
                       {"memory_bytes_fixed", report.memory_fixed},
                       {"memory_bytes_per_token", report.memory_per_token}};
  else
    result["model"] = {{"error", report.model_error}};
  if (list_tensors) {
    json tensors = json::array();
    for (const io::TensorInfo& tensor : report.source->tensors()) {
      tensors.push_back({{"name", tensor.name},
                         {"dtype", dtype_name(tensor.dtype)},
                         {"shape", tensor.shape},
                         {"offset", tensor.file_offset},
                         {"bytes", tensor.size_bytes},
                         {"file", tensor.file}});
    }
    result["tensors"] = tensors;
  }
  out << result.dump(2) << '\n';
}

}  // namespace

int run_inspect(CommandContext& context) {
  ArgumentParser parser("linea-cli inspect",
                        "Shows what a model file or folder holds (GGUF, safetensors, a sharded checkpoint or a "
                        "Hugging Face folder) and validates it.");
  parser.add_positional("FILE_OR_DIR", "a .gguf or .safetensors file, a model.safetensors.index.json, or a folder");
  parser.add_flag({"--tensors"}, "also list every tensor: name, dtype, shape, byte offset");
  parser.add_flag({"--json"}, "print one JSON object instead of text");
  parser.add_flag({"-h", "--help"}, "show this help");
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;

  std::unique_ptr<io::TensorSource> weights;
  Report report = gather(*parser.positional("FILE_OR_DIR"), weights);
  describe_model(*parser.positional("FILE_OR_DIR"), report);
  if (parser.has("--json")) {
    print_json(report, parser.has("--tensors"), context.out);
  } else {
    print_text(report, parser.has("--tensors"), context.out);
  }
  return 0;
}

}  // namespace linea::cli
