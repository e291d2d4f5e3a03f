// Symbol visibility: the shared library exports only what carries SIMDACT_API.
#pragma once

#if defined(SIMDACT_STATIC_DEFINE)
#define SIMDACT_API
#elif defined(_WIN32)
#if defined(SIMDACT_BUILDING)
#define SIMDACT_API __declspec(dllexport)
#else
#define SIMDACT_API __declspec(dllimport)
#endif
#else
#define SIMDACT_API __attribute__((visibility("default")))
#endif
