#include "engine/tokenizer/unicode_regex.h"

#include "engine/core/utf8.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdexcept>

namespace linea::tokenizer {
namespace {

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  pcre2_get_error_message(code, buffer, sizeof buffer);
  return reinterpret_cast<const char*>(buffer);
}

struct CodeDeleter {
  void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
struct MatchDataDeleter {
  void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};
struct MatchContextDeleter {
  void operator()(pcre2_match_context* context) const { pcre2_match_context_free(context); }
};
struct JitStackDeleter {
  void operator()(pcre2_jit_stack* stack) const { pcre2_jit_stack_free(stack); }
};

// A long run of whitespace against "\s+(?!\S)" needs more than PCRE2's default 32 KiB JIT stack.
constexpr std::size_t kJitStackMax = 8u << 20;

}  // namespace

struct UnicodeRegex::Compiled {
  std::unique_ptr<pcre2_code, CodeDeleter> code;
  bool jit = false;
};

UnicodeRegex::UnicodeRegex(std::string pattern, bool literal)
    : pattern_(std::move(pattern)), compiled_(std::make_unique<Compiled>()) {
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  // PCRE2 refuses UCP together with LITERAL; a literal needs no character classes anyway.
  const uint32_t options = literal ? PCRE2_UTF | PCRE2_LITERAL : PCRE2_UTF | PCRE2_UCP;
  compiled_->code.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern_.data()), pattern_.size(), options, &error,
                                      &error_offset, nullptr));
  if (!compiled_->code)
    throw std::invalid_argument("regular expression /" + pattern_ + "/ does not compile at offset " +
                                std::to_string(error_offset) + ": " + pcre2_message(error));
  // JIT is an optimisation only: without it (unsupported CPU, hardened kernel) matching still works.
  compiled_->jit = pcre2_jit_compile(compiled_->code.get(), PCRE2_JIT_COMPLETE) == 0;
}

UnicodeRegex::~UnicodeRegex() = default;
UnicodeRegex::UnicodeRegex(UnicodeRegex&&) noexcept = default;
UnicodeRegex& UnicodeRegex::operator=(UnicodeRegex&&) noexcept = default;

namespace {

// Per-thread matching resources, made once: a JIT stack may serve one thread at a time, and
// creating it per call would cost more than matching a short piece.
struct MatchResources {
  std::unique_ptr<pcre2_match_data, MatchDataDeleter> match_data{pcre2_match_data_create(1, nullptr)};
  std::unique_ptr<pcre2_match_context, MatchContextDeleter> context{pcre2_match_context_create(nullptr)};
  std::unique_ptr<pcre2_jit_stack, JitStackDeleter> jit_stack{pcre2_jit_stack_create(32u << 10, kJitStackMax, nullptr)};

  MatchResources() {
    if (!match_data || !context || !jit_stack) throw std::bad_alloc();
    pcre2_jit_stack_assign(context.get(), nullptr, jit_stack.get());
  }
};

}  // namespace

void UnicodeRegex::for_each_match(std::string_view text,
                                  const std::function<void(std::size_t, std::size_t)>& on_match) const {
  thread_local MatchResources resources;
  pcre2_code* code = compiled_->code.get();
  pcre2_match_data* match_data = resources.match_data.get();
  pcre2_match_context* context = resources.context.get();
  const auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::size_t start = 0;
  while (start <= text.size()) {
    const int result = compiled_->jit
                           ? pcre2_jit_match(code, subject, text.size(), start, PCRE2_NO_UTF_CHECK, match_data, context)
                           : pcre2_match(code, subject, text.size(), start, PCRE2_NO_UTF_CHECK, match_data, context);
    if (result == PCRE2_ERROR_NOMATCH) return;
    // 0 means "matched, ovector too small for the groups": only the whole match is wanted.
    if (result < 0)
      throw std::runtime_error("regular expression /" + pattern_ + "/ failed at byte " + std::to_string(start) + ": " +
                               pcre2_message(result));
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match_data);
    const std::size_t begin = ovector[0];
    const std::size_t end = ovector[1];
    if (end > begin) {
      on_match(begin, end);
      start = end;
    } else {
      // Empty match: nothing to report; step over one whole character.
      if (begin >= text.size()) return;
      const std::size_t length = utf8_sequence_length(static_cast<unsigned char>(text[begin]));
      start = begin + (length == 0 ? 1 : length);
    }
  }
}

}  // namespace linea::tokenizer
