#include "engine/cuda/cuda_check.cuh"
#include "engine/cuda/cuda_device.h"

namespace linea::cuda {

DeviceQuery query_devices() {
  DeviceQuery query;
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    cudaGetLastError();  // clear the sticky error so later calls start clean
    query.error = describe_cuda_error("cudaGetDeviceCount", status);
    return query;
  }
  query.device_count = count;
  if (count > 0) {
    cudaDeviceProp properties{};
    const cudaError_t prop_status = cudaGetDeviceProperties(&properties, 0);
    if (prop_status != cudaSuccess) {
      query.error = describe_cuda_error("cudaGetDeviceProperties", prop_status);
      return query;
    }
    query.first_device_name = properties.name;
  }
  return query;
}

}  // namespace linea::cuda
