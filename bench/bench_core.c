/* bench_core.c - microbenchmark of shardline's core: Kinesis and DynamoDB event parsing, base64 and UTF-8. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */

#include <errno.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <shardline.h>

#include "workload.h"
#ifdef SHARDLINE_BENCH_SIMDJSON
#include "peer_simdjson.h"
#endif

#define COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))

/* Upper bounds for the fixed-size arrays below. */
#define MAX_REPETITIONS 31u
#define MAX_WORKLOADS 16u
/* Rows and memory lines a --json report can hold: every workload's rows plus the kernel's. */
#define MAX_REPORT_ROWS (MAX_WORKLOADS * 2u * 8u + 4u)

/* The base64 kernel is measured on 64 KiB of text: large enough to amortise
 * the call, small enough to stay in L2 so the kernel, not DRAM, is timed. */
#define KERNEL_TEXT_BYTES (64u * 1024u)

/* ---- configuration ------------------------------------------------------------------------------ */

typedef struct bench_report bench_report;

typedef struct bench_config {
    bool quick;
    unsigned repetitions;       /* timed repetitions per measurement */
    uint64_t min_repetition_ns; /* each repetition runs at least this long */
    uint64_t seed;
    size_t record_counts[MAX_WORKLOADS]; /* Kinesis events */
    size_t workload_count;
    size_t dynamodb_record_counts[MAX_WORKLOADS]; /* DynamoDB Streams events */
    size_t dynamodb_workload_count;
    const char *json_path; /* --json FILE: also write every figure there; NULL: no file */
    bench_report *report;  /* what --json writes, collected as the rows print; NULL without --json */
} bench_config;

static void print_usage(FILE *to)
{
    fprintf(to,
            "usage: bench_core [--quick] [--records N]... [--dynamodb-records N]... [--seed S] [--json FILE]\n"
            "  --quick                few short repetitions: finishes in a few seconds\n"
            "  --records N            benchmark an N-record Kinesis event (repeatable;\n"
            "                         default: 100 and 10000)\n"
            "  --dynamodb-records N   benchmark an N-record DynamoDB Streams event\n"
            "                         (repeatable; default: 100 and 1000)\n"
            "  --seed S               workload seed (default 1)\n"
            "  --json FILE            also write every timing and memory figure to FILE as JSON\n");
}

/* Parse a whole unsigned decimal number; false on junk or overflow. */
static bool parse_u64(const char *text, uint64_t *out)
{
    if (text == NULL || text[0] < '0' || text[0] > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = (uint64_t)value;
    return true;
}

/* Returns 0 to run, 1 when usage was printed on request, 2 on a bad command line. */
static int parse_arguments(int argc, char **argv, bench_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        uint64_t value;
        if (strcmp(arg, "--quick") == 0) {
            cfg->quick = true;
        } else if (strcmp(arg, "--records") == 0 || strcmp(arg, "--dynamodb-records") == 0 ||
                   strcmp(arg, "--seed") == 0) {
            if (i + 1 >= argc || !parse_u64(argv[i + 1], &value)) {
                fprintf(stderr, "bench_core: %s needs a number\n", arg);
                return 2;
            }
            i++;
            bool dynamodb = strcmp(arg, "--dynamodb-records") == 0;
            size_t *counts = dynamodb ? cfg->dynamodb_record_counts : cfg->record_counts;
            size_t *count = dynamodb ? &cfg->dynamodb_workload_count : &cfg->workload_count;
            if (strcmp(arg, "--seed") == 0) {
                cfg->seed = value;
            } else if (value == 0 || value > 10000000u) {
                fprintf(stderr, "bench_core: %s must be from 1 to 10000000\n", arg);
                return 2;
            } else if (*count == MAX_WORKLOADS) {
                fprintf(stderr, "bench_core: at most %u %s options\n", MAX_WORKLOADS, arg);
                return 2;
            } else {
                counts[(*count)++] = (size_t)value;
            }
        } else if (strcmp(arg, "--json") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "bench_core: --json needs a file name\n");
                return 2;
            }
            cfg->json_path = argv[++i];
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_usage(stdout);
            return 1;
        } else {
            fprintf(stderr, "bench_core: unknown argument %s\n", arg);
            print_usage(stderr);
            return 2;
        }
    }
    if (cfg->workload_count == 0) {
        cfg->record_counts[0] = 100;
        cfg->record_counts[1] = 10000;
        cfg->workload_count = 2;
    }
    if (cfg->dynamodb_workload_count == 0) {
        /* A DynamoDB record carries one or two images (about 1.7 KB of
         * JSON against 1 KB for Kinesis) and parses several times slower,
         * so 1,000 records keep the full run short. */
        cfg->dynamodb_record_counts[0] = 100;
        cfg->dynamodb_record_counts[1] = 1000;
        cfg->dynamodb_workload_count = 2;
    }
    cfg->repetitions = cfg->quick ? 3 : 11;
    cfg->min_repetition_ns = cfg->quick ? UINT64_C(10000000) : UINT64_C(50000000);
    return 0;
}

/* ---- timing ------------------------------------------------------------------------------------- */

/* One iteration of the operation under test; false means it failed, which
 * stops the benchmark (a failing operation has no meaningful speed). */
typedef bool (*iteration_fn)(void *ctx);

typedef struct timing {
    double median_ns;  /* per iteration, median repetition */
    double fastest_ns; /* per iteration, fastest repetition */
    double slowest_ns; /* per iteration, slowest repetition */
    uint64_t iterations;
    unsigned repetitions;
} timing;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

