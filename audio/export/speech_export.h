// Speaks text into an audio file: one message, or a whole conversation (its messages in order,
// with a longer pause between them). The text goes through the same preparation as live speech
// (Markdown stripped, code omitted, numbers read); the file format follows the extension
// (audio_file_writer.h). Runs the synthesis on the synthesizer's worker and waits for it.
#pragma once

#include "audio/pcm_buffer.h"
#include "audio/voices/speech_synthesizer.h"

#include <filesystem>
#include <span>
#include <string>

namespace linea::audio {

struct SpeechExportOptions {
  std::string voice = "auto";  // a voice query, or "auto": each sentence's language's default voice
  double rate = 1.0;
  double sentence_pause_seconds = 0.15;
  double message_pause_seconds = 0.7;
};

struct SpeechExportSummary {
  std::size_t sentences = 0;
  double duration_seconds = 0;
  int sample_rate = 0;  // of the rendered PCM (the file's may differ: Opus is always 48 kHz)
};

// The messages as one PCM buffer at the (first) voice's rate. Throws VoiceError, or
// AudioExportError when there is nothing to say.
PcmBuffer render_speech(SpeechSynthesizer& synthesizer, std::span<const std::string> messages,
                        const SpeechExportOptions& options = {}, std::size_t* sentence_count = nullptr);

SpeechExportSummary export_speech(SpeechSynthesizer& synthesizer, std::span<const std::string> messages,
                                  const std::filesystem::path& path, const SpeechExportOptions& options = {});

}  // namespace linea::audio
