# One translation unit per ISA, generated from src/arch/isa_table.cpp.in and
# compiled with that ISA's flags only. Sets SIMDACT_ISA_SOURCES and
# SIMDACT_ISA_DEFINITIONS (SIMDACT_HAVE_<ISA> for src/dispatch.cpp).
set(SIMDACT_ISA_SOURCES "")
set(SIMDACT_ISA_DEFINITIONS "")

function(simdact_add_isa isa arch flags)
  set(ISA ${isa})
  set(ARCH ${arch})
  set(_out ${SIMDACT_GENERATED_DIR}/arch/${isa}_table.cpp)
  configure_file(${PROJECT_SOURCE_DIR}/src/arch/isa_table.cpp.in ${_out} @ONLY)
  set_source_files_properties(${_out} PROPERTIES
    COMPILE_OPTIONS "${flags}"
    COMPILE_DEFINITIONS "SIMDACT_KERNEL_NS=isa_${isa}")
  string(TOUPPER ${isa} _upper)
  set(SIMDACT_ISA_SOURCES ${SIMDACT_ISA_SOURCES} ${_out} PARENT_SCOPE)
  set(SIMDACT_ISA_DEFINITIONS ${SIMDACT_ISA_DEFINITIONS} SIMDACT_HAVE_${_upper} PARENT_SCOPE)
endfunction()

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  simdact_add_isa(sse2 "sse2" "-msse2")
  simdact_add_isa(avx2 "fma3<xsimd::avx2>" "-mavx2;-mfma")
  set(_avx512_flags "-mavx512f;-mavx512bw;-mavx512dq;-mavx512vl;-mavx2;-mfma")
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12's own avx512fintrin.h trips -Wmaybe-uninitialized (GCC bug 105593);
    # clang has neither the false positive nor the option.
    list(APPEND _avx512_flags "-Wno-uninitialized;-Wno-maybe-uninitialized")
  endif()
  simdact_add_isa(avx512 "avx512bw" "${_avx512_flags}")
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  simdact_add_isa(neon "neon64" "")
endif()