static bool run_iterations(iteration_fn fn, void *ctx, uint64_t iterations, uint64_t *elapsed_ns)
{
    uint64_t start = now_ns();
    for (uint64_t i = 0; i < iterations; i++)
        if (!fn(ctx))
            return false;
    *elapsed_ns = now_ns() - start;
    return true;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Calibrate an iteration count that makes one repetition last at least
 * min_repetition_ns (this also warms caches, the allocator and branch
 * predictors). */
static bool calibrate(const bench_config *cfg, iteration_fn fn, void *ctx, uint64_t *iterations_out)
{
    uint64_t iterations = 1, elapsed = 0;
    for (;;) {
        if (!run_iterations(fn, ctx, iterations, &elapsed))
            return false;
        if (elapsed >= cfg->min_repetition_ns)
            break;
        /* Aim 20% past the target so the timed repetitions, which jitter,
         * still clear it; grow at most 16x per step so a first, cold run
         * cannot produce a wild estimate. */
        uint64_t scale = elapsed == 0 ? 16 : (cfg->min_repetition_ns * 6 / 5) / elapsed + 1;
        iterations *= scale < 2 ? 2 : scale > 16 ? 16 : scale;
    }
    *iterations_out = iterations;
    return true;
}

/* ---- JSON report (--json) ----------------------------------------------------------------------- */

/* Every printed figure is also kept here, under the workload it belongs to
 * ("kinesis-10000", "dynamodb-1000", "base64-kernel"), and written as one
 * JSON document at the end, for bench/run_all.py. */
typedef struct report_row {
    char workload[32];
    const char *operation; /* the printed label, leading spaces dropped */
    size_t bytes, records;
    timing t;
} report_row;

typedef struct report_memory {
    char workload[32];
    const char *mode; /* "arena" or "in-place" */
    size_t input_bytes, peak, batch_memory, allocations;
} report_memory;

struct bench_report {
    char workload[32]; /* the section being measured */
    report_row rows[MAX_REPORT_ROWS];
    size_t row_count;
    report_memory memory[MAX_REPORT_ROWS];
    size_t memory_count;
    const char *simdjson_version, *simdjson_implementation; /* NULL: simdjson not measured */
};

static void report_section(bench_report *report, const char *kind, size_t records)
{
    if (report == NULL)
        return;
    if (records > 0)
        snprintf(report->workload, sizeof report->workload, "%s-%zu", kind, records);
    else
        snprintf(report->workload, sizeof report->workload, "%s", kind);
}

static void report_timing(bench_report *report, const char *operation, size_t bytes, size_t records, const timing *t)
{
    if (report == NULL || report->row_count == MAX_REPORT_ROWS)
        return;
    report_row *row = &report->rows[report->row_count++];
    memcpy(row->workload, report->workload, sizeof row->workload);
    row->operation = operation + strspn(operation, " ");
    row->bytes = bytes;
    row->records = records;
    row->t = *t;
}

static void report_memory_use(bench_report *report, const char *mode, size_t input_bytes, size_t peak,
                              size_t batch_memory, size_t allocations)
{
    if (report == NULL || report->memory_count == MAX_REPORT_ROWS)
        return;
    report_memory *m = &report->memory[report->memory_count++];
    memcpy(m->workload, report->workload, sizeof m->workload);
    m->mode = mode;
    m->input_bytes = input_bytes;
    m->peak = peak;
    m->batch_memory = batch_memory;
    m->allocations = allocations;
}

/* A JSON string of text; only quotes, backslashes and control characters need escapes here. */
static void write_json_string(FILE *f, const char *text)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(f, "\\u%04x", *c);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

static bool write_json_report(const bench_config *cfg, const bench_report *report, const char *cpu,
                              const char *compiler)
{
    FILE *f = fopen(cfg->json_path, "w");
    if (f == NULL) {
        fprintf(stderr, "bench_core: cannot write %s: %s\n", cfg->json_path, strerror(errno));
        return false;
    }
    fprintf(f, "{\"bench\": \"core\",\n \"library\": ");
    write_json_string(f, shardline_version_string());
    fprintf(f, ", \"implementation\": ");
    write_json_string(f, shardline_implementation());
    fprintf(f, ", \"cpu\": ");
    write_json_string(f, cpu);
    fprintf(f, ", \"compiler\": ");
    write_json_string(f, compiler);
    fprintf(f, ",\n \"simdjson\": ");
    if (report->simdjson_version != NULL) {
        fprintf(f, "{\"version\": ");
        write_json_string(f, report->simdjson_version);
        fprintf(f, ", \"implementation\": ");
        write_json_string(f, report->simdjson_implementation);
        fprintf(f, "}");
    } else {
        fprintf(f, "null");
    }
    fprintf(f, ", \"quick\": %s, \"seed\": %llu, \"min_repetition_ns\": %llu,\n \"rows\": [",
            cfg->quick ? "true" : "false", (unsigned long long)cfg->seed,
            (unsigned long long)cfg->min_repetition_ns);
    for (size_t i = 0; i < report->row_count; i++) {
        const report_row *r = &report->rows[i];
        fprintf(f, "%s\n  {\"workload\": ", i ? "," : "");
        write_json_string(f, r->workload);
        fprintf(f, ", \"operation\": ");
        write_json_string(f, r->operation);
        fprintf(f,
                ", \"bytes\": %zu, \"records\": %zu, \"median_ns\": %.3f, \"fastest_ns\": %.3f, "
                "\"slowest_ns\": %.3f, \"iterations\": %llu, \"repetitions\": %u}",
                r->bytes, r->records, r->t.median_ns, r->t.fastest_ns, r->t.slowest_ns,
                (unsigned long long)r->t.iterations, r->t.repetitions);
    }
    fprintf(f, "\n ],\n \"memory\": [");
    for (size_t i = 0; i < report->memory_count; i++) {
        const report_memory *m = &report->memory[i];
        fprintf(f, "%s\n  {\"workload\": ", i ? "," : "");
        write_json_string(f, m->workload);
        fprintf(f, ", \"mode\": ");
        write_json_string(f, m->mode);
        fprintf(f, ", \"input_bytes\": %zu, \"peak_bytes\": %zu, \"batch_memory\": %zu, \"allocations\": %zu}",
                m->input_bytes, m->peak, m->batch_memory, m->allocations);
    }
    fprintf(f, "\n ]}\n");
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok) {
        fprintf(stderr, "bench_core: writing %s failed\n", cfg->json_path);
        return false;
    }
    return true;
}

/* ---- report ------------------------------------------------------------------------------------- */

static void print_table_header(void)
{
    printf("  %-38s %11s %9s %9s %12s %14s\n", "operation", "median GB/s", "min GB/s", "max GB/s",
           "ns/record", "iters x reps");
}

/* One result line; bytes is the input processed per iteration and
 * records 0 when a per-record figure makes no sense. */
static void print_row(const char *operation, size_t bytes, size_t records, const timing *t)
{
    char per_record[32] = "-";
    if (records > 0)
        snprintf(per_record, sizeof per_record, "%.1f", t->median_ns / (double)records);
    char shape[32];
    snprintf(shape, sizeof shape, "%llu x %u", (unsigned long long)t->iterations, t->repetitions);
    /* bytes per nanosecond is 10^9 bytes per second. */
    printf("  %-38s %11.3f %9.3f %9.3f %12s %14s\n", operation, (double)bytes / t->median_ns,
           (double)bytes / t->slowest_ns, (double)bytes / t->fastest_ns, per_record, shape);
}

