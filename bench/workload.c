/* workload.c - deterministic generator of AWS Lambda Kinesis and DynamoDB Streams events with realistic content. */
#include "workload.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shardline.h>

#if defined(__GNUC__) || defined(__clang__)
#define WL_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define WL_PRINTF(fmt_index, first_arg)
#endif

#define COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))

/* Payload sizes: the decoded "data" of every record stays within these bounds
 * (Kinesis producers typically send small JSON documents). */
#define PAYLOAD_MIN 100u
#define PAYLOAD_MAX 600u

/* ---- PRNG: splitmix64 ---------------------------------------------------------------- */

/* Our own generator, so output depends on nothing but the seed: rand() differs
 * between C libraries and would make workloads differ between machines. */
typedef struct rng {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform-enough value in [0, n): the modulo bias is below 2^-40 for the
 * small n used here, which does not matter for a benchmark workload. */
static uint64_t rng_below(rng *r, uint64_t n)
{
    return n == 0 ? 0 : rng_next(r) % n;
}

static uint64_t rng_range(rng *r, uint64_t lo, uint64_t hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

static bool rng_percent(rng *r, unsigned percent)
{
    return rng_below(r, 100) < percent;
}

static const char *rng_pick(rng *r, const char *const *items, size_t count)
{
    return items[rng_below(r, count)];
}

#define PICK(r, items) rng_pick((r), (items), COUNT_OF(items))

/* ---- growable byte buffer ------------------------------------------------------------ */

/* Appends never fail loudly: a failed allocation sets `failed` and later
 * appends do nothing, so generators check once at the end. */
typedef struct buffer {
    char *ptr;
    size_t len, cap;
    bool failed;
} buffer;

static bool buffer_reserve(buffer *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->cap - b->len >= extra)
        return true;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return false;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < extra)
        cap *= 2;
    char *p = realloc(b->ptr, cap);
    if (p == NULL) {
        b->failed = true;
        return false;
    }
    b->ptr = p;
    b->cap = cap;
    return true;
}

static void buffer_append(buffer *b, const char *s, size_t n)
{
    if (n == 0 || !buffer_reserve(b, n))
        return;
    memcpy(b->ptr + b->len, s, n);
    b->len += n;
}

static void buffer_puts(buffer *b, const char *s)
{
    buffer_append(b, s, strlen(s));
}

static void buffer_printf(buffer *b, const char *fmt, ...) WL_PRINTF(2, 3);

static void buffer_printf(buffer *b, const char *fmt, ...)
{
    if (!buffer_reserve(b, 256))
        return;
    va_list args;
    va_start(args, fmt);
    va_list retry;
    va_copy(retry, args);
    int n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, args);
    va_end(args);
    if (n >= 0 && (size_t)n >= b->cap - b->len && buffer_reserve(b, (size_t)n + 1))
        n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, retry);
    va_end(retry);
    if (n < 0)
        b->failed = true;
    else if (!b->failed)
        b->len += (size_t)n;
}

static void buffer_release(buffer *b)
{
    free(b->ptr);
    memset(b, 0, sizeof *b);
}

/* ---- number and time formatting ------------------------------------------------------ */

/* value / 10^decimals as a JSON number with exactly `decimals` fraction
 * digits ("-3.25"), using integers only so the C locale cannot change it. */
static void format_fixed(char *out, size_t cap, int64_t value, unsigned decimals)
{
    uint64_t scale = 1;
    for (unsigned i = 0; i < decimals; i++)
        scale *= 10;
    uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    snprintf(out, cap, "%s%llu.%0*llu", value < 0 ? "-" : "", (unsigned long long)(magnitude / scale),
             (int)decimals, (unsigned long long)(magnitude % scale));
}

/* Milliseconds since the epoch as ISO 8601 UTC ("2020-12-09T07:04:35.123Z"),
 * via the days-to-civil algorithm so no time zone or libc time code is used. */
static void format_iso8601(char *out, size_t cap, uint64_t epoch_ms)
{
    uint64_t seconds = epoch_ms / 1000;
    unsigned millis = (unsigned)(epoch_ms % 1000);
    unsigned second_of_day = (unsigned)(seconds % 86400);
    uint64_t z = seconds / 86400 + 719468; /* days since 0000-03-01 */
    uint64_t era = z / 146097;
    uint64_t day_of_era = z - era * 146097;
    uint64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    uint64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    uint64_t month_index = (5 * day_of_year + 2) / 153; /* 0 = March */
    unsigned day = (unsigned)(day_of_year - (153 * month_index + 2) / 5 + 1);
    unsigned month = (unsigned)(month_index < 10 ? month_index + 3 : month_index - 9);
    uint64_t year = year_of_era + era * 400 + (month <= 2);
    snprintf(out, cap, "%04llu-%02u-%02uT%02u:%02u:%02u.%03uZ", (unsigned long long)year, month, day,
             second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60, millis);
}

/* The three forms of approximateArrivalTimestamp seen in real events: whole
 * seconds (1428537600), seconds with milliseconds (1480641523.477) and the
 * Java Double.toString form (1.607497475477E9). */
static void format_arrival(char *out, size_t cap, uint64_t epoch_ms, unsigned form)
{
    if (form == 0) {
        snprintf(out, cap, "%llu", (unsigned long long)(epoch_ms / 1000));
    } else if (form == 1) {
        snprintf(out, cap, "%llu.%03u", (unsigned long long)(epoch_ms / 1000), (unsigned)(epoch_ms % 1000));
    } else {
        /* Epoch milliseconds in our range have 13 digits, so the seconds
         * have 10 and the exponent is always 9; Java drops trailing zeros
         * but keeps one fraction digit ("1.6E9", "1.607497475477E9"). */
        char digits[24];
        size_t n = (size_t)snprintf(digits, sizeof digits, "%llu", (unsigned long long)epoch_ms);
        while (n > 1 && digits[n - 1] == '0')
            digits[--n] = '\0';
        snprintf(out, cap, "%c.%sE9", digits[0], n > 1 ? digits + 1 : "0");
    }
}

/* ---- text tables ---------------------------------------------------------------------- */

/* Every string below is written exactly as it appears between the quotes of
 * a JSON string: "\\\"" in C is \" in the JSON text. Entries mix JSON escapes
 * (\" \\ \n \t \/ \u00e9 and surrogate pairs) with raw UTF-8 (u8 literals),
 * because both appear in real producer output. */
static const char *const free_texts[] = {
    "Please leave the parcel at the \\\"back door\\\"",
    "Caf\\u00e9 cr\\u00e8me, extra hot, no sugar",
    u8"Grüße aus Köln – bitte schnell liefern",
    u8"日本語のメモ：午前中に配達してください",
    u8"Great service \U0001F600\U0001F44D will order again",
    "Escaped emoji \\ud83d\\ude00 and \\ud83c\\udf89 for the party",
    "Path C:\\\\exports\\\\2024\\\\q1.csv was rotated",
    "line one\\nline two\\n\\tindented line three",
    u8"Ñandú señal: café, naïve, façade, Zürich",
    u8"Привет! Заказ №42 готов к выдаче",
    "plain ascii note without anything special",
    u8"mixed: é and \\u00e9, \U0001F600 and \\ud83d\\ude00",
    "quote \\\"inner\\\" and slash \\/ and backslash \\\\ done",
    u8"中文备注：请尽快发货，谢谢",
    u8"price 12,50 € incl. MwSt.",
    "",
};

static const char *const person_names[] = {
    "Alice Martin",       u8"Renée Dubois",   u8"Jürgen Müller",  u8"田中 太郎",
    "Bob \\\"Bobby\\\" O'Brien", "Zo\\u00eb Clarke", u8"José Álvarez", u8"Siv Ødegaard",
    "Priya Natarajan",    u8"Łukasz Wójcik",  "Chen Wei",         u8"Ayşe Yılmaz",
};

static const char *const cities[] = {
    "Berlin", u8"München", u8"São Paulo", u8"東京", "New York", u8"Zürich", u8"Kraków", "Lyon", u8"Malmö",
};

static const char *const product_titles[] = {
    "USB-C cable 2m",
    u8"Crème brûlée kit",
    "Notebook \\\"A5\\\" dotted",
    u8"抹茶 green tea 100g",
    u8"Café mug \u2615",
    "Socks 3-pack",
    u8"Bücherregal Eiche",
    "Phone case \\u2014 clear",
};

static const char *const currencies[] = {"EUR", "USD", "JPY", "GBP", "CHF"};
static const char *const order_statuses[] = {"created", "paid", "packed", "shipped", "delivered", "refunded"};
static const char *const log_levels[] = {"DEBUG", "INFO", "WARN", "ERROR"};
static const char *const services[] = {"checkout", "inventory", "payments", "search", "notifications"};
static const char *const languages[] = {"en", "de", "fr", "ja", "pt-BR", "zh-CN"};
static const char *const tags[] = {
    "mobile", "web", "beta", "promo", u8"größe-xl", u8"限定", "retry", "eu-central", u8"🔥hot",
};
static const char *const actors[] = {"system", "warehouse-bot", u8"agent-müller", "customer", "scheduler"};
static const char *const user_agents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "okhttp/4.12.0",
    "curl/8.5.0",
};
static const char *const stream_names[] = {"lambda-stream", "orders-prod", "telemetry-eu", "clickstream"};

/* ---- payloads ------------------------------------------------------------------------- */

/* Shared state while writing one payload: the output and the clock that
 * timestamps inside payloads follow. */
typedef struct payload_writer {
    buffer *out;
    rng *r;
    uint64_t now_ms;
} payload_writer;

static void write_order(payload_writer *w)
{
    rng *r = w->r;
    char iso[48], money[32];
    format_iso8601(iso, sizeof iso, w->now_ms - rng_below(r, 5000));
    unsigned customer = (unsigned)rng_range(r, 1000, 999999);
    buffer_printf(w->out,
                  "{\"type\":\"order.%s\",\"orderId\":\"ord-%08u\",\"createdAt\":\"%s\","
                  "\"customer\":{\"id\":%u,\"name\":\"%s\",\"email\":\"user%u@example.com\",\"vip\":%s},"
                  "\"items\":[",
                  PICK(r, order_statuses), (unsigned)rng_below(r, 100000000), iso, customer,
                  PICK(r, person_names), customer, rng_percent(r, 20) ? "true" : "false");
    unsigned item_count = (unsigned)rng_range(r, 1, 3);
    int64_t total_cents = 0;
    for (unsigned i = 0; i < item_count; i++) {
        int64_t price_cents = (int64_t)rng_range(r, 99, 25000);
        unsigned qty = (unsigned)rng_range(r, 1, 4);
        total_cents += price_cents * qty;
        format_fixed(money, sizeof money, price_cents, 2);
        buffer_printf(w->out, "%s{\"sku\":\"SKU-%05u\",\"qty\":%u,\"price\":%s,\"title\":\"%s\"}", i ? "," : "",
                      (unsigned)rng_below(r, 100000), qty, money, PICK(r, product_titles));
    }
    format_fixed(money, sizeof money, total_cents, 2);
    buffer_printf(w->out, "],\"total\":%s,\"currency\":\"%s\",\"coupon\":%s,\"shipping\":{\"city\":\"%s\",\"express\":%s}",
                  money, PICK(r, currencies), rng_percent(r, 70) ? "null" : "\"SPRING\\u002D24\"", PICK(r, cities),
                  rng_percent(r, 30) ? "true" : "false");
}

