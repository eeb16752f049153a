#include "audio/export/audio_file_writer.h"

#include "audio/export/encoder_pump.h"
#include "audio/export/ffmpeg_handles.h"
#include "audio/playback/resampler.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstring>
#include <system_error>

namespace linea::audio {
namespace {

struct Container {
  const char* muxer;
  const char* encoder;
  int fixed_sample_rate;  // 0: keep the PCM's rate when the encoder takes it
  std::int64_t bit_rate;  // 0: the codec's own (PCM)
};

Container container_for(AudioFileFormat format) {
  switch (format) {
    case AudioFileFormat::wav: return {"wav", "pcm_s16le", 0, 0};
    case AudioFileFormat::ogg_opus: return {"ogg", "libopus", 48000, 48000};
    case AudioFileFormat::mp3: return {"mp3", "libmp3lame", 0, 64000};
  }
  return {};
}

int choose_sample_rate(const AVCodec& encoder, const Container& container, int source_rate) {
  if (container.fixed_sample_rate) return container.fixed_sample_rate;
  if (encoder.supported_samplerates == nullptr) return source_rate;
  int next_higher = 0;
  int highest = 0;
  for (const int* rate = encoder.supported_samplerates; *rate; ++rate) {
    if (*rate == source_rate) return source_rate;
    if (*rate > source_rate && (next_higher == 0 || *rate < next_higher)) next_higher = *rate;
    highest = std::max(highest, *rate);
  }
  return next_higher ? next_higher : highest;
}

// Mono samples are laid out alike in packed and planar formats, so these four are simple copies.
AVSampleFormat choose_sample_format(const AVCodec& encoder) {
  if (encoder.sample_fmts == nullptr) return AV_SAMPLE_FMT_S16;
  for (const AVSampleFormat preferred :
       {AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_S16, AV_SAMPLE_FMT_S16P}) {
    for (const AVSampleFormat* format = encoder.sample_fmts; *format != AV_SAMPLE_FMT_NONE; ++format) {
      if (*format == preferred) return preferred;
    }
  }
  return AV_SAMPLE_FMT_NONE;
}

void fill_frame(AVFrame& frame, const float* samples, int count) {
  const bool is_float = frame.format == AV_SAMPLE_FMT_FLT || frame.format == AV_SAMPLE_FMT_FLTP;
  if (is_float) {
    auto* out = reinterpret_cast<float*>(frame.data[0]);
    std::copy_n(samples, count, out);
    std::fill(out + count, out + frame.nb_samples, 0.0f);
  } else {
    auto* out = reinterpret_cast<std::int16_t*>(frame.data[0]);
    for (int i = 0; i < count; ++i)
      out[i] = static_cast<std::int16_t>(std::lround(std::clamp(samples[i], -1.0f, 1.0f) * 32767.0f));
    std::fill(out + count, out + frame.nb_samples, std::int16_t{0});
  }
}

// The temporary file beside the target; removed unless the rename committed it.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::filesystem::path& target) {
    static std::atomic<unsigned> counter{0};
    path_ = target.parent_path() / ("." + target.filename().string() + ".partial-" + std::to_string(::getpid()) + "-" +
                                    std::to_string(counter++));
  }
  ~TemporaryFile() {
    if (!committed_) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  void commit(const std::filesystem::path& target) {
    std::error_code error;
    std::filesystem::rename(path_, target, error);
    if (error)
      throw AudioExportError(target.string() + ": cannot move the finished file into place: " + error.message());
    committed_ = true;
  }

 private:
  std::filesystem::path path_;
  bool committed_ = false;
};

}  // namespace

AudioFileFormat audio_file_format_for(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".wav") return AudioFileFormat::wav;
  if (extension == ".opus" || extension == ".ogg") return AudioFileFormat::ogg_opus;
  if (extension == ".mp3") return AudioFileFormat::mp3;
  throw AudioExportError(path.string() + ": unsupported audio file extension '" + extension +
                         "' (supported: .wav, .opus, .ogg, .mp3)");
}

