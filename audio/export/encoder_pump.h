// The encode loop in one place: frames go into the encoder (avcodec_send_frame), every packet it
// returns (avcodec_receive_packet) is timed for the stream and written to the muxer.
#pragma once

#include "audio/export/ffmpeg_handles.h"

#include <string>

namespace linea::audio {

class EncoderPump {
 public:
  enum class Status {
    ok,             // the frame was taken and every ready packet written
    end_of_stream,  // after push(nullptr): the encoder is drained
    failed,         // see error()
  };

  EncoderPump(AVCodecContext& codec, AVFormatContext& format, AVStream& stream);

  // A frame to encode, or nullptr to drain the encoder at the end.
  Status push(const AVFrame* frame);
  const std::string& error() const { return error_; }

 private:
  Status write_ready_packets();
  Status fail(const char* what, int code);

  AVCodecContext& codec_;
  AVFormatContext& format_;
  AVStream& stream_;
  AvPacketPtr packet_;
  std::string error_;
};

}  // namespace linea::audio
