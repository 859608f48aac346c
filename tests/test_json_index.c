/* test_json_index.c - the validator's fast path over the structural index
 * (sl_validate_indexed, json_parse.c) against the byte-by-byte walker
 * (sl_validate_text). For every text below, the index must give the walker's
 * verdict exactly - a wrong `false` only costs speed, a wrong `true` lets an
 * invalid text through - with the kernels the library dispatches to (the
 * best the CPU runs, or the one SHARDLINE_FORCE_IMPL names: ./run test
 * reruns the suite with each), and shardline_json_validate() must give the
 * walker's status, error offset and path. Every text is
 * placed so that it ends at a guard page. The cases: the event fixtures, and
 * all of them in one array that spans several index windows; every byte of
 * a few texts replaced, deleted or cut off; strings, escapes, UTF-8,
 * control bytes, numbers, literals and whitespace put at every offset
 * around the 4096- and 8192-byte window boundaries; nesting depth against
 * max_depth; random texts, valid and mutated; byte order marks, empty
 * input, whitespace only and trailing bytes, with their exact errors.
 * Each section prints how many of its texts the index accepted, so the fast
 * path is seen to be taken, and the valid fixtures must take it. */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"
#include "testutil.h"

#define MAX_REPORTS 20 /* mismatches printed in full; the rest only count */
#define GUARD_CAP (1u << 20)
#define WINDOW 4096 /* SL_INDEX_WINDOW in json_parse.c */
#define REACH 70    /* offsets swept on each side of a window boundary */

static guarded g;
static int reports;

/* What one section saw: texts compared, and how many the walker and the
 * index accepted. */
typedef struct tally {
    const char *name;
    size_t cases, indexed, valid;
} tally;

static tally *current;

static void section_begin(tally *t, const char *name)
{
    t->name = name;
    t->cases = t->indexed = t->valid = 0;
    current = t;
}

static void section_end(const tally *t)
{
    printf("%-22s %7zu texts, %7zu valid, %7zu accepted by the index\n", t->name, t->cases, t->valid,
           t->indexed);
}

static shardline_options options_for(uint32_t max_depth)
{
    shardline_options o;
    shardline_options_init(&o);
    o.max_depth = max_depth; /* 0: the default */
    return o;
}

/* The byte-by-byte validation (sl_validate_text, shardline_json_validate's
 * fall-back): its status, with the error in *err. */
static shardline_status walker_status(const char *text, size_t len, uint32_t max_depth,
                                      shardline_error *err)
{
    shardline_options o = options_for(max_depth);
    sl_parser P;
    shardline_status st = sl_parser_init(&P, text, len, &o, err);
    return st != SHARDLINE_OK ? st : sl_validate_text(&P);
}

static bool walker_ok(const char *text, size_t len, uint32_t max_depth)
{
    shardline_error err;
    return walker_status(text, len, max_depth, &err) == SHARDLINE_OK;
}

/* The indexed validation, with the kernels the library dispatches to. It
 * reports nothing: the error handed to the parser must come back untouched
 * (*quiet false if not). */
static bool indexed_ok(const char *text, size_t len, uint32_t max_depth, bool *quiet)
{
    shardline_options o = options_for(max_depth);
    shardline_error err, before;
    memset(&err, 0x5A, sizeof err);
    before = err;
    sl_parser P;
    *quiet = true;
    if (sl_parser_init(&P, text, len, &o, &err) != SHARDLINE_OK)
        return false;
    bool ok = sl_validate_indexed(&P);
    *quiet = memcmp(&err, &before, sizeof err) == 0 && P.error == &err;
    return ok;
}

static void print_bytes(const char *text, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\\' || c == '"')
            fprintf(stderr, "\\%c", c);
        else
            fprintf(stderr, c >= 0x20 && c < 0x7F ? "%c" : "\\x%02X", c);
    }
}

/* A failed check (counted by the caller): print the case, its start, and
 * the bytes around `focus` (an offset into the text, or SIZE_MAX). */
static void report(const char *label, const char *text, size_t len, uint32_t max_depth, size_t focus,
                   const char *what)
{
    check_failed++;
    if (reports++ >= MAX_REPORTS)
        return;
    fprintf(stderr, "%s: %s; %zu-byte text, max_depth %u, starts \"", current->name, what, len,
            (unsigned)max_depth);
    print_bytes(text, 0, len < 48 ? len : 48);
    fprintf(stderr, "%s\"", len > 48 ? "..." : "");
    if (focus != SIZE_MAX && focus < len) {
        size_t from = focus < 24 ? 0 : focus - 24, to = len - focus < 24 ? len : focus + 24;
        fprintf(stderr, ", around %zu: \"", focus);
        print_bytes(text, from, to);
        fprintf(stderr, "\"");
    }
    fprintf(stderr, " [%s]\n", label);
}

