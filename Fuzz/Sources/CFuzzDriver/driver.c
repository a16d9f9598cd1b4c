#include "fuzz_driver.h"
#include <stdlib.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, amigo_fuzz_callback callback);

static amigo_fuzz_callback registered;

int amigo_fuzz_run(int *argc, char ***argv, amigo_fuzz_callback callback) {
    registered = callback;
    return LLVMFuzzerRunDriver(argc, argv, callback);
}

// SwiftPM links executables with `--defsym main=<module>_main`, so the Swift main runs and
// calls amigo_fuzz_run. libFuzzer's archive still references this symbol; should its own main
// ever win instead, stop loudly rather than fuzz nothing.
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (registered == NULL) abort();
    return registered(data, size);
}