static void write_telemetry(payload_writer *w)
{
    rng *r = w->r;
    char temperature[32], humidity[32], pressure[32], lat[32], lon[32], battery[32];
    format_fixed(temperature, sizeof temperature, (int64_t)rng_range(r, 0, 6000) - 2000, 2);
    format_fixed(humidity, sizeof humidity, (int64_t)rng_range(r, 50, 1000), 1);
    format_fixed(pressure, sizeof pressure, (int64_t)rng_range(r, 95000, 105000), 2);
    format_fixed(lat, sizeof lat, (int64_t)rng_range(r, 0, 180000000) - 90000000, 6);
    format_fixed(lon, sizeof lon, (int64_t)rng_range(r, 0, 360000000) - 180000000, 6);
    format_fixed(battery, sizeof battery, (int64_t)rng_range(r, 1, 100), 2);
    buffer_printf(w->out,
                  "{\"type\":\"telemetry\",\"deviceId\":\"sensor-%04u\",\"ts\":%llu,"
                  "\"readings\":{\"temperature\":%s,\"humidity\":%s,\"pressure\":%s},"
                  "\"location\":{\"lat\":%s,\"lon\":%s,\"label\":\"%s\"},\"battery\":%s,\"alerts\":[",
                  (unsigned)rng_below(r, 10000), (unsigned long long)w->now_ms, temperature, humidity, pressure,
                  lat, lon, PICK(r, cities), battery);
    unsigned alert_count = (unsigned)rng_below(r, 3);
    for (unsigned i = 0; i < alert_count; i++)
        buffer_printf(w->out, "%s{\"code\":%u,\"msg\":\"%s\",\"ack\":null}", i ? "," : "",
                      (unsigned)rng_range(r, 100, 599), rng_percent(r, 50) ? "low battery" : u8"Temperatur über Grenzwert");
    buffer_printf(w->out, "],\"online\":%s,\"firmware\":\"v%u.%u.%u\"", rng_percent(r, 90) ? "true" : "false",
                  (unsigned)rng_range(r, 1, 4), (unsigned)rng_below(r, 10), (unsigned)rng_below(r, 20));
}

static void write_click(payload_writer *w)
{
    rng *r = w->r;
    char user[32], depth[32];
    if (rng_percent(r, 40))
        snprintf(user, sizeof user, "null");
    else
        snprintf(user, sizeof user, "%u", (unsigned)rng_range(r, 1, 9999999));
    format_fixed(depth, sizeof depth, (int64_t)rng_below(r, 101), 2);
    buffer_printf(w->out,
                  "{\"type\":\"page_view\",\"sessionId\":\"%016llx\",\"userId\":%s,"
                  "\"url\":\"https:\\/\\/shop.example.com\\/p\\/%u?ref=home&q=caf%%C3%%A9\","
                  "\"referrer\":%s,\"userAgent\":\"%s\","
                  "\"props\":{\"title\":\"%s\",\"lang\":\"%s\",\"scrollDepth\":%s},\"durationMs\":%u,\"bot\":%s",
                  (unsigned long long)rng_next(r), user, (unsigned)rng_below(r, 100000),
                  rng_percent(r, 50) ? "null" : "\"https://www.google.com/\"", PICK(r, user_agents),
                  PICK(r, product_titles), PICK(r, languages), depth, (unsigned)rng_range(r, 10, 120000),
                  rng_percent(r, 5) ? "true" : "false");
}

static void write_log(payload_writer *w)
{
    rng *r = w->r;
    char latency[32];
    format_fixed(latency, sizeof latency, (int64_t)rng_range(r, 100, 2500000), 3);
    buffer_printf(w->out,
                  "{\"type\":\"log\",\"level\":\"%s\",\"service\":\"%s\",\"message\":\"%s\","
                  "\"traceId\":\"%016llx%016llx\",\"ctx\":{\"user\":\"%s\",\"attempt\":%u,\"latencyMs\":%s},"
                  "\"tags\":[\"%s\",\"%s\"]",
                  PICK(r, log_levels), PICK(r, services), PICK(r, free_texts), (unsigned long long)rng_next(r),
                  (unsigned long long)rng_next(r), PICK(r, person_names), (unsigned)rng_range(r, 1, 5), latency,
                  PICK(r, tags), PICK(r, tags));
}

/* The smallest payloads: a device check-in of 100-120 bytes. */
static void write_heartbeat(payload_writer *w)
{
    rng *r = w->r;
    char battery[32];
    format_fixed(battery, sizeof battery, (int64_t)rng_range(r, 1, 100), 2);
    buffer_printf(w->out,
                  "{\"type\":\"heartbeat\",\"deviceId\":\"sensor-%04u\",\"ts\":%llu,\"uptimeS\":%u,\"ok\":%s,"
                  "\"battery\":%s,\"rssi\":-%u",
                  (unsigned)rng_below(r, 10000), (unsigned long long)w->now_ms, (unsigned)rng_range(r, 1000, 9999999),
                  rng_percent(r, 95) ? "true" : "false", battery, (unsigned)rng_range(r, 30, 110));
}

/* One entry of a payload's "history" array, which pads payloads towards
 * their target size with the kind of nested data real documents carry. */
static void write_history_entry(payload_writer *w, buffer *entry)
{
    rng *r = w->r;
    char iso[48];
    format_iso8601(iso, sizeof iso, w->now_ms - rng_below(r, 86400000));
    buffer_printf(entry, "{\"at\":\"%s\",\"status\":\"%s\",\"by\":\"%s\",\"note\":\"%s\",\"tags\":[\"%s\"]}", iso,
                  PICK(r, order_statuses), PICK(r, actors), PICK(r, free_texts), PICK(r, tags));
}

typedef void (*payload_fn)(payload_writer *w);

/* Payload kinds for targets of SMALL_PAYLOAD_TARGET bytes and up, weighted
 * by repetition. Each writes an unclosed object of about 190 to 540 bytes. */
static const payload_fn payload_kinds[] = {
    write_order, write_order, write_telemetry, write_telemetry, write_click, write_log, write_log,
};

/* Below this target size only a heartbeat is small enough. */
#define SMALL_PAYLOAD_TARGET 220u

/* Append one JSON payload of PAYLOAD_MIN..PAYLOAD_MAX bytes to out: a
 * target size is drawn first, then a kind that fits it is padded towards it
 * with "history" entries, so sizes spread over the whole range. */
static void write_payload(payload_writer *w, buffer *scratch)
{
    rng *r = w->r;
    size_t start = w->out->len;
    size_t target = (size_t)rng_range(r, PAYLOAD_MIN, PAYLOAD_MAX);
    if (target < SMALL_PAYLOAD_TARGET)
        write_heartbeat(w);
    else
        payload_kinds[rng_below(r, COUNT_OF(payload_kinds))](w);
    bool history_open = false;
    /* Entries are built aside first so one that would overshoot the target
     * (with room for the closing "]}") is dropped rather than cut. */
    while (w->out->len - start < target && !w->out->failed) {
        scratch->len = 0;
        write_history_entry(w, scratch);
        size_t prefix = history_open ? 1 : sizeof ",\"history\":[" - 1;
        if (scratch->failed || w->out->len - start + prefix + scratch->len + 2 > target)
            break;
        buffer_puts(w->out, history_open ? "," : ",\"history\":[");
        buffer_append(w->out, scratch->ptr, scratch->len);
        history_open = true;
    }
    buffer_puts(w->out, history_open ? "]}" : "}");
}

/* ---- Kinesis events ------------------------------------------------------------------- */

/* Add increment to the decimal number digits[0..len) in place. Returns what
 * did not fit (0 unless the number overflowed its length). */
static uint64_t add_decimal(char *digits, size_t len, uint64_t increment)
{
    for (size_t i = len; i-- > 0 && increment > 0;) {
        uint64_t sum = (uint64_t)(digits[i] - '0') + increment % 10;
        increment /= 10;
        if (sum >= 10) {
            sum -= 10;
            increment += 1;
        }
        digits[i] = (char)('0' + sum);
    }
    return increment;
}

/* Add a random increment to a 56-digit decimal sequence number, the way
 * sequence numbers grow within a shard: increasing, in irregular steps. */
static void advance_sequence(char digits[WL_SEQUENCE_DIGITS + 1], uint64_t increment)
{
    add_decimal(digits, WL_SEQUENCE_DIGITS, increment);
}

/* Partition keys are producer-chosen text; about a third carry non-ASCII
 * characters (including a 4-byte emoji) written as raw UTF-8. */
static void write_partition_key(rng *r, buffer *out)
{
    static const char *const ascii_prefixes[] = {"user-", "device-", "order-", "shard-key-"};
    static const char *const unicode_prefixes[] = {u8"tenant-zürich-", u8"客户-", u8"café-", u8"\U0001F69A-fleet-"};
    const char *prefix = rng_percent(r, 70) ? PICK(r, ascii_prefixes) : PICK(r, unicode_prefixes);
    buffer_printf(out, "%s%u", prefix, (unsigned)rng_below(r, 100000));
}

/* Append the base64 of payload[0..len) to the event. */
static void append_base64(buffer *event, const char *payload, size_t len)
{
    size_t encoded = SHARDLINE_BASE64_ENCODED_SIZE(len);
    if (!buffer_reserve(event, encoded))
        return;
    size_t written = shardline_base64_encode((const uint8_t *)payload, len, event->ptr + event->len,
                                             event->cap - event->len);
    if (written != encoded) {
        event->failed = true;
        return;
    }
    event->len += written;
}

