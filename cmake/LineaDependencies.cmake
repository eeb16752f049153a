# Every third-party library Linea uses, all from Debian 12's packages (scripts/install-deps.sh).
# Each becomes an imported target so the library CMakeLists only name what they link.

find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)

pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(ICU_UC REQUIRED IMPORTED_TARGET icu-uc)
pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libavutil libswresample)
pkg_check_modules(PORTAUDIO REQUIRED IMPORTED_TARGET portaudio-2.0)
pkg_check_modules(ESPEAK_NG REQUIRED IMPORTED_TARGET espeak-ng)
pkg_check_modules(TESSERACT REQUIRED IMPORTED_TARGET tesseract lept)
pkg_check_modules(POPPLER_QT6 REQUIRED IMPORTED_TARGET poppler-qt6)

# flite ships neither a pkg-config file nor a CMake package.
find_path(FLITE_INCLUDE_DIR flite/flite.h REQUIRED)
find_library(FLITE_LIBRARY flite REQUIRED)
find_library(FLITE_LEX_LIBRARY flite_cmulex REQUIRED)
find_library(FLITE_LANG_LIBRARY flite_usenglish REQUIRED)
add_library(Linea::flite INTERFACE IMPORTED)
target_include_directories(Linea::flite INTERFACE ${FLITE_INCLUDE_DIR}/flite)
target_link_libraries(Linea::flite INTERFACE ${FLITE_LANG_LIBRARY} ${FLITE_LEX_LIBRARY} ${FLITE_LIBRARY} m)

# Debian splits OpenCV into per-module -dev packages; only the umbrella libopencv-dev (which pulls in
# every module, VTK included) carries OpenCVConfig.cmake. We take the three modules we use directly.
find_path(OPENCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
add_library(Linea::opencv INTERFACE IMPORTED)
target_include_directories(Linea::opencv INTERFACE ${OPENCV_INCLUDE_DIR})
foreach(module core imgproc imgcodecs)
  find_library(OPENCV_${module}_LIBRARY opencv_${module} REQUIRED)
  target_link_libraries(Linea::opencv INTERFACE ${OPENCV_${module}_LIBRARY})
endforeach()

find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets Test LinguistTools)
qt_standard_project_setup()
