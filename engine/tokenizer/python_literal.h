// Python string and bytes literals as the RWKV World vocabulary writes them ('a', "it's", b'\xe4',
// '\u4e00'), and the body of repr(bytes) that GGUF files store for RWKV tokens (\xff, \n, \\).
#pragma once

#include <string>
#include <string_view>

namespace linea::tokenizer {

// Parses one literal that makes up all of `literal`: a str literal gives the UTF-8 of its text, a
// bytes literal its bytes. Supports both quote styles, a b/B prefix, and the escapes \\ \' \" \a \b
// \f \n \r \t \v \xHH \ooo, plus \uXXXX and \UXXXXXXXX in str literals. Throws
// std::invalid_argument saying what is wrong and at which character.
std::string parse_python_literal(std::string_view literal);

// Parses the text between the quotes of repr(bytes) (what llama.cpp's converter stores for RWKV
// tokens): printable ASCII as itself, the escapes above without \u/\U. Throws std::invalid_argument.
std::string parse_python_bytes_body(std::string_view body);

}  // namespace linea::tokenizer
