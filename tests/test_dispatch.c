/* test_dispatch.c - the kernel choice: the supported list, the scalar reference last, SHARDLINE_FORCE_IMPL. */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "internal.h"

int main(int argc, char **argv)
{
    const sl_kernels *list[16];
    size_t n = sl_kernels_supported(list, 16);
    /* --list: the implementations this CPU runs, best first, one per line
     * (the test runner repeats the suite for each). */
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < n && i < 16; i++)
            printf("%s\n", list[i]->name);
        return 0;
    }
    CHECK(n >= 1 && n <= 16);
    /* The scalar reference is always supported and always last. */
    CHECK(list[n - 1] == &sl_kernels_scalar);
    CHECK(strcmp(list[n - 1]->name, "scalar") == 0);
    /* A short buffer still reports the full count. */
    const sl_kernels *one[1];
    CHECK_EQ(sl_kernels_supported(one, 1), n);
    CHECK(one[0] == list[0]);
    for (size_t i = 0; i < n; i++)
        CHECK(list[i]->base64_decode != NULL && list[i]->utf8_validate != NULL &&
              list[i]->string_scan != NULL && list[i]->name != NULL);

    /* The choice: the forced implementation when this CPU supports it, the
     * best supported one otherwise (an unknown name included). */
    const char *forced = getenv("SHARDLINE_FORCE_IMPL");
    const char *active = shardline_implementation();
    const char *expect = list[0]->name;
    for (size_t i = 0; forced != NULL && i < n; i++)
        if (strcmp(list[i]->name, forced) == 0)
            expect = forced;
    CHECK(strcmp(active, expect) == 0);
    /* Chosen once: asking again gives the same table. */
    CHECK(shardline_implementation() == active);
    CHECK(sl_kernels_get() == sl_kernels_get());
    return check_done("test_dispatch");
}
