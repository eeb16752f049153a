#include "engine/tokenizer/chat_template.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace linea::tokenizer {
namespace {

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Python's str.lstrip('\n'), rstrip('\n'), strip('\n').
std::string_view lstrip_newlines(std::string_view text) {
  const std::size_t start = text.find_first_not_of('\n');
  return start == std::string_view::npos ? std::string_view() : text.substr(start);
}
std::string_view rstrip_newlines(std::string_view text) {
  const std::size_t end = text.find_last_not_of('\n');
  return end == std::string_view::npos ? std::string_view() : text.substr(0, end + 1);
}
std::string_view strip_newlines(std::string_view text) { return rstrip_newlines(lstrip_newlines(text)); }

[[noreturn]] void unsupported_role(ChatFamily family, const std::string& role) {
  throw std::invalid_argument("the " + std::string(chat_family_name(family)) + " chat format has no role '" + role +
                              "'");
}

std::string render_chatml(std::span<const ChatMessage> messages, const ChatOptions& options) {
  std::string out;
  for (const ChatMessage& message : messages)
    out += "<|im_start|>" + message.role + "\n" + message.content + "<|im_end|>\n";
  if (options.add_generation_prompt) out += "<|im_start|>assistant\n";
  return out;
}

// Qwen3's template: the system message first; an assistant turn after the last real user query
// keeps its reasoning in <think> tags, earlier ones lose it; consecutive tool results share one
// user turn.
std::string render_qwen3(std::span<const ChatMessage> messages, const ChatOptions& options) {
  std::string out;
  if (!messages.empty() && messages[0].role == "system")
    out += "<|im_start|>system\n" + messages[0].content + "<|im_end|>\n";

  // The last user message that is not a wrapped tool response.
  std::size_t last_query = messages.empty() ? 0 : messages.size() - 1;
  for (std::size_t i = messages.size(); i-- > 0;) {
    const ChatMessage& message = messages[i];
    const bool tool_response =
        message.content.starts_with("<tool_response>") && message.content.ends_with("</tool_response>");
    if (message.role == "user" && !tool_response) {
      last_query = i;
      break;
    }
  }

  for (std::size_t i = 0; i < messages.size(); ++i) {
    const ChatMessage& message = messages[i];
    const bool last = i + 1 == messages.size();
    if (message.role == "user" || (message.role == "system" && i != 0)) {
      out += "<|im_start|>" + message.role + "\n" + message.content + "<|im_end|>\n";
    } else if (message.role == "assistant") {
      std::string_view content = message.content;
      std::string_view reasoning;
      if (message.reasoning_content) {
        reasoning = *message.reasoning_content;
      } else if (const std::size_t close = content.find("</think>"); close != std::string_view::npos) {
        const std::string_view before = content.substr(0, close);
        const std::size_t open = before.rfind("<think>");
        reasoning = lstrip_newlines(rstrip_newlines(open == std::string_view::npos ? before : before.substr(open + 7)));
        content = lstrip_newlines(content.substr(content.rfind("</think>") + 8));
      }
      if (i > last_query && (last || !reasoning.empty()))
        out += "<|im_start|>assistant\n<think>\n" + std::string(strip_newlines(reasoning)) + "\n</think>\n\n" +
               std::string(lstrip_newlines(content));
      else
        out += "<|im_start|>assistant\n" + std::string(content);
      out += "<|im_end|>\n";
    } else if (message.role == "tool") {
      if (i == 0 || messages[i - 1].role != "tool") out += "<|im_start|>user";
      out += "\n<tool_response>\n" + message.content + "\n</tool_response>";
      if (last || messages[i + 1].role != "tool") out += "<|im_end|>\n";
    } else if (message.role != "system") {
      unsupported_role(ChatFamily::qwen3, message.role);
    }
  }
  if (options.add_generation_prompt) {
    out += "<|im_start|>assistant\n";
    if (options.enable_thinking == false) out += "<think>\n\n</think>\n\n";
  }
  return out;
}

// MiniMax-M1's template: all system messages joined into one system turn at the start.
std::string render_minimax(std::span<const ChatMessage> messages, const ChatOptions& options) {
  std::string out = "<begin_of_document>";
  std::string system;
  for (const ChatMessage& message : messages)
    if (message.role == "system") system += message.content;
  if (!system.empty()) out += "<beginning_of_sentence>system ai_setting=assistant\n" + system + "<end_of_sentence>\n";
  for (const ChatMessage& message : messages) {
    if (message.role == "user") {
      out += "<beginning_of_sentence>user name=user\n" + message.content + "<end_of_sentence>\n";
    } else if (message.role == "assistant") {
      out += "<beginning_of_sentence>ai name=assistant\n" + message.content + "<end_of_sentence>\n";
    } else if (message.role == "tool") {
      out += "<beginning_of_sentence>tool name=tools\ntool name: " + message.name +
             "\ntool result: " + message.content + "\n\n<end_of_sentence>\n";
    } else if (message.role != "system") {
      unsupported_role(ChatFamily::minimax, message.role);
    }
  }
  if (options.add_generation_prompt) out += "<beginning_of_sentence>ai name=assistant\n";
  return out;
}

bool is_python_whitespace(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Decodes the UTF-8 character at text[i] (or returns the byte for malformed input), with its length.
std::pair<char32_t, std::size_t> character_at(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (length == 1 || i + length > text.size()) return {lead, 1};
  char32_t cp = lead & (0x7Fu >> (length + 1));
  for (std::size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
  return {cp, length};
}

// RWKV's prompt cleaning: re.sub(r'\n{2,}', '\n', text.replace('\r\n', '\n')).strip(). The model
// was trained with "\n\n" as the separator of chat rounds, so it must not appear inside a turn.
std::string clean_rwkv_text(std::string_view text) {
  std::string unified;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    unified += text[i];
  }
  std::string collapsed;  // every run of newlines becomes one
  for (std::size_t i = 0; i < unified.size(); ++i)
    if (unified[i] != '\n' || i == 0 || unified[i - 1] != '\n') collapsed += unified[i];
  std::size_t begin = 0;
  while (begin < collapsed.size()) {
    const auto [cp, length] = character_at(collapsed, begin);
    if (!is_python_whitespace(cp)) break;
    begin += length;
  }
  std::size_t end = begin;
  for (std::size_t i = begin; i < collapsed.size();) {
    const auto [cp, length] = character_at(collapsed, i);
    i += length;
    if (!is_python_whitespace(cp)) end = i;
  }
  return collapsed.substr(begin, end - begin);
}

std::string render_rwkv_g1(std::span<const ChatMessage> messages, const ChatOptions& options) {
  std::string out;
  for (const ChatMessage& message : messages) {
    const char* speaker = message.role == "system"      ? "System: "
                          : message.role == "user"      ? "User: "
                          : message.role == "assistant" ? "Assistant: "
                                                        : nullptr;
    if (speaker == nullptr) unsupported_role(ChatFamily::rwkv_g1, message.role);
    out += speaker + clean_rwkv_text(message.content) + "\n\n";
  }
  if (options.add_generation_prompt) out += options.enable_thinking == true ? "Assistant: <think" : "Assistant:";
  return out;
}

}  // namespace

std::optional<ChatFamily> detect_chat_family(const ChatTemplateHints& hints) {
  const std::string_view text = hints.template_text;
  if (!text.empty()) {
    if (contains(text, "<beginning_of_sentence>") && contains(text, "ai name=assistant")) return ChatFamily::minimax;
    if (contains(text, "<|im_start|>"))
      return contains(text, "<think>") || contains(text, "reasoning_content") ? ChatFamily::qwen3 : ChatFamily::chatml;
    if (contains(text, "User: ") && contains(text, "Assistant:")) return ChatFamily::rwkv_g1;
  }
  const std::string model = lowercase(hints.model_type);
  if (model.starts_with("rwkv")) return ChatFamily::rwkv_g1;
  if (contains(model, "minimax")) return ChatFamily::minimax;
  if (model.starts_with("qwen3")) return ChatFamily::qwen3;
  if (model.starts_with("qwen2")) return ChatFamily::chatml;
  if (lowercase(hints.tokenizer_model) == "rwkv") return ChatFamily::rwkv_g1;
  if (hints.tokenizer_class == "Qwen2Tokenizer" || hints.tokenizer_class == "Qwen2TokenizerFast")
    return ChatFamily::chatml;
  return std::nullopt;
}

std::string render_chat(ChatFamily family, std::span<const ChatMessage> messages, const ChatOptions& options) {
  switch (family) {
    case ChatFamily::chatml: return render_chatml(messages, options);
    case ChatFamily::qwen3: return render_qwen3(messages, options);
    case ChatFamily::minimax: return render_minimax(messages, options);
    case ChatFamily::rwkv_g1: return render_rwkv_g1(messages, options);
  }
  throw std::invalid_argument("unknown chat family");
}

std::string_view chat_family_name(ChatFamily family) {
  switch (family) {
    case ChatFamily::chatml: return "chatml";
    case ChatFamily::qwen3: return "qwen3";
    case ChatFamily::minimax: return "minimax";
    case ChatFamily::rwkv_g1: return "rwkv_g1";
  }
  return "unknown";
}

std::optional<ChatFamily> chat_family_named(std::string_view name) {
  for (ChatFamily family : {ChatFamily::chatml, ChatFamily::qwen3, ChatFamily::minimax, ChatFamily::rwkv_g1})
    if (chat_family_name(family) == name) return family;
  return std::nullopt;
}

}  // namespace linea::tokenizer
