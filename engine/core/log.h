// A tiny logging seam: the engine writes lines here, the host (CLI or GUI) decides where they go.
#pragma once

#include <functional>
#include <string_view>

namespace linea {

enum class LogLevel { debug, info, warning, error };

using LogSink = std::function<void(LogLevel, std::string_view message)>;

// Replaces the sink (default: one line per message on stderr, info and above). Thread-safe.
void set_log_sink(LogSink sink);

// Sends one message to the current sink. Thread-safe.
void log_message(LogLevel level, std::string_view message);

const char* log_level_name(LogLevel level);

}  // namespace linea
