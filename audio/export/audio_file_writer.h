// Writes mono PCM to an audio file through libavformat/libavcodec, the format chosen by the file's
// extension: .wav (PCM 16-bit), .opus and .ogg (Ogg Opus via libopus, 48 kHz), .mp3 (libmp3lame).
// The file appears atomically: it is written beside the target under a temporary name and renamed
// into place, so a failed export leaves no partial file and never damages an existing one.
#pragma once

#include "audio/pcm_buffer.h"

#include <filesystem>
#include <stdexcept>
#include <string>

namespace linea::audio {

class AudioExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class AudioFileFormat { wav, ogg_opus, mp3 };

// Throws AudioExportError naming the file and the supported extensions for anything else.
AudioFileFormat audio_file_format_for(const std::filesystem::path& path);

// Throws AudioExportError naming the file and what failed (missing encoder, unwritable folder, ...).
void write_audio_file(const std::filesystem::path& path, const PcmBuffer& pcm);

}  // namespace linea::audio
