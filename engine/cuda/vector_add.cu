#include "engine/cuda/cuda_check.cuh"
#include "engine/cuda/cuda_device.h"

#include <memory>

namespace linea::cuda {
namespace {

__global__ void vector_add_kernel(const float* a, const float* b, float* out, std::size_t n) {
  const std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) out[i] = a[i] + b[i];
}

struct DeviceFree {
  void operator()(float* p) const { cudaFree(p); }
};
using DeviceBuffer = std::unique_ptr<float, DeviceFree>;

std::string allocate(DeviceBuffer& buffer, std::size_t n) {
  float* raw = nullptr;
  const cudaError_t status = cudaMalloc(&raw, n * sizeof(float));
  if (status != cudaSuccess) return describe_cuda_error("cudaMalloc", status);
  buffer.reset(raw);
  return {};
}

}  // namespace

std::string vector_add(const float* a, const float* b, float* out, std::size_t n) {
  if (n == 0) return {};
  DeviceBuffer da, db, dout;
  for (DeviceBuffer* buffer : {&da, &db, &dout}) {
    if (std::string error = allocate(*buffer, n); !error.empty()) return error;
  }
  const std::size_t bytes = n * sizeof(float);
  cudaError_t status = cudaMemcpy(da.get(), a, bytes, cudaMemcpyHostToDevice);
  if (status != cudaSuccess) return describe_cuda_error("cudaMemcpy(a)", status);
  status = cudaMemcpy(db.get(), b, bytes, cudaMemcpyHostToDevice);
  if (status != cudaSuccess) return describe_cuda_error("cudaMemcpy(b)", status);

  constexpr unsigned threads = 256;
  const unsigned blocks = static_cast<unsigned>((n + threads - 1) / threads);
  vector_add_kernel<<<blocks, threads>>>(da.get(), db.get(), dout.get(), n);
  status = cudaGetLastError();
  if (status != cudaSuccess) return describe_cuda_error("vector_add_kernel launch", status);

  status = cudaMemcpy(out, dout.get(), bytes, cudaMemcpyDeviceToHost);  // synchronises with the kernel
  if (status != cudaSuccess) return describe_cuda_error("cudaMemcpy(out)", status);
  return {};
}

}  // namespace linea::cuda
