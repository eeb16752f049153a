#include "app/cli/quantize_command.h"

#include "app/cli/argument_parser.h"
#include "engine/cpu/thread_pool.h"
#include "engine/io/dequantize.h"
#include "engine/io/gguf.h"
#include "engine/io/gguf_writer.h"
#include "engine/io/open_weights.h"
#include "engine/io/quantize.h"

#include <cctype>
#include <cmath>
#include <iomanip>
#include <map>
#include <ostream>

namespace linea::cli {

namespace {

DType parse_type(const std::string& text) {
  if (text == "q8_0") return DType::q8_0;
  if (text == "q4_0") return DType::q4_0;
  if (text == "q4_k") return DType::q4_k;
  if (text == "q6_k") return DType::q6_k;
  throw UsageError("--type must be q8_0, q4_0, q4_k or q6_k, not '" + text + "'");
}

// general.file_type of a file whose matrices are mostly `type` (llama.cpp's LLAMA_FTYPE values).
std::uint32_t file_type(DType type) {
  switch (type) {
    case DType::q8_0: return 7;
    case DType::q4_0: return 2;
    case DType::q4_k: return 14;  // MOSTLY_Q4_K_S: every matrix Q4_K (or Q8_0 where rows forbid it)
    case DType::q6_k: return 18;
    default: return 0;
  }
}

// "blk.3.time_mix_key.weight" -> "blk.N.time_mix_key.weight": the kind a tensor is, across layers.
std::string tensor_kind(const std::string& name) {
  std::string kind;
  for (std::size_t i = 0; i < name.size();) {
    const bool digits_between_dots =
        std::isdigit(static_cast<unsigned char>(name[i])) && (i == 0 || name[i - 1] == '.');
    if (digits_between_dots) {
      std::size_t end = i;
      while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end]))) ++end;
      if (end == name.size() || name[end] == '.') {
        kind += 'N';
        i = end;
        continue;
      }
    }
    kind += name[i++];
  }
  return kind;
}

struct ErrorSum {
  DType from = DType::f32, to = DType::f32;
  int tensors = 0;
  double squared_error = 0, squared_signal = 0, count = 0;
};

}  // namespace

