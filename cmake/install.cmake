# Install rules: headers, the library, the CMake package (simdact::simdact,
# found with find_package(simdact)) and a pkg-config file. Included by the
# top-level CMakeLists.txt after the simdact target exists, when SIMDACT_INSTALL.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SIMDACT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/simdact)
get_target_property(_simdact_type simdact TYPE)
if(_simdact_type STREQUAL "STATIC_LIBRARY")
  set(SIMDACT_STATIC ON)
else()
  set(SIMDACT_STATIC OFF)
endif()

install(TARGETS simdact EXPORT simdactTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT simdact_development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT simdact_runtime NAMELINK_COMPONENT simdact_development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT simdact_runtime
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# simdact.hpp / simdact.h, version and export macros, the registry
# (activations.def) and detail/ that the public declarations expand from.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/simdact
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT simdact_development
  FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h" PATTERN "*.def" PATTERN "*.inc")

# CMake package. OpenMP is private to the library: a shared build needs
# nothing from the consumer, a static one needs the OpenMP runtime at link
# time, so only then does simdactConfig.cmake look for it.
install(EXPORT simdactTargets NAMESPACE simdact:: DESTINATION ${SIMDACT_CMAKE_DIR} COMPONENT simdact_development)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/simdactConfig.cmake.in
  ${PROJECT_BINARY_DIR}/simdactConfig.cmake INSTALL_DESTINATION ${SIMDACT_CMAKE_DIR})
# 0.x: a new minor version may break the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/simdactConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/simdactConfig.cmake ${PROJECT_BINARY_DIR}/simdactConfigVersion.cmake
  DESTINATION ${SIMDACT_CMAKE_DIR} COMPONENT simdact_development)

# pkg-config. Relocatable (prefix from ${pcfiledir}) so that
# `cmake --install --prefix DIR` works. A static library lists what it pulls
# in (OpenMP runtime, C++ standard library) in Libs.private.
file(RELATIVE_PATH SIMDACT_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
set(SIMDACT_PC_PREFIX "\${pcfiledir}/${SIMDACT_PC_TO_PREFIX}")
foreach(_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_dir}}")
    set(SIMDACT_PC_${_dir} "${CMAKE_INSTALL_${_dir}}")
  else()
    set(SIMDACT_PC_${_dir} "\${prefix}/${CMAKE_INSTALL_${_dir}}")
  endif()
endforeach()
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(SIMDACT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
endif()

set(SIMDACT_PC_CFLAGS "")
set(SIMDACT_PC_LIBS_PRIVATE "")
if(SIMDACT_STATIC)
  set(SIMDACT_PC_CFLAGS " -DSIMDACT_STATIC_DEFINE")
  # -l<name> for the OpenMP runtime FindOpenMP chose (gomp + pthread with
  # GCC), then the C++ runtime the compiler links implicitly (stdc++, m), so a
  # C program can link the static library with `pkg-config --static`.
  set(_libs ${OpenMP_CXX_LIB_NAMES})
  foreach(_lib IN LISTS CMAKE_CXX_IMPLICIT_LINK_LIBRARIES)
    if(NOT _lib MATCHES "^(c|gcc|gcc_s|gcc_eh)$" AND NOT _lib IN_LIST _libs)
      list(APPEND _libs ${_lib})
    endif()
  endforeach()
  foreach(_lib IN LISTS _libs)
    string(APPEND SIMDACT_PC_LIBS_PRIVATE " -l${_lib}")
  endforeach()
  string(STRIP "${SIMDACT_PC_LIBS_PRIVATE}" SIMDACT_PC_LIBS_PRIVATE)
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/simdact.pc.in ${PROJECT_BINARY_DIR}/simdact.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/simdact.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT simdact_development)
