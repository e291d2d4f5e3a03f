// The C ABI (include/simdact/simdact.h): to be written.
