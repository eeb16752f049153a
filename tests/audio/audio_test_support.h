// Helpers for the audio tests: an ALSA default device that records to a WAV file (so PortAudio
// really plays on machines without a sound card), a WAV reader for what it recorded, and ffprobe /
// ffmpeg run as the checks a user would run on an exported file.
#pragma once

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace linea::test {

// ALSA reads ~/.asoundrc (and $XDG_CONFIG_HOME/alsa/asoundrc) through HOME when it first loads
// its configuration, i.e. at PortAudio's first Pa_Initialize in the process. Create one of these
// before that: afterwards ALSA's "default" PCM is the file plugin writing capture_path() (16-bit
// WAV) over the "null" PCM. The null PCM takes samples as fast as they come (it keeps no time),
// the file is truncated each time a stream opens the device, and its header is completed when the
// stream closes.
class AlsaFileSink {
 public:
  AlsaFileSink() {
    QVERIFY2(dir_.isValid(), "cannot create a temporary HOME");
    QFile config(dir_.filePath(".asoundrc"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    // The file plugin labels every 32-bit sample format as integer PCM in the WAV header, so the
    // float samples PortAudio prefers would be recorded mislabelled; "plug" converts them to S16_LE
    // first, as a real 16-bit device would.
    config.write(QStringLiteral("pcm.!default {\n"
                                "  type plug\n"
                                "  slave {\n"
                                "    pcm { type file  slave.pcm \"null\"  file \"%1\"  format \"wav\" }\n"
                                "    format S16_LE\n"
                                "  }\n"
                                "}\n")
                     .arg(capture_path())
                     .toUtf8());
    config.close();
    qputenv("HOME", dir_.path().toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", dir_.path().toLocal8Bit());  // no user asoundrc from elsewhere
    qunsetenv("ALSA_CONFIG_PATH");
    ok_ = true;
  }
  bool ok() const { return ok_; }
  QString capture_path() const { return dir_.filePath(QStringLiteral("capture.wav")); }
  QString directory() const { return dir_.path(); }

 private:
  QTemporaryDir dir_;
  bool ok_ = false;
};

struct WavData {
  int sample_rate = 0;
  int channels = 0;
  std::vector<float> samples;  // first channel
  double duration_seconds() const { return sample_rate ? static_cast<double>(samples.size()) / sample_rate : 0; }
};

// Reads PCM WAV (16/32-bit integer or 32-bit float). A data size of 0 or 0xFFFFFFFF (header never
// completed) reads to the end of the file.
inline std::optional<WavData> read_wav(const QString& path, QString* error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    *error = "cannot open " + path;
    return std::nullopt;
  }
  const QByteArray bytes = file.readAll();
  const auto u16 = [&](qsizetype at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) | static_cast<unsigned char>(bytes[at + 1])
                                                                                  << 8);
  };
  const auto u32 = [&](qsizetype at) {
    return static_cast<std::uint32_t>(u16(at) | static_cast<std::uint32_t>(u16(at + 2)) << 16);
  };
  if (bytes.size() < 12 || !bytes.startsWith("RIFF") || bytes.mid(8, 4) != "WAVE") {
    *error = path + " is not a RIFF/WAVE file";
    return std::nullopt;
  }
  WavData wav;
  int format = 0, bits = 0;
  qsizetype at = 12;
  while (at + 8 <= bytes.size()) {
    const QByteArray id = bytes.mid(at, 4);
    std::uint32_t size = u32(at + 4);
    const qsizetype body = at + 8;
    if (id == "fmt ") {
      format = u16(body);
      wav.channels = u16(body + 2);
      wav.sample_rate = static_cast<int>(u32(body + 4));
      bits = u16(body + 14);
      if (format == 0xFFFE && size >= 40) format = u16(body + 24);  // WAVE_FORMAT_EXTENSIBLE: sub-format
    } else if (id == "data") {
      if (size == 0 || size == 0xFFFFFFFFu || body + size > bytes.size())
        size = static_cast<std::uint32_t>(bytes.size() - body);
      const int frame_bytes = wav.channels * bits / 8;
      if (frame_bytes <= 0) {
        *error = path + ": data before a valid fmt chunk";
        return std::nullopt;
      }
      for (qsizetype frame = body; frame + frame_bytes <= body + size; frame += frame_bytes) {
        if (format == 3 && bits == 32) {
          float value;
          std::memcpy(&value, bytes.constData() + frame, 4);
          wav.samples.push_back(value);
        } else if (format == 1 && bits == 16) {
          wav.samples.push_back(static_cast<std::int16_t>(u16(frame)) / 32768.0f);
        } else if (format == 1 && bits == 32) {
          wav.samples.push_back(static_cast<float>(static_cast<std::int32_t>(u32(frame)) / 2147483648.0));
        } else {
          *error = QStringLiteral("%1: unsupported WAV sample format %2 with %3 bits").arg(path).arg(format).arg(bits);
          return std::nullopt;
        }
      }
      return wav;
    }
    at = body + size + (size & 1);
  }
  *error = path + " has no data chunk";
  return std::nullopt;
}

inline double rms(std::span<const float> samples) {
  if (samples.empty()) return 0;
  double sum = 0;
  for (const float s : samples) sum += static_cast<double>(s) * s;
  return std::sqrt(sum / static_cast<double>(samples.size()));
}

inline float peak(std::span<const float> samples) {
  float highest = 0;
  for (const float s : samples) highest = std::max(highest, std::abs(s));
  return highest;
}

// The span without the exact-zero samples at both ends (device priming and buffer padding are
// digital silence; a voice's own quiet start is not exactly zero throughout).
inline std::span<const float> trim_digital_silence(std::span<const float> samples, float threshold = 0.0f) {
  std::size_t begin = 0, end = samples.size();
  while (begin < end && std::abs(samples[begin]) <= threshold) ++begin;
  while (end > begin && std::abs(samples[end - 1]) <= threshold) --end;
  return samples.subspan(begin, end - begin);
}

struct ProbeResult {
  QString codec;
  QString format;
  int sample_rate = 0;
  int channels = 0;
  double duration = 0;
  bool ok = false;
  QString error;
};

inline ProbeResult ffprobe(const QString& path) {
  ProbeResult result;
  QProcess process;
  process.start(QStringLiteral("ffprobe"),
                {"-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels:format=format_name,duration",
                 "-of", "default=noprint_wrappers=1", path});
  if (!process.waitForFinished(30000) || process.exitCode() != 0) {
    result.error = "ffprobe failed: " + QString::fromUtf8(process.readAllStandardError());
    return result;
  }
  for (const QString& line : QString::fromUtf8(process.readAllStandardOutput()).split('\n')) {
    const QString key = line.section('=', 0, 0), value = line.section('=', 1);
    if (key == "codec_name") result.codec = value;
    if (key == "sample_rate") result.sample_rate = value.toInt();
    if (key == "channels") result.channels = value.toInt();
    if (key == "format_name") result.format = value;
    if (key == "duration") result.duration = value.toDouble();
  }
  result.ok = !result.codec.isEmpty() && result.duration > 0;
  if (!result.ok) result.error = "ffprobe reported no audio stream or duration";
  return result;
}

struct Loudness {
  double mean_db = -1000;
  double max_db = -1000;
  bool ok = false;
};

// ffmpeg's volumedetect filter over the decoded file.
inline Loudness volumedetect(const QString& path) {
  Loudness loudness;
  QProcess process;
  process.start(QStringLiteral("ffmpeg"),
                {"-hide_banner", "-nostats", "-i", path, "-af", "volumedetect", "-f", "null", "-"});
  if (!process.waitForFinished(60000) || process.exitCode() != 0) return loudness;
  const QString log = QString::fromUtf8(process.readAllStandardError());
  const auto mean = QRegularExpression(R"(mean_volume: (-?[0-9.]+|-inf) dB)").match(log);
  const auto max = QRegularExpression(R"(max_volume: (-?[0-9.]+|-inf) dB)").match(log);
  if (!mean.hasMatch() || !max.hasMatch()) return loudness;
  loudness.mean_db = mean.captured(1) == "-inf" ? -1000 : mean.captured(1).toDouble();
  loudness.max_db = max.captured(1) == "-inf" ? -1000 : max.captured(1).toDouble();
  loudness.ok = true;
  return loudness;
}

}  // namespace linea::test
