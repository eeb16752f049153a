// Chat prompts for the model families Linea runs, rendered by our own code rather than a Jinja
// engine: the family is recognised from the model's metadata, then its format is written out
// exactly as the family's published template would render it.
//
//   qwen3     Qwen3's ChatML with thinking: <|im_start|>role\n...<|im_end|>\n, past reasoning dropped
//   chatml    plain ChatML (Qwen2 and others)
//   minimax   MiniMax-Text-01 / M1: <begin_of_document><beginning_of_sentence>user name=user\n...
//   rwkv_g1   RWKV-7 World / G1: "System: ...\n\nUser: ...\n\nAssistant:"
//
// Not supported: function-calling tool lists (the `tools` argument of the Jinja templates) and
// assistant tool_calls; tool *results* (role "tool") are.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace linea::tokenizer {

enum class ChatFamily { chatml, qwen3, minimax, rwkv_g1 };

struct ChatMessage {
  std::string role;  // "system", "user", "assistant" or "tool"
  std::string content;
  std::optional<std::string> reasoning_content;  // qwen3: an assistant's thinking kept apart
  std::string name;                              // minimax: the tool a "tool" message comes from
};

struct ChatOptions {
  bool add_generation_prompt = true;    // end with the opening of the assistant's reply
  std::optional<bool> enable_thinking;  // qwen3: false adds an empty think block; rwkv_g1: true opens "<think"
};

// What a model says about its chat format; every field may be empty.
struct ChatTemplateHints {
  std::string template_text;    // GGUF tokenizer.chat_template, or tokenizer_config.json chat_template
  std::string model_type;       // config.json model_type, or GGUF general.architecture
  std::string tokenizer_class;  // tokenizer_config.json tokenizer_class
  std::string tokenizer_model;  // GGUF tokenizer.ggml.model ("gpt2", "rwkv"), or "rwkv" for an RWKV vocab
};

// The family, or nothing when the hints match none (callers then ask the user or use chatml).
// The template text is trusted first, then the architecture, then the tokenizer.
std::optional<ChatFamily> detect_chat_family(const ChatTemplateHints& hints);

// Throws std::invalid_argument for a role the family cannot express.
std::string render_chat(ChatFamily family, std::span<const ChatMessage> messages, const ChatOptions& options = {});

std::string_view chat_family_name(ChatFamily family);
std::optional<ChatFamily> chat_family_named(std::string_view name);

}  // namespace linea::tokenizer
