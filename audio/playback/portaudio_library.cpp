#include "audio/playback/portaudio_library.h"

#include "engine/core/log.h"

#include <alsa/asoundlib.h>
#include <jack/jack.h>
#include <portaudio.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdarg>
#include <cstdio>
#include <mutex>

namespace linea::audio {
namespace {

void log_alsa_message(const char* file, int line, const char* function, int error, const char* format, ...) {
  char message[512];
  va_list arguments;
  va_start(arguments, format);
  std::vsnprintf(message, sizeof message, format, arguments);
  va_end(arguments);
  log_message(LogLevel::debug, std::string("ALSA ") + (file ? file : "?") + ":" + std::to_string(line) + " " +
                                   (function ? function : "?") + ": " + message +
                                   (error ? std::string(" (") + snd_strerror(error) + ")" : std::string()));
}

void log_jack_message(const char* message) { log_message(LogLevel::debug, std::string("JACK: ") + message); }

void route_library_logs() {
  static std::once_flag once;
  std::call_once(once, [] {
    snd_lib_error_set_handler(log_alsa_message);
    jack_set_error_function(log_jack_message);
    jack_set_info_function(log_jack_message);
  });
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string device_list(const std::vector<OutputDevice>& devices) {
  std::string list;
  for (const OutputDevice& device : devices)
    list += (list.empty() ? "" : ", ") + std::to_string(device.index) + " '" + device.name + "'";
  return list.empty() ? "none" : list;
}

}  // namespace

PortAudioLibrary::PortAudioLibrary() {
  route_library_logs();
  const PaError status = Pa_Initialize();
  if (status != paNoError)
    throw AudioDeviceError(std::string("PortAudio could not initialise: ") + Pa_GetErrorText(status));
}

PortAudioLibrary::~PortAudioLibrary() { Pa_Terminate(); }

std::vector<OutputDevice> PortAudioLibrary::output_devices() const {
  std::vector<OutputDevice> devices;
  const PaDeviceIndex count = Pa_GetDeviceCount();
  const PaDeviceIndex default_output = Pa_GetDefaultOutputDevice();
  for (PaDeviceIndex index = 0; index < count; ++index) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(index);
    if (info == nullptr || info->maxOutputChannels <= 0) continue;
    const PaHostApiInfo* host = Pa_GetHostApiInfo(info->hostApi);
    devices.push_back({index, info->name ? info->name : "", host && host->name ? host->name : "",
                       info->maxOutputChannels, info->defaultSampleRate, info->defaultLowOutputLatency,
                       info->defaultHighOutputLatency, index == default_output});
  }
  return devices;
}

OutputDevice PortAudioLibrary::find_output_device(std::string_view query) const {
  const std::vector<OutputDevice> devices = output_devices();
  if (devices.empty()) throw AudioDeviceError("no audio output device");
  if (query.empty()) {
    for (const OutputDevice& device : devices) {
      if (device.is_default) return device;
    }
    throw AudioDeviceError("no audio output device is the default (devices: " + device_list(devices) + ")");
  }
  if (std::all_of(query.begin(), query.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    int index = -1;
    std::from_chars(query.data(), query.data() + query.size(), index);  // out of range leaves -1
    for (const OutputDevice& device : devices) {
      if (device.index == index) return device;
    }
    throw AudioDeviceError("no audio output device with index " + std::string(query) +
                           " (devices: " + device_list(devices) + ")");
  }
  for (const OutputDevice& device : devices) {
    if (device.name == query) return device;
  }
  const std::string needle = lowercase(query);
  std::vector<const OutputDevice*> matches;
  for (const OutputDevice& device : devices) {
    if (lowercase(device.name).find(needle) != std::string::npos) matches.push_back(&device);
  }
  if (matches.size() == 1) return *matches.front();
  throw AudioDeviceError(
      (matches.empty() ? "no audio output device matches '" : "several audio output devices match '") +
      std::string(query) + "' (devices: " + device_list(devices) + ")");
}

}  // namespace linea::audio
