// libFuzzer target: GgufFile::open on arbitrary bytes must either succeed or throw FormatError;
// anything else (a crash, a sanitizer report, another exception, an allocation past the RSS limit)
// is a finding. Accepted files have every tensor converted to float32, reading every byte.
#include "engine/io/dequantize.h"
#include "engine/io/format_error.h"
#include "engine/io/gguf.h"
#include "fuzz/in_memory_file.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto file = linea::io::GgufFile::open(linea::fuzz::in_memory_file(data, size));
    for (const auto& entry : file->metadata()) (void)entry.value.type_description();
    for (const linea::io::TensorInfo& tensor : file->tensors()) {
      if (linea::io::can_convert_to_f32(tensor.dtype) && tensor.element_count() <= (1 << 20))
        (void)linea::io::to_f32(tensor);
    }
  } catch (const linea::io::FormatError&) {
  }
  return 0;
}
