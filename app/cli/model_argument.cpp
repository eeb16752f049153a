#include "app/cli/model_argument.h"

#include "engine/runtime/default_model.h"

namespace linea::cli {

std::string model_argument(const ArgumentParser& parser) {
  if (const std::optional<std::string> model = parser.optional_value("--model")) return *model;
  if (const std::optional<std::filesystem::path> bundled = bundled_default_model()) return bundled->string();
  std::string looked;
  for (const std::filesystem::path& candidate : default_model_candidates())
    looked += (looked.empty() ? "" : ", ") + candidate.string();
  throw UsageError("no --model given and no bundled default model found (looked in: " + looked + ")");
}

}  // namespace linea::cli
