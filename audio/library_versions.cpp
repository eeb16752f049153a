#include "audio/library_versions.h"

#include <espeak-ng/speak_lib.h>
#include <portaudio.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswresample/swresample.h>
}

#include <flite_version.h>

#include <string>

namespace linea::audio {
namespace {

std::string dotted(unsigned packed) {
  return std::to_string(AV_VERSION_MAJOR(packed)) + "." + std::to_string(AV_VERSION_MINOR(packed)) + "." +
         std::to_string(AV_VERSION_MICRO(packed));
}

}  // namespace

ComponentVersions library_versions() {
  // espeak_Info only reports the version string; it does not initialise the (global) engine.
  const char* espeak_version = espeak_Info(nullptr);
  return {
      {"FFmpeg", av_version_info()},
      {"libavformat", dotted(avformat_version())},
      {"libavcodec", dotted(avcodec_version())},
      {"libswresample", dotted(swresample_version())},
      {"PortAudio", Pa_GetVersionText()},
      {"espeak-ng", espeak_version ? espeak_version : "unknown"},
      {"flite", FLITE_PROJECT_VERSION},  // flite has no run-time version call
  };
}

}  // namespace linea::audio