bool wl_generate_kinesis(wl_workload *out, size_t record_count, uint64_t seed)
{
    memset(out, 0, sizeof *out);
    if (record_count > SIZE_MAX / sizeof *out->records)
        return false;
    wl_record *records = calloc(record_count ? record_count : 1, sizeof *records);
    if (records == NULL)
        return false;

    rng r = {seed};
    buffer event = {0}, payloads = {0}, keys = {0}, scratch = {0};
    /* One stream and one shard per event, as Lambda reads a shard at a time. */
    const char *stream = PICK(&r, stream_names);
    char sequence[WL_SEQUENCE_DIGITS + 1];
    memcpy(sequence, "4959", 4);
    for (int i = 4; i < WL_SEQUENCE_DIGITS; i++)
        sequence[i] = (char)('0' + rng_below(&r, 10));
    sequence[WL_SEQUENCE_DIGITS] = '\0';
    /* 2020-09-13 .. 2023-11-14: epoch milliseconds with 13 digits. */
    uint64_t now_ms = UINT64_C(1600000000000) + rng_below(&r, UINT64_C(100000000000));

    buffer_puts(&event, "{\"Records\":[");
    for (size_t i = 0; i < record_count && !event.failed; i++) {
        wl_record *rec = &records[i];
        now_ms += rng_below(&r, 40);
        advance_sequence(sequence, rng_range(&r, 1, UINT64_C(1000000000000)));
        memcpy(rec->sequence_number, sequence, sizeof sequence);
        format_arrival(rec->arrival_text, sizeof rec->arrival_text, now_ms, (unsigned)rng_below(&r, 3));
        rec->has_encryption_type = rng_percent(&r, 40);

        rec->payload_offset = payloads.len;
        payload_writer w = {&payloads, &r, now_ms};
        write_payload(&w, &scratch);
        rec->payload_len = payloads.len - rec->payload_offset;

        rec->partition_key_offset = keys.len;
        write_partition_key(&r, &keys);
        rec->partition_key_len = keys.len - rec->partition_key_offset;
        if (payloads.failed || keys.failed)
            break;

        if (i > 0)
            buffer_puts(&event, ",");
        rec->event_offset = event.len;
        buffer_puts(&event, "{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"");
        buffer_append(&event, keys.ptr + rec->partition_key_offset, rec->partition_key_len);
        buffer_printf(&event, "\",\"sequenceNumber\":\"%s\",\"data\":\"", sequence);
        append_base64(&event, payloads.ptr + rec->payload_offset, rec->payload_len);
        buffer_printf(&event, "\",\"approximateArrivalTimestamp\":%s", rec->arrival_text);
        if (rec->has_encryption_type)
            buffer_puts(&event, ",\"encryptionType\":\"NONE\"");
        buffer_printf(&event,
                      "},\"eventSource\":\"aws:kinesis\",\"eventVersion\":\"1.0\","
                      "\"eventID\":\"" WL_KINESIS_SHARD_ID ":%s\",\"eventName\":\"aws:kinesis:record\","
                      "\"invokeIdentityArn\":\"arn:aws:iam::123456789012:role/lambda-role\","
                      "\"awsRegion\":\"us-east-2\","
                      "\"eventSourceARN\":\"arn:aws:kinesis:us-east-2:123456789012:stream/%s\"}",
                      sequence, stream);
    }
    buffer_puts(&event, "]}");
    buffer_release(&scratch);

    if (event.failed || payloads.failed || keys.failed) {
        buffer_release(&event);
        buffer_release(&payloads);
        buffer_release(&keys);
        free(records);
        return false;
    }
    out->event = event.ptr;
    out->event_len = event.len;
    out->records = records;
    out->record_count = record_count;
    out->payloads = payloads.ptr;
    out->payloads_len = payloads.len;
    out->keys = keys.ptr;
    out->keys_len = keys.len;
    return true;
}

/* ---- DynamoDB: expected text -------------------------------------------------------- */

static unsigned hex_digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned)(c - 'a' + 10);
    return (unsigned)(c - 'A' + 10);
}

static uint32_t read_hex4(const char *s)
{
    return (uint32_t)(hex_digit_value(s[0]) << 12 | hex_digit_value(s[1]) << 8 | hex_digit_value(s[2]) << 4 |
                      hex_digit_value(s[3]));
}

