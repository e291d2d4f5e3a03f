# Included by tests/CMakeLists.txt: fuzz_replay runs the fuzz target on every
# input the fuzzer ever failed on (fuzz/regressions/), without libFuzzer, so
# each of them is a regression test of every build (scripts/fuzz.sh replays
# them with libFuzzer too).
file(GLOB SIMDACT_FUZZ_REGRESSIONS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/fuzz/regressions/crash-*)
add_executable(fuzz_replay ${PROJECT_SOURCE_DIR}/fuzz/fuzz_activations.cpp ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cpp)
target_link_libraries(fuzz_replay PRIVATE simdact::simdact)
target_include_directories(fuzz_replay PRIVATE ${PROJECT_SOURCE_DIR}/tests)
target_compile_options(fuzz_replay PRIVATE -Wall -Wextra)
if(SIMDACT_FUZZ_REGRESSIONS)
  add_test(NAME fuzz_regressions COMMAND fuzz_replay ${SIMDACT_FUZZ_REGRESSIONS})
endif()
