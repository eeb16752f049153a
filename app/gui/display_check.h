// Decides, before Qt starts, whether a window can be shown at all (Qt aborts on a missing display).
#pragma once

#include <optional>
#include <string>

namespace linea::gui {

// Returns a message for the user when no display is reachable for the chosen Qt platform plugin;
// std::nullopt when the GUI can start. Reads QT_QPA_PLATFORM, DISPLAY and WAYLAND_DISPLAY.
std::optional<std::string> missing_display_message();

}  // namespace linea::gui
