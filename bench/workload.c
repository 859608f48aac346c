/* workload.c - deterministic generator of AWS Lambda Kinesis events with realistic JSON payloads. */
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

/* Add a random increment to a 56-digit decimal sequence number, the way
 * sequence numbers grow within a shard: increasing, in irregular steps. */
static void advance_sequence(char digits[WL_SEQUENCE_DIGITS + 1], uint64_t increment)
{
    for (int i = WL_SEQUENCE_DIGITS - 1; i >= 0 && increment > 0; i--) {
        uint64_t sum = (uint64_t)(digits[i] - '0') + increment % 10;
        increment /= 10;
        if (sum >= 10) {
            sum -= 10;
            increment += 1;
        }
        digits[i] = (char)('0' + sum);
    }
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

/* ---- kinds ---------------------------------------------------------------------------- */

/* New event kinds (DynamoDB Streams next) become one more row here. */
static const wl_kind kinds[] = {
    {"kinesis", "Kinesis Data Streams event: base64 JSON payloads of 100-600 bytes", wl_generate_kinesis},
};

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
    memset(w, 0, sizeof *w);
}
