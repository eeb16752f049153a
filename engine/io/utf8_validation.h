// UTF-8 well-formedness for strings read from model files (GGUF keys, values and tensor names).
// The tokenizer layer has its own UTF-8 helpers; io sits below it, so it carries this small check.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace linea::io {

// Index of the first byte that is not part of a well-formed UTF-8 sequence (overlongs, surrogates
// and code points above U+10FFFF are ill-formed), or nullopt when all of `text` is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

}  // namespace linea::io
