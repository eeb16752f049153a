#include "app/gui/display_check.h"

#include <cstdlib>
#include <string_view>

namespace linea::gui {
namespace {

bool env_set(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

}  // namespace

std::optional<std::string> missing_display_message() {
  const char* platform_env = std::getenv("QT_QPA_PLATFORM");
  const std::string_view platform = platform_env ? platform_env : "";
  // Platforms that need no display server (offscreen, vnc, eglfs, minimal, ...) are the user's choice.
  const bool needs_display_server = platform.empty() || platform.starts_with("xcb") || platform.starts_with("wayland");
  if (!needs_display_server || env_set("DISPLAY") || env_set("WAYLAND_DISPLAY")) return std::nullopt;
  return "linea: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open.\n"
         "  For the command line use linea-cli (try: linea-cli --help).\n"
         "  To run the window without a screen, start it under Xvfb: xvfb-run linea";
}

}  // namespace linea::gui