/* One operation of a group measured together. */
typedef struct bench_item {
    const char *operation; /* the printed label */
    iteration_fn fn;
    void *ctx;
    size_t bytes, records; /* per iteration, for GB/s and ns/record (records 0: none) */
    timing *out;
} bench_item;

#define MAX_GROUP 8u

/* Time a group of operations on the same input with their repetitions
 * interleaved: round r runs repetition r of every item in turn. This
 * machine's speed drifts in phases of seconds; interleaving puts every
 * item, shardline's and its peers', through the same phases, so their
 * ratios hold even when the absolute times move. Then the rows print, in
 * order. False (after a message) when an operation failed. */
static bool bench_group(const bench_config *cfg, const bench_item *items, size_t n)
{
    if (n > MAX_GROUP) {
        fprintf(stderr, "bench_core: a group of %zu operations (at most %u)\n", n, MAX_GROUP);
        return false;
    }
    uint64_t iterations[MAX_GROUP];
    double per_iteration[MAX_GROUP][MAX_REPETITIONS];
    unsigned reps = cfg->repetitions < MAX_REPETITIONS ? cfg->repetitions : MAX_REPETITIONS;
    for (size_t i = 0; i < n; i++) {
        if (!calibrate(cfg, items[i].fn, items[i].ctx, &iterations[i])) {
            fprintf(stderr, "bench_core: %s failed while being timed\n", items[i].operation);
            return false;
        }
    }
    for (unsigned r = 0; r < reps; r++) {
        for (size_t i = 0; i < n; i++) {
            uint64_t elapsed = 0;
            if (!run_iterations(items[i].fn, items[i].ctx, iterations[i], &elapsed)) {
                fprintf(stderr, "bench_core: %s failed while being timed\n", items[i].operation);
                return false;
            }
            per_iteration[i][r] = (double)elapsed / (double)iterations[i];
        }
    }
    for (size_t i = 0; i < n; i++) {
        double *t = per_iteration[i];
        qsort(t, reps, sizeof t[0], compare_doubles);
        timing *out = items[i].out;
        out->median_ns = reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
        out->fastest_ns = t[0];
        out->slowest_ns = t[reps - 1];
        out->iterations = iterations[i];
        out->repetitions = reps;
        print_row(items[i].operation, items[i].bytes, items[i].records, out);
        report_timing(cfg->report, items[i].operation, items[i].bytes, items[i].records, out);
    }
    fflush(stdout);
    return true;
}

/* The "model name" line of /proc/cpuinfo, or "unknown". */
static void read_cpu_model(char *out, size_t cap)
{
    snprintf(out, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f == NULL)
        return;
    char line[512];
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "model name", 10) != 0)
            continue;
        const char *value = strchr(line, ':');
        if (value == NULL)
            continue;
        value++;
        while (*value == ' ' || *value == '\t')
            value++;
        snprintf(out, cap, "%s", value);
        out[strcspn(out, "\n")] = '\0';
        break;
    }
    fclose(f);
}

static void print_error(const char *what, const shardline_error *err, const char *input, size_t len)
{
    fprintf(stderr, "bench_core: %s: %s (%s) at offset %zu, path '%s'\n", what,
            shardline_status_name(err->code), err->message ? err->message : "", err->offset, err->path);
    if (input != NULL && err->offset <= len) {
        size_t from = err->offset > 40 ? err->offset - 40 : 0;
        size_t to = len - err->offset > 40 ? err->offset + 40 : len;
        fprintf(stderr, "  context: ...%.*s...\n", (int)(to - from), input + from);
    }
}

/* ---- counting allocator ------------------------------------------------------------------------- */

/* Tracks the bytes a batch holds, to report peak extra memory. Each block
 * also records its own size so that a free with a different size (a
 * library bug the allocator contract forbids) is caught. */
typedef struct allocation_counter {
    size_t current, peak;
    size_t allocations;
    bool size_mismatch;
} allocation_counter;

#define BLOCK_HEADER alignof(max_align_t)
_Static_assert(BLOCK_HEADER >= sizeof(size_t), "the block header must hold a size");

static void *counting_alloc(void *ctx, size_t size)
{
    allocation_counter *counter = ctx;
    if (size > SIZE_MAX - BLOCK_HEADER)
        return NULL;
    char *block = malloc(size + BLOCK_HEADER);
    if (block == NULL)
        return NULL;
    memcpy(block, &size, sizeof size);
    counter->allocations++;
    counter->current += size;
    if (counter->current > counter->peak)
        counter->peak = counter->current;
    return block + BLOCK_HEADER;
}

static void counting_free(void *ctx, void *ptr, size_t size)
{
    allocation_counter *counter = ctx;
    char *block = (char *)ptr - BLOCK_HEADER;
    size_t allocated;
    memcpy(&allocated, block, sizeof allocated);
    if (allocated != size)
        counter->size_mismatch = true;
    counter->current -= allocated;
    free(block);
}

/* ---- correctness checks ------------------------------------------------------------------------- */

static bool view_equals(shardline_view v, const char *expected, size_t len)
{
    return v.len == len && v.ptr != NULL && (len == 0 || memcmp(v.ptr, expected, len) == 0);
}

static bool view_is(shardline_view v, const char *expected)
{
    return view_equals(v, expected, strlen(expected));
}

/* Report the first mismatch between a field and its expected text. */
static bool check_field(const char *mode, size_t index, const char *field, shardline_view got,
                        const char *expected, size_t expected_len)
{
    if (view_equals(got, expected, expected_len))
        return true;
    int shown = got.len > 120 ? 120 : (int)got.len;
    int shown_expected = expected_len > 120 ? 120 : (int)expected_len;
    fprintf(stderr,
            "bench_core: %s mode, record %zu: %s differs\n  expected (%zu bytes): %.*s\n  got      (%zu bytes): %.*s\n",
            mode, index, field, expected_len, shown_expected, expected, got.len, shown,
            got.ptr ? got.ptr : "(null)");
    return false;
}

/* Every record of the batch must carry exactly what the generator wrote,
 * above all its decoded payload. */
