#include "audio/export/speech_export.h"

#include "audio/export/audio_file_writer.h"
#include "audio/playback/resampler.h"
#include "audio/text/speech_text_stream.h"

#include <future>
#include <vector>

namespace linea::audio {

PcmBuffer render_speech(SpeechSynthesizer& synthesizer, std::span<const std::string> messages,
                        const SpeechExportOptions& options, std::size_t* sentence_count) {
  SpeechTextOptions text_options;
  std::string fixed_voice;
  if (options.voice != "auto") {
    const VoiceInfo& voice = synthesizer.voice(options.voice);
    fixed_voice = voice.id;
    text_options.language = language_from_code(voice.language);
  }
  // Queue every sentence first: the worker synthesises them back to back.
  struct Pending {
    std::future<PcmBuffer> pcm;
    bool ends_message;
  };
  std::vector<Pending> pending;
  for (const std::string& message : messages) {
    const std::vector<SpeechSentence> sentences = prepare_speech(message, text_options);
    for (std::size_t i = 0; i < sentences.size(); ++i) {
      const std::string& voice =
          fixed_voice.empty() ? synthesizer.default_voice(sentences[i].language).id : fixed_voice;
      pending.push_back({synthesizer.synthesize(voice, sentences[i].text, {options.rate}), i + 1 == sentences.size()});
    }
  }
  if (pending.empty()) throw AudioExportError("there is nothing to speak in the text");
  if (sentence_count) *sentence_count = pending.size();

  PcmBuffer out;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    PcmBuffer sentence = pending[i].pcm.get();
    if (out.sample_rate == 0) out.sample_rate = sentence.sample_rate;
    const std::vector<float> samples = resample(sentence.samples, sentence.sample_rate, out.sample_rate);
    out.samples.insert(out.samples.end(), samples.begin(), samples.end());
    if (i + 1 < pending.size()) {
      const double pause = pending[i].ends_message ? options.message_pause_seconds : options.sentence_pause_seconds;
      out.samples.insert(out.samples.end(), static_cast<std::size_t>(pause * out.sample_rate), 0.0f);
    }
  }
  return out;
}

SpeechExportSummary export_speech(SpeechSynthesizer& synthesizer, std::span<const std::string> messages,
                                  const std::filesystem::path& path, const SpeechExportOptions& options) {
  audio_file_format_for(path);  // a bad extension fails before any synthesis
  SpeechExportSummary summary;
  const PcmBuffer pcm = render_speech(synthesizer, messages, options, &summary.sentences);
  write_audio_file(path, pcm);
  summary.duration_seconds = pcm.duration_seconds();
  summary.sample_rate = pcm.sample_rate;
  return summary;
}

}  // namespace linea::audio
