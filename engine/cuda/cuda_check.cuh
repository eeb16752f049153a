// Turns a cudaError_t into the message our callers show: which call failed and why.
#pragma once

#include <cuda_runtime.h>

#include <string>

namespace linea::cuda {

inline std::string describe_cuda_error(const char* call, cudaError_t status) {
  return std::string(call) + ": " + cudaGetErrorName(status) + " (" + std::to_string(static_cast<int>(status)) +
         "): " + cudaGetErrorString(status);
}

}  // namespace linea::cuda