static bool verify_batch(const wl_workload *w, const shardline_batch *batch, const char *mode)
{
    size_t count = shardline_batch_size(batch);
    if (count != w->record_count) {
        fprintf(stderr, "bench_core: %s mode: %zu records, expected %zu\n", mode, count, w->record_count);
        return false;
    }
    static const char arn_prefix[] = "arn:aws:kinesis:us-east-2:123456789012:stream/";
    for (size_t i = 0; i < count; i++) {
        const shardline_record *r = shardline_batch_record(batch, i);
        const wl_record *e = &w->records[i];
        if (r == NULL || r->index != i || r->offset != e->event_offset || r->source != SHARDLINE_SOURCE_KINESIS) {
            fprintf(stderr, "bench_core: %s mode, record %zu: missing, or wrong index/offset/source\n", mode, i);
            return false;
        }
        char event_id[sizeof WL_KINESIS_SHARD_ID + WL_SEQUENCE_DIGITS + 1];
        int event_id_len = snprintf(event_id, sizeof event_id, "%s:%s", WL_KINESIS_SHARD_ID, e->sequence_number);
        const shardline_kinesis *k = &r->kinesis;
        bool ok = check_field(mode, i, "kinesis.data", k->data, w->payloads + e->payload_offset, e->payload_len) &&
                  check_field(mode, i, "kinesis.partitionKey", k->partition_key, w->keys + e->partition_key_offset,
                              e->partition_key_len) &&
                  check_field(mode, i, "kinesis.sequenceNumber", k->sequence_number, e->sequence_number,
                              WL_SEQUENCE_DIGITS) &&
                  check_field(mode, i, "kinesis.approximateArrivalTimestamp", k->approximate_arrival_timestamp_text,
                              e->arrival_text, strlen(e->arrival_text)) &&
                  check_field(mode, i, "eventID", r->event_id, event_id, (size_t)event_id_len);
        if (!ok)
            return false;
        /* strtod is correctly rounded in the C locale (never changed here),
         * and the library promises the nearest double. */
        double expected_arrival = strtod(e->arrival_text, NULL);
        bool fixed_fields_ok = view_is(k->kinesis_schema_version, "1.0") && view_is(r->event_source, "aws:kinesis") &&
                               view_is(r->event_version, "1.0") && view_is(r->event_name, "aws:kinesis:record") &&
                               view_is(r->invoke_identity_arn, "arn:aws:iam::123456789012:role/lambda-role") &&
                               view_is(r->aws_region, "us-east-2") && r->event_source_arn.ptr != NULL &&
                               r->event_source_arn.len > sizeof arn_prefix - 1 &&
                               memcmp(r->event_source_arn.ptr, arn_prefix, sizeof arn_prefix - 1) == 0;
        bool encryption_ok = e->has_encryption_type ? view_is(k->encryption_type, "NONE")
                                                    : (k->encryption_type.ptr == NULL && k->encryption_type.len == 0);
        if (!fixed_fields_ok || !encryption_ok || k->approximate_arrival_timestamp != expected_arrival) {
            fprintf(stderr,
                    "bench_core: %s mode, record %zu: a fixed field, encryptionType or the arrival value "
                    "(%.17g, expected %.17g) differs\n",
                    mode, i, k->approximate_arrival_timestamp, expected_arrival);
            return false;
        }
    }
    return true;
}

/* ---- DynamoDB checks ----------------------------------------------------------------------------- */

static const char *image_name(wl_image image)
{
    return image == WL_IMAGE_KEYS ? "Keys" : image == WL_IMAGE_NEW ? "NewImage" : "OldImage";
}

/* "NewImage.preferences.notifications.quietHours" or "Keys.PK", for messages. */
static void describe_check(const wl_workload *w, const wl_attr_check *c, char *out, size_t cap)
{
    size_t len = (size_t)snprintf(out, cap, "%s", image_name(c->image));
    for (unsigned i = 0; i < c->depth && len < cap; i++) {
        const wl_path_step *step = &c->path[i];
        if (step->is_index)
            len += (size_t)snprintf(out + len, cap - len, "[%zu]", step->index);
        else
            len += (size_t)snprintf(out + len, cap - len, ".%.*s", (int)step->name_len, w->values + step->name_offset);
    }
}

/* The library's name for a generator type; the two enums are kept apart on
 * purpose (the expectations do not come from the code under test). */
static shardline_attr_type library_type(wl_attr_type type)
{
    switch (type) {
    case WL_ATTR_S: return SHARDLINE_ATTR_S;
    case WL_ATTR_N: return SHARDLINE_ATTR_N;
    case WL_ATTR_B: return SHARDLINE_ATTR_B;
    case WL_ATTR_BOOL: return SHARDLINE_ATTR_BOOL;
    case WL_ATTR_NULL: return SHARDLINE_ATTR_NULL;
    case WL_ATTR_M: return SHARDLINE_ATTR_M;
    case WL_ATTR_L: return SHARDLINE_ATTR_L;
    case WL_ATTR_SS: return SHARDLINE_ATTR_SS;
    case WL_ATTR_NS: return SHARDLINE_ATTR_NS;
    case WL_ATTR_BS: return SHARDLINE_ATTR_BS;
    }
    return SHARDLINE_ATTR_NONE;
}

/* Walk the check's path from its image with shardline_attr_get (members)
 * and shardline_attr_at (elements), then compare type and value. */
static bool verify_attr_check(const wl_workload *w, const wl_attr_check *c, const shardline_dynamodb *d,
                              const char *mode, size_t index)
{
    const shardline_attr *attr = c->image == WL_IMAGE_KEYS  ? d->keys
                                 : c->image == WL_IMAGE_NEW ? d->new_image
                                                            : d->old_image;
    for (unsigned i = 0; i < c->depth && attr != NULL; i++) {
        const wl_path_step *step = &c->path[i];
        attr = step->is_index ? shardline_attr_at(attr, step->index)
                              : shardline_attr_get(attr, w->values + step->name_offset, step->name_len);
    }
    char path[256];
    describe_check(w, c, path, sizeof path);
    shardline_attr_type type = shardline_attr_get_type(attr);
    if (attr == NULL || type != library_type(c->type)) {
        fprintf(stderr, "bench_core: %s mode, record %zu: %s is %s (type %d), expected type %s\n", mode, index, path,
                attr == NULL ? "missing" : "present", (int)type, wl_attr_type_name(c->type));
        return false;
    }
    const char *expected = w->values + c->value_offset;
    switch (c->type) {
    case WL_ATTR_S:
        return check_field(mode, index, path, shardline_attr_string(attr), expected, c->value_len);
    case WL_ATTR_N: {
        if (!check_field(mode, index, path, shardline_attr_number_text(attr), expected, c->value_len))
            return false;
        /* The value too: strtod is correctly rounded in the C locale and the
         * library promises the nearest double. */
        char text[128];
        snprintf(text, sizeof text, "%.*s", (int)c->value_len, expected);
        double got = 0, want = strtod(text, NULL);
        if (shardline_attr_number_double(attr, &got) < 0 || got != want) {
            fprintf(stderr, "bench_core: %s mode, record %zu: %s = %s converts to %.17g, expected %.17g\n", mode,
                    index, path, text, got, want);
            return false;
        }
        return true;
    }
    case WL_ATTR_B:
        return check_field(mode, index, path, shardline_attr_binary(attr), expected, c->value_len);
    case WL_ATTR_BOOL:
        if (shardline_attr_bool(attr) == (c->bool_value ? 1 : 0))
            return true;
        break;
    case WL_ATTR_NULL:
        return true;
    case WL_ATTR_M:
    case WL_ATTR_L:
    case WL_ATTR_SS:
    case WL_ATTR_NS:
    case WL_ATTR_BS:
        if (shardline_attr_size(attr) == c->size)
            return true;
        break;
    }
    fprintf(stderr, "bench_core: %s mode, record %zu: %s (%s) has the wrong value or size (expected %zu)\n", mode,
            index, path, wl_attr_type_name(c->type), c->size);
    return false;
}

