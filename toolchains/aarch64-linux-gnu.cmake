# Cross-compiling for 64-bit Arm Linux with Debian's cross toolchain:
#   apt-get install g++-aarch64-linux-gnu libc6-dev-arm64-cross libgomp1-arm64-cross qemu-user
# The tests then run under qemu-aarch64 through CMAKE_CROSSCOMPILING_EMULATOR
# (scripts/aarch64.sh does all of this; CMakePresets.json has an "aarch64" preset).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(SIMDACT_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${SIMDACT_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${SIMDACT_CROSS_TRIPLE}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${SIMDACT_CROSS_TRIPLE})

# Libraries only from the target's sysroot and Debian's arm64 multiarch
# packages (e.g. libmpfr-dev:arm64 in /usr/lib/aarch64-linux-gnu, found through
# CMAKE_LIBRARY_ARCHITECTURE); programs from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${SIMDACT_CROSS_TRIPLE} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Headers from both: xsimd is header-only and architecture-independent, and
# Debian's cross g++ already searches /usr/include last, after the target's
# own headers, so finding it there adds no -I flag.
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
# Debian's native compilers search /usr/include/<triple> (arch-specific headers
# of multiarch -dev packages, e.g. gmp.h); the cross compiler does not.
set(CMAKE_C_STANDARD_INCLUDE_DIRECTORIES /usr/include/${SIMDACT_CROSS_TRIPLE})
set(CMAKE_CXX_STANDARD_INCLUDE_DIRECTORIES /usr/include/${SIMDACT_CROSS_TRIPLE})
# pkg-config files of the target's libraries, not the host's.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${SIMDACT_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig)

# Run target programs (tests, gtest discovery) under user-mode qemu with the
# target's loader and libraries. LD_LIBRARY_PATH=/lib (inside the -L prefix)
# keeps the loader and libc from the same place: once any arm64 multiarch
# package is installed (libc6:arm64 comes with libmpfr-dev:arm64), the loader's
# default path would otherwise pick /lib/aarch64-linux-gnu/libc.so.6 from the
# host next to the cross sysroot's ld-linux, a mismatch that hangs programs.
find_program(SIMDACT_QEMU_AARCH64 qemu-aarch64)
if(SIMDACT_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${SIMDACT_QEMU_AARCH64} -L /usr/${SIMDACT_CROSS_TRIPLE} -E LD_LIBRARY_PATH=/lib)
endif()
