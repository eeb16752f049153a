// Versions of the audio libraries linea_audio is linked against, read from the libraries at run time.
#pragma once

#include "engine/runtime/component_version.h"

namespace linea::audio {

ComponentVersions library_versions();

}  // namespace linea::audio
