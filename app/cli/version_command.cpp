#include "app/cli/version_command.h"

#include "audio/library_versions.h"
#include "engine/runtime/compute_backend.h"
#include "engine/version.h"
#include "vision/library_versions.h"

#include <ostream>

namespace linea::cli {

void print_version(std::ostream& out) {
  out << "linea-cli " << kVersion << '\n';
  out << "compute: " << choose_compute_backend().reason << '\n';
  out << "libraries:";
  for (const auto& versions : {vision::library_versions(), audio::library_versions()}) {
    for (const ComponentVersion& component : versions) out << ' ' << component.name << ' ' << component.version << ';';
  }
  out << '\n';
  out << "licence: GPL-3.0-or-later\n";
}

}  // namespace linea::cli
