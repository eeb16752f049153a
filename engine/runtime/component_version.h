// The name and version of a library Linea was built with, for `linea-cli --version` and the About box.
#pragma once

#include <string>
#include <vector>

namespace linea {

struct ComponentVersion {
  std::string name;
  std::string version;
};

using ComponentVersions = std::vector<ComponentVersion>;

}  // namespace linea