/* Compare the index, the walker and shardline_json_validate on
 * data[0..len), placed to end at the guard page. Returns the walker's
 * status; *err_out (if not NULL) receives its error. */
static shardline_status compare_at(const char *label, const char *data, size_t len, uint32_t max_depth,
                                   size_t focus, shardline_error *err_out)
{
    if (len > GUARD_CAP) {
        check_total++;
        report(label, data, len, max_depth, focus, "text larger than the guarded buffer");
        return SHARDLINE_ERR_TOO_LARGE;
    }
    const char *text = guarded_place(&g, data, len);
    char what[200];
    shardline_error werr;
    memset(&werr, 0, sizeof werr);
    shardline_status wst = walker_status(text, len, max_depth, &werr);
    bool wok = wst == SHARDLINE_OK;
    current->cases++;
    current->valid += wok;
    bool quiet;
    bool iok = indexed_ok(text, len, max_depth, &quiet);
    current->indexed += iok;
    check_total++;
    if (iok != wok) {
        snprintf(what, sizeof what, "the index says %s, the walker %s at %zu", iok ? "valid" : "invalid",
                 shardline_status_name(wst), wok ? 0 : werr.offset);
        report(label, text, len, max_depth, focus == SIZE_MAX && !wok ? werr.offset : focus, what);
    }
    check_total++;
    if (!quiet)
        report(label, text, len, max_depth, focus, "the index wrote to the error");
    shardline_options o = options_for(max_depth);
    shardline_error perr;
    memset(&perr, 0x5A, sizeof perr);
    shardline_status pst = shardline_json_validate(text, len, &o, &perr);
    size_t want_offset = wok ? 0 : werr.offset;
    const char *want_path = wok ? "" : werr.path;
    check_total++;
    if (pst != wst || perr.code != wst || perr.offset != want_offset || strcmp(perr.path, want_path) != 0) {
        snprintf(what, sizeof what, "shardline_json_validate gives %s at %zu \"%.40s\", walker %s at %zu \"%.40s\"",
                 shardline_status_name(pst), perr.offset, perr.path, shardline_status_name(wst),
                 want_offset, want_path);
        report(label, text, len, max_depth, focus == SIZE_MAX ? want_offset : focus, what);
    }
    if (err_out != NULL)
        *err_out = werr;
    return wst;
}

static bool compare(const char *label, const char *data, size_t len, uint32_t max_depth)
{
    return compare_at(label, data, len, max_depth, SIZE_MAX, NULL) == SHARDLINE_OK;
}

