#include "engine/runtime/default_model.h"

#include <cstdlib>
#include <system_error>

namespace linea {

std::vector<std::filesystem::path> default_model_candidates() {
  std::vector<std::filesystem::path> candidates;
  if (const char* chosen = std::getenv("LINEA_DEFAULT_MODEL"); chosen && *chosen) candidates.emplace_back(chosen);
  std::error_code error;
  const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const std::filesystem::path folder = program.parent_path();
    candidates.push_back(folder / "models" / "default");
    candidates.push_back((folder / ".." / "share" / "linea" / "models" / "default").lexically_normal());
  }
  return candidates;
}

std::optional<std::filesystem::path> bundled_default_model() {
  for (const std::filesystem::path& candidate : default_model_candidates()) {
    std::error_code error;
    if (std::filesystem::exists(candidate, error)) return candidate;
  }
  return std::nullopt;
}

}  // namespace linea
