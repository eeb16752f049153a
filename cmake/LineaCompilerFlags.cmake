# Warnings and sanitizers for every Linea target. No -march here: SIMD paths are chosen at run time.

add_library(linea_compile_options INTERFACE)
target_compile_options(linea_compile_options INTERFACE
  $<$<COMPILE_LANGUAGE:CXX,C>:-Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor
                               -Wcast-align -Wimplicit-fallthrough>
  $<$<AND:$<COMPILE_LANGUAGE:CXX,C>,$<BOOL:${LINEA_WERROR}>>:-Werror>)

if(LINEA_SANITIZE)
  list(JOIN LINEA_SANITIZE "," _linea_sanitizers)
  target_compile_options(linea_compile_options INTERFACE
    $<$<COMPILE_LANGUAGE:CXX,C>:-fsanitize=${_linea_sanitizers} -fno-omit-frame-pointer
                                 -fno-sanitize-recover=undefined>)
  target_link_options(linea_compile_options INTERFACE -fsanitize=${_linea_sanitizers})
endif()

find_program(LINEA_CCACHE ccache)
if(LINEA_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_C_COMPILER_LAUNCHER ${LINEA_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${LINEA_CCACHE})
endif()
