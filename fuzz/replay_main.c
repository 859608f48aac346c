/* replay_main.c - main() for builds without a fuzzing engine: runs the target on every file it is given. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

static size_t inputs_run;

/* Run the target on one file's bytes, in a buffer of exactly their size
 * (as libFuzzer passes them). Returns false when the file cannot be read. */
static bool replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return false;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (buf == NULL) {
            fprintf(stderr, "replay: out of memory reading %s\n", path);
            fclose(f);
            return false;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        cap *= 2;
        uint8_t *bigger = realloc(buf, cap);
        if (bigger == NULL)
            free(buf);
        buf = bigger;
    }
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        free(buf);
        return false;
    }
    uint8_t *exact = malloc(len ? len : 1);
    if (exact == NULL) {
        free(buf);
        return false;
    }
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    inputs_run++;
    return true;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool replay_path(const char *path);

/* Every entry of a folder in name order (runs repeat exactly), hidden
 * files (.gitkeep and the like) left out. */
static bool replay_dir(const char *path)
{
    DIR *dir = opendir(path);
    if (dir == NULL) {
        fprintf(stderr, "replay: cannot open folder %s: %s\n", path, strerror(errno));
        return false;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    bool ok = true;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? 2 * cap : 64;
            char **bigger = realloc(names, cap * sizeof *names);
            if (bigger == NULL) {
                ok = false;
                break;
            }
            names = bigger;
        }
        size_t n = strlen(path) + strlen(entry->d_name) + 2;
        names[count] = malloc(n);
        if (names[count] == NULL) {
            ok = false;
            break;
        }
        snprintf(names[count], n, "%s/%s", path, entry->d_name);
        count++;
    }
    closedir(dir);
    if (count > 0)
        qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count; i++) {
        if (ok)
            ok = replay_path(names[i]);
        free(names[i]);
    }
    free(names);
    return ok;
}

static bool replay_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode))
        return replay_dir(path);
    return replay_file(path);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|FOLDER...\n"
                        "Runs the fuzz target once on every file given or found in the folders.\n",
                argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        if (!replay_path(argv[i]))
            return 1;
    printf("%s: ran %zu inputs\n", argv[0], inputs_run);
    /* A replay that ran nothing checks nothing: a wrong path, most likely. */
    return inputs_run > 0 ? 0 : 1;
}
