// The small model that ships with Linea (resources/models/linea-tiny, made by tools/train), so a
// fresh install works offline. Only finds it; callers decide when to use it.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

namespace linea {

// Where the bundled model may be, in the order tried: $LINEA_DEFAULT_MODEL, then beside the running
// program as models/default (the build tree links it there), then <prefix>/share/linea/models/default.
std::vector<std::filesystem::path> default_model_candidates();

// The first candidate that exists; std::nullopt when no model is bundled.
std::optional<std::filesystem::path> bundled_default_model();

}  // namespace linea
