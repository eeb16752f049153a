// Readers for the Hugging Face tokenizer files of byte-level BPE models:
//   tokenizer.json              (the `tokenizers` format: model, pre-tokenizer, normalizer, added tokens)
//   vocab.json + merges.txt     (GPT2Tokenizer, e.g. GPT-2 and MiniMax-Text-01 / M1)
//   tokenizer_config.json       (which added tokens are bos / eos / pad / unk; GPT2Tokenizer's added tokens)
//   generation_config.json      (extra end-of-generation ids)
//
// Supported in tokenizer.json: model BPE (merges as "a b" strings or ["a", "b"] pairs, ignore_merges,
// unk_token); normalizers NFC, NFD, NFKC, NFKD, Lowercase and Sequence; pre-tokenizers ByteLevel,
// Split (Regex or String pattern, every behaviour, invert), Digits and Sequence, with a ByteLevel
// step last among the splitting steps; decoder ByteLevel (or none). Anything else is a FormatError
// that names it, rather than a tokenizer that silently encodes differently.
#pragma once

#include "engine/tokenizer/bpe_tokenizer.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace linea::tokenizer {

// Parses tokenizer.json text. `source` names the file in errors. Throws linea::io::FormatError.
BpeTokenizerSpec parse_tokenizer_json(std::string_view json_text, const std::string& source);

// Reads vocab.json and merges.txt (GPT2Tokenizer: GPT-2's regex, no prefix space). Added tokens and
// special roles come later from tokenizer_config.json (apply_tokenizer_config); without one,
// "<|endoftext|>" is the special bos/eos/unk token when the vocabulary has it, as in GPT2Tokenizer.
BpeTokenizerSpec read_gpt2_vocab_files(const std::filesystem::path& vocab_json,
                                       const std::filesystem::path& merges_txt);

// Applies tokenizer_config.json text: bos_token / eos_token / pad_token / unk_token (strings or
// {"content": ...} objects) become special ids; added_tokens_decoder and additional_special_tokens
// become added tokens (for vocab.json models; tokenizer.json already lists its own); add_prefix_space
// sets the ByteLevel step's prefix space for vocab.json models. Throws linea::io::FormatError.
void apply_tokenizer_config(BpeTokenizerSpec& spec, std::string_view config_json, const std::string& source,
                            bool add_listed_tokens);

// Adds the eos_token_id of generation_config.json or config.json text (an id or a list of ids) to
// the end-of-generation ids. Throws linea::io::FormatError.
void apply_generation_config(SpecialTokenIds& ids, std::string_view config_json, const std::string& source);

// Reads a whole file as text; throws linea::io::FormatError when it cannot be read.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace linea::tokenizer
