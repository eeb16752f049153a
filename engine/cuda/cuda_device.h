// The CUDA backend's C++ face: plain types only, so callers never include CUDA headers.
#pragma once

#include <cstddef>
#include <string>

namespace linea::cuda {

struct DeviceQuery {
  int device_count = 0;
  std::string first_device_name;  // empty when there is no device
  std::string error;              // empty on success; else "cudaGetDeviceCount: <name> (<code>): <text>"
  bool ok() const { return error.empty(); }
};

// Asks the CUDA runtime for devices. With no driver or no GPU this returns an error, never aborts.
DeviceQuery query_devices();

// out[i] = a[i] + b[i] on device 0. Host pointers in, host pointer out. Returns an empty string on
// success, otherwise the CUDA call that failed and its message.
std::string vector_add(const float* a, const float* b, float* out, std::size_t n);

}  // namespace linea::cuda
