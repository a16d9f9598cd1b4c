#ifndef AMIGO_FUZZ_DRIVER_H
#define AMIGO_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

typedef int (*amigo_fuzz_callback)(const uint8_t *data, size_t size);

/// Runs libFuzzer with `callback` as the target (argv holds libFuzzer's flags and corpus dirs).
int amigo_fuzz_run(int *argc, char ***argv, amigo_fuzz_callback callback);

#endif