/* ---- a growable byte buffer -------------------------------------------------- */

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void buf_reserve(buf *b, size_t more)
{
    if (b->len + more <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more)
        cap *= 2;
    b->p = realloc(b->p, cap);
    if (b->p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    b->cap = cap;
}

static void buf_add(buf *b, const void *data, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void buf_str(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_byte(buf *b, char c)
{
    buf_add(b, &c, 1);
}

/* ---- 1. the fixtures ----------------------------------------------------------- */

/* Where each fixture ends in the array of all of them. */
static size_t element_end[64];
static size_t n_elements;

static int name_order(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.json under <data>/<sub>, each a valid event the index must
 * accept; each is also appended to *all as an element of one array (a
 * byte order mark dropped: it may only start a text). */
static void test_fixture_dir(const char *sub, buf *all)
{
    DIR *d = open_fixture_dir(sub);
    if (d == NULL)
        return;
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        size_t nl = strlen(e->d_name);
        if (nl >= 6 && strcmp(e->d_name + nl - 5, ".json") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    CHECK(n >= 5);
    qsort(names, n, sizeof names[0], name_order);
    for (size_t i = 0; i < n; i++) {
        char name[600];
        snprintf(name, sizeof name, "%s/%s", sub, names[i]);
        size_t len;
        char *text = read_fixture(name, &len);
        size_t before = current->indexed;
        bool ok = compare(name, text, len, 0);
        check_total++;
        if (!ok || current->indexed != before + 1)
            CHECK_FAIL_AT(__FILE__, __LINE__, "%s: walker %s, index %s: a valid event must take the index",
                          name, ok ? "valid" : "invalid", current->indexed != before ? "valid" : "invalid");
        size_t skip = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        buf_str(all, all->len == 0 ? "[" : ",\n");
        buf_add(all, text + skip, len - skip);
        if (n_elements < 64)
            element_end[n_elements++] = all->len;
        free(text);
        free(names[i]);
    }
}

/* ---- 2. every byte replaced, deleted, cut off ---------------------------------- */

static const unsigned char interesting[] = {
    '"', '\\', '{', '}', '[', ']', ':', ',', ' ', '\t', '\n', 0x01, 0x1F, 'a', '0', '-', 'e', '.', 't',
    0x80, 0xC3, 0xE2, 0xF0, 0xFF,
};

/* A text with every kind of token: objects, arrays, empty ones, strings with
 * every escape (a surrogate pair too) and UTF-8 of 2, 3 and 4 bytes, numbers,
 * literals, and all four whitespace bytes. */
static const char every_token[] =
    "{\"obj\":{\"k\":\"v\",\"empty\":{},\"none\":[]},\r\n"
    "\t\"arr\" : [ -0, 1.5e-3, 0, 12, -7.25E+2, true, false, null, \"s\" ],\n"
    "\"esc\":\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\","
    "\"utf\":\"caf\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x98\x80\",\"\\u006b\":[[{}],{\"x\":[1]}]}";

/* Every byte of text[0..len) replaced by each of the interesting bytes
 * (`full`) or by every third of them, and deleted; and every prefix. */
static void mutate_all(const char *label, const char *text, size_t len, bool full)
{
    char *m = malloc(len + 1);
    if (m == NULL)
        exit(2);
    CHECK(compare(label, text, len, 0));
    for (size_t i = 0; i < len; i++) {
        memcpy(m, text, len);
        for (size_t k = 0; k < sizeof interesting; k += full ? 1 : 3) {
            if ((unsigned char)text[i] == interesting[k])
                continue;
            m[i] = (char)interesting[k];
            compare_at(label, m, len, 0, i, NULL);
        }
        memcpy(m, text, i);
        memcpy(m + i, text + i + 1, len - i - 1);
        compare_at(label, m, len - 1, 0, i, NULL);
    }
    for (size_t n = 0; n < len; n++)
        compare_at(label, text, n, 0, n ? n - 1 : SIZE_MAX, NULL);
    free(m);
}

/* In a long text, only the bytes around each window boundary. */
static void mutate_boundaries(const char *label, const char *text, size_t len)
{
    char *m = malloc(len);
    if (m == NULL)
        exit(2);
    for (size_t b = WINDOW; b + REACH < len; b += WINDOW)
        for (size_t i = b - REACH; i <= b + REACH; i++) {
            memcpy(m, text, len);
            for (size_t k = 0; k < sizeof interesting; k++) {
                if ((unsigned char)text[i] == interesting[k])
                    continue;
                m[i] = (char)interesting[k];
                compare_at(label, m, len, 0, i, NULL);
            }
            memcpy(m + i, text + i + 1, len - i - 1);
            compare_at(label, m, len - 1, 0, i, NULL);
            compare_at(label, text, i, 0, i - 1, NULL);
        }
    free(m);
}

/* ---- 3. around the window boundaries ------------------------------------------- */

typedef struct snippet {
    const char *text;
    size_t len;
    bool valid; /* in the context it is swept in */
} snippet;

#define S(lit, valid) {lit, sizeof(lit) - 1, valid}

/* String content, followed by the string's closing quote. */
static const snippet in_string[] = {
    S("", true), /* the closing quote itself */
    S("\\\"", true),
    S("\\\\", true), /* an escaped backslash right before the closing quote */
    S("\\\\\\\\", true),
    S("\\\\\\\"", true),
    S("\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\", true),
    S("\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\"x", true),
    S("\\/\\b\\f\\n\\r\\t", true),
    S("\\u00e9", true),
    S("\\uD83D\\uDE00", true),
    S("\\u0000", true),
    S("{}[]:, \"", false), /* a quote that closes early: `" ","b"` follows */
    S("{}[]:, ", true),
    S("\xC3\xA9", true),
    S("\xE6\x97\xA5", true),
    S("\xF0\x9F\x98\x80", true),
    S("\xEF\xBF\xBF\xF4\x8F\xBF\xBF", true),
    S("\x7F", true),
    S("a\xC3\xA9\xE6\x97\xA5\xF0\x9F\x98\x80z", true),
    S("\\", false), /* escapes the closing quote */
    S("\\x", false),
    S("\\u12G4", false),
    S("\\u12", false),
    S("\\uD83D", false),
    S("\\uDE00", false),
    S("\\uD83D\\u0041", false),
    S("\\\x01", false),
    S("\x01", false),
    S("\x1F", false),
    {"\0", 1, false},
    S("\t", false),
    S("\n", false),
    S("\xC3x", false),
    S("\xC3", false), /* truncated just before the closing quote */
    S("\xE6\x97x", false),
    S("\xF0\x9F\x98x", false),
    S("\xF0\x9F\x98", false),
    S("\x80", false),
    S("\xBF\xBF", false),
    S("\xFF", false),
    S("\xC0\xAF", false),
    S("\xE0\x80\x80", false),
    S("\xED\xA0\x80", false),
    S("\xF4\x90\x80\x80", false),
    S("\xF5\x80\x80\x80", false),
};

/* A value (an element, a member's value, or the whole text). */
static const snippet values[] = {
    S("0", true),
    S("-0", true),
    S("-12.5e+10", true),
    S("1.5e-3", true),
    S("123456789012345678901234567890", true),
    S("1E5", true),
    S("true", true),
    S("false", true),
    S("null", true),
    S("\"\"", true),
    S("\"\xC3\xA9\xF0\x9F\x98\x80\"", true),
    S("\"\\\\\\\"\\u00e9\"", true),
    S("[]", true),
    S("{}", true),
    S("[1,[2,{\"k\":null}],-3]", true),
    S("{\"k\":[true,false],\"\\u006b\":{}}", true),
    S(" \t\r\n \t\r\n 1 \t\r\n \t\r\n", true),
    S("  \n\n\t\t\r\r  [  \"a\"  ,  {  }  ]  \r\n", true),
    S("01", false),
    S("1.", false),
    S("-", false),
    S("1e", false),
    S("1e+", false),
    S(".5", false),
    S("+1", false),
    S("1.5x", false),
    S("1 2", false),
    S("1\x01", false),
    S("tru", false),
    S("nul", false),
    S("truex", false),
    S("True", false),
    S("nulll", false),
    S("falsey", false),
    S("true\f", false),
    S("true\"", false),
    S("\"abc", false),
    S("\"a\"b", false),
    S("\x01", false),
    S("\x80", false),
    S("\xC3\xA9", false),
    S("'a'", false),
    S("[1,]", false),
    S("[1 2]", false),
    S("{\"k\"}", false),
    S("{\"k\":}", false),
    S("{\"k\" 1}", false),
    S("{1:2}", false),
    S("[1}", false),
    S(",", false),
    S(":", false),
    S("}", false),
    S("\"a\":1", false),
    S("\\", false),
    S("\"\\u00e\"", false),
};

/* What may follow the whole value, after whitespace. */
static const snippet trailing[] = {
    S("", true),
    S(" \t\r\n", true),
    S("x", false),
    S("\\", false),
    S(",", false),
    S("]", false),
    S("{}", false),
    S("\"a\"", false),
    S("\x01", false),
    {"\0", 1, false},
    S("\x80", false),
    S("\xC3\xA9", false),
    S("\"\x01\"", false),
    S("\"\xFF\"", false),
    S("\"\\x\"", false),
};

/* The padding before a snippet: n bytes that keep the text valid. */
typedef void (*pad_fn)(buf *b, size_t n);

/* n bytes of the repeated pattern. */
static void pad_cycle(buf *b, size_t n, const char *pattern, size_t plen)
{
    buf_reserve(b, n);
    for (size_t i = 0; i < n; i += plen)
        memcpy(b->p + b->len + i, pattern, n - i < plen ? n - i : plen);
    b->len += n;
}

static void pad_string(buf *b, size_t n)
{
    pad_cycle(b, n, "abcdefghijklmnopqrstuvwxyz", 26);
}

static void pad_ws(buf *b, size_t n)
{
    pad_cycle(b, n, " \t\r\n", 4);
}

/* Elements "0," - dense entries - over the last 256 bytes or so, after
 * whitespace. */
static void pad_dense(buf *b, size_t n)
{
    size_t dense = n < 256 ? n / 2 * 2 : 256;
    pad_ws(b, n - dense);
    pad_cycle(b, dense, "0,0,0,0,0,0,1,", 14);
}

/* Where a snippet goes: head, padding, mid, the snippet, tail. */
typedef struct context {
    const char *name;
    const char *head;
    pad_fn pad;
    const char *mid;
    const char *tail;
} context;

static const context string_contexts[] = {
    {"string value", "{\"a\":\"", pad_string, "", "\",\"b\":[1,2]}"},
    {"key", "{\"a\":\"", pad_string, "\",\"", "\":[1,2]}"},
    {"string after BOM", "\xEF\xBB\xBF[\"", pad_string, "", "\"]"},
};

static const context value_contexts[] = {
    {"member value", "{\"a\":\"", pad_string, "\",\"b\":", "}"},
    {"element after ws", "[", pad_ws, "", "]"},
    {"dense element", "[", pad_dense, "", "]"},
    {"whole text", "", pad_ws, "", ""},
    {"value after BOM", "\xEF\xBB\xBF{\"a\":\"", pad_string, "\",\"b\":", "}"},
};

static const context trailing_contexts[] = {
    {"after an array", "[1]", pad_ws, "", ""},
    {"after a number", "-1.5", pad_ws, "", ""},
    {"after a string", "\"s\"", pad_ws, "", ""},
};

/* The snippet put at each offset around the window boundary at 4096 of the
 * indexed text (which starts after a byte order mark), and around the one
 * at 8192 too when `second`. */
static void sweep(const context *c, const snippet *s, bool second, buf *b)
{
    static const size_t boundaries[] = {WINDOW, 2 * WINDOW};
    size_t head = strlen(c->head), mid = strlen(c->mid);
    size_t bom = memcmp(c->head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    char shown[80]; /* the snippet, escaped */
    size_t k = 0;
    for (size_t i = 0; i < s->len && k + 5 < sizeof shown; i++) {
        unsigned char x = (unsigned char)s->text[i];
        k += (size_t)snprintf(shown + k, sizeof shown - k, x >= 0x20 && x < 0x7F ? "%c" : "\\x%02X", x);
    }
    shown[k] = '\0';
    for (size_t bi = 0; bi < (second ? 2u : 1u); bi++)
        for (size_t at = boundaries[bi] - REACH; at <= boundaries[bi] + REACH; at++) {
            size_t start = at + bom; /* the snippet's offset in the input */
            b->len = 0;
            buf_str(b, c->head);
            c->pad(b, start - head - mid);
            buf_str(b, c->mid);
            buf_add(b, s->text, s->len);
            buf_str(b, c->tail);
            char label[160];
            snprintf(label, sizeof label, "%s: snippet \"%s\" at %zu", c->name, shown, at);
            shardline_status st = compare_at(label, b->p, b->len, 0, start, NULL);
            check_total++;
            if ((st == SHARDLINE_OK) != s->valid)
                CHECK_FAIL_AT(__FILE__, __LINE__, "%s: the walker says %s, expected %s", label,
                              shardline_status_name(st), s->valid ? "valid" : "invalid");
        }
}

/* Texts whose length lands around a boundary: the last window is full, one
 * byte long, or just short; the value at the very end. */
static void sweep_lengths(buf *b)
{
    static const char *const ends[] = {"]", "1]", "true]", "\"\\u00e9\"]", "\"\xF0\x9F\x98\x80\"]"};
    for (size_t len = WINDOW - REACH; len <= 2 * WINDOW + REACH; len++) {
        if (len > WINDOW + REACH && len < 2 * WINDOW - REACH)
            continue;
        for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++) {
            size_t el = strlen(ends[e]);
            b->len = 0;
            buf_byte(b, '[');
            pad_dense(b, len - 1 - el);
            buf_str(b, ends[e]);
            /* "[0,0,]" when the end is only the bracket: drop the comma */
            if (e == 0 && b->len >= 2 && b->p[b->len - 2] == ',')
                b->p[b->len - 2] = ' ';
            CHECK(compare("length sweep", b->p, b->len, 0));
            /* the same without its last byte: cut off */
            CHECK(!compare("length sweep, cut", b->p, b->len - 1, 0));
        }
    }
}

/* ---- 4. depth ------------------------------------------------------------------ */

/* depth levels of nesting, shaped: 0 arrays around null, 1 objects around
 * null, 2 both in turn around 1, 3 arrays with an empty one innermost, 4
 * objects with an empty one innermost. */
static void nest(buf *b, size_t depth, int shape)
{
    size_t wrappers = shape >= 3 ? depth - 1 : depth;
    for (size_t i = 0; i < wrappers; i++) {
        bool object = shape == 1 || shape == 4 || (shape == 2 && i % 2 == 0);
        buf_str(b, object ? "{\"a\":" : "[");
    }
    buf_str(b, shape == 2 ? "1" : shape == 3 ? "[]" : shape == 4 ? "{}" : "null");
    for (size_t i = wrappers; i-- > 0;) {
        bool object = shape == 1 || shape == 4 || (shape == 2 && i % 2 == 0);
        buf_byte(b, object ? '}' : ']');
    }
}

static void test_depth(buf *b)
{
    for (size_t depth = 1; depth <= 10; depth++)
        for (int shape = 0; shape < 5; shape++)
            for (uint32_t md = 1; md <= 10; md++)
                for (int lead = 0; lead < 2; lead++) {
                    /* as is, and after whitespace that puts it across the
                     * first window boundary */
                    b->len = 0;
                    pad_ws(b, lead ? WINDOW - 3 * depth : 0);
                    nest(b, depth, shape);
                    shardline_status st = compare_at("depth", b->p, b->len, md, SIZE_MAX, NULL);
                    CHECK_EQ(st, depth <= md ? SHARDLINE_OK : SHARDLINE_ERR_DEPTH);
                }
    /* The default, and past the 4096 levels the walks keep on the stack. */
    static const struct {
        size_t depth;
        uint32_t max_depth;
    } deep[] = {{1024, 0}, {1025, 0}, {5000, 5000}, {5000, 4999}, {4097, 4096}, {4096, 4096}};
    for (size_t i = 0; i < sizeof deep / sizeof deep[0]; i++)
        for (int shape = 0; shape < 5; shape++) {
            b->len = 0;
            nest(b, deep[i].depth, shape);
            uint32_t md = deep[i].max_depth ? deep[i].max_depth : SHARDLINE_DEFAULT_MAX_DEPTH;
            shardline_status st = compare_at("deep", b->p, b->len, deep[i].max_depth, SIZE_MAX, NULL);
            CHECK_EQ(st, deep[i].depth <= md ? SHARDLINE_OK : SHARDLINE_ERR_DEPTH);
        }
}

/* ---- 5. random texts ----------------------------------------------------------- */

static void gen_ws(test_rng *r, buf *b)
{
    if (test_rng_below(r, 3) != 0)
        return;
    for (uint32_t n = 1 + test_rng_below(r, 4); n-- > 0;)
        buf_byte(b, " \t\n\r"[test_rng_below(r, 4)]);
}

static void gen_string(test_rng *r, buf *b)
{
    static const char *const pieces[] = {
        "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9", "\\uD83D\\uDE00",
        "\\u0000", "\xC3\xA9", "\xE6\x97\xA5", "\xF0\x9F\x98\x80", "{", "}", "[", "]", ":", ",", " ",
    };
    buf_byte(b, '"');
    uint32_t n = test_rng_below(r, 8) == 0 ? test_rng_below(r, 600) : test_rng_below(r, 12);
    for (uint32_t i = 0; i < n; i++) {
        if (test_rng_below(r, 6) == 0)
            buf_str(b, pieces[test_rng_below(r, sizeof pieces / sizeof pieces[0])]);
        else
            buf_byte(b, (char)('a' + test_rng_below(r, 26)));
    }
    buf_byte(b, '"');
}

static void gen_number(test_rng *r, buf *b)
{
    if (test_rng_below(r, 2))
        buf_byte(b, '-');
    if (test_rng_below(r, 4) == 0) {
        buf_byte(b, '0');
    } else {
        buf_byte(b, (char)('1' + test_rng_below(r, 9)));
        for (uint32_t n = test_rng_below(r, 20); n-- > 0;)
            buf_byte(b, (char)('0' + test_rng_below(r, 10)));
    }
    if (test_rng_below(r, 3) == 0) {
        buf_byte(b, '.');
        for (uint32_t n = 1 + test_rng_below(r, 8); n-- > 0;)
            buf_byte(b, (char)('0' + test_rng_below(r, 10)));
    }
    if (test_rng_below(r, 4) == 0) {
        buf_byte(b, "eE"[test_rng_below(r, 2)]);
        uint32_t sign = test_rng_below(r, 3);
        if (sign)
            buf_byte(b, sign == 1 ? '+' : '-');
        for (uint32_t n = 1 + test_rng_below(r, 3); n-- > 0;)
            buf_byte(b, (char)('0' + test_rng_below(r, 10)));
    }
}

/* A valid value, at most about `budget` bytes more once containers are
 * involved. */
static void gen_value(test_rng *r, buf *b, uint32_t depth, size_t budget)
{
    uint32_t kind = test_rng_below(r, depth >= 12 || budget < 8 ? 6 : 8);
    switch (kind) {
    case 0:
    case 1:
        gen_string(r, b);
        break;
    case 2:
    case 3:
        gen_number(r, b);
        break;
    case 4:
        buf_str(b, test_rng_below(r, 2) ? "true" : "false");
        break;
    case 5:
        buf_str(b, "null");
        break;
    default: {
        bool object = kind == 6;
        buf_byte(b, object ? '{' : '[');
        size_t start = b->len;
        uint32_t n = test_rng_below(r, 10);
        for (uint32_t i = 0; i < n && b->len - start < budget; i++) {
            if (i)
                buf_byte(b, ',');
            gen_ws(r, b);
            if (object) {
                gen_string(r, b);
                gen_ws(r, b);
                buf_byte(b, ':');
                gen_ws(r, b);
            }
            size_t used = b->len - start;
            gen_value(r, b, depth + 1, used < budget ? (budget - used) / 2 : 0);
            gen_ws(r, b);
        }
        buf_byte(b, object ? '}' : ']');
    }
    }
}

static void mutate_random(test_rng *r, buf *b)
{
    for (uint32_t n = 1 + test_rng_below(r, 3); n-- > 0 && b->len > 0;) {
        size_t at = test_rng_below(r, (uint32_t)b->len);
        switch (test_rng_below(r, 5)) {
        case 0:
            b->p[at] = (char)interesting[test_rng_below(r, sizeof interesting)];
            break;
        case 1:
            b->p[at] = (char)test_rng_below(r, 256);
            break;
        case 2:
            memmove(b->p + at, b->p + at + 1, b->len - at - 1);
            b->len--;
            break;
        case 3:
            buf_reserve(b, 1);
            memmove(b->p + at + 1, b->p + at, b->len - at);
            b->p[at] = (char)interesting[test_rng_below(r, sizeof interesting)];
            b->len++;
            break;
        default:
            b->len = at;
            break;
        }
    }
}

static void test_random(buf *b)
{
    test_rng r = {UINT64_C(0x9E3779B97F4A7C15)};
    for (int i = 0; i < 4000; i++) {
        b->len = 0;
        gen_ws(&r, b);
        size_t target = 1 + test_rng_below(&r, 10000);
        if (test_rng_below(&r, 5) == 0) {
            gen_value(&r, b, 0, target);
        } else {
            /* an array filled up to the target size */
            buf_byte(b, '[');
            for (bool first = true; b->len < target; first = false) {
                if (!first)
                    buf_byte(b, ',');
                gen_ws(&r, b);
                gen_value(&r, b, 1, 2000);
                gen_ws(&r, b);
            }
            buf_byte(b, ']');
        }
        gen_ws(&r, b);
        uint32_t md = test_rng_below(&r, 4) == 0 ? 1 + test_rng_below(&r, 6) : 0;
        bool mutated = i % 2 == 1;
        if (mutated)
            mutate_random(&r, b);
        bool ok = compare(mutated ? "random, mutated" : "random", b->p, b->len, md);
        if (!mutated && md == 0)
            CHECK(ok); /* the generator writes valid JSON */
    }
}

/* ---- 6. around the value ------------------------------------------------------- */

static void test_edges(void)
{
    static const struct {
        const char *text;
        size_t len;
        shardline_status code;
        size_t offset;
    } cases[] = {
#define E(lit, code, offset) {lit, sizeof(lit) - 1, code, offset}
        E("", SHARDLINE_ERR_EMPTY, 0),
        E(" ", SHARDLINE_ERR_EMPTY, 1),
        E(" \t\r\n \t\r\n", SHARDLINE_ERR_EMPTY, 8),
        E("\xEF\xBB\xBF", SHARDLINE_ERR_EMPTY, 3),
        E("\xEF\xBB\xBF \n", SHARDLINE_ERR_EMPTY, 5),
        E("\xEF\xBB\xBF{}", SHARDLINE_OK, 0),
        E("\xEF\xBB\xBF[1]", SHARDLINE_OK, 0),
        E("\xEF\xBB\xBF\r\n\"x\"\r\n", SHARDLINE_OK, 0),
        E("\xEF\xBB\xBF" "1", SHARDLINE_OK, 0),
        E("\xEF\xBB\xBF\xEF\xBB\xBF{}", SHARDLINE_ERR_SYNTAX, 3),
        E("\xEF\xBB{}", SHARDLINE_ERR_SYNTAX, 0),
        E(" \xEF\xBB\xBF{}", SHARDLINE_ERR_SYNTAX, 1),
        E("{}", SHARDLINE_OK, 0),
        E(" \t\r\n{} \t\r\n", SHARDLINE_OK, 0),
        E("0", SHARDLINE_OK, 0),
        E("-0", SHARDLINE_OK, 0),
        E("true", SHARDLINE_OK, 0),
        E("\"\"", SHARDLINE_OK, 0),
        E("1 2", SHARDLINE_ERR_TRAILING, 2),
        E("{}{}", SHARDLINE_ERR_TRAILING, 2),
        E("[] []", SHARDLINE_ERR_TRAILING, 3),
        E("\"a\"\"b\"", SHARDLINE_ERR_TRAILING, 3),
        E("null null", SHARDLINE_ERR_TRAILING, 5),
        E("{}x", SHARDLINE_ERR_TRAILING, 2),
        E("[] x", SHARDLINE_ERR_TRAILING, 3),
        E("[1]]", SHARDLINE_ERR_TRAILING, 3),
        E("{}}", SHARDLINE_ERR_TRAILING, 2),
        E("{},", SHARDLINE_ERR_TRAILING, 2),
        E("{} \x01", SHARDLINE_ERR_TRAILING, 3),
        {"{}\0", 3, SHARDLINE_ERR_TRAILING, 2},
        E("{}\xC3\xA9", SHARDLINE_ERR_TRAILING, 2),
        E("{}\f", SHARDLINE_ERR_TRAILING, 2),
        E("1x", SHARDLINE_ERR_TRAILING, 1),
        E("1}", SHARDLINE_ERR_TRAILING, 1),
        E("truex", SHARDLINE_ERR_TRAILING, 4),
        E("\"a\"x", SHARDLINE_ERR_TRAILING, 3),
        E("\f{}", SHARDLINE_ERR_SYNTAX, 0),
        E("]", SHARDLINE_ERR_SYNTAX, 0),
#undef E
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        shardline_error err;
        memset(&err, 0, sizeof err);
        shardline_status st = compare_at("edge", cases[i].text, cases[i].len, 0, SIZE_MAX, &err);
        check_total++;
        if (st != cases[i].code || (st != SHARDLINE_OK && err.offset != cases[i].offset)) {
            CHECK_FAIL_AT(__FILE__, __LINE__, "edge case %zu \"%.*s\": walker %s at %zu, expected %s at %zu",
                          i, (int)cases[i].len, cases[i].text, shardline_status_name(st),
                          st == SHARDLINE_OK ? 0 : err.offset, shardline_status_name(cases[i].code),
                          cases[i].offset);
        }
    }
    /* No input at all. */
    shardline_error err;
    CHECK_ERROR(shardline_json_validate(NULL, 0, NULL, &err), err, SHARDLINE_ERR_EMPTY, 0);
    CHECK(!walker_ok(NULL, 0, 0));
    bool quiet;
    CHECK(!indexed_ok(NULL, 0, 0, &quiet) && quiet);
}

int main(void)
{
    /* The implementation the library dispatches to: the best the CPU runs,
     * or the one SHARDLINE_FORCE_IMPL names (./run test reruns the suite
     * with each). */
    printf("indexed with: %s\n", sl_kernels_get()->name);

    g = guarded_alloc(GUARD_CAP);
    buf b = {NULL, 0, 0}, all_fixtures = {NULL, 0, 0};
    tally t;

    section_begin(&t, "fixtures");
    test_fixture_dir("kinesis", &all_fixtures);
    test_fixture_dir("dynamodb", &all_fixtures);
    buf_str(&all_fixtures, "]\n");
    CHECK(all_fixtures.len > 4 * WINDOW);
    size_t before = t.indexed;
    CHECK(compare("all fixtures in one array", all_fixtures.p, all_fixtures.len, 0));
    CHECK_EQ(t.indexed, before + 1);
    section_end(&t);

    section_begin(&t, "mutations");
    mutate_all("every token", every_token, sizeof every_token - 1, true);
    static const char *const mutated_fixtures[] = {
        "kinesis/minified.json", "dynamodb/change-record.json", "kinesis/escapes.json",
        "dynamodb/all-types.json", "kinesis/tabs-crlf.json",
    };
    for (size_t i = 0; i < sizeof mutated_fixtures / sizeof mutated_fixtures[0]; i++) {
        size_t len;
        char *text = read_fixture(mutated_fixtures[i], &len);
        mutate_all(mutated_fixtures[i], text, len, i < 2);
        free(text);
    }
    /* The first fixtures, as many as reach past the second boundary. */
    size_t cut = 0;
    for (size_t i = 0; i < n_elements && cut <= 2 * WINDOW + REACH; i++)
        cut = element_end[i];
    CHECK(cut > 2 * WINDOW + REACH);
    b.len = 0;
    buf_add(&b, all_fixtures.p, cut);
    buf_str(&b, "]");
    CHECK(compare("the first fixtures in one array", b.p, b.len, 0));
    mutate_boundaries("the first fixtures in one array", b.p, b.len);
    section_end(&t);

    section_begin(&t, "window boundaries");
    for (size_t c = 0; c < sizeof string_contexts / sizeof string_contexts[0]; c++)
        for (size_t s = 0; s < sizeof in_string / sizeof in_string[0]; s++)
            sweep(&string_contexts[c], &in_string[s], c == 0, &b);
    for (size_t c = 0; c < sizeof value_contexts / sizeof value_contexts[0]; c++)
        for (size_t s = 0; s < sizeof values / sizeof values[0]; s++)
            sweep(&value_contexts[c], &values[s], c < 2, &b);
    for (size_t c = 0; c < sizeof trailing_contexts / sizeof trailing_contexts[0]; c++)
        for (size_t s = 0; s < sizeof trailing / sizeof trailing[0]; s++)
            sweep(&trailing_contexts[c], &trailing[s], c == 0, &b);
    sweep_lengths(&b);
    section_end(&t);

    section_begin(&t, "depth");
    test_depth(&b);
    section_end(&t);

    section_begin(&t, "random");
    test_random(&b);
    section_end(&t);

    section_begin(&t, "edges");
    test_edges();
    section_end(&t);

    free(b.p);
    free(all_fixtures.p);
    guarded_free(&g);
    return check_done("test_json_index");
}
