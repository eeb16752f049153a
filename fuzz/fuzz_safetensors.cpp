// libFuzzer target: SafetensorsFile::open on arbitrary bytes must either succeed or throw
// FormatError; anything else is a finding. Accepted files have every float tensor converted and
// every byte of every tensor read.
#include "engine/io/dequantize.h"
#include "engine/io/format_error.h"
#include "engine/io/safetensors.h"
#include "fuzz/in_memory_file.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto file = linea::io::SafetensorsFile::open(linea::fuzz::in_memory_file(data, size));
    unsigned sum = 0;
    for (const linea::io::TensorInfo& tensor : file->tensors()) {
      for (std::uint64_t i = 0; i < tensor.size_bytes; ++i) sum += std::to_integer<unsigned>(tensor.data[i]);
      if (linea::io::can_convert_to_f32(tensor.dtype) && tensor.element_count() <= (1 << 20))
        (void)linea::io::to_f32(tensor);
    }
    (void)sum;
  } catch (const linea::io::FormatError&) {
  }
  return 0;
}