/* An image must be present exactly when expected, as an M of `count` attributes. */
static bool check_image(const char *mode, size_t index, const char *name, const shardline_attr *image, bool present,
                        size_t count)
{
    if (!present && image == NULL)
        return true;
    if (present && shardline_attr_get_type(image) == SHARDLINE_ATTR_M && shardline_attr_size(image) == count)
        return true;
    fprintf(stderr, "bench_core: %s mode, record %zu: %s is %s with %zu attributes, expected %s with %zu\n", mode,
            index, name, image ? "present" : "absent", shardline_attr_size(image), present ? "present" : "absent",
            count);
    return false;
}

static bool view_absent(shardline_view v)
{
    return v.ptr == NULL && v.len == 0;
}

/* Every DynamoDB record must carry what the generator wrote: its fields,
 * the attribute counts of Keys and both images, and the chosen attributes. */
static bool verify_dynamodb_batch(const wl_workload *w, const shardline_batch *batch, const char *mode)
{
    size_t count = shardline_batch_size(batch);
    if (count != w->record_count) {
        fprintf(stderr, "bench_core: %s mode: %zu records, expected %zu\n", mode, count, w->record_count);
        return false;
    }
    for (size_t i = 0; i < count; i++) {
        const shardline_record *r = shardline_batch_record(batch, i);
        const wl_record *e = &w->records[i];
        const wl_dynamodb_record *expected = &e->dynamodb;
        if (r == NULL || r->index != i || r->offset != e->event_offset || r->source != SHARDLINE_SOURCE_DYNAMODB) {
            fprintf(stderr, "bench_core: %s mode, record %zu: missing, or wrong index/offset/source\n", mode, i);
            return false;
        }
        const shardline_dynamodb *d = r->dynamodb;
        char size_text[24];
        int size_text_len = snprintf(size_text, sizeof size_text, "%llu", (unsigned long long)expected->size_bytes);
        bool ok = check_field(mode, i, "eventName", r->event_name, expected->event_name,
                              strlen(expected->event_name)) &&
                  check_field(mode, i, "eventID", r->event_id, expected->event_id, WL_DYNAMODB_EVENT_ID_LEN) &&
                  check_field(mode, i, "dynamodb.SequenceNumber", d->sequence_number, e->sequence_number,
                              strlen(e->sequence_number)) &&
                  check_field(mode, i, "dynamodb.ApproximateCreationDateTime", d->approximate_creation_date_time_text,
                              expected->creation_time_text, strlen(expected->creation_time_text)) &&
                  check_field(mode, i, "dynamodb.SizeBytes", d->size_bytes_text, size_text, (size_t)size_text_len) &&
                  check_field(mode, i, "awsRegion", r->aws_region, w->aws_region, strlen(w->aws_region)) &&
                  check_field(mode, i, "eventSourceARN", r->event_source_arn, w->event_source_arn,
                              strlen(w->event_source_arn)) &&
                  check_image(mode, i, "Keys", d->keys, true, expected->key_count) &&
                  check_image(mode, i, "NewImage", d->new_image, expected->has_new_image, expected->new_image_count) &&
                  check_image(mode, i, "OldImage", d->old_image, expected->has_old_image, expected->old_image_count);
        if (!ok)
            return false;
        double expected_time = strtod(expected->creation_time_text, NULL);
        bool identity_ok = expected->has_user_identity
                               ? view_is(r->dynamodb->user_identity_type, "Service") &&
                                     view_is(r->dynamodb->user_identity_principal_id, "dynamodb.amazonaws.com")
                               : view_absent(r->dynamodb->user_identity_type) && view_absent(r->dynamodb->user_identity_principal_id);
        bool fixed_fields_ok = view_is(r->event_source, "aws:dynamodb") && view_is(r->event_version, "1.1") &&
                               view_is(d->stream_view_type, "NEW_AND_OLD_IMAGES") &&
                               view_absent(r->invoke_identity_arn) && view_absent(r->dynamodb->table_name) &&
                               view_absent(r->dynamodb->record_format);
        if (!fixed_fields_ok || !identity_ok || d->size_bytes != (int64_t)expected->size_bytes ||
            d->approximate_creation_date_time != expected_time) {
            fprintf(stderr,
                    "bench_core: %s mode, record %zu: a fixed field, userIdentity, SizeBytes (%lld) or the creation "
                    "time (%.17g, expected %.17g) differs\n",
                    mode, i, (long long)d->size_bytes, d->approximate_creation_date_time, expected_time);
            return false;
        }
        for (size_t k = 0; k < expected->check_count; k++)
            if (!verify_attr_check(w, &w->checks[expected->first_check + k], d, mode, i))
                return false;
    }
    return true;
}

/* ---- parsing under the counting allocator ------------------------------------------------------- */

/* Compares a parsed batch with the generator's expectations. */
typedef bool (*verify_fn)(const wl_workload *w, const shardline_batch *batch, const char *mode);

/* What one parse cost in memory, measured with the counting allocator. */
typedef struct memory_use {
    size_t peak;          /* most bytes held at once during the parse */
    size_t batch_memory;  /* shardline_batch_memory() of the result */
    size_t allocations;   /* allocator calls for the whole parse */
} memory_use;

/* Parse w's event once in arena mode (copy == NULL) or in place (into copy)
 * with a counting allocator, check every record, free, and check that every
 * byte came back. */
