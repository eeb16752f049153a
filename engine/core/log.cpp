#include "engine/core/log.h"

#include <cstdio>
#include <mutex>
#include <utility>

namespace linea {
namespace {

void stderr_sink(LogLevel level, std::string_view message) {
  if (level == LogLevel::debug) return;
  std::fprintf(stderr, "linea: %s: %.*s\n", log_level_name(level), static_cast<int>(message.size()),
               message.data());
}

std::mutex& sink_mutex() {
  static std::mutex mutex;
  return mutex;
}

LogSink& current_sink() {
  static LogSink sink = stderr_sink;
  return sink;
}

}  // namespace

void set_log_sink(LogSink sink) {
  std::lock_guard lock(sink_mutex());
  current_sink() = sink ? std::move(sink) : LogSink(stderr_sink);
}

void log_message(LogLevel level, std::string_view message) {
  std::lock_guard lock(sink_mutex());
  current_sink()(level, message);
}

const char* log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
  }
  return "?";
}

}  // namespace linea
