#include "audio/export/encoder_pump.h"

namespace linea::audio {

EncoderPump::EncoderPump(AVCodecContext& codec, AVFormatContext& format, AVStream& stream)
    : codec_(codec), format_(format), stream_(stream), packet_(av_packet_alloc()) {}

EncoderPump::Status EncoderPump::fail(const char* what, int code) {
  error_ = std::string(what) + ": " + av_error_string(code);
  return Status::failed;
}

EncoderPump::Status EncoderPump::push(const AVFrame* frame) {
  if (!packet_) {
    error_ = "out of memory for a packet";
    return Status::failed;
  }
  const int sent = avcodec_send_frame(&codec_, frame);
  if (sent < 0 && sent != AVERROR_EOF) return fail("encoding a frame", sent);
  return write_ready_packets();
}

EncoderPump::Status EncoderPump::write_ready_packets() {
  for (;;) {
    const int received = avcodec_receive_packet(&codec_, packet_.get());
    if (received == AVERROR(EAGAIN)) return Status::ok;
    if (received == AVERROR_EOF) return Status::end_of_stream;
    if (received < 0) return fail("receiving an encoded packet", received);
    av_packet_rescale_ts(packet_.get(), codec_.time_base, stream_.time_base);
    packet_->stream_index = stream_.index;
    const int written = av_interleaved_write_frame(&format_, packet_.get());  // takes the packet's data
    if (written < 0) return fail("writing a packet", written);
  }
}

}  // namespace linea::audio