void write_audio_file(const std::filesystem::path& path, const PcmBuffer& pcm) {
  const std::string name = path.string();
  const auto fail = [&name](const std::string& what) { throw AudioExportError(name + ": " + what); };
  const auto check = [&fail](int code, const char* what) {
    if (code < 0) fail(std::string(what) + ": " + av_error_string(code));
  };
  const Container container = container_for(audio_file_format_for(path));
  if (pcm.sample_rate <= 0) fail("the audio has no sample rate");
  if (pcm.samples.empty()) fail("there is no audio to write");

  const AVCodec* encoder = avcodec_find_encoder_by_name(container.encoder);
  if (encoder == nullptr) fail(std::string("this FFmpeg has no ") + container.encoder + " encoder");
  const int sample_rate = choose_sample_rate(*encoder, container, pcm.sample_rate);
  const AVSampleFormat sample_format = choose_sample_format(*encoder);
  if (sample_format == AV_SAMPLE_FMT_NONE)
    fail(std::string(container.encoder) + " takes no sample format Linea writes");
  const std::vector<float> samples = resample(pcm.samples, pcm.sample_rate, sample_rate);

  TemporaryFile temporary(path);
  AVFormatContext* raw_format = nullptr;
  check(avformat_alloc_output_context2(&raw_format, nullptr, container.muxer, temporary.path().c_str()),
        "cannot set up the container");
  AvOutputFormatPtr format(raw_format);

  AvCodecContextPtr codec(avcodec_alloc_context3(encoder));
  if (!codec) fail("out of memory for the encoder");
  codec->sample_fmt = sample_format;
  codec->sample_rate = sample_rate;
  av_channel_layout_default(&codec->ch_layout, 1);
  codec->time_base = AVRational{1, sample_rate};
  if (container.bit_rate) codec->bit_rate = container.bit_rate;
  if (format->oformat->flags & AVFMT_GLOBALHEADER) codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  check(avcodec_open2(codec.get(), encoder, nullptr), "cannot open the encoder");

  AVStream* stream = avformat_new_stream(format.get(), nullptr);
  if (stream == nullptr) fail("cannot add an audio stream");
  check(avcodec_parameters_from_context(stream->codecpar, codec.get()), "cannot describe the stream");
  stream->time_base = codec->time_base;

  check(avio_open(&format->pb, temporary.path().c_str(), AVIO_FLAG_WRITE),
        ("cannot create " + temporary.path().string()).c_str());
  check(avformat_write_header(format.get(), nullptr), "cannot write the header");

  const bool any_frame_size = codec->frame_size == 0 || (encoder->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE);
  const int frame_size = any_frame_size ? 1024 : codec->frame_size;
  const bool short_last_frame = any_frame_size || (encoder->capabilities & AV_CODEC_CAP_SMALL_LAST_FRAME);
  AvFramePtr frame(av_frame_alloc());
  if (!frame) fail("out of memory for a frame");
  EncoderPump pump(*codec, *format, *stream);
  const auto total = static_cast<std::int64_t>(samples.size());
  for (std::int64_t position = 0; position < total; position += frame_size) {
    const int count = static_cast<int>(std::min<std::int64_t>(frame_size, total - position));
    av_frame_unref(frame.get());
    frame->nb_samples = short_last_frame ? count : frame_size;
    frame->format = sample_format;
    frame->sample_rate = sample_rate;
    check(av_channel_layout_copy(&frame->ch_layout, &codec->ch_layout), "cannot set the frame's channels");
    check(av_frame_get_buffer(frame.get(), 0), "out of memory for a frame");
    fill_frame(*frame, samples.data() + position, count);
    frame->pts = position;
    if (pump.push(frame.get()) == EncoderPump::Status::failed) fail(pump.error());
  }
  for (;;) {
    const EncoderPump::Status status = pump.push(nullptr);
    if (status == EncoderPump::Status::failed) fail(pump.error());
    if (status == EncoderPump::Status::end_of_stream) break;
  }
  check(av_write_trailer(format.get()), "cannot finish the file");
  check(avio_closep(&format->pb), "cannot close the file");
  temporary.commit(path);
}

}  // namespace linea::audio