static bool parse_checked(const wl_workload *w, char *copy, verify_fn verify, memory_use *use)
{
    const char *mode = copy ? "in-place" : "arena";
    allocation_counter counter = {0};
    shardline_allocator allocator = {counting_alloc, counting_free, &counter};
    shardline_options options;
    shardline_options_init(&options);
    options.allocator = &allocator;
    shardline_error err;
    shardline_batch *batch = NULL;
    shardline_status st;
    if (copy != NULL) {
        memcpy(copy, w->event, w->event_len);
        st = shardline_batch_parse_in_place(copy, w->event_len, &options, &batch, &err);
    } else {
        st = shardline_batch_parse(w->event, w->event_len, &options, &batch, &err);
    }
    if (st != SHARDLINE_OK) {
        char what[64];
        snprintf(what, sizeof what, "%s parse of a valid event failed", mode);
        print_error(what, &err, w->event, w->event_len);
        return false;
    }
    use->peak = counter.peak;
    use->batch_memory = shardline_batch_memory(batch);
    use->allocations = counter.allocations;
    bool ok = verify(w, batch, mode);
    shardline_batch_free(batch);
    if (counter.current != 0 || counter.size_mismatch) {
        fprintf(stderr, "bench_core: %s mode: %zu bytes not freed, or freed with a wrong size\n", mode,
                counter.current);
        ok = false;
    }
    return ok;
}

/* The generator's own output must be what it claims: a valid event whose
 * payloads (Kinesis) are valid JSON in valid UTF-8. */
static bool verify_workload_text(const wl_workload *w, bool check_payloads)
{
    shardline_error err;
    if (shardline_json_validate(w->event, w->event_len, NULL, &err) != SHARDLINE_OK) {
        print_error("json_validate rejected the event", &err, w->event, w->event_len);
        return false;
    }
    for (size_t i = 0; check_payloads && i < w->record_count; i++) {
        const char *payload = w->payloads + w->records[i].payload_offset;
        size_t len = w->records[i].payload_len;
        if (shardline_json_validate(payload, len, NULL, &err) != SHARDLINE_OK ||
            shardline_utf8_validate(payload, len, &err) != SHARDLINE_OK) {
            char what[64];
            snprintf(what, sizeof what, "payload %zu is not valid JSON", i);
            print_error(what, &err, payload, len);
            return false;
        }
    }
    return true;
}

/* ---- timed operations --------------------------------------------------------------------------- */

typedef struct event_bench {
    const char *event;
    size_t len;
    char *copy; /* len bytes: the writable buffer in-place parsing consumes */
} event_bench;

static bool iter_json_validate(void *ctx)
{
    const event_bench *b = ctx;
    return shardline_json_validate(b->event, b->len, NULL, NULL) == SHARDLINE_OK;
}

static bool iter_batch_parse(void *ctx)
{
    const event_bench *b = ctx;
    shardline_batch *batch;
    if (shardline_batch_parse(b->event, b->len, NULL, &batch, NULL) != SHARDLINE_OK)
        return false;
    shardline_batch_free(batch);
    return true;
}

/* In-place parsing destroys its input, so every iteration starts from a
 * fresh copy; the copy is part of this time and also timed alone. */
static bool iter_batch_parse_in_place(void *ctx)
{
    const event_bench *b = ctx;
    memcpy(b->copy, b->event, b->len);
    shardline_batch *batch;
    if (shardline_batch_parse_in_place(b->copy, b->len, NULL, &batch, NULL) != SHARDLINE_OK)
        return false;
    shardline_batch_free(batch);
    return true;
}

static bool iter_copy_event(void *ctx)
{
    const event_bench *b = ctx;
    memcpy(b->copy, b->event, b->len);
    return true;
}

typedef struct text_bench {
    const char *text;
    size_t len;
    uint8_t *dst; /* room for len bytes */
} text_bench;

static bool iter_utf8_validate(void *ctx)
{
    const text_bench *b = ctx;
    return shardline_utf8_validate(b->text, b->len, NULL) == SHARDLINE_OK;
}

static bool iter_base64_decode(void *ctx)
{
    const text_bench *b = ctx;
    size_t decoded;
    return shardline_base64_decode(b->text, b->len, b->dst, b->len, &decoded, NULL) == SHARDLINE_OK &&
           decoded == SHARDLINE_BASE64_DECODED_MAX(b->len);
}

static bool iter_memcpy(void *ctx)
{
    const text_bench *b = ctx;
    memcpy(b->dst, b->text, b->len);
    return true;
}

/* ---- buffers ------------------------------------------------------------------------------------ */

/* len bytes at the same offset within a 4 KiB page as `like` (at a page
 * start when like is NULL); free *base. glibc's memcpy copies mid-sized
 * blocks with `rep movsb`, which on AMD Zen 3 runs more than ten times
 * slower when the destination lies a few bytes past a multiple of 4 KiB
 * from the source, as two malloc'd blocks of 64 KiB side by side do
 * (16 bytes apart). Equal page offsets keep memcpy, the lower bound the
 * benches compare with, out of that case. */
static void *page_matched(size_t len, const void *like, void **base)
{
    char *block = malloc(len + 4096);
    *base = block;
    if (block == NULL)
        return NULL;
    uintptr_t want = (uintptr_t)like & 4095u;
    return block + ((want - (uintptr_t)block) & 4095u);
}

/* ---- benchmark sections ------------------------------------------------------------------------- */

static void print_memory_row(const char *mode, const memory_use *use, size_t input_len)
{
    printf("    %-10s %14zu %10.3f %14zu %12zu\n", mode, use->peak, (double)use->peak / (double)input_len,
           use->batch_memory, use->allocations);
}

/* How one event kind is generated, described and checked. */
typedef struct event_kind {
    const char *name;
    wl_generate_fn generate;
    verify_fn verify;
    bool has_payloads; /* Kinesis: decoded payloads to validate and time */
    const char *checked_line;
} event_kind;

static const event_kind kinesis_kind = {
    "kinesis", wl_generate_kinesis, verify_batch, true,
    "record count, every field and every decoded payload match the generator (both modes)",
};

static const event_kind dynamodb_kind = {
    "dynamodb", wl_generate_dynamodb, verify_dynamodb_batch, false,
    "record count, every field, Keys/image attribute counts and the chosen attributes\n"
    "           (via shardline_attr_*) match the generator (both modes)",
};

