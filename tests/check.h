/* check.h - a tiny assertion harness for the C tests: exact comparisons, a summary line. */
#ifndef SHARDLINE_CHECK_H
#define SHARDLINE_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "shardline.h"

static int check_total;
static int check_failed;

#define CHECK_FAIL_AT(file, line, ...)                                  \
    do {                                                                \
        check_failed++;                                                 \
        fprintf(stderr, "%s:%d: ", file, line);                         \
        fprintf(stderr, __VA_ARGS__);                                   \
        fputc('\n', stderr);                                            \
    } while (0)

/* A condition that must hold. */
#define CHECK(cond)                                                     \
    do {                                                                \
        check_total++;                                                  \
        if (!(cond))                                                    \
            CHECK_FAIL_AT(__FILE__, __LINE__, "CHECK(%s) failed", #cond); \
    } while (0)

/* Two integers that must be equal. */
#define CHECK_EQ(a, b)                                                  \
    do {                                                                \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b); \
        check_total++;                                                  \
        if (check_a_ != check_b_)                                       \
            CHECK_FAIL_AT(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", #a, \
                          check_a_, #b, check_b_);                      \
    } while (0)

/* A byte range that must equal the given bytes exactly. */
#define CHECK_MEM(ptr, len, exp, exp_len)                               \
    do {                                                                \
        size_t check_l_ = (size_t)(len), check_el_ = (size_t)(exp_len); \
        check_total++;                                                  \
        if (check_l_ != check_el_ ||                                    \
            (check_l_ > 0 && memcmp((ptr), (exp), check_l_) != 0))      \
            CHECK_FAIL_AT(__FILE__, __LINE__, "%s: got %zu bytes \"%.*s\", expected %zu bytes \"%.*s\"", \
                          #ptr, check_l_, (int)(check_l_ > 200 ? 200 : check_l_), \
                          (const char *)(ptr), check_el_,               \
                          (int)(check_el_ > 200 ? 200 : check_el_), (const char *)(exp)); \
    } while (0)

/* A view that must equal a C string literal exactly. */
#define CHECK_VIEW(view, lit) CHECK_MEM((view).ptr, (view).len, (lit), strlen(lit))

/* A status and a filled-in error that must carry exactly this code and offset. */
#define CHECK_ERROR(status, err, exp_code, exp_offset)                  \
    do {                                                                \
        shardline_status check_s_ = (status);                           \
        check_total++;                                                  \
        if (check_s_ != (exp_code) || (err).code != (exp_code) ||       \
            (err).offset != (size_t)(exp_offset))                       \
            CHECK_FAIL_AT(__FILE__, __LINE__, "%s: got %s (error %s at %zu), expected %s at %zu", \
                          #status, shardline_status_name(check_s_),     \
                          shardline_status_name((err).code), (err).offset, \
                          shardline_status_name(exp_code), (size_t)(exp_offset)); \
    } while (0)

/* Print the summary line and return main's exit code. */
static inline int check_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, check_total - check_failed, check_failed);
    return check_failed == 0 ? 0 : 1;
}

#endif /* SHARDLINE_CHECK_H */
