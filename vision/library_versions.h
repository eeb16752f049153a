// Versions of the imaging libraries linea_vision is linked against, read from the libraries at run time.
#pragma once

#include "engine/runtime/component_version.h"

namespace linea::vision {

ComponentVersions library_versions();

}  // namespace linea::vision