/* The line under a section title: what the event holds. */
static void print_workload_summary(const event_kind *kind, const wl_workload *w, size_t record_count, uint64_t seed)
{
    printf("\n%s event, %zu records (seed %llu): %zu bytes of JSON", kind->name, record_count,
           (unsigned long long)seed, w->event_len);
    if (kind->has_payloads) {
        printf(", %zu payload bytes (%.1f per record)\n", w->payloads_len,
               (double)w->payloads_len / (double)record_count);
        return;
    }
    size_t inserts = 0, modifies = 0, images = 0;
    for (size_t i = 0; i < w->record_count; i++) {
        const wl_dynamodb_record *d = &w->records[i].dynamodb;
        inserts += d->event_name[0] == 'I';
        modifies += d->event_name[0] == 'M';
        images += d->has_new_image + d->has_old_image;
    }
    printf(" (%.1f per record)\n  %zu INSERT, %zu MODIFY, %zu REMOVE; %zu images; %zu chosen attributes to check\n",
           (double)w->event_len / (double)record_count, inserts, modifies, record_count - inserts - modifies, images,
           w->check_count);
}

#ifdef SHARDLINE_BENCH_SIMDJSON
typedef struct peer_bench {
    peer_simdjson *peer;
    size_t records;
} peer_bench;

static bool iter_simdjson_ondemand(void *ctx)
{
    const peer_bench *b = ctx;
    size_t n = 0;
    return peer_simdjson_ondemand_kinesis_data(b->peer, &n, NULL) && n == b->records;
}

static bool iter_simdjson_dom(void *ctx)
{
    const peer_bench *b = ctx;
    size_t n = 0;
    return peer_simdjson_dom_parse(b->peer, &n) && n == b->records;
}

static void print_ratio(const char *what, const timing *ours, const timing *theirs)
{
    printf("  %-58s %6.2fx\n", what, theirs->median_ns / ours->median_ns);
}

/* simdjson on the same event, checked before it is timed: it must see
 * every record and, for Kinesis, exactly the data strings shardline
 * decoded. NULL (after a message) when it does not. */
static peer_simdjson *simdjson_checked(const bench_config *cfg, const event_kind *kind, const wl_workload *w,
                                       size_t record_count)
{
    peer_simdjson *peer = peer_simdjson_new(w->event, w->event_len);
    if (peer == NULL) {
        fprintf(stderr, "bench_core: simdjson could not allocate for %zu bytes\n", w->event_len);
        return NULL;
    }
    size_t n = 0, text = 0, want_text = 0;
    for (size_t i = 0; i < w->record_count; i++)
        want_text += SHARDLINE_BASE64_ENCODED_SIZE(w->records[i].payload_len);
    bool ok = peer_simdjson_dom_parse(peer, &n) && n == record_count;
    if (ok && kind->has_payloads)
        ok = peer_simdjson_ondemand_kinesis_data(peer, &n, &text) && n == record_count && text == want_text;
    if (!ok) {
        fprintf(stderr, "bench_core: simdjson did not see the same %zu records\n", record_count);
        peer_simdjson_free(peer);
        return NULL;
    }
    printf("  peer: simdjson %s (%s kernels), checked: record count%s\n", peer_simdjson_version(),
           peer_simdjson_implementation(), kind->has_payloads ? " and every kinesis.data string" : "");
    if (cfg->report != NULL) {
        cfg->report->simdjson_version = peer_simdjson_version();
        cfg->report->simdjson_implementation = peer_simdjson_implementation();
    }
    return peer;
}
#endif

/* Generate, check, then time one workload; *parse gets batch_parse's timing. */
static bool bench_workload(const bench_config *cfg, const event_kind *kind, size_t record_count, timing *parse)
{
    wl_workload w;
    if (!kind->generate(&w, record_count, cfg->seed)) {
        fprintf(stderr, "bench_core: out of memory generating %zu records\n", record_count);
        return false;
    }
    print_workload_summary(kind, &w, record_count, cfg->seed);
    report_section(cfg->report, kind->name, record_count);

    /* Check before timing: a fast wrong answer is worth nothing. */
    void *copy_block;
    char *copy = page_matched(w.event_len, w.event, &copy_block);
    memory_use arena_use = {0}, in_place_use = {0};
    bool ok = copy != NULL && verify_workload_text(&w, kind->has_payloads) &&
              parse_checked(&w, NULL, kind->verify, &arena_use) && parse_checked(&w, copy, kind->verify, &in_place_use);
    if (ok)
        printf("  checked: %s\n", kind->checked_line);
#ifdef SHARDLINE_BENCH_SIMDJSON
    peer_simdjson *peer = NULL;
    if (ok)
        ok = (peer = simdjson_checked(cfg, kind, &w, record_count)) != NULL;
    peer_bench pb = {peer, record_count};
#endif
    if (ok) {
        print_table_header();
        event_bench eb = {w.event, w.event_len, copy};
        text_bench payload_text = {w.payloads, w.payloads_len, NULL};
        timing validate, in_place, copy_time, utf8, ondemand, dom;
        bench_item items[MAX_GROUP];
        size_t n = 0;
        items[n++] = (bench_item){"json_validate (whole event)", iter_json_validate, &eb, w.event_len,
                                  record_count, &validate};
        items[n++] = (bench_item){"batch_parse (arena, + free)", iter_batch_parse, &eb, w.event_len, record_count,
                                  parse};
        items[n++] = (bench_item){"batch_parse_in_place (copy+parse+free)", iter_batch_parse_in_place, &eb,
                                  w.event_len, record_count, &in_place};
        items[n++] = (bench_item){"  of which: memcpy of the event copy", iter_copy_event, &eb, w.event_len,
                                  record_count, &copy_time};
        if (kind->has_payloads)
            items[n++] = (bench_item){"utf8_validate (payloads, decoded)", iter_utf8_validate, &payload_text,
                                      w.payloads_len, record_count, &utf8};
#ifdef SHARDLINE_BENCH_SIMDJSON
        if (kind->has_payloads)
            items[n++] = (bench_item){"simdjson On-Demand: reach kinesis.data", iter_simdjson_ondemand, &pb,
                                      w.event_len, record_count, &ondemand};
        items[n++] = (bench_item){"simdjson DOM parse", iter_simdjson_dom, &pb, w.event_len, record_count, &dom};
#endif
        ok = bench_group(cfg, items, n);
#ifdef SHARDLINE_BENCH_SIMDJSON
        if (ok) {
            printf("  shardline speed / simdjson speed (medians, repetitions interleaved):\n");
            if (kind->has_payloads)
                print_ratio("batch_parse vs On-Demand reaching kinesis.data", parse, &ondemand);
            print_ratio("batch_parse vs DOM parse", parse, &dom);
            if (kind->has_payloads)
                print_ratio("batch_parse_in_place (with copy) vs On-Demand", &in_place, &ondemand);
        }
#else
        (void)ondemand;
        (void)dom;
#endif
    }
#ifdef SHARDLINE_BENCH_SIMDJSON
    peer_simdjson_free(peer);
#endif
    if (ok) {
        printf("  memory: extra bytes beyond the %zu-byte input (counting allocator)\n", w.event_len);
        printf("    %-10s %14s %10s %14s %12s\n", "mode", "peak bytes", "x input", "batch_memory", "allocations");
        print_memory_row("arena", &arena_use, w.event_len);
        print_memory_row("in-place", &in_place_use, w.event_len);
        report_memory_use(cfg->report, "arena", w.event_len, arena_use.peak, arena_use.batch_memory,
                          arena_use.allocations);
        report_memory_use(cfg->report, "in-place", w.event_len, in_place_use.peak, in_place_use.batch_memory,
                          in_place_use.allocations);
    }
    free(copy_block);
    wl_workload_free(&w);
    return ok;
}

