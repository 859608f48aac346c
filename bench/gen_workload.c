/* gen_workload.c - write one deterministic synthetic AWS Lambda stream event to stdout or a file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

static void print_usage(FILE *to)
{
    fprintf(to,
            "usage: gen_workload KIND RECORDS [SEED] [--out FILE]\n"
            "       gen_workload --list\n"
            "Writes one Lambda event with RECORDS records, generated only from SEED\n"
            "(default 1): the same arguments always give byte-identical output.\n"
            "kinds:\n");
    size_t count;
    const wl_kind *kinds = wl_kinds(&count);
    for (size_t i = 0; i < count; i++)
        fprintf(to, "  %-10s %s\n", kinds[i].name, kinds[i].summary);
}

/* Parse a whole decimal (or 0x hex) unsigned number; false on junk or overflow. */
static bool parse_u64(const char *text, unsigned long long *out)
{
    if (text[0] == '\0' || text[0] == '-' || text[0] == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 0);
    if (errno != 0 || *end != '\0')
        return false;
    *out = value;
    return true;
}

/* Write all of data to path ("-" or NULL: stdout); reports its own errors. */
static bool write_output(const char *path, const char *data, size_t len)
{
    bool to_stdout = path == NULL || strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "gen_workload: cannot open %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(data, 1, len, f) == len;
    ok = (to_stdout ? fflush(f) == 0 : fclose(f) == 0) && ok;
    if (!ok)
        fprintf(stderr, "gen_workload: error writing %s\n", to_stdout ? "stdout" : path);
    return ok;
}

int main(int argc, char **argv)
{
    const char *positional[3] = {NULL, NULL, NULL};
    int positional_count = 0;
    const char *out_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 || strcmp(argv[i], "-o") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "gen_workload: %s needs a file name\n", argv[i]);
                return 2;
            }
            out_path = argv[++i];
        } else if (strcmp(argv[i], "--list") == 0 || strcmp(argv[i], "--help") == 0 ||
                   strcmp(argv[i], "-h") == 0) {
            print_usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "gen_workload: unknown option %s\n", argv[i]);
            print_usage(stderr);
            return 2;
        } else if (positional_count < 3) {
            positional[positional_count++] = argv[i];
        } else {
            fprintf(stderr, "gen_workload: too many arguments\n");
            print_usage(stderr);
            return 2;
        }
    }
    if (positional_count < 2) {
        print_usage(stderr);
        return 2;
    }

    const wl_kind *kind = wl_kind_find(positional[0]);
    if (kind == NULL) {
        fprintf(stderr, "gen_workload: unknown event kind '%s'\n", positional[0]);
        print_usage(stderr);
        return 2;
    }
    unsigned long long records, seed = 1;
    if (!parse_u64(positional[1], &records) || records > 100000000ull) {
        fprintf(stderr, "gen_workload: RECORDS must be a number from 0 to 100000000, not '%s'\n", positional[1]);
        return 2;
    }
    if (positional[2] != NULL && !parse_u64(positional[2], &seed)) {
        fprintf(stderr, "gen_workload: SEED must be an unsigned 64-bit number, not '%s'\n", positional[2]);
        return 2;
    }

    wl_workload workload;
    if (!kind->generate(&workload, (size_t)records, (uint64_t)seed)) {
        fprintf(stderr, "gen_workload: out of memory generating %llu records\n", records);
        return 1;
    }
    bool ok = write_output(out_path, workload.event, workload.event_len);
    wl_workload_free(&workload);
    return ok ? 0 : 1;
}
