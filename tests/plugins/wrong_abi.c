/* A plugin built for a future ABI major: the host must refuse it by name, saying why. */
#include <eventhost/abi.h>

static eh_plugin descriptor = {
    .struct_size = sizeof(eh_plugin),
    .abi_major = EH_ABI_MAJOR + 1,
    .abi_minor = 0,
    .name = "wrong-abi",
    .version = "9.9.9",
};

EH_EXPORT const eh_plugin* eventhost_plugin_descriptor(void) { return &descriptor; }