/* The base64 kernel alone against memcpy of the same 64 KiB. */
static bool bench_base64_kernel(const bench_config *cfg)
{
    /* Random bytes encode to text using the whole alphabet, so no fast path
     * for a narrow range of characters is favoured. */
    size_t raw_len = SHARDLINE_BASE64_DECODED_MAX(KERNEL_TEXT_BYTES);
    uint8_t *raw = malloc(raw_len);
    void *text_block, *dst_block;
    char *text = page_matched(KERNEL_TEXT_BYTES, NULL, &text_block);
    uint8_t *dst = page_matched(KERNEL_TEXT_BYTES, NULL, &dst_block);
    bool ok = raw != NULL && text != NULL && dst != NULL;
    if (ok) {
        /* xorshift64* never leaves a non-zero state; the xor keeps seed 0 usable. */
        uint64_t state = cfg->seed ^ UINT64_C(0x9E3779B97F4A7C15);
        for (size_t i = 0; i < raw_len; i++) {
            /* xorshift64*: any fixed PRNG will do; this one keeps the
             * section independent of the workload generator. */
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            raw[i] = (uint8_t)((state * UINT64_C(0x2545F4914F6CDD1D)) >> 56);
        }
        ok = shardline_base64_encode(raw, raw_len, text, KERNEL_TEXT_BYTES) == KERNEL_TEXT_BYTES;
        size_t decoded = 0;
        shardline_error err;
        if (ok && (shardline_base64_decode(text, KERNEL_TEXT_BYTES, dst, KERNEL_TEXT_BYTES, &decoded, &err) !=
                       SHARDLINE_OK ||
                   decoded != raw_len || memcmp(dst, raw, raw_len) != 0)) {
            fprintf(stderr, "bench_core: base64 round trip of %zu bytes failed\n", raw_len);
            ok = false;
        }
    }
    if (ok) {
        printf("\nbase64 kernel: %u bytes of base64 text (L2-resident), GB/s of input text\n", KERNEL_TEXT_BYTES);
        print_table_header();
        report_section(cfg->report, "base64-kernel", 0);
        text_bench kb = {text, KERNEL_TEXT_BYTES, dst};
        timing decode, copy;
        bench_item items[] = {
            {"base64_decode (64 KiB)", iter_base64_decode, &kb, KERNEL_TEXT_BYTES, 0, &decode},
            {"memcpy (same 64 KiB)", iter_memcpy, &kb, KERNEL_TEXT_BYTES, 0, &copy},
        };
        ok = bench_group(cfg, items, COUNT_OF(items));
        if (ok)
            printf("  base64_decode / memcpy speed ratio: %.3f\n", copy.median_ns / decode.median_ns);
    }
    free(raw);
    free(text_block);
    free(dst_block);
    return ok;
}

static void print_growth(const char *kind, const size_t *counts, const timing *t, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double first = t[0].median_ns / (double)counts[0], here = t[i].median_ns / (double)counts[i];
        printf("  %-9s %6zu -> %6zu records: %8.1f -> %8.1f ns/record (x%.2f)\n", kind, counts[0], counts[i],
               first, here, here / first);
    }
}

int main(int argc, char **argv)
{
    bench_config cfg;
    int parsed = parse_arguments(argc, argv, &cfg);
    if (parsed != 0)
        return parsed == 1 ? 0 : 2;

    char cpu[256];
    read_cpu_model(cpu, sizeof cpu);
    const char *compiler =
#if defined(__clang__)
        "clang " __clang_version__;
#elif defined(__GNUC__)
        "gcc " __VERSION__;
#else
        "unknown";
#endif
    printf("shardline bench_core\n");
    printf("  library         %s (headers %s)\n", shardline_version_string(), SHARDLINE_VERSION_STRING);
    printf("  implementation  %s\n", shardline_implementation());
    printf("  cpu             %s\n", cpu);
#if defined(__clang__) || defined(__GNUC__)
    printf("  compiler        %s\n", compiler);
#endif
    printf("  mode            %s: %u repetitions of >= %llu ms per measurement\n", cfg.quick ? "quick" : "normal",
           cfg.repetitions, (unsigned long long)(cfg.min_repetition_ns / 1000000));
    printf("  units           GB/s = 10^9 input bytes/s; median over repetitions, min/max = slowest/fastest\n"
           "                  repetition; ns/record = median time / records\n");
    fflush(stdout);

    if (cfg.json_path != NULL && (cfg.report = calloc(1, sizeof *cfg.report)) == NULL) {
        fprintf(stderr, "bench_core: out of memory\n");
        return 1;
    }
    bool ok = true;
    timing kinesis[MAX_WORKLOADS], dynamodb[MAX_WORKLOADS];
    for (size_t i = 0; i < cfg.workload_count && ok; i++)
        ok = bench_workload(&cfg, &kinesis_kind, cfg.record_counts[i], &kinesis[i]);
    for (size_t i = 0; i < cfg.dynamodb_workload_count && ok; i++)
        ok = bench_workload(&cfg, &dynamodb_kind, cfg.dynamodb_record_counts[i], &dynamodb[i]);
    ok = ok && bench_base64_kernel(&cfg);
    if (ok) {
        printf("\nlinear cost: batch_parse ns/record of each workload over the first one's\n");
        print_growth("kinesis", cfg.record_counts, kinesis, cfg.workload_count);
        print_growth("dynamodb", cfg.dynamodb_record_counts, dynamodb, cfg.dynamodb_workload_count);
    }
    if (ok && cfg.report != NULL)
        ok = write_json_report(&cfg, cfg.report, cpu, compiler);
    free(cfg.report);
    if (!ok) {
        fprintf(stderr, "bench_core: FAILED\n");
        return 1;
    }
    return 0;
}
