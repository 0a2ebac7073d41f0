/* A plugin built against a newer ABI minor than the host's: it may call host functions the host lacks. */
#include <eventhost/abi.h>

static eh_status create(const eh_host_api* api, eh_host* host, eh_str config, void** instance, char* err,
                        size_t err_len) {
  (void)api, (void)host, (void)config, (void)err, (void)err_len;
  *instance = 0;
  return EH_ERR_INTERNAL;
}
static void destroy(void* instance) { (void)instance; }
static int match(void* instance, const eh_event* event) { (void)instance, (void)event; return 1; }

static eh_plugin descriptor = {
    .struct_size = sizeof(eh_plugin),
    .abi_major = EH_ABI_MAJOR,
    .abi_minor = EH_ABI_MINOR + 1,
    .name = "newer-minor",
    .version = "1.0.0",
    .kind = EH_KIND_FILTER,
    .create = create,
    .destroy = destroy,
    .match = match,
};

EH_EXPORT const eh_plugin* eventhost_plugin_descriptor(void) { return &descriptor; }
