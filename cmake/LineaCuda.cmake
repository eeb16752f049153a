# Optional CUDA backend. AUTO builds it when a CUDA compiler is found; the rest of Linea never needs it.
# Pitfalls handled here: CMake 3.25 cannot hand C++20 to nvcc (the .cu files are C++17), the GPU
# architectures are listed explicitly (there may be no GPU on the build machine, so never "native").

set(LINEA_HAVE_CUDA OFF)
if(LINEA_CUDA STREQUAL "OFF")
  return()
endif()

include(CheckLanguage)
check_language(CUDA)
if(NOT CMAKE_CUDA_COMPILER)
  if(LINEA_CUDA STREQUAL "ON")
    message(FATAL_ERROR "LINEA_CUDA=ON but no CUDA compiler (nvcc) was found")
  endif()
  message(STATUS "CUDA backend: no nvcc found, building the CPU backend only")
  return()
endif()

if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
  # Turing, Ampere, Ada, Hopper: what desktop and data-centre users run.
  set(CMAKE_CUDA_ARCHITECTURES 75 80 86 89 90)
endif()
enable_language(CUDA)
find_package(CUDAToolkit REQUIRED)
set(CMAKE_CUDA_STANDARD 17)
set(CMAKE_CUDA_STANDARD_REQUIRED ON)
set(LINEA_HAVE_CUDA ON)
message(STATUS "CUDA backend: nvcc ${CMAKE_CUDA_COMPILER_VERSION}, architectures ${CMAKE_CUDA_ARCHITECTURES}")