int run_quantize(CommandContext& context) {
  ArgumentParser parser("linea-cli quantize",
                        "Write a GGUF copy of a model with its matrices quantized (GGUF or safetensors in). Matrices "
                        "(2-D float tensors whose rows are whole blocks) get TYPE; a K-quant matrix with rows of "
                        "whole 32-blocks only gets Q8_0; vectors and everything else are copied unchanged, as is "
                        "the metadata of a GGUF input.");
  parser.add_flag({"-h", "--help"}, "show this help");
  parser.add_positional("IN", "GGUF file, safetensors file, sharded index, or Hugging Face model folder");
  parser.add_positional("OUT", "GGUF file to write");
  parser.add_option({"--type"}, "TYPE", "q8_0, q4_0, q4_k or q6_k");
  parser.add_option({"--threads"}, "T", "threads (default: every hardware thread)", "0");
  if (!parser.parse_or_help(context.arguments, context.out)) return 0;
  if (!parser.has("--type")) throw UsageError("--type is required (q8_0, q4_0, q4_k or q6_k)");
  const DType target = parse_type(parser.value("--type"));
  const long long threads = parser.integer("--threads");
  if (threads < 0) throw UsageError("--threads must not be negative");
  const std::string in = *parser.positional("IN"), out = *parser.positional("OUT");

  const io::WeightsLocation location = io::locate_weights(in);
  const std::unique_ptr<io::TensorSource> source = io::open_weights(in);
  io::GgufWriter writer;
  if (location.format == io::WeightsFormat::gguf) {
    const auto* gguf = dynamic_cast<const io::GgufFile*>(source.get());
    if (gguf == nullptr) throw std::logic_error("a GGUF location did not open as a GGUF file");
    for (const io::GgufMetadataEntry& entry : gguf->metadata()) {
      if (entry.key == "general.file_type" || entry.key == "general.quantization_version") continue;
      writer.add_metadata(entry.key, entry.value);
    }
  }
  writer.add_metadata("general.file_type", std::uint32_t{file_type(target)});
  writer.add_metadata("general.quantization_version", std::uint32_t{2});

  cpu::ThreadPool pool(static_cast<int>(threads));
  std::map<std::string, ErrorSum> errors;  // by tensor kind
  std::uint64_t bytes_in = 0, bytes_out = 0;
  for (const io::TensorInfo& tensor : source->tensors()) {
    bytes_in += tensor.size_bytes;
    const std::optional<DType> type = io::quantized_type_for(tensor, target);
    if (!type) {
      writer.add_tensor(tensor.name, tensor.dtype, tensor.shape,
                        std::span<const std::byte>(tensor.data, tensor.size_bytes));
      bytes_out += tensor.size_bytes;
      continue;
    }
    const std::int64_t rows = tensor.shape[0], cols = tensor.shape[1];
    const DTypeInfo info = dtype_info(*type);
    const auto row_bytes = static_cast<std::size_t>(cols / info.block_size * info.block_bytes);
    std::vector<std::byte> blocks(static_cast<std::size_t>(rows) * row_bytes);
    std::vector<double> squared_error(static_cast<std::size_t>(rows)), squared_signal(static_cast<std::size_t>(rows));
    // Rows in parallel; each row's error is kept apart and summed in order afterwards.
    pool.parallel_for(rows, std::max<std::int64_t>(1, 65536 / cols), [&](std::int64_t begin, std::int64_t end) {
      std::vector<float> back(static_cast<std::size_t>(cols));
      for (std::int64_t r = begin; r < end; ++r) {
        const std::vector<float> values = io::to_f32_rows(tensor, r, 1);
        std::byte* row_out = blocks.data() + static_cast<std::size_t>(r) * row_bytes;
        io::quantize(*type, values, row_out);
        io::dequantize(*type, row_out, values.size(), back.data());
        double error = 0, signal = 0;
        for (std::size_t i = 0; i < values.size(); ++i) {
          error += (double(back[i]) - values[i]) * (double(back[i]) - values[i]);
          signal += double(values[i]) * values[i];
        }
        squared_error[static_cast<std::size_t>(r)] = error;
        squared_signal[static_cast<std::size_t>(r)] = signal;
      }
    });
    ErrorSum& sum = errors[tensor_kind(tensor.name)];
    sum.from = tensor.dtype;
    sum.to = *type;
    ++sum.tensors;
    for (std::size_t r = 0; r < squared_error.size(); ++r) {
      sum.squared_error += squared_error[r];
      sum.squared_signal += squared_signal[r];
    }
    sum.count += static_cast<double>(rows * cols);
    bytes_out += blocks.size();
    writer.add_tensor(tensor.name, *type, tensor.shape, std::move(blocks));
  }
  writer.write(out);

  context.out << "quantized " << in << " -> " << out << " (" << dtype_name(target) << ")\n"
              << std::fixed << std::setprecision(1) << "size: " << static_cast<double>(bytes_in) / (1 << 20)
              << " MiB -> " << static_cast<double>(bytes_out) / (1 << 20) << " MiB\n";
  if (errors.empty()) {
    context.out << "no tensor was a matrix this type can hold; everything was copied unchanged\n";
    return 0;
  }
  context.out << "error introduced, per tensor kind (RMS of quantized − original; relative: ÷ RMS of original):\n";
  double total_error = 0, total_signal = 0;
  for (const auto& [kind, sum] : errors) {
    total_error += sum.squared_error;
    total_signal += sum.squared_signal;
    context.out << "  " << std::left << std::setw(40) << kind << std::right << std::setw(3) << sum.tensors << " × "
                << dtype_name(sum.from) << " -> " << std::setw(4) << dtype_name(sum.to) << std::scientific
                << std::setprecision(3) << "  rms " << std::sqrt(sum.squared_error / sum.count) << "  relative "
                << std::sqrt(sum.squared_error / std::max(sum.squared_signal, 1e-300)) << std::fixed << '\n';
  }
  context.out << std::setprecision(4) << "all quantized tensors: relative rms error "
              << std::sqrt(total_error / std::max(total_signal, 1e-300)) << '\n';
  return 0;
}

}  // namespace linea::cli
