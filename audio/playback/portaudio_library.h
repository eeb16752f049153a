// PortAudio, initialised for as long as an instance lives (PortAudio counts nested initialisations),
// and the output devices it offers. ALSA's and JACK's own error printing (device probing noise on
// machines without a sound server) is routed to Linea's log at debug level.
//
// Thread-safety: create and use from one thread at a time (PortAudio's device calls are not
// thread-safe); AudioOutput keeps its own instance.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace linea::audio {

class AudioDeviceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OutputDevice {
  int index = -1;  // PortAudio's device index
  std::string name;
  std::string host_api;  // "ALSA", "JACK Audio Connection Kit", ...
  int max_channels = 0;
  double default_sample_rate = 0;
  double default_low_latency = 0;   // seconds
  double default_high_latency = 0;  // seconds
  bool is_default = false;
};

class PortAudioLibrary {
 public:
  PortAudioLibrary();  // throws AudioDeviceError when PortAudio cannot initialise
  ~PortAudioLibrary();
  PortAudioLibrary(const PortAudioLibrary&) = delete;
  PortAudioLibrary& operator=(const PortAudioLibrary&) = delete;

  std::vector<OutputDevice> output_devices() const;

  // "" picks the default output device; digits pick by index; anything else by name (exact, else
  // a case-insensitive substring matching exactly one device). Throws AudioDeviceError: "no audio
  // output device" when there is none, or naming the query and the devices there are.
  OutputDevice find_output_device(std::string_view query) const;
};

}  // namespace linea::audio