static void append_utf8(buffer *out, uint32_t cp)
{
    char bytes[4];
    size_t n;
    if (cp < 0x80) {
        bytes[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        bytes[0] = (char)(0xC0 | cp >> 6);
        bytes[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        bytes[0] = (char)(0xE0 | cp >> 12);
        bytes[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        bytes[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        bytes[0] = (char)(0xF0 | cp >> 18);
        bytes[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        bytes[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        bytes[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buffer_append(out, bytes, n);
}

/* Append what the JSON string body json[0..len) means, as UTF-8: the value a
 * parser must hand back. Only the generator's own well-formed text comes
 * here, so nothing is checked; in the tables a \u escape of a high surrogate
 * is always followed by the escape of its low half. */
static void append_unescaped(buffer *out, const char *json, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = json[i];
        if (c != '\\') {
            buffer_append(out, &c, 1);
            continue;
        }
        char escape = json[++i];
        if (escape == 'u') {
            uint32_t cp = read_hex4(json + i + 1);
            i += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < len && json[i + 1] == '\\' && json[i + 2] == 'u') {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (read_hex4(json + i + 3) - 0xDC00);
                i += 6;
            }
            append_utf8(out, cp);
            continue;
        }
        switch (escape) {
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        default: c = escape; break; /* \" \\ \/ stand for themselves */
        }
        buffer_append(out, &c, 1);
    }
}

/* ---- DynamoDB: attribute trees ------------------------------------------------------ */

/* A record's Keys and images are built as trees first and written out
 * afterwards: the tree gives the expectations (counts, values, paths), the
 * item size for SizeBytes, and lets a section that would overshoot an
 * image's target size be taken back. Nodes refer to each other by index
 * because the node array moves while it grows. */

#define NODE_NONE UINT32_MAX

/* Bytes in attr_tree.text. */
typedef struct text_span {
    size_t offset, len;
} text_span;

typedef struct attr_node {
    wl_attr_type type;
    bool flag;       /* BOOL value */
    uint32_t parent; /* NODE_NONE for a root: Keys or an image */
    uint32_t first_child, last_child, next_sibling;
    uint32_t child_count;
    uint32_t index;      /* position among the parent's children */
    text_span name_json; /* M member name as written in the JSON */
    text_span name;      /* the same, unescaped */
    text_span json;      /* S: text as written; N: the number; B: the raw bytes */
    text_span value;     /* S: unescaped text; N and B: as json */
} attr_node;

/* Node 0 is a sink: once an allocation has failed, every new node is 0 and
 * writes to it are harmless; the generator checks `failed` at the end. */
typedef struct attr_tree {
    attr_node *nodes;
    size_t count, cap;
    bool failed;
    buffer text;
} attr_tree;

static bool tree_init(attr_tree *t)
{
    memset(t, 0, sizeof *t);
    t->nodes = calloc(256, sizeof *t->nodes);
    t->cap = 256;
    t->count = 1;
    return t->nodes != NULL;
}

/* Empty the tree for the next record, keeping its memory. */
static void tree_reset(attr_tree *t)
{
    t->count = 1;
    t->text.len = 0;
}

static void tree_release(attr_tree *t)
{
    free(t->nodes);
    buffer_release(&t->text);
    memset(t, 0, sizeof *t);
}

static text_span tree_text(attr_tree *t, const char *s, size_t len)
{
    text_span span = {t->text.len, len};
    buffer_append(&t->text, s, len);
    return span;
}

static text_span tree_unescaped(attr_tree *t, const char *json, size_t len)
{
    size_t start = t->text.len;
    append_unescaped(&t->text, json, len);
    return (text_span){start, t->text.len - start};
}

static const char *tree_bytes(const attr_tree *t, text_span span)
{
    return t->text.ptr + span.offset;
}

/* A new node of the given type, appended to parent (an M, which names it,
 * or an L or set); parent NODE_NONE starts a root. */
static uint32_t tree_add(attr_tree *t, uint32_t parent, const char *name_json, wl_attr_type type)
{
    if (t->failed || t->text.failed) {
        t->failed = true;
        return 0;
    }
    if (t->count == t->cap) {
        attr_node *grown = t->count <= UINT32_MAX / 4 ? realloc(t->nodes, 2 * t->cap * sizeof *grown) : NULL;
        if (grown == NULL) {
            t->failed = true;
            return 0;
        }
        t->nodes = grown;
        t->cap *= 2;
    }
    uint32_t id = (uint32_t)t->count++;
    attr_node *node = &t->nodes[id];
    memset(node, 0, sizeof *node);
    node->type = type;
    node->parent = parent;
    node->first_child = node->last_child = node->next_sibling = NODE_NONE;
    if (parent != NODE_NONE) {
        attr_node *p = &t->nodes[parent];
        node->index = p->child_count++;
        if (p->last_child == NODE_NONE)
            p->first_child = id;
        else
            t->nodes[p->last_child].next_sibling = id;
        p->last_child = id;
        if (p->type == WL_ATTR_M) {
            node->name_json = tree_text(t, name_json, strlen(name_json));
            node->name = tree_unescaped(t, name_json, strlen(name_json));
        }
    }
    return id;
}

/* Enough to take back everything added to one parent since the mark: the
 * nodes added since are the last ones in the array. */
typedef struct tree_mark {
    size_t count, text_len;
    uint32_t parent, first_child, last_child, child_count;
} tree_mark;

static tree_mark tree_mark_at(const attr_tree *t, uint32_t parent)
{
    const attr_node *p = &t->nodes[parent];
    return (tree_mark){t->count, t->text.len, parent, p->first_child, p->last_child, p->child_count};
}

static void tree_rollback(attr_tree *t, const tree_mark *mark)
{
    if (t->failed)
        return;
    t->count = mark->count;
    t->text.len = mark->text_len;
    attr_node *p = &t->nodes[mark->parent];
    p->first_child = mark->first_child;
    p->last_child = mark->last_child;
    p->child_count = mark->child_count;
    if (mark->last_child != NODE_NONE)
        t->nodes[mark->last_child].next_sibling = NODE_NONE;
}

/* S from text exactly as it goes between the JSON quotes. */
static uint32_t put_s(attr_tree *t, uint32_t parent, const char *name, const char *json_text)
{
    uint32_t id = tree_add(t, parent, name, WL_ATTR_S);
    size_t len = strlen(json_text);
    text_span json = tree_text(t, json_text, len);
    text_span value = tree_unescaped(t, json_text, len);
    t->nodes[id].json = json;
    t->nodes[id].value = value;
    return id;
}

static uint32_t put_sf(attr_tree *t, uint32_t parent, const char *name, const char *fmt, ...) WL_PRINTF(4, 5);

static uint32_t put_sf(attr_tree *t, uint32_t parent, const char *name, const char *fmt, ...)
{
    char text[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    return put_s(t, parent, name, text);
}

static uint32_t put_n(attr_tree *t, uint32_t parent, const char *name, const char *number)
{
    uint32_t id = tree_add(t, parent, name, WL_ATTR_N);
    text_span span = tree_text(t, number, strlen(number));
    t->nodes[id].json = t->nodes[id].value = span;
    return id;
}

static uint32_t put_nf(attr_tree *t, uint32_t parent, const char *name, const char *fmt, ...) WL_PRINTF(4, 5);

static uint32_t put_nf(attr_tree *t, uint32_t parent, const char *name, const char *fmt, ...)
{
    char text[128];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    return put_n(t, parent, name, text);
}

/* B of len random bytes (every byte value, so base64 uses the whole alphabet). */
static uint32_t put_b(attr_tree *t, uint32_t parent, const char *name, rng *r, size_t len)
{
    uint32_t id = tree_add(t, parent, name, WL_ATTR_B);
    char bytes[256];
    if (len > sizeof bytes)
        len = sizeof bytes;
    for (size_t i = 0; i < len; i++)
        bytes[i] = (char)(rng_next(r) >> 56);
    text_span span = tree_text(t, bytes, len);
    t->nodes[id].json = t->nodes[id].value = span;
    return id;
}

static uint32_t put_bool(attr_tree *t, uint32_t parent, const char *name, bool value)
{
    uint32_t id = tree_add(t, parent, name, WL_ATTR_BOOL);
    t->nodes[id].flag = value;
    return id;
}

static uint32_t put_null(attr_tree *t, uint32_t parent, const char *name)
{
    return tree_add(t, parent, name, WL_ATTR_NULL);
}

static uint32_t put_m(attr_tree *t, uint32_t parent, const char *name)
{
    return tree_add(t, parent, name, WL_ATTR_M);
}

static uint32_t put_l(attr_tree *t, uint32_t parent, const char *name)
{
    return tree_add(t, parent, name, WL_ATTR_L);
}

/* ---- DynamoDB: writing trees as JSON ------------------------------------------------ */

static void write_attr_value(buffer *out, const attr_tree *t, uint32_t id);

/* {"name":value,...}: an M's members, and the form of Keys and the images. */
static void write_attr_members(buffer *out, const attr_tree *t, uint32_t map)
{
    buffer_puts(out, "{");
    for (uint32_t c = t->nodes[map].first_child; c != NODE_NONE; c = t->nodes[c].next_sibling) {
        if (c != t->nodes[map].first_child)
            buffer_puts(out, ",");
        buffer_puts(out, "\"");
        buffer_append(out, tree_bytes(t, t->nodes[c].name_json), t->nodes[c].name_json.len);
        buffer_puts(out, "\":");
        write_attr_value(out, t, c);
    }
    buffer_puts(out, "}");
}

/* An S, N or B as a bare JSON string, as set elements are written. */
static void write_scalar_string(buffer *out, const attr_tree *t, uint32_t id)
{
    const attr_node *n = &t->nodes[id];
    buffer_puts(out, "\"");
    if (n->type == WL_ATTR_B)
        append_base64(out, tree_bytes(t, n->json), n->json.len);
    else
        buffer_append(out, tree_bytes(t, n->json), n->json.len);
    buffer_puts(out, "\"");
}

static void write_attr_value(buffer *out, const attr_tree *t, uint32_t id)
{
    const attr_node *n = &t->nodes[id];
    buffer_printf(out, "{\"%s\":", wl_attr_type_name(n->type));
    switch (n->type) {
    case WL_ATTR_S:
    case WL_ATTR_N:
    case WL_ATTR_B:
        write_scalar_string(out, t, id);
        break;
    case WL_ATTR_BOOL:
        buffer_puts(out, n->flag ? "true" : "false");
        break;
    case WL_ATTR_NULL:
        buffer_puts(out, "true");
        break;
    case WL_ATTR_M:
        write_attr_members(out, t, id);
        break;
    case WL_ATTR_L:
    case WL_ATTR_SS:
    case WL_ATTR_NS:
    case WL_ATTR_BS:
        buffer_puts(out, "[");
        for (uint32_t c = n->first_child; c != NODE_NONE; c = t->nodes[c].next_sibling) {
            if (c != n->first_child)
                buffer_puts(out, ",");
            if (n->type == WL_ATTR_L)
                write_attr_value(out, t, c);
            else
                write_scalar_string(out, t, c);
        }
        buffer_puts(out, "]");
        break;
    }
    buffer_puts(out, "}");
}

/* Bytes that `"name":value` of member id adds to its map, with the comma. */
static size_t member_json_len(const attr_tree *t, uint32_t id, buffer *scratch)
{
    scratch->len = 0;
    write_attr_value(scratch, t, id);
    return 1 + t->nodes[id].name_json.len + 3 + scratch->len;
}

/* ---- DynamoDB: item size ------------------------------------------------------------ */

/* DynamoDB's storage size of a number: about one byte per two significant
 * digits plus one. */
static uint64_t number_size(const char *text, size_t len)
{
    size_t first = len, last = 0, digits = 0;
    for (size_t i = 0; i < len && text[i] != 'e' && text[i] != 'E'; i++) {
        if (text[i] < '0' || text[i] > '9')
            continue;
        if (text[i] != '0') {
            if (first == len)
                first = digits;
            last = digits;
        }
        digits++;
    }
    size_t significant = first == len ? 1 : last - first + 1;
    return (significant + 1) / 2 + 1;
}

/* The size DynamoDB charges for a value (its item size rules: strings and
 * binaries by length, numbers by digits, 1 byte for BOOL and NULL, 3 bytes
 * plus 1 per element for M and L). SizeBytes adds these up over the record. */
static uint64_t attr_size(const attr_tree *t, uint32_t id)
{
    const attr_node *n = &t->nodes[id];
    uint64_t size = 0;
    switch (n->type) {
    case WL_ATTR_S:
    case WL_ATTR_B:
        return n->value.len;
    case WL_ATTR_N:
        return number_size(tree_bytes(t, n->value), n->value.len);
    case WL_ATTR_BOOL:
    case WL_ATTR_NULL:
        return 1;
    case WL_ATTR_M:
    case WL_ATTR_L:
        size = 3;
        for (uint32_t c = n->first_child; c != NODE_NONE; c = t->nodes[c].next_sibling)
            size += 1 + t->nodes[c].name.len + attr_size(t, c);
        return size;
    case WL_ATTR_SS:
    case WL_ATTR_NS:
    case WL_ATTR_BS:
        for (uint32_t c = n->first_child; c != NODE_NONE; c = t->nodes[c].next_sibling)
            size += attr_size(t, c);
        return size;
    }
    return 0;
}

/* Keys or an image: the sum of its attributes' names and values. */
static uint64_t item_size(const attr_tree *t, uint32_t root)
{
    uint64_t size = 0;
    for (uint32_t c = t->nodes[root].first_child; c != NODE_NONE; c = t->nodes[c].next_sibling)
        size += t->nodes[c].name.len + attr_size(t, c);
    return size;
}

/* ---- DynamoDB: numbers -------------------------------------------------------------- */

/* Numbers travel as strings, so producers write them in every form the
 * number grammar allows. These stay inside DynamoDB's limits: at most 38
 * significant digits, magnitude 1E-130 to 9.99...E+125. */

static void random_digits(rng *r, char *out, size_t count)
{
    for (size_t i = 0; i < count; i++)
        out[i] = (char)('0' + rng_below(r, 10));
    out[count] = '\0';
    if (count > 0 && out[0] == '0')
        out[0] = (char)('1' + rng_below(r, 9)); /* no leading zero */
}

/* A mantissa with an exponent: "1.5E3", "-2.75e-4", "6.02214076E+23". */
static void format_exponent_number(rng *r, char *out, size_t cap, int min_exp, int max_exp)
{
    char digits[12];
    random_digits(r, digits, (size_t)rng_range(r, 1, 9));
    size_t n = strlen(digits);
    while (n > 1 && digits[n - 1] == '0')
        digits[--n] = '\0';
    int exponent = min_exp + (int)rng_below(r, (uint64_t)(max_exp - min_exp + 1));
    static const char *const exponent_marks[] = {"E", "e", "E+", "e+"};
    const char *mark = exponent >= 0 ? PICK(r, exponent_marks) : rng_percent(r, 50) ? "E" : "e";
    snprintf(out, cap, "%s%c%s%s%s%d", rng_percent(r, 20) ? "-" : "", digits[0], n > 1 ? "." : "", digits + 1, mark,
             exponent);
}

/* 38 significant digits: an integer, a fraction below 1, or both parts. */
static void format_wide_number(rng *r, char *out, size_t cap)
{
    char digits[40];
    random_digits(r, digits, 38);
    const char *sign = rng_percent(r, 25) ? "-" : "";
    unsigned shape = (unsigned)rng_below(r, 3);
    if (shape == 0)
        snprintf(out, cap, "%s%s", sign, digits);
    else if (shape == 1)
        snprintf(out, cap, "%s0.%s", sign, digits);
    else
        snprintf(out, cap, "%s%.10s.%s", sign, digits, digits + 10);
}

/* The limits themselves and their neighbourhood. */
static const char *const edge_numbers[] = {
    "1E-130",
    "-1E-130",
    "9.9999999999999999999999999999999999999E+125",
    "-9.9999999999999999999999999999999999999E+125",
    "12345678901234567890123456789012345678",
    "-0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000001",
    "1E+125",
    "0",
    "0.0",
    "100.00",
    "1e0",
};

/* Any of the forms above, for fields whose content varies freely. */
static void format_any_number(rng *r, char *out, size_t cap)
{
    switch (rng_below(r, 6)) {
    case 0:
        snprintf(out, cap, "%lld", (long long)rng_below(r, 200000) - 1000);
        break;
    case 1:
        format_fixed(out, cap, (int64_t)rng_below(r, 20000000) - 10000000, (unsigned)rng_range(r, 1, 6));
        break;
    case 2:
        format_exponent_number(r, out, cap, -40, 40);
        break;
    case 3:
        format_wide_number(r, out, cap);
        break;
    case 4:
        snprintf(out, cap, "%s", PICK(r, edge_numbers));
        break;
    default:
        snprintf(out, cap, "%llu", (unsigned long long)rng_next(r));
        break;
    }
}

/* ---- DynamoDB: items ---------------------------------------------------------------- */

/* The stream's table follows a single-table design: orders, user profiles
 * and device readings share it under the composite key PK (partition) and
 * SK (sort). */
typedef enum item_kind {
    ITEM_ORDER,
    ITEM_USER,
    ITEM_READING,
    ITEM_KIND_COUNT
} item_kind;

/* An item as the table holds it between events. A MODIFY's OldImage is
 * rebuilt from (seed, version, written_ms), so it equals the NewImage the
 * stream showed when that version was written. */
typedef struct live_item {
    uint64_t seed; /* identity and every value that never changes */
    item_kind kind;
    unsigned version;    /* the version the table holds; 0: none yet */
    uint64_t written_ms; /* when that version was written */
} live_item;

/* An independent generator for one part of one item (and version), so a
 * part's values do not depend on which other parts were drawn or kept. */
static rng derive_rng(uint64_t seed, uint64_t part, uint64_t version)
{
    rng r = {seed ^ (part * UINT64_C(0xD1B54A32D192ED03)) ^ (version * UINT64_C(0x8CB92BA72F3D8DD7))};
    rng_next(&r);
    return r;
}

#define PART_IDENTITY 1u
#define PART_PLAN 2u
#define PART_CORE 3u
#define PART_PADDING 4u
#define PART_SECTION 16u /* + section index */

static void item_keys(const live_item *item, char *pk, size_t pk_cap, char *sk, size_t sk_cap)
{
    static const char *const handles[] = {"alice", u8"jürgen", u8"田中", "bob", "zoe", u8"łukasz", "priya"};
    rng r = derive_rng(item->seed, PART_IDENTITY, 0);
    switch (item->kind) {
    case ITEM_ORDER:
        snprintf(pk, pk_cap, "CUSTOMER#%u", (unsigned)rng_range(&r, 1000, 999999));
        snprintf(sk, sk_cap, "ORDER#ord-%08u", (unsigned)rng_below(&r, 100000000));
        break;
    case ITEM_USER:
        snprintf(pk, pk_cap, "USER#%s-%u", PICK(&r, handles), (unsigned)rng_below(&r, 1000000));
        snprintf(sk, sk_cap, "PROFILE");
        break;
    default:
        snprintf(pk, pk_cap, "DEVICE#sensor-%04u", (unsigned)rng_below(&r, 10000));
        snprintf(sk, sk_cap, "READING#%llu",
                 (unsigned long long)(UINT64_C(1480000000000) + rng_below(&r, UINT64_C(200000000000))));
        break;
    }
}

/* Everything an item section needs. stable draws values that stay the same
 * in every version of the item; varying draws those an update may change. */
typedef struct item_writer {
    attr_tree *t;
    uint32_t root;
    rng stable;
    rng varying;
    unsigned version;
    uint64_t written_ms;
} item_writer;

typedef void (*section_fn)(item_writer *w);

/* An SS of count distinct entries of table (count may be 0: see below). */
static void put_string_set(item_writer *w, rng *r, uint32_t parent, const char *name, const char *const *table,
                           size_t table_len, size_t count)
{
    uint32_t set = tree_add(w->t, parent, name, WL_ATTR_SS);
    size_t order[32];
    for (size_t i = 0; i < table_len && i < COUNT_OF(order); i++)
        order[i] = i;
    for (size_t i = 0; i < count && i < table_len; i++) {
        size_t j = i + (size_t)rng_below(r, table_len - i);
        size_t swap = order[i];
        order[i] = order[j];
        order[j] = swap;
        put_s(w->t, set, NULL, table[order[i]]);
    }
}

/* Set sizes: 1-5 elements. DynamoDB itself never stores an empty set, but
 * consumers meet hand-written and migrated events that carry one, so about
 * one set in twenty is empty to keep that path measured. */
static size_t set_size(rng *r)
{
    return rng_percent(r, 5) ? 0 : (size_t)rng_range(r, 1, 5);
}

/* An NS of distinct numbers: distinct integers k, each written as "k",
 * "-k", "k.75" or "k.5E-3" (no two forms can meet on the same value). */
static void put_number_set(item_writer *w, rng *r, uint32_t parent, const char *name, size_t count)
{
    static const char *const prefixes[] = {"", "-", "", ""};
    static const char *const suffixes[] = {"", "", ".75", ".5E-3"};
    uint32_t set = tree_add(w->t, parent, name, WL_ATTR_NS);
    uint64_t k = rng_range(r, 1, 500);
    for (size_t i = 0; i < count; i++) {
        k += rng_range(r, 1, 1000);
        size_t form = (size_t)rng_below(r, COUNT_OF(suffixes));
        put_nf(w->t, set, NULL, "%s%llu%s", prefixes[form], (unsigned long long)k, suffixes[form]);
    }
}

static void put_binary_set(item_writer *w, rng *r, uint32_t parent, const char *name, size_t count, size_t min_len,
                           size_t max_len)
{
    uint32_t set = tree_add(w->t, parent, name, WL_ATTR_BS);
    for (size_t i = 0; i < count; i++)
        put_b(w->t, set, NULL, r, (size_t)rng_range(r, min_len, max_len));
}

static void put_iso_time(item_writer *w, uint32_t parent, const char *name, uint64_t epoch_ms)
{
    char iso[48];
    format_iso8601(iso, sizeof iso, epoch_ms);
    put_s(w->t, parent, name, iso);
}

static void put_fixed(attr_tree *t, uint32_t parent, const char *name, int64_t value, unsigned decimals)
{
    char text[48];
    format_fixed(text, sizeof text, value, decimals);
    put_n(t, parent, name, text);
}

/* A list of values of every type, as schemaless documents carry them. */
static void put_mixed_list(item_writer *w, uint32_t parent, const char *name, rng *r)
{
    uint32_t list = put_l(w->t, parent, name);
    unsigned count = (unsigned)rng_below(r, 8); /* sometimes empty */
    char number[64];
    for (unsigned i = 0; i < count; i++) {
        switch (rng_below(r, 9)) {
        case 0:
            put_s(w->t, list, NULL, PICK(r, free_texts));
            break;
        case 1:
        case 2:
            format_any_number(r, number, sizeof number);
            put_n(w->t, list, NULL, number);
            break;
        case 3:
            put_bool(w->t, list, NULL, rng_percent(r, 50));
            break;
        case 4:
            put_null(w->t, list, NULL);
            break;
        case 5:
            put_b(w->t, list, NULL, r, (size_t)rng_range(r, 1, 24));
            break;
        case 6: {
            uint32_t m = put_m(w->t, list, NULL);
            put_s(w->t, m, "k", PICK(r, tags));
            format_any_number(r, number, sizeof number);
            put_n(w->t, m, "v", number);
            break;
        }
        case 7: {
            uint32_t inner = put_l(w->t, list, NULL);
            put_nf(w->t, inner, NULL, "%u", (unsigned)rng_below(r, 1000));
            put_s(w->t, inner, NULL, PICK(r, cities));
            break;
        }
        default:
            put_string_set(w, r, list, NULL, tags, COUNT_OF(tags), (size_t)rng_range(r, 1, 3));
            break;
        }
    }
}

/* -- orders -- */

static void order_core(item_writer *w)
{
    /* An order moves through the statuses as it is updated. */
    unsigned step = w->version == 0 ? 0 : w->version - 1;
    put_s(w->t, w->root, "entityType", "ORDER");
    size_t last_status = COUNT_OF(order_statuses) - 1;
    put_s(w->t, w->root, "status", order_statuses[step < last_status ? step : last_status]);
    put_fixed(w->t, w->root, "total", (int64_t)rng_range(&w->stable, 99, 250000), 2);
    put_s(w->t, w->root, "currency", PICK(&w->stable, currencies));
    put_nf(w->t, w->root, "updatedAt", "%llu", (unsigned long long)w->written_ms);
    put_nf(w->t, w->root, "version", "%u", w->version);
}

static void order_items(item_writer *w)
{
    uint32_t items = put_l(w->t, w->root, "items");
    unsigned count = (unsigned)rng_range(&w->stable, 1, 4);
    for (unsigned i = 0; i < count; i++) {
        uint32_t item = put_m(w->t, items, NULL);
        put_sf(w->t, item, "sku", "SKU-%05u", (unsigned)rng_below(&w->stable, 100000));
        put_s(w->t, item, "title", PICK(&w->stable, product_titles));
        put_nf(w->t, item, "qty", "%u", (unsigned)rng_range(&w->stable, 1, 12));
        put_fixed(w->t, item, "unitPrice", (int64_t)rng_range(&w->stable, 99, 25000), 2);
        put_bool(w->t, item, "gift", rng_percent(&w->stable, 15));
    }
}

static void order_shipping(item_writer *w)
{
    static const char *const streets[] = {"Hauptstra\\u00dfe", u8"Rue de la Paix", "Main St", u8"銀座通り", "Via Roma"};
    static const char *const countries[] = {"DE", "FR", "US", "JP", "IT", "CH"};
    uint32_t shipping = put_m(w->t, w->root, "shipping");
    put_s(w->t, shipping, "recipient", PICK(&w->stable, person_names));
    put_bool(w->t, shipping, "express", rng_percent(&w->stable, 30));
    uint32_t address = put_m(w->t, shipping, "address");
    put_sf(w->t, address, "street", "%s %u", PICK(&w->stable, streets), (unsigned)rng_range(&w->stable, 1, 300));
    put_s(w->t, address, "city", PICK(&w->stable, cities));
    put_sf(w->t, address, "zip", "%05u", (unsigned)rng_below(&w->stable, 100000));
    put_s(w->t, address, "country", PICK(&w->stable, countries));
    uint32_t geo = put_m(w->t, address, "geo");
    put_fixed(w->t, geo, "lat", (int64_t)rng_range(&w->stable, 0, 180000000) - 90000000, 6);
    put_fixed(w->t, geo, "lon", (int64_t)rng_range(&w->stable, 0, 360000000) - 180000000, 6);
    put_s(w->t, shipping, "instructions", PICK(&w->varying, free_texts));
}

static void order_payment(item_writer *w)
{
    static const char *const methods[] = {"card", "paypal", "invoice", "sepa_debit"};
    uint32_t payment = put_m(w->t, w->root, "payment");
    put_s(w->t, payment, "method", PICK(&w->stable, methods));
    put_sf(w->t, payment, "last4", "%04u", (unsigned)rng_below(&w->stable, 10000));
    put_b(w->t, payment, "token", &w->stable, (size_t)rng_range(&w->stable, 16, 48));
    put_bool(w->t, payment, "captured", w->version >= 2);
    unsigned auth_code = (unsigned)rng_below(&w->stable, 1000000);
    if (w->version >= 2)
        put_sf(w->t, payment, "authCode", "A%06u", auth_code);
    else
        put_null(w->t, payment, "authCode");
}

static void order_coupon(item_writer *w)
{
    if (rng_percent(&w->stable, 70))
        put_null(w->t, w->root, "couponCode");
    else
        put_s(w->t, w->root, "couponCode", "SPRING\\u002D24");
}

static void order_tags(item_writer *w)
{
    put_string_set(w, &w->stable, w->root, "tags", tags, COUNT_OF(tags), set_size(&w->stable));
}

static void order_notes(item_writer *w)
{
    put_s(w->t, w->root, "notes", PICK(&w->varying, free_texts));
}

static void order_line_totals(item_writer *w)
{
    put_number_set(w, &w->stable, w->root, "lineTotals", (size_t)rng_range(&w->stable, 1, 5));
}

static void order_gift_wrap(item_writer *w)
{
    put_bool(w->t, w->root, "giftWrap", rng_percent(&w->stable, 10));
}

static void order_padding(item_writer *w, uint32_t list, rng *r)
{
    uint32_t entry = put_m(w->t, list, NULL);
    put_iso_time(w, entry, "at", w->written_ms - rng_below(r, 86400000));
    put_s(w->t, entry, "status", PICK(r, order_statuses));
    put_s(w->t, entry, "by", PICK(r, actors));
    put_s(w->t, entry, "note", PICK(r, free_texts));
}

static const section_fn order_sections[] = {
    order_items, order_shipping, order_payment,     order_coupon,
    order_tags,  order_notes,    order_line_totals, order_gift_wrap,
};

/* -- user profiles -- */

static void user_core(item_writer *w)
{
    put_s(w->t, w->root, "entityType", "USER");
    put_s(w->t, w->root, "displayName", PICK(&w->stable, person_names));
    put_sf(w->t, w->root, "email", "user%u@example.com", (unsigned)rng_below(&w->stable, 1000000));
    /* Drawn whatever the version, so later draws line up in every version. */
    bool verified_at_signup = rng_percent(&w->stable, 30);
    put_bool(w->t, w->root, "verified", w->version > 1 || verified_at_signup);
    put_nf(w->t, w->root, "updatedAt", "%llu", (unsigned long long)w->written_ms);
    put_nf(w->t, w->root, "version", "%u", w->version);
}

static void user_age(item_writer *w)
{
    put_nf(w->t, w->root, "age", "%u", (unsigned)rng_range(&w->stable, 18, 90));
}

/* Account balances: cents, or 38-digit ledger values. */
static void user_balance(item_writer *w)
{
    char number[64];
    if (rng_percent(&w->varying, 20))
        format_wide_number(&w->varying, number, sizeof number);
    else
        format_fixed(number, sizeof number, (int64_t)rng_below(&w->varying, 10000000) - 2000000, 2);
    put_n(w->t, w->root, "balance", number);
}

static void user_loyalty(item_writer *w)
{
    char number[64];
    format_exponent_number(&w->varying, number, sizeof number, 0, 6);
    if (number[0] == '-')
        memmove(number, number + 1, strlen(number)); /* points are never negative */
    put_n(w->t, w->root, "loyaltyPoints", number);
}

/* Four levels of maps: preferences > notifications > quietHours > overrides. */
static void user_preferences(item_writer *w)
{
    static const char *const themes[] = {"dark", "light", "system", "high-contrast"};
    uint32_t preferences = put_m(w->t, w->root, "preferences");
    put_s(w->t, preferences, "language", PICK(&w->stable, languages));
    put_s(w->t, preferences, "theme", PICK(&w->varying, themes));
    uint32_t notifications = put_m(w->t, preferences, "notifications");
    put_bool(w->t, notifications, "email", rng_percent(&w->varying, 70));
    put_bool(w->t, notifications, "sms", rng_percent(&w->varying, 20));
    uint32_t quiet = put_m(w->t, notifications, "quietHours");
    put_sf(w->t, quiet, "from", "%02u:00", (unsigned)rng_range(&w->stable, 19, 23));
    put_sf(w->t, quiet, "to", "%02u:30", (unsigned)rng_range(&w->stable, 5, 8));
    put_number_set(w, &w->stable, quiet, "days", (size_t)rng_range(&w->stable, 1, 5));
    uint32_t overrides = put_m(w->t, quiet, "overrides");
    put_bool(w->t, overrides, "holidays", rng_percent(&w->stable, 50));
    put_s(w->t, overrides, "caf\\u00e9Mode", PICK(&w->stable, themes)); /* an escaped member name */
}

static void user_avatar(item_writer *w)
{
    /* Now and then an empty binary, which DynamoDB allows outside keys. */
    size_t len = rng_percent(&w->stable, 4) ? 0 : (size_t)rng_range(&w->stable, 32, 96);
    put_b(w->t, w->root, "avatarThumbnail", &w->stable, len);
}

static void user_roles(item_writer *w)
{
    static const char *const roles[] = {"admin", "editor", "viewer", "billing", u8"größe-admin", "support\\tlead"};
    put_string_set(w, &w->stable, w->root, "roles", roles, COUNT_OF(roles), set_size(&w->stable));
}

static void user_favorites(item_writer *w)
{
    put_number_set(w, &w->stable, w->root, "favoriteNumbers", (size_t)rng_range(&w->stable, 1, 5));
}

static void user_public_keys(item_writer *w)
{
    put_binary_set(w, &w->stable, w->root, "publicKeys", (size_t)rng_range(&w->stable, 1, 5), 16, 33);
}

static void user_addresses(item_writer *w)
{
    static const char *const labels[] = {"home", "work", u8"Ferienhaus", "parents"};
    uint32_t addresses = put_l(w->t, w->root, "addresses");
    unsigned count = (unsigned)rng_below(&w->stable, 4); /* 0: an empty L */
    for (unsigned i = 0; i < count; i++) {
        uint32_t address = put_m(w->t, addresses, NULL);
        put_s(w->t, address, "label", PICK(&w->stable, labels));
        put_s(w->t, address, "city", PICK(&w->stable, cities));
        put_sf(w->t, address, "zip", "%05u", (unsigned)rng_below(&w->stable, 100000));
        put_bool(w->t, address, "primary", i == 0);
    }
}

static void user_bio(item_writer *w)
{
    put_s(w->t, w->root, "bio", PICK(&w->varying, free_texts));
}

static void user_deleted_at(item_writer *w)
{
    put_null(w->t, w->root, "deletedAt");
}

static void user_recent_activity(item_writer *w)
{
    put_mixed_list(w, w->root, "recentActivity", &w->varying);
}

static void user_padding(item_writer *w, uint32_t list, rng *r)
{
    uint32_t entry = put_m(w->t, list, NULL);
    put_nf(w->t, entry, "at", "%llu", (unsigned long long)(w->written_ms - rng_below(r, UINT64_C(2592000000))));
    put_sf(w->t, entry, "ip", "203.0.113.%u", (unsigned)rng_below(r, 256));
    put_s(w->t, entry, "agent", PICK(r, user_agents));
    put_bool(w->t, entry, "ok", rng_percent(r, 90));
}

static const section_fn user_sections[] = {
    user_age,       user_balance,     user_loyalty,    user_preferences, user_avatar,     user_roles,
    user_favorites, user_public_keys, user_addresses,  user_bio,         user_deleted_at, user_recent_activity,
};

/* -- device readings -- */

static void reading_core(item_writer *w)
{
    static const char *const device_types[] = {"thermostat", "air-quality", "cold-chain", "weather-station"};
    put_s(w->t, w->root, "entityType", "READING");
    put_s(w->t, w->root, "deviceType", PICK(&w->stable, device_types));
    put_fixed(w->t, w->root, "temperature", (int64_t)rng_range(&w->varying, 0, 6000) - 2000, 2);
    put_fixed(w->t, w->root, "humidity", (int64_t)rng_range(&w->varying, 50, 1000), 1);
    put_nf(w->t, w->root, "ttl", "%llu", (unsigned long long)(w->written_ms / 1000 + 30 * 86400));
}

/* Pascals in scientific notation, as some SDKs print them: "1.01325E5". */
static void reading_pressure(item_writer *w)
{
    char digits[16];
    size_t n = (size_t)snprintf(digits, sizeof digits, "%u", (unsigned)rng_range(&w->varying, 95000, 105000));
    unsigned exponent = (unsigned)n - 1;
    while (n > 1 && digits[n - 1] == '0')
        digits[--n] = '\0';
    put_nf(w->t, w->root, "pressure", "%c%s%sE%u", digits[0], n > 1 ? "." : "", digits + 1, exponent);
}

static void reading_drift(item_writer *w)
{
    char number[64];
    format_exponent_number(&w->varying, number, sizeof number, -12, -3);
    put_n(w->t, w->root, "drift", number);
}

/* Calibration constants reach DynamoDB's limits: 1E-130, 9.99...E+125 and
 * 38 significant digits. */
static void reading_calibration(item_writer *w)
{
    char number[64];
    uint32_t calibration = put_m(w->t, w->root, "calibration");
    if (rng_percent(&w->stable, 30)) {
        put_n(w->t, calibration, "offset", rng_percent(&w->stable, 50) ? "1E-130" : "-1E-130");
    } else {
        format_exponent_number(&w->stable, number, sizeof number, -130, -100);
        put_n(w->t, calibration, "offset", number);
    }
    if (rng_percent(&w->stable, 20)) {
        put_n(w->t, calibration, "scale", "9.9999999999999999999999999999999999999E+125");
    } else {
        format_exponent_number(&w->stable, number, sizeof number, 100, 125);
        put_n(w->t, calibration, "scale", number);
    }
    format_wide_number(&w->stable, number, sizeof number);
    put_n(w->t, calibration, "precise", number);
    put_iso_time(w, calibration, "calibratedAt", w->written_ms - rng_below(&w->stable, UINT64_C(31536000000)));
    put_b(w->t, calibration, "certificate", &w->stable, (size_t)rng_range(&w->stable, 24, 64));
}

/* Four levels of maps: location > site > zone. */
static void reading_location(item_writer *w)
{
    uint32_t location = put_m(w->t, w->root, "location");
    put_fixed(w->t, location, "lat", (int64_t)rng_range(&w->stable, 0, 180000000) - 90000000, 6);
    put_fixed(w->t, location, "lon", (int64_t)rng_range(&w->stable, 0, 360000000) - 180000000, 6);
    put_s(w->t, location, "label", PICK(&w->stable, cities));
    uint32_t site = put_m(w->t, location, "site");
    put_sf(w->t, site, "building", "B%u", (unsigned)rng_range(&w->stable, 1, 40));
    put_nf(w->t, site, "floor", "%d", (int)rng_range(&w->stable, 0, 30) - 3);
    put_sf(w->t, site, "room", u8"Raum %u – Süd", (unsigned)rng_range(&w->stable, 1, 400));
    uint32_t zone = put_m(w->t, site, "zone");
    put_sf(w->t, zone, "id", "z-%u", (unsigned)rng_below(&w->stable, 100));
    put_bool(w->t, zone, "secure", rng_percent(&w->stable, 40));
}

static void reading_raw_frame(item_writer *w)
{
    put_b(w->t, w->root, "rawFrame", &w->varying, (size_t)rng_range(&w->varying, 16, 128));
}

static void reading_samples(item_writer *w)
{
    put_mixed_list(w, w->root, "samples", &w->varying);
}

static void reading_alerts(item_writer *w)
{
    uint32_t alerts = put_l(w->t, w->root, "alerts");
    unsigned count = (unsigned)rng_below(&w->varying, 4); /* 0: an empty L */
    for (unsigned i = 0; i < count; i++) {
        uint32_t alert = put_m(w->t, alerts, NULL);
        put_nf(w->t, alert, "code", "%u", (unsigned)rng_range(&w->varying, 100, 599));
        put_s(w->t, alert, "msg", rng_percent(&w->varying, 50) ? "low battery" : u8"Temperatur über Grenzwert");
        put_bool(w->t, alert, "ack", rng_percent(&w->varying, 50));
    }
}

static void reading_checksums(item_writer *w)
{
    put_number_set(w, &w->stable, w->root, "checksums", (size_t)rng_range(&w->stable, 1, 5));
}

static void reading_flags(item_writer *w)
{
    static const char *const flags[] = {"calibrated", "low-power", "tamper\\u0021", u8"überhitzt", "\\ud83d\\udd0b",
                                        "ota"};
    put_string_set(w, &w->stable, w->root, "flags", flags, COUNT_OF(flags), set_size(&w->stable));
}

static void reading_frames(item_writer *w)
{
    put_binary_set(w, &w->stable, w->root, "frames", (size_t)rng_range(&w->stable, 1, 5), 8, 40);
}

static void reading_status(item_writer *w)
{
    uint32_t status = put_m(w->t, w->root, "status");
    put_sf(w->t, status, "firmware", "v%u.%u.%u", (unsigned)rng_range(&w->stable, 1, 4),
           (unsigned)rng_below(&w->stable, 10), (unsigned)rng_below(&w->stable, 20));
    put_bool(w->t, status, "online", rng_percent(&w->varying, 90));
    put_null(w->t, status, "lastError");
}

static void reading_padding(item_writer *w, uint32_t list, rng *r)
{
    uint32_t entry = put_m(w->t, list, NULL);
    put_nf(w->t, entry, "t", "%llu", (unsigned long long)(w->written_ms - rng_below(r, 3600000)));
    put_fixed(w->t, entry, "v", (int64_t)rng_range(r, 0, 6000) - 2000, 2);
    put_bool(w->t, entry, "ok", rng_percent(r, 95));
}

static const section_fn reading_sections[] = {
    reading_pressure, reading_drift,     reading_calibration, reading_location, reading_raw_frame, reading_samples,
    reading_alerts,   reading_checksums, reading_flags,       reading_frames,   reading_status,
};

typedef void (*padding_fn)(item_writer *w, uint32_t list, rng *r);

/* How each kind of item is written: fields every version has, optional
 * sections, and the list that pads an image towards its target size. */
typedef struct item_shape {
    void (*core)(item_writer *w);
    const section_fn *sections;
    size_t section_count;
    const char *padding_name;
    padding_fn padding;
} item_shape;

static const item_shape item_shapes[ITEM_KIND_COUNT] = {
    {order_core, order_sections, COUNT_OF(order_sections), "history", order_padding},
    {user_core, user_sections, COUNT_OF(user_sections), "loginHistory", user_padding},
    {reading_core, reading_sections, COUNT_OF(reading_sections), "series", reading_padding},
};

/* Images are kept within these bounds of JSON text where the fields allow
 * (the fields every item has take about 200 bytes). */
#define IMAGE_MIN 200u
#define IMAGE_MAX 1500u
#define MAX_SECTIONS 16u
#define MAX_PADDING_ENTRIES 64u

static uint32_t build_keys(attr_tree *t, const live_item *item)
{
    char pk[96], sk[96];
    item_keys(item, pk, sizeof pk, sk, sizeof sk);
    uint32_t root = tree_add(t, NODE_NONE, NULL, WL_ATTR_M);
    put_s(t, root, "PK", pk);
    put_s(t, root, "SK", sk);
    return root;
}

/* The image of one version of an item. A target size and an order of the
 * optional sections come from the item alone; sections that would overshoot
 * the target are taken back, then padding entries fill up towards it. */
static uint32_t build_image(attr_tree *t, buffer *scratch, const live_item *item, unsigned version,
                            uint64_t written_ms)
{
    const item_shape *shape = &item_shapes[item->kind];
    uint32_t root = build_keys(t, item);
    item_writer w = {t, root, derive_rng(item->seed, PART_CORE, 0), derive_rng(item->seed, PART_CORE, version), version,
                     written_ms};
    shape->core(&w);

    rng plan = derive_rng(item->seed, PART_PLAN, 0);
    size_t target = (size_t)rng_range(&plan, IMAGE_MIN, IMAGE_MAX);
    size_t order[MAX_SECTIONS];
    size_t section_count = shape->section_count < MAX_SECTIONS ? shape->section_count : MAX_SECTIONS;
    for (size_t i = 0; i < section_count; i++)
        order[i] = i;
    for (size_t i = section_count; i > 1; i--) {
        size_t j = (size_t)rng_below(&plan, i);
        size_t swap = order[i - 1];
        order[i - 1] = order[j];
        order[j] = swap;
    }

    scratch->len = 0;
    write_attr_members(scratch, t, root);
    size_t len = scratch->len;
    for (size_t i = 0; i < section_count && !t->failed; i++) {
        size_t section = order[i];
        if (!rng_percent(&plan, 85))
            continue;
        w.stable = derive_rng(item->seed, PART_SECTION + section, 0);
        w.varying = derive_rng(item->seed, PART_SECTION + section, version);
        tree_mark mark = tree_mark_at(t, root);
        shape->sections[section](&w);
        size_t added = member_json_len(t, t->nodes[root].last_child, scratch);
        if (len + added > target)
            tree_rollback(t, &mark);
        else
            len += added;
    }

    /* Padding: a list whose entries are kept while they fit. */
    rng padding = derive_rng(item->seed, PART_PADDING, version);
    tree_mark before_list = tree_mark_at(t, root);
    uint32_t list = put_l(t, root, shape->padding_name);
    len += member_json_len(t, list, scratch);
    size_t entries = 0;
    while (entries < MAX_PADDING_ENTRIES && !t->failed) {
        tree_mark mark = tree_mark_at(t, list);
        shape->padding(&w, list, &padding);
        scratch->len = 0;
        write_attr_value(scratch, t, t->nodes[list].last_child);
        size_t added = scratch->len + (entries > 0);
        if (len + added > target) {
            tree_rollback(t, &mark);
            break;
        }
        len += added;
        entries++;
    }
    if (entries == 0)
        tree_rollback(t, &before_list);
    return root;
}

/* ---- DynamoDB: expectations --------------------------------------------------------- */

/* The checks array grows like a buffer and fails the same way. */
typedef struct check_list {
    wl_attr_check *items;
    size_t count, cap;
    bool failed;
} check_list;

static wl_attr_check *check_list_add(check_list *list)
{
    if (list->failed)
        return NULL;
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 256;
        wl_attr_check *grown = cap <= SIZE_MAX / sizeof *grown ? realloc(list->items, cap * sizeof *grown) : NULL;
        if (grown == NULL) {
            list->failed = true;
            return NULL;
        }
        list->items = grown;
        list->cap = cap;
    }
    wl_attr_check *check = &list->items[list->count++];
    memset(check, 0, sizeof *check);
    return check;
}

/* Steps from root down to node, or 0 if node is not under root. */
static unsigned node_depth(const attr_tree *t, uint32_t root, uint32_t node)
{
    unsigned depth = 0;
    while (node != NODE_NONE && node != root) {
        node = t->nodes[node].parent;
        depth++;
    }
    return node == root ? depth : 0;
}

/* Whether node suits a wish: a type, or 0 for "anything at least two
 * levels down" (nested values are where unmarshalling goes wrong). */
static bool node_fits(const attr_tree *t, uint32_t node, unsigned depth, wl_attr_type wish)
{
    return wish != 0 ? t->nodes[node].type == wish : depth >= 2;
}

/* Record the expectation for node under root: its path, type and value. */
static void add_check(check_list *checks, buffer *values, const attr_tree *t, uint32_t node, unsigned depth,
                      wl_image image)
{
    wl_attr_check *check = check_list_add(checks);
    if (check == NULL)
        return;
    check->image = image;
    check->depth = depth;
    uint32_t at = node;
    for (unsigned step = depth; step-- > 0;) {
        const attr_node *n = &t->nodes[at];
        wl_path_step *s = &check->path[step];
        if (t->nodes[n->parent].type == WL_ATTR_M) {
            s->name_offset = values->len;
            s->name_len = n->name.len;
            buffer_append(values, tree_bytes(t, n->name), n->name.len);
        } else {
            s->is_index = true;
            s->index = n->index;
        }
        at = n->parent;
    }
    const attr_node *n = &t->nodes[node];
    check->type = n->type;
    if (n->type == WL_ATTR_S || n->type == WL_ATTR_N || n->type == WL_ATTR_B) {
        check->value_offset = values->len;
        check->value_len = n->value.len;
        buffer_append(values, tree_bytes(t, n->value), n->value.len);
    }
    check->bool_value = n->flag;
    if (n->type >= WL_ATTR_M)
        check->size = n->child_count;
}

/* Choose `count` attributes of root to check, each matching the next wish
 * in a rotation that favours the values hardest to get right: B (base64),
 * N (number text), anything nested, S (escapes). */
static void choose_checks(check_list *checks, buffer *values, const attr_tree *t, uint32_t root, wl_image image,
                          unsigned count, rng *r)
{
    static const wl_attr_type wishes[] = {WL_ATTR_B, WL_ATTR_N, 0, WL_ATTR_S};
    unsigned first_wish = (unsigned)rng_below(r, COUNT_OF(wishes));
    for (unsigned k = 0; k < count; k++) {
        wl_attr_type wish = wishes[(first_wish + k) % COUNT_OF(wishes)];
        /* Reservoir sampling over the nodes, the wish first, anything as a
         * fallback; roots sit before their nodes, so the scan starts past root. */
        uint32_t best = NODE_NONE, fallback = NODE_NONE;
        uint64_t best_seen = 0, fallback_seen = 0;
        for (uint32_t id = root + 1; id < t->count; id++) {
            unsigned depth = node_depth(t, root, id);
            if (depth == 0 || depth > WL_ATTR_PATH_MAX)
                continue;
            if (rng_below(r, ++fallback_seen) == 0)
                fallback = id;
            if (node_fits(t, id, depth, wish) && rng_below(r, ++best_seen) == 0)
                best = id;
        }
        uint32_t chosen = best != NODE_NONE ? best : fallback;
        if (chosen != NODE_NONE)
            add_check(checks, values, t, chosen, node_depth(t, root, chosen), image);
    }
}

/* ---- DynamoDB events ---------------------------------------------------------------- */

static const char *const dynamodb_regions[] = {"us-east-1", "eu-central-1", "ap-northeast-1", "us-west-2", "eu-west-1"};
static const char *const dynamodb_tables[] = {"ExampleTableWithStream", "AppData", "orders-prod", "shop-single-table"};

/* ApproximateCreationDateTime in the three forms Lambda events carry: whole
 * seconds (1480642020), a double with ".0" (1693997155.0), and Java's
 * Double.toString of seconds with nanoseconds (1.635734407123456789E9). */
static void format_creation_time(char *out, size_t cap, uint64_t epoch_ms, uint64_t nanos, unsigned form)
{
    uint64_t seconds = epoch_ms / 1000;
    if (form == 0) {
        snprintf(out, cap, "%llu", (unsigned long long)seconds);
    } else if (form == 1) {
        snprintf(out, cap, "%llu.0", (unsigned long long)seconds);
    } else {
        char digits[32];
        size_t n = (size_t)snprintf(digits, sizeof digits, "%llu%09llu", (unsigned long long)seconds,
                                    (unsigned long long)((epoch_ms % 1000) * 1000000 + nanos % 1000000));
        while (n > 2 && digits[n - 1] == '0')
            digits[--n] = '\0';
        snprintf(out, cap, "%c.%sE9", digits[0], digits + 1);
    }
}

/* Items the table holds, to draw MODIFY and REMOVE targets from. */
#define LIVE_ITEMS_MAX 64u

static live_item new_live_item(rng *r)
{
    live_item item = {rng_next(r), (item_kind)rng_below(r, ITEM_KIND_COUNT), 0, 0};
    return item;
}

bool wl_generate_dynamodb(wl_workload *out, size_t record_count, uint64_t seed)
{
    memset(out, 0, sizeof *out);
    if (record_count > SIZE_MAX / sizeof *out->records)
        return false;
    wl_record *records = calloc(record_count ? record_count : 1, sizeof *records);
    if (records == NULL)
        return false;

    rng r = {seed};
    buffer event = {0}, values = {0}, scratch = {0};
    attr_tree tree;
    check_list checks = {0};
    if (!tree_init(&tree)) {
        free(records);
        return false;
    }

    /* One table, one stream and one shard per event. */
    const char *region = PICK(&r, dynamodb_regions);
    const char *table = PICK(&r, dynamodb_tables);
    char label[48];
    format_iso8601(label, sizeof label, UINT64_C(1420000000000) + rng_below(&r, UINT64_C(60000000000)));
    label[strlen(label) - 1] = '\0'; /* stream labels carry no 'Z' */
    snprintf(out->aws_region, sizeof out->aws_region, "%s", region);
    snprintf(out->event_source_arn, sizeof out->event_source_arn, "arn:aws:dynamodb:%s:123456789012:table/%s/stream/%s",
             region, table, label);

    /* Sequence numbers rise through a shard and gain digits over time;
     * a leading digit of at most 4 leaves room for the increments. */
    char sequence[WL_DYNAMODB_SEQUENCE_MAX_DIGITS + 1];
    size_t sequence_len = (size_t)rng_range(&r, WL_DYNAMODB_SEQUENCE_MIN_DIGITS, 30);
    random_digits(&r, sequence, sequence_len);
    sequence[0] = (char)('1' + rng_below(&r, 4));
    /* 2016-11 .. 2023-11, in milliseconds. */
    uint64_t now_ms = UINT64_C(1480000000000) + rng_below(&r, UINT64_C(220000000000));

    live_item live[LIVE_ITEMS_MAX];
    size_t live_count = 0;

    buffer_puts(&event, "{\"Records\":[");
    for (size_t i = 0; i < record_count && !event.failed; i++) {
        wl_record *rec = &records[i];
        wl_dynamodb_record *d = &rec->dynamodb;
        now_ms += rng_below(&r, 2000);

        /* INSERT creates an item; MODIFY and REMOVE mostly hit items this
         * event created, otherwise ones that existed before it. */
        unsigned roll = (unsigned)rng_below(&r, 100);
        d->event_name = roll < 45 ? "INSERT" : roll < 85 ? "MODIFY" : "REMOVE";
        bool is_insert = d->event_name[0] == 'I', is_remove = d->event_name[0] == 'R';
        live_item item;
        size_t live_index = LIVE_ITEMS_MAX;
        if (!is_insert && live_count > 0 && rng_percent(&r, 70)) {
            live_index = (size_t)rng_below(&r, live_count);
            item = live[live_index];
        } else {
            item = new_live_item(&r);
            if (!is_insert) {
                item.version = (unsigned)rng_range(&r, 1, 30);
                item.written_ms = now_ms - rng_range(&r, 60000, UINT64_C(2592000000));
            }
        }

        tree_reset(&tree);
        uint32_t keys = build_keys(&tree, &item);
        uint32_t old_image = is_insert ? NODE_NONE : build_image(&tree, &scratch, &item, item.version, item.written_ms);
        uint32_t new_image = is_remove ? NODE_NONE : build_image(&tree, &scratch, &item, item.version + 1, now_ms);

        /* What the table holds afterwards. */
        if (is_remove) {
            if (live_index < live_count)
                live[live_index] = live[--live_count];
        } else {
            item.version++;
            item.written_ms = now_ms;
            if (live_index < live_count)
                live[live_index] = item;
            else if (live_count < LIVE_ITEMS_MAX)
                live[live_count++] = item;
            else
                live[rng_below(&r, LIVE_ITEMS_MAX)] = item;
        }

        /* Now and then one more digit (a trailing one, so the number
         * grows); on overflow, which the leading digit makes remote, the
         * carry becomes a leading 1. */
        uint64_t carry = add_decimal(sequence, sequence_len, rng_range(&r, 1, UINT64_C(1000000000000)));
        if (sequence_len < WL_DYNAMODB_SEQUENCE_MAX_DIGITS) {
            if (carry != 0) {
                memmove(sequence + 1, sequence, sequence_len);
                sequence[0] = '1';
                sequence_len++;
            } else if (rng_percent(&r, 4)) {
                sequence[sequence_len++] = (char)('0' + rng_below(&r, 10));
            }
        }
        sequence[sequence_len] = '\0';
        memcpy(rec->sequence_number, sequence, sequence_len + 1);

        snprintf(d->event_id, sizeof d->event_id, "%016llx%016llx", (unsigned long long)rng_next(&r),
                 (unsigned long long)rng_next(&r));
        format_creation_time(d->creation_time_text, sizeof d->creation_time_text, now_ms, rng_next(&r),
                             (unsigned)rng_below(&r, 3));
        d->has_user_identity = is_remove && rng_percent(&r, 30); /* TTL deletions */
        d->key_count = tree.nodes[keys].child_count;
        d->has_new_image = new_image != NODE_NONE;
        d->has_old_image = old_image != NODE_NONE;
        d->new_image_count = d->has_new_image ? tree.nodes[new_image].child_count : 0;
        d->old_image_count = d->has_old_image ? tree.nodes[old_image].child_count : 0;
        d->size_bytes = item_size(&tree, keys) + (d->has_new_image ? item_size(&tree, new_image) : 0) +
                        (d->has_old_image ? item_size(&tree, old_image) : 0);

        /* One key and four image values, split over the images present. */
        d->first_check = checks.count;
        choose_checks(&checks, &values, &tree, keys, WL_IMAGE_KEYS, 1, &r);
        if (d->has_new_image)
            choose_checks(&checks, &values, &tree, new_image, WL_IMAGE_NEW, d->has_old_image ? 2 : 4, &r);
        if (d->has_old_image)
            choose_checks(&checks, &values, &tree, old_image, WL_IMAGE_OLD, d->has_new_image ? 2 : 4, &r);
        d->check_count = checks.count - d->first_check;
        if (tree.failed || checks.failed || values.failed)
            break;

        if (i > 0)
            buffer_puts(&event, ",");
        rec->event_offset = event.len;
        buffer_printf(&event,
                      "{\"eventID\":\"%s\",\"eventName\":\"%s\",\"eventVersion\":\"1.1\","
                      "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"%s\","
                      "\"dynamodb\":{\"ApproximateCreationDateTime\":%s,\"Keys\":",
                      d->event_id, d->event_name, region, d->creation_time_text);
        write_attr_members(&event, &tree, keys);
        if (d->has_new_image) {
            buffer_puts(&event, ",\"NewImage\":");
            write_attr_members(&event, &tree, new_image);
        }
        if (d->has_old_image) {
            buffer_puts(&event, ",\"OldImage\":");
            write_attr_members(&event, &tree, old_image);
        }
        buffer_printf(&event,
                      ",\"SequenceNumber\":\"%s\",\"SizeBytes\":%llu,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}",
                      sequence, (unsigned long long)d->size_bytes);
        if (d->has_user_identity)
            buffer_puts(&event, ",\"userIdentity\":{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}");
        buffer_printf(&event, ",\"eventSourceARN\":\"%s\"}", out->event_source_arn);
    }
    buffer_puts(&event, "]}");
    bool failed = event.failed || values.failed || tree.failed || checks.failed;
    tree_release(&tree);
    buffer_release(&scratch);

    if (failed) {
        buffer_release(&event);
        buffer_release(&values);
        free(checks.items);
        free(records);
        memset(out, 0, sizeof *out);
        return false;
    }
    out->event = event.ptr;
    out->event_len = event.len;
    out->records = records;
    out->record_count = record_count;
    out->checks = checks.items;
    out->check_count = checks.count;
    out->values = values.ptr;
    out->values_len = values.len;
    return true;
}

/* ---- kinds ---------------------------------------------------------------------------- */

/* A new event kind becomes one more row here. */
static const wl_kind kinds[] = {
    {"kinesis", "Kinesis Data Streams event: base64 JSON payloads of 100-600 bytes", wl_generate_kinesis},
    {"dynamodb", "DynamoDB Streams event: INSERT/MODIFY/REMOVE, images of 200-1500 bytes", wl_generate_dynamodb},
};

const char *wl_attr_type_name(wl_attr_type type)
{
    static const char *const names[] = {"?", "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
    return (size_t)type < COUNT_OF(names) ? names[type] : "?";
}

const wl_kind *wl_kinds(size_t *count)
{
    if (count != NULL)
        *count = COUNT_OF(kinds);
    return kinds;
}

const wl_kind *wl_kind_find(const char *name)
{
    for (size_t i = 0; i < COUNT_OF(kinds); i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
}

void wl_workload_free(wl_workload *w)
{
    if (w == NULL)
        return;
    free(w->event);
    free(w->records);
    free(w->payloads);
    free(w->keys);
    free(w->checks);
    free(w->values);
    memset(w, 0, sizeof *w);
}
