/* The in-container supervisor, in C: PID 1 of every grader container.

   A static port of ``supervisor.py`` and of its cgroup reader ``cgroup.py``, which stay
   the specification: ``supervisor.py`` declares the protocol (the ``*Request`` and
   ``*Reply`` TypedDicts, the framing) and this file speaks exactly that protocol, with the
   same in-container logic, under the same names where it can (find_cgroup, place_files,
   collect_files, wipe, clear_ipc, spawn, Run.supervise -> supervise, Relay -> relay_*,
   reap_everyone, handle_run ...). Only glibc, one file, built statically:

       gcc -std=gnu11 -O2 -static -Wall -Wextra -Werror -o supervisor supervisor.c

   Why: the Python supervisor costs 45-60 ms of CPU to start in every container and about
   2 ms per run; this binary starts in about a millisecond.

   A frame is a 4-byte big-endian length, a JSON header (a message plus ``blobs``: the
   sizes of the byte strings that follow), then those blobs. The host sends ``load``,
   ``run``, ``stdin`` and ``ping``; the supervisor answers ``ready`` (once, at start),
   ``loaded``, ``stdout`` chunks then one ``result`` per run, ``pong`` or ``error``.

   Where it differs from the Python (only on input the host never sends): a malformed
   frame header is answered with an ``error`` reply instead of ending the supervisor, and
   a malformed request is refused before any of its files are placed. */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BOX "/box"
#define CHUNK 65536
#define POLL_MS 10
#define CAP_MARGIN (4LL << 20)
#define MAX_HEADER (256u << 20)           /* bytes of one request header */
#define MAX_BLOBS (1ULL << 30)            /* bytes of one request's blobs in all */
#define MAX_DEPTH 500                     /* nesting of a JSON header */
#define UNLIMITED (1LL << 60)

static const char *const SCRATCH[] = {"/box", "/tmp", "/dev/shm", "/dev/mqueue"};

/* ---- buffers and errors ------------------------------------------------------------ */

typedef struct {
    char *p;
    size_t n, cap;
} Buf;

static jmp_buf *g_catch; /* where a failure while handling a request goes */
static Buf g_error;      /* its message */

static void out_of_memory(void);

static void *xrealloc(void *old, size_t n) {
    void *p = realloc(old, n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

static void buf_reserve(Buf *b, size_t extra) {
    if (b->n + extra <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + extra)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

static void buf_add(Buf *b, const void *s, size_t n) {
    buf_reserve(b, n + 1);
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void buf_adds(Buf *b, const char *s) { buf_add(b, s, strlen(s)); }
static void buf_addc(Buf *b, char c) { buf_add(b, &c, 1); }

static void buf_addf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_addf(Buf *b, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        buf_add(b, small, (size_t)n);
        return;
    }
    buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

static void buf_free(Buf *b) {
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

static void buf_drop_front(Buf *b, size_t n) {
    memmove(b->p, b->p + n, b->n - n);
    b->n -= n;
}

static char *xstrndup(const char *s, size_t n) {
    char *p = xrealloc(NULL, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static _Noreturn void raise_message(int line) {
    buf_addf(&g_error, " (supervisor line %d)", line);
    if (!g_catch) {
        fprintf(stderr, "%s\n", g_error.p);
        exit(1);
    }
    longjmp(*g_catch, 1);
}

/* Raise an error like Python's ``f"{type(exc).__name__}: {exc}"``. */
#define FAIL(...) fail_at(__LINE__, __VA_ARGS__)
static _Noreturn void fail_at(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static _Noreturn void fail_at(int line, const char *fmt, ...) {
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    g_error.n = 0;
    buf_adds(&g_error, text);
    raise_message(line);
}

static void out_of_memory(void) {
    if (!g_catch) {
        fputs("MemoryError\n", stderr);
        exit(1);
    }
    g_error.n = 0;
    if (g_error.cap >= 64) {
        strcpy(g_error.p, "MemoryError");
        g_error.n = strlen(g_error.p);
        longjmp(*g_catch, 1);
    }
    fputs("MemoryError\n", stderr);
    exit(1);
}

/* Python's OSError subclass for an errno. */
static const char *exc_name(int err) {
    switch (err) {
    case ENOENT: return "FileNotFoundError";
    case EEXIST: return "FileExistsError";
    case EISDIR: return "IsADirectoryError";
    case ENOTDIR: return "NotADirectoryError";
    case EACCES: case EPERM: return "PermissionError";
    case EAGAIN: case EALREADY: case EINPROGRESS: return "BlockingIOError";
    case ECHILD: return "ChildProcessError";
    case EPIPE: case ESHUTDOWN: return "BrokenPipeError";
    case ESRCH: return "ProcessLookupError";
    case ETIMEDOUT: return "TimeoutError";
    case EINTR: return "InterruptedError";
    case ECONNREFUSED: return "ConnectionRefusedError";
    case ECONNRESET: return "ConnectionResetError";
    case ECONNABORTED: return "ConnectionAbortedError";
    default: return "OSError";
    }
}

/* ---- text: UTF-8, Python's surrogateescape and repr --------------------------------- */

/* The length of the valid UTF-8 sequence at p (its code point in *cp), or minus the length
   of its maximal invalid subpart. With wtf8, encoded surrogates count as valid. */
static int utf8_seq(const unsigned char *p, size_t n, unsigned *cp, int wtf8) {
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int len;
    unsigned lo = 0x80, hi = 0xBF, v;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED && !wtf8)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
    } else {
        return -1;
    }
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return -i;
        unsigned b = p[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
            return -i;
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return len;
}

/* Decode bytes to code points as Python sees them: a file name (surrogateescape) or, with
   wtf8, a request string holding a lone surrogate. Calls emit for each code point. */
typedef void (*Emit)(void *ctx, unsigned cp);
static void decode(const char *s, size_t n, int wtf8, Emit emit, void *ctx) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned cp;
        int len = utf8_seq(p + i, n - i, &cp, wtf8);
        if (len > 0) {
            emit(ctx, cp);
            i += (size_t)len;
        } else {
            emit(ctx, 0xDC00 + p[i]);
            i += 1;
        }
    }
}

static void put_utf8(Buf *b, unsigned cp) {
    char t[4];
    if (cp < 0x80) {
        buf_addc(b, (char)cp);
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, t, 2);
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, t, 3);
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, t, 4);
    }
}

/* bytes.decode(errors="replace"): each maximal invalid subpart becomes U+FFFD. */
static void decode_replace(Buf *out, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned cp;
        int len = utf8_seq(p + i, n - i, &cp, 0);
        if (len > 0) {
            buf_add(out, s + i, (size_t)len);
            i += (size_t)len;
        } else {
            put_utf8(out, 0xFFFD);
            i += (size_t)-len;
        }
    }
}

typedef struct {
    Buf *out;
    char quote;
} ReprCtx;

static void repr_emit(void *ctx, unsigned cp) {
    ReprCtx *r = ctx;
    if (cp == '\\' || cp == (unsigned char)r->quote) {
        buf_addc(r->out, '\\');
        buf_addc(r->out, (char)cp);
    } else if (cp == '\t') {
        buf_adds(r->out, "\\t");
    } else if (cp == '\n') {
        buf_adds(r->out, "\\n");
    } else if (cp == '\r') {
        buf_adds(r->out, "\\r");
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD) {
        buf_addf(r->out, "\\x%02x", cp);
    } else if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0x2028 || cp == 0x2029) {
        buf_addf(r->out, "\\u%04x", cp);
    } else {
        put_utf8(r->out, cp);
    }
}

static char repr_quote(const char *s, size_t n) {
    return memchr(s, '\'', n) && !memchr(s, '"', n) ? '"' : '\'';
}

/* repr() of a str (its bytes as Python would have decoded them). */
static void str_repr(Buf *out, const char *s, size_t n, int wtf8) {
    ReprCtx r = {out, repr_quote(s, n)};
    buf_addc(out, r.quote);
    decode(s, n, wtf8, repr_emit, &r);
    buf_addc(out, r.quote);
}

/* repr() of a bytes object. */
static void bytes_repr(Buf *out, const char *s, size_t n) {
    char quote = repr_quote(s, n);
    buf_addc(out, 'b');
    buf_addc(out, quote);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == (unsigned char)quote) {
            buf_addc(out, '\\');
            buf_addc(out, (char)c);
        } else if (c == '\t') {
            buf_adds(out, "\\t");
        } else if (c == '\n') {
            buf_adds(out, "\\n");
        } else if (c == '\r') {
            buf_adds(out, "\\r");
        } else if (c < 0x20 || c >= 0x7F) {
            buf_addf(out, "\\x%02x", c);
        } else {
            buf_addc(out, (char)c);
        }
    }
    buf_addc(out, quote);
}

/* Raise OSError(err, strerror, path) as Python words it. */
#define FAIL_OS(err, path) fail_os_at(__LINE__, err, path)
static _Noreturn void fail_os_at(int line, int err, const char *path) {
    g_error.n = 0;
    buf_addf(&g_error, "%s: [Errno %d] %s", exc_name(err), err, strerror(err));
    if (path) {
        buf_adds(&g_error, ": ");
        str_repr(&g_error, path, strlen(path), 0);
    }
    raise_message(line);
}

/* ---- JSON ---------------------------------------------------------------------------- */

enum { J_NULL, J_BOOL, J_INT, J_FLOAT, J_STR, J_ARR, J_OBJ };

typedef struct {
    char *s;
    size_t n;
    int bad; /* holds a surrogate no file name can: unusable in a path, argv or env */
} Str;

typedef struct Json Json;
struct Json {
    int t;
    union {
        int b;
        long long i;
        double f;
        Str s;
        struct {
            Json *v;
            size_t n;
        } a;
        struct {
            Str *k;
            Json *v;
            size_t n;
        } o;
    };
};

static void json_free(Json *j) {
    if (j->t == J_STR) {
        free(j->s.s);
    } else if (j->t == J_ARR) {
        for (size_t i = 0; i < j->a.n; i++)
            json_free(&j->a.v[i]);
        free(j->a.v);
    } else if (j->t == J_OBJ) {
        for (size_t i = 0; i < j->o.n; i++) {
            free(j->o.k[i].s);
            json_free(&j->o.v[i]);
        }
        free(j->o.k);
        free(j->o.v);
    }
    j->t = J_NULL;
}

typedef struct {
    const unsigned char *start, *p, *end;
    const char *err;
    int depth;
} Parser;

static int parse_value(Parser *ps, Json *out);

static int perr(Parser *ps, const char *what) {
    if (!ps->err)
        ps->err = what;
    return -1;
}

static void skip_ws(Parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int hex4(Parser *ps, unsigned *v) {
    if (ps->end - ps->p < 4)
        return perr(ps, "Invalid \\uXXXX escape");
    *v = 0;
    for (int i = 0; i < 4; i++) {
        int c = ps->p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return perr(ps, "Invalid \\uXXXX escape");
        *v = *v * 16 + (unsigned)d;
    }
    ps->p += 4;
    return 0;
}

/* One code point of a decoded string, as os.fsencode would turn it into bytes. */
static void emit_cp(Buf *b, unsigned cp, int *bad) {
    if (cp >= 0xDC80 && cp <= 0xDCFF) {
        buf_addc(b, (char)(cp - 0xDC00)); /* surrogateescape: the raw byte */
        return;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        *bad = 1;
    put_utf8(b, cp);
}

static int parse_string(Parser *ps, Str *out) {
    Buf b = {0};
    int bad = 0;
    ps->p++; /* the quote */
    for (;;) {
        if (ps->p >= ps->end) {
            free(b.p);
            return perr(ps, "Unterminated string");
        }
        unsigned c = *ps->p;
        if (c == '"') {
            ps->p++;
            break;
        }
        if (c < 0x20) {
            free(b.p);
            return perr(ps, "Invalid control character");
        }
        if (c == '\\') {
            if (ps->end - ps->p < 2) {
                free(b.p);
                return perr(ps, "Unterminated string");
            }
            unsigned e = ps->p[1];
            ps->p += 2;
            const char *simple = strchr("\"\\/bfnrt", (int)e);
            if (e && simple) {
                static const char map[] = "\"\\/\b\f\n\r\t";
                buf_addc(&b, map[simple - "\"\\/bfnrt"]);
                continue;
            }
            if (e != 'u') {
                free(b.p);
                return perr(ps, "Invalid \\escape");
            }
            unsigned cp, lo;
            if (hex4(ps, &cp) < 0) {
                free(b.p);
                return -1;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF && ps->end - ps->p >= 6 && ps->p[0] == '\\' &&
                ps->p[1] == 'u') {
                const unsigned char *save = ps->p;
                ps->p += 2;
                if (hex4(ps, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else {
                    ps->err = NULL;
                    ps->p = save;
                }
            }
            emit_cp(&b, cp, &bad);
            continue;
        }
        unsigned cp;
        int len = utf8_seq(ps->p, (size_t)(ps->end - ps->p), &cp, 1);
        if (len <= 0) {
            free(b.p);
            return perr(ps, "Invalid UTF-8");
        }
        ps->p += len;
        emit_cp(&b, cp, &bad);
    }
    if (!b.p)
        buf_reserve(&b, 1), b.p[0] = 0;
    out->s = b.p;
    out->n = b.n;
    out->bad = bad;
    return 0;
}

static int match(Parser *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, word, n) == 0) {
        ps->p += n;
        return 1;
    }
    return 0;
}

static int is_digit(const unsigned char *p, const unsigned char *end) {
    return p < end && *p >= '0' && *p <= '9';
}

static int parse_number(Parser *ps, Json *out) {
    const unsigned char *s = ps->p;
    int is_float = 0;
    if (ps->p < ps->end && *ps->p == '-')
        ps->p++;
    if (match(ps, "Infinity")) {
        out->t = J_FLOAT;
        out->f = -INFINITY;
        return 0;
    }
    if (!is_digit(ps->p, ps->end))
        return perr(ps, "Expecting value");
    if (*ps->p == '0')
        ps->p++;
    else
        while (is_digit(ps->p, ps->end))
            ps->p++;
    if (ps->p < ps->end && *ps->p == '.' && is_digit(ps->p + 1, ps->end)) {
        is_float = 1;
        ps->p++;
        while (is_digit(ps->p, ps->end))
            ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        const unsigned char *q = ps->p + 1;
        if (q < ps->end && (*q == '+' || *q == '-'))
            q++;
        if (is_digit(q, ps->end)) {
            is_float = 1;
            ps->p = q;
            while (is_digit(ps->p, ps->end))
                ps->p++;
        }
    }
    char *text = xstrndup((const char *)s, (size_t)(ps->p - s));
    if (is_float) {
        out->t = J_FLOAT;
        out->f = strtod(text, NULL);
    } else {
        out->t = J_INT;
        errno = 0;
        out->i = strtoll(text, NULL, 10); /* beyond 64 bits: saturated */
    }
    free(text);
    return 0;
}

/* Past an array's or object's opening bracket: 1 (and past ``close`` too) if it is empty. */
static int opened_empty(Parser *ps, char close) {
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 1;
    }
    return 0;
}

/* After a member: 1 past a ',' (another follows), 0 past ``close``, else -1 (an error). */
static int after_member(Parser *ps, char close) {
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        skip_ws(ps);
        return 1;
    }
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 0;
    }
    return perr(ps, "Expecting ',' delimiter");
}

static int parse_array(Parser *ps, Json *out) {
    Buf items = {0};
    size_t n = 0;
    if (!opened_empty(ps, ']')) {
        for (;;) {
            Json v = {0};
            if (parse_value(ps, &v) < 0)
                goto fail;
            buf_add(&items, &v, sizeof v);
            n++;
            int more = after_member(ps, ']');
            if (more < 0)
                goto fail;
            if (!more)
                break;
        }
    }
    out->t = J_ARR;
    out->a.v = (Json *)items.p;
    out->a.n = n;
    return 0;
fail:
    for (size_t i = 0; i < n; i++)
        json_free(&((Json *)items.p)[i]);
    free(items.p);
    return -1;
}

static int parse_object(Parser *ps, Json *out) {
    Buf keys = {0}, vals = {0};
    size_t n = 0;
    if (!opened_empty(ps, '}')) {
        for (;;) {
            Str k;
            Json v = {0};
            if (ps->p >= ps->end || *ps->p != '"') {
                perr(ps, "Expecting property name enclosed in double quotes");
                goto fail;
            }
            if (parse_string(ps, &k) < 0)
                goto fail;
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                free(k.s);
                perr(ps, "Expecting ':' delimiter");
                goto fail;
            }
            ps->p++;
            skip_ws(ps);
            if (parse_value(ps, &v) < 0) {
                free(k.s);
                goto fail;
            }
            buf_add(&keys, &k, sizeof k);
            buf_add(&vals, &v, sizeof v);
            n++;
            int more = after_member(ps, '}');
            if (more < 0)
                goto fail;
            if (!more)
                break;
        }
    }
    out->t = J_OBJ;
    out->o.k = (Str *)keys.p;
    out->o.v = (Json *)vals.p;
    out->o.n = n;
    return 0;
fail:
    for (size_t i = 0; i < n; i++) {
        free(((Str *)keys.p)[i].s);
        json_free(&((Json *)vals.p)[i]);
    }
    free(keys.p);
    free(vals.p);
    return -1;
}

static int parse_value(Parser *ps, Json *out) {
    skip_ws(ps);
    if (ps->p >= ps->end)
        return perr(ps, "Expecting value");
    if (++ps->depth > MAX_DEPTH)
        return perr(ps, "maximum recursion depth exceeded");
    int r = 0;
    switch (*ps->p) {
    case '"':
        out->t = J_STR;
        r = parse_string(ps, &out->s);
        if (r < 0)
            out->t = J_NULL;
        break;
    case '{': r = parse_object(ps, out); break;
    case '[': r = parse_array(ps, out); break;
    default:
        if (match(ps, "null")) {
            out->t = J_NULL;
        } else if (match(ps, "true")) {
            out->t = J_BOOL;
            out->b = 1;
        } else if (match(ps, "false")) {
            out->t = J_BOOL;
            out->b = 0;
        } else if (match(ps, "NaN")) {
            out->t = J_FLOAT;
            out->f = NAN;
        } else if (match(ps, "Infinity")) {
            out->t = J_FLOAT;
            out->f = INFINITY;
        } else {
            r = parse_number(ps, out);
        }
    }
    ps->depth--;
    return r;
}

/* json.loads of a header: 0, or -1 with the reason in *err. */
static int json_parse(const char *text, size_t n, Json *out, Buf *err) {
    Parser ps = {(const unsigned char *)text, (const unsigned char *)text,
                 (const unsigned char *)text + n, NULL, 0};
    if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3; /* bytes: json.loads decodes them as utf-8-sig */
    memset(out, 0, sizeof *out);
    if (parse_value(&ps, out) == 0) {
        skip_ws(&ps);
        if (ps.p == ps.end)
            return 0;
        json_free(out);
        ps.err = "Extra data";
    }
    buf_addf(err, "JSONDecodeError: %s: char %zu", ps.err ? ps.err : "Expecting value",
             (size_t)(ps.p - ps.start));
    return -1;
}

/* The last value of key in an object (json.loads keeps the last of duplicates). */
static Json *jget(Json *obj, const char *key) {
    size_t n = strlen(key);
    for (size_t i = obj->o.n; i-- > 0;)
        if (obj->o.k[i].n == n && memcmp(obj->o.k[i].s, key, n) == 0)
            return &obj->o.v[i];
    return NULL;
}

static int json_truthy(const Json *j) {
    switch (j->t) {
    case J_BOOL: return j->b;
    case J_INT: return j->i != 0;
    case J_FLOAT: return j->f != 0.0;
    case J_STR: return j->s.n != 0;
    case J_ARR: return j->a.n != 0;
    case J_OBJ: return j->o.n != 0;
    default: return 0;
    }
}

/* ---- JSON out (json.dumps: ensure_ascii, ", " and ": ") ------------------------------ */

static void json_emit(void *ctx, unsigned cp) {
    Buf *b = ctx;
    switch (cp) {
    case '"': buf_adds(b, "\\\""); return;
    case '\\': buf_adds(b, "\\\\"); return;
    case '\n': buf_adds(b, "\\n"); return;
    case '\r': buf_adds(b, "\\r"); return;
    case '\t': buf_adds(b, "\\t"); return;
    case '\b': buf_adds(b, "\\b"); return;
    case '\f': buf_adds(b, "\\f"); return;
    }
    if (cp >= 0x20 && cp < 0x7F) {
        buf_addc(b, (char)cp);
    } else if (cp >= 0x10000) {
        cp -= 0x10000;
        buf_addf(b, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
    } else {
        buf_addf(b, "\\u%04x", cp);
    }
}

static void jw_sep(Buf *b) {
    if (b->n && b->p[b->n - 1] != '{' && b->p[b->n - 1] != '[')
        buf_adds(b, ", ");
}

static void jw_strn(Buf *b, const char *s, size_t n) {
    buf_addc(b, '"');
    decode(s, n, 0, json_emit, b);
    buf_addc(b, '"');
}

static void jw_key(Buf *b, const char *key) {
    jw_sep(b);
    jw_strn(b, key, strlen(key));
    buf_adds(b, ": ");
}

static void jw_str(Buf *b, const char *key, const char *s, size_t n) {
    jw_key(b, key);
    jw_strn(b, s, n);
}

static void jw_cstr(Buf *b, const char *key, const char *s) {
    jw_key(b, key);
    if (s)
        jw_strn(b, s, strlen(s));
    else
        buf_adds(b, "null");
}

static void jw_int(Buf *b, const char *key, long long v) {
    jw_key(b, key);
    buf_addf(b, "%lld", v);
}

static void jw_opt_int(Buf *b, const char *key, int has, long long v) {
    if (has)
        jw_int(b, key, v);
    else
        jw_cstr(b, key, NULL);
}

static void jw_bool(Buf *b, const char *key, int v) {
    jw_key(b, key);
    buf_adds(b, v ? "true" : "false");
}

/* repr(float): the shortest digits that read back the same, laid out as Python does. */
static void format_float(Buf *b, double x) {
    if (isnan(x)) {
        buf_adds(b, "NaN");
        return;
    }
    if (isinf(x)) {
        buf_adds(b, x > 0 ? "Infinity" : "-Infinity");
        return;
    }
    char tmp[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
        if (strtod(tmp, NULL) == x)
            break;
    }
    char digits[32];
    size_t nd = 0;
    const char *q = tmp;
    if (*q == '-') {
        buf_addc(b, '-');
        q++;
    }
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9')
            digits[nd++] = *q;
    int exp10 = atoi(q + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    int decpt = exp10 + 1;
    if (decpt <= -4 || decpt > 16) {
        buf_addc(b, digits[0]);
        if (nd > 1) {
            buf_addc(b, '.');
            buf_add(b, digits + 1, nd - 1);
        }
        buf_addf(b, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
    } else if (decpt <= 0) {
        buf_adds(b, "0.");
        for (int i = 0; i < -decpt; i++)
            buf_addc(b, '0');
        buf_add(b, digits, nd);
    } else if ((size_t)decpt >= nd) {
        buf_add(b, digits, nd);
        for (size_t i = nd; i < (size_t)decpt; i++)
            buf_addc(b, '0');
        buf_adds(b, ".0");
    } else {
        buf_add(b, digits, (size_t)decpt);
        buf_addc(b, '.');
        buf_add(b, digits + decpt, nd - (size_t)decpt);
    }
}

static void jw_float(Buf *b, const char *key, double v) {
    jw_key(b, key);
    format_float(b, v);
}

/* ---- talking to the host ------------------------------------------------------------- */

typedef struct {
    const char *p;
    size_t n;
} Blob;

static Buf INBOX; /* host bytes read ahead by a streaming run's relay, not yet a frame */

static void write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                struct pollfd pfd = {fd, POLLOUT, 0};
                poll(&pfd, 1, 100);
                continue;
            }
            if (errno == EPIPE)
                exit(0); /* the host is gone */
            fprintf(stderr, "OSError: [Errno %d] %s\n", errno, strerror(errno));
            exit(1);
        }
        p += w;
        n -= (size_t)w;
    }
}

/* encode_frame: header (an open JSON object in *h, without its closing brace) + blobs. */
static void send_frame(Buf *h, const Blob *blobs, size_t n) {
    jw_key(h, "blobs");
    buf_addc(h, '[');
    for (size_t i = 0; i < n; i++)
        buf_addf(h, i ? ", %zu" : "%zu", blobs[i].n);
    buf_adds(h, "]}");
    unsigned char len[4] = {(unsigned char)(h->n >> 24), (unsigned char)(h->n >> 16),
                            (unsigned char)(h->n >> 8), (unsigned char)h->n};
    write_all(1, (const char *)len, 4);
    write_all(1, h->p, h->n);
    for (size_t i = 0; i < n; i++)
        write_all(1, blobs[i].p, blobs[i].n);
    buf_free(h);
}

static void send_op(const char *op) {
    Buf h = {0};
    buf_addc(&h, '{');
    jw_cstr(&h, "op", op);
    send_frame(&h, NULL, 0);
}

static void send_error(const char *message, size_t n) {
    Buf h = {0};
    buf_addc(&h, '{');
    jw_cstr(&h, "op", "error");
    jw_str(&h, "message", message, n);
    send_frame(&h, NULL, 0);
}

static void send_stdout(const char *p, size_t n) {
    Buf h = {0};
    Blob blob = {p, n};
    buf_addc(&h, '{');
    jw_cstr(&h, "op", "stdout");
    send_frame(&h, &blob, 1);
}

typedef struct {
    Json header;
    char **blobs;
    size_t *sizes;
    size_t nblobs;
} Frame;

static void frame_free(Frame *f) {
    json_free(&f->header);
    for (size_t i = 0; i < f->nblobs; i++)
        free(f->blobs[i]);
    free(f->blobs);
    free(f->sizes);
    memset(f, 0, sizeof *f);
}

/* read_frame's checks of a parsed header: its blob sizes, or -1 with why not in *err. */
static int frame_sizes(Json *h, Frame *f, unsigned long long *total, Buf *err) {
    Json *op = h->t == J_OBJ ? jget(h, "op") : NULL;
    if (!op || op->t != J_STR) {
        buf_adds(err, "FrameError: a header that is not a message");
        return -1;
    }
    Json *sizes = jget(h, "blobs");
    size_t n = sizes ? (sizes->t == J_ARR ? sizes->a.n : (size_t)-1) : 0;
    if (n == (size_t)-1) {
        buf_adds(err, "FrameError: blob sizes that are not a list");
        return -1;
    }
    f->sizes = xrealloc(NULL, (n + 1) * sizeof *f->sizes);
    f->blobs = xrealloc(NULL, (n + 1) * sizeof *f->blobs);
    memset(f->blobs, 0, (n + 1) * sizeof *f->blobs);
    f->nblobs = 0;
    *total = 0;
    for (size_t i = 0; i < n; i++) {
        Json *s = &sizes->a.v[i];
        long long v = s->t == J_INT ? s->i : s->t == J_BOOL ? s->b : -1;
        if (v < 0) {
            buf_adds(err, "FrameError: blob sizes that are not sizes");
            return -1;
        }
        f->sizes[i] = (size_t)v;
        *total += (unsigned long long)v;
    }
    f->nblobs = n;
    if (*total > MAX_BLOBS) {
        buf_addf(err, "FrameError: a frame of %llu bytes", *total);
        return -1;
    }
    return 0;
}

/* n bytes from the host, INBOX first; -1 at end of file. */
static int read_exact(int fd, char *dst, size_t n) {
    size_t first = n < INBOX.n ? n : INBOX.n;
    if (first) {
        if (dst)
            memcpy(dst, INBOX.p, first);
        buf_drop_front(&INBOX, first);
    }
    size_t got = first;
    char sink[CHUNK];
    while (got < n) {
        size_t want = n - got > (1 << 20) ? (1 << 20) : n - got;
        if (!dst && want > sizeof sink)
            want = sizeof sink;
        ssize_t r = read(fd, dst ? dst + got : sink, want);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "OSError: [Errno %d] %s\n", errno, strerror(errno));
            exit(1);
        }
        if (r == 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* read_request: 1 with a frame, 0 at end of file, -1 with a malformed frame's error. */
static int read_request(Frame *f, Buf *err, size_t *discard) {
    unsigned char len[4];
    memset(f, 0, sizeof *f);
    if (read_exact(0, (char *)len, 4) < 0)
        return 0;
    size_t size = (size_t)len[0] << 24 | (size_t)len[1] << 16 | (size_t)len[2] << 8 | len[3];
    if (size > MAX_HEADER) {
        buf_addf(err, "FrameError: a %zu-byte header", size);
        *discard = size;
        return -1;
    }
    char *text = xrealloc(NULL, size + 1);
    if (read_exact(0, text, size) < 0) {
        free(text);
        return 0;
    }
    int bad = json_parse(text, size, &f->header, err);
    free(text);
    if (bad)
        return -1;
    unsigned long long total;
    if (frame_sizes(&f->header, f, &total, err) < 0) {
        *discard = f->nblobs ? (size_t)total : 0; /* over MAX_BLOBS: skipped once answered */
        frame_free(f);
        return -1;
    }
    for (size_t i = 0; i < f->nblobs; i++) {
        f->blobs[i] = xrealloc(NULL, f->sizes[i] + 1);
        if (read_exact(0, f->blobs[i], f->sizes[i]) < 0) {
            f->nblobs = i + 1;
            frame_free(f);
            return 0;
        }
    }
    return 1;
}

/* peek_frame on INBOX: 1 (header parsed, *size its whole length), 0 (not all there yet). */
static int peek_frame(Frame *f, size_t *size) {
    memset(f, 0, sizeof *f);
    if (INBOX.n < 4)
        return 0;
    const unsigned char *p = (const unsigned char *)INBOX.p;
    size_t hsize = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
    if (INBOX.n < 4 + hsize)
        return 0;
    Buf err = {0};
    unsigned long long total;
    if (json_parse(INBOX.p + 4, hsize, &f->header, &err) < 0 ||
        frame_sizes(&f->header, f, &total, &err) < 0) {
        frame_free(f);
        g_error.n = 0;
        buf_add(&g_error, err.p, err.n);
        buf_free(&err);
        raise_message(__LINE__);
    }
    if (INBOX.n - 4 - hsize < total) {
        frame_free(f);
        return 0;
    }
    *size = 4 + hsize + (size_t)total;
    return 1;
}

/* ---- the cgroup (cgroup.py) ---------------------------------------------------------- */

#define CGROUP_MOUNT "sys/fs/cgroup"

typedef struct {
    int version;
    char *cpu, *oom, *peak, *current, *limit; /* NULL where the hierarchy has none */
} Cgroup;

static Cgroup CGROUP;

/* os.path.join of two parts. */
static char *path_join(const char *a, const char *b) {
    Buf out = {0};
    if (b[0] == '/' || !a[0]) {
        buf_adds(&out, b);
    } else {
        buf_adds(&out, a);
        if (a[strlen(a) - 1] != '/')
            buf_addc(&out, '/');
        buf_adds(&out, b);
    }
    if (!out.p)
        buf_adds(&out, "");
    return out.p;
}

/* A whole small file; NULL if it cannot be read. */
static char *read_text(const char *path, size_t *n) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    Buf b = {0};
    char chunk[4096];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            close(fd);
            free(b.p);
            return NULL;
        }
        if (r == 0)
            break;
        buf_add(&b, chunk, (size_t)r);
    }
    close(fd);
    if (!b.p)
        buf_adds(&b, "");
    *n = b.n;
    return b.p;
}

typedef struct {
    char **v;
    size_t n;
} Lines;

static void lines_free(Lines *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static void lines_push(Lines *l, const char *s, size_t n) {
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = xstrndup(s, n);
}

/* str.splitlines() of a text file (empty when it cannot be read): _lines. */
static Lines read_lines(const char *path) {
    Lines out = {0};
    size_t n;
    char *text = read_text(path, &n);
    if (!text)
        return out;
    size_t start = 0, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)text[i];
        size_t brk = 0;
        if (c == '\n' || c == '\v' || c == '\f' || c == 0x1c || c == 0x1d || c == 0x1e)
            brk = 1;
        else if (c == '\r')
            brk = (i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
        else if (c == 0xC2 && i + 1 < n && (unsigned char)text[i + 1] == 0x85)
            brk = 2;
        else if (c == 0xE2 && i + 2 < n && (unsigned char)text[i + 1] == 0x80 &&
                 ((unsigned char)text[i + 2] == 0xA8 || (unsigned char)text[i + 2] == 0xA9))
            brk = 3;
        if (brk) {
            lines_push(&out, text + start, i - start);
            i += brk;
            start = i;
        } else {
            i++;
        }
    }
    if (start < n)
        lines_push(&out, text + start, n - start);
    free(text);
    return out;
}

static int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

/* str.split() (no argument): the whitespace-separated fields of s. */
static Lines split_ws(const char *s) {
    Lines out = {0};
    while (*s) {
        while (*s && is_space((unsigned char)*s))
            s++;
        const char *start = s;
        while (*s && !is_space((unsigned char)*s))
            s++;
        if (s > start)
            lines_push(&out, start, (size_t)(s - start));
    }
    return out;
}

/* int(text) as Python reads it: sign, digits, single underscores between digits. */
static int py_int(const char *s, long long *out) {
    int neg = 0;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    if (!(*s >= '0' && *s <= '9'))
        return 0;
    unsigned long long v = 0;
    for (; *s; s++) {
        if (*s == '_' && s[1] >= '0' && s[1] <= '9' && s[-1] >= '0' && s[-1] <= '9')
            continue;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        if (v > (ULLONG_MAX - 9) / 10)
            return 0; /* beyond what any cgroup file holds */
        v = v * 10 + (unsigned)(*s - '0');
    }
    if (v > (unsigned long long)LLONG_MAX)
        return 0;
    *out = neg ? -(long long)v : (long long)v;
    return 1;
}

/* _number: the first field of the first line, as an int. */
static int cg_number(const char *path, long long *out) {
    Lines lines = read_lines(path);
    int ok = 0;
    if (lines.n) {
        Lines fields = split_ws(lines.v[0]);
        ok = fields.n && py_int(fields.v[0], out);
        lines_free(&fields);
    }
    lines_free(&lines);
    return ok;
}

/* _keyed: the value of key in a flat-keyed file (cpu.stat, memory.events). */
static int cg_keyed(const char *path, const char *key, long long *out) {
    Lines lines = read_lines(path);
    int ok = 0;
    for (size_t i = 0; i < lines.n; i++) {
        Lines fields = split_ws(lines.v[i]);
        int hit = fields.n == 2 && strcmp(fields.v[0], key) == 0;
        if (hit)
            ok = py_int(fields.v[1], out);
        lines_free(&fields);
        if (hit)
            break;
    }
    lines_free(&lines);
    return ok;
}

static int cpu_ns(long long *out) {
    if (!CGROUP.cpu)
        return 0;
    if (CGROUP.version == 2) {
        long long usec;
        if (!cg_keyed(CGROUP.cpu, "usage_usec", &usec))
            return 0;
        *out = usec * 1000;
        return 1;
    }
    return cg_number(CGROUP.cpu, out);
}

static int cg_oom_kills(long long *out) { return CGROUP.oom && cg_keyed(CGROUP.oom, "oom_kill", out); }
static int memory_peak(long long *out) { return CGROUP.peak && cg_number(CGROUP.peak, out); }
static int memory_now(long long *out) { return CGROUP.current && cg_number(CGROUP.current, out); }

static int memory_limit(long long *out) {
    long long found;
    if (!CGROUP.limit || !cg_number(CGROUP.limit, &found) || found >= UNLIMITED)
        return 0;
    *out = found;
    return 1;
}

typedef struct {
    char *point, *source, *fstype;
    Lines options;
} Mount;

typedef struct {
    Mount *v;
    size_t n;
} Mounts;

/* mountinfo writes space, tab, newline and backslash as octal escapes. */
static char *unescape(const char *field) {
    static const char *const codes[][2] = {{"\\040", " "}, {"\\011", "\t"}, {"\\012", "\n"}, {"\\134", "\\"}};
    char *s = xstrndup(field, strlen(field));
    for (size_t c = 0; c < 4; c++) {
        Buf out = {0};
        const char *p = s, *hit;
        while ((hit = strstr(p, codes[c][0]))) {
            buf_add(&out, p, (size_t)(hit - p));
            buf_adds(&out, codes[c][1]);
            p = hit + 4;
        }
        buf_adds(&out, p);
        free(s);
        s = out.p;
    }
    return s;
}

/* _mountinfo: the cgroup mounts in /proc/self/mountinfo. */
static Mounts mountinfo(const char *root) {
    Mounts out = {0};
    char *path = path_join(root, "proc/self/mountinfo");
    Lines lines = read_lines(path);
    free(path);
    for (size_t i = 0; i < lines.n; i++) {
        const char *dash = strstr(lines.v[i], " - ");
        Lines fields = split_ws(lines.v[i]);
        if (dash && fields.n >= 5) {
            Lines after = split_ws(dash + 3);
            if (after.n >= 3 && (!strcmp(after.v[0], "cgroup") || !strcmp(after.v[0], "cgroup2"))) {
                Mount m = {unescape(fields.v[4]), unescape(fields.v[3]), xstrndup(after.v[0], strlen(after.v[0])), {0}};
                const char *o = after.v[2], *comma;
                while ((comma = strchr(o, ','))) {
                    lines_push(&m.options, o, (size_t)(comma - o));
                    o = comma + 1;
                }
                lines_push(&m.options, o, strlen(o));
                out.v = xrealloc(out.v, (out.n + 1) * sizeof *out.v);
                out.v[out.n++] = m;
            }
            lines_free(&after);
        }
        lines_free(&fields);
    }
    lines_free(&lines);
    return out;
}

/* _own_cgroups: controller -> cgroup path from /proc/self/cgroup (v2's under ""). */
static Lines own_cgroups(const char *root) {
    Lines pairs = {0}; /* key, value, key, value ... */
    char *path = path_join(root, "proc/self/cgroup");
    Lines lines = read_lines(path);
    free(path);
    for (size_t i = 0; i < lines.n; i++) {
        char *first = strchr(lines.v[i], ':');
        char *second = first ? strchr(first + 1, ':') : NULL;
        if (!second)
            continue;
        const char *c = first + 1;
        for (;;) {
            const char *end = c;
            while (end < second && *end != ',')
                end++;
            const char *key = c;
            if ((size_t)(end - key) >= 5 && !memcmp(key, "name=", 5))
                key += 5;
            lines_push(&pairs, key, (size_t)(end - key));
            lines_push(&pairs, second + 1, strlen(second + 1));
            if (end >= second)
                break;
            c = end + 1;
        }
    }
    lines_free(&lines);
    return pairs;
}

static const char *cgroup_path(const Lines *pairs, const char *controller) {
    for (size_t i = pairs->n; i >= 2; i -= 2)
        if (!strcmp(pairs->v[i - 2], controller))
            return pairs->v[i - 1];
    return "/";
}

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *rstrip_slash(char *s) {
    size_t n = strlen(s);
    while (n && s[n - 1] == '/')
        s[--n] = 0;
    return s;
}

/* _directory: where the cgroup path appears under mount (else the mount point itself). */
static char *cg_directory(const char *root, const Mount *mount, const char *path) {
    const char *pt = mount ? mount->point : "/" CGROUP_MOUNT;
    while (*pt == '/')
        pt++;
    char *point = path_join(root, pt);
    const char *source = mount ? mount->source : "/";
    size_t sn = strlen(source);
    while (sn && source[sn - 1] == '/')
        sn--;
    int inside = !strcmp(path, source) || (!strncmp(path, source, sn) && path[sn] == '/');
    if (inside) {
        const char *rest = path + strlen(source) > path + strlen(path) ? "" : path + strlen(source);
        while (*rest == '/')
            rest++;
        char *inner = path_join(point, rest);
        if (is_dir(inner)) {
            free(point);
            return rstrip_slash(inner);
        }
        free(inner);
    }
    return point;
}

static int has_option(const Mount *m, const char *name) {
    for (size_t i = 0; i < m->options.n; i++)
        if (!strcmp(m->options.v[i], name))
            return 1;
    return 0;
}

static char *v1_directory(const char *root, const Mounts *mounts, const Lines *paths, const char *controller) {
    for (size_t i = 0; i < mounts->n; i++)
        if (!strcmp(mounts->v[i].fstype, "cgroup") && has_option(&mounts->v[i], controller))
            return cg_directory(root, &mounts->v[i], cgroup_path(paths, controller));
    char *base = path_join(root, CGROUP_MOUNT);
    char *fallback = path_join(base, controller);
    free(base);
    if (!mounts->n && is_dir(fallback))
        return fallback;
    free(fallback);
    return NULL;
}

/* _file: directory/name when it is a regular file. */
static char *cg_file(const char *directory, const char *name) {
    if (!directory)
        return NULL;
    char *path = path_join(directory, name);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return path;
    free(path);
    return NULL;
}

static Cgroup find_cgroup(const char *root) {
    Cgroup cg = {0};
    Mounts mounts = mountinfo(root);
    Lines paths = own_cgroups(root);
    const Mount *unified = NULL;
    for (size_t i = 0; i < mounts.n && !unified; i++)
        if (!strcmp(mounts.v[i].point, "/" CGROUP_MOUNT) && !strcmp(mounts.v[i].fstype, "cgroup2"))
            unified = &mounts.v[i];
    char *controllers = path_join(root, CGROUP_MOUNT "/cgroup.controllers");
    int v2 = unified || (!mounts.n && access(controllers, F_OK) == 0);
    free(controllers);
    if (v2) {
        char *dir = cg_directory(root, unified, cgroup_path(&paths, ""));
        cg.version = 2;
        cg.cpu = cg_file(dir, "cpu.stat");
        cg.oom = cg_file(dir, "memory.events.local");
        if (!cg.oom)
            cg.oom = cg_file(dir, "memory.events");
        cg.peak = cg_file(dir, "memory.peak");
        cg.current = cg_file(dir, "memory.current");
        cg.limit = cg_file(dir, "memory.max");
        free(dir);
    } else {
        char *cpu = v1_directory(root, &mounts, &paths, "cpuacct");
        char *memory = v1_directory(root, &mounts, &paths, "memory");
        if (cpu || memory) {
            cg.version = 1;
            cg.cpu = cg_file(cpu, "cpuacct.usage");
            cg.oom = cg_file(memory, "memory.oom_control");
            cg.peak = cg_file(memory, "memory.max_usage_in_bytes");
            cg.current = cg_file(memory, "memory.usage_in_bytes");
            cg.limit = cg_file(memory, "memory.limit_in_bytes");
        }
        free(cpu);
        free(memory);
    }
    for (size_t i = 0; i < mounts.n; i++) {
        free(mounts.v[i].point);
        free(mounts.v[i].source);
        free(mounts.v[i].fstype);
        lines_free(&mounts.v[i].options);
    }
    free(mounts.v);
    lines_free(&paths);
    return cg;
}

/* Cgroup.capabilities, as the ready reply's "cgroup". */
static void capabilities(Buf *h) {
    long long v;
    int readable = memory_peak(&v) || memory_now(&v);
    const char *memory = CGROUP.peak ? "peak" : CGROUP.current ? "sampled" : NULL;
    buf_addc(h, '{');
    jw_opt_int(h, "version", CGROUP.version != 0, CGROUP.version);
    jw_bool(h, "cpu", cpu_ns(&v));
    jw_bool(h, "oom", cg_oom_kills(&v));
    jw_cstr(h, "memory", readable ? memory : NULL);
    int has_limit = memory_limit(&v);
    jw_opt_int(h, "memory_limit", has_limit, v);
    buf_addc(h, '}');
}

/* ---- clocks -------------------------------------------------------------------------- */

static double clock_seconds(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    long long ns = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
    return (double)ns / 1e9;
}

static double monotonic(void) { return clock_seconds(CLOCK_MONOTONIC); }
static double process_time(void) { return clock_seconds(CLOCK_PROCESS_CPUTIME_ID); }

/* ---- the request ---------------------------------------------------------------------- */

typedef struct {
    Str path;
    long long mode;
} FileSpec;

typedef struct {
    FileSpec *v;
    size_t n;
} Files;

typedef struct {
    Str *argv;
    size_t argc;
    double cpu, wall;
    long long output, stderr_keep, collect_cap, stack;
    int has_stack, collect, stream;
    Str *env_keys, *env_values;
    size_t envc;
    Str collect_dir;
    Files files;
} RunRequest;

static Files PROGRAM_FILES;
static Frame PROGRAM_FRAME; /* the load request: its blobs are the program's files */

static Json *need(Json *req, const char *key) {
    Json *v = jget(req, key);
    if (!v)
        FAIL("KeyError: '%s'", key);
    return v;
}

static double need_number(Json *req, const char *key) {
    Json *v = need(req, key);
    if (v->t == J_INT)
        return (double)v->i;
    if (v->t == J_FLOAT)
        return v->f;
    FAIL("TypeError: '%s' must be a number", key);
}

static long long need_int(Json *req, const char *key) {
    Json *v = need(req, key);
    if (v->t == J_INT)
        return v->i;
    if (v->t == J_BOOL)
        return v->b;
    FAIL("TypeError: '%s' must be an int", key);
}

static Str need_str(Json *req, const char *key) {
    Json *v = need(req, key);
    if (v->t != J_STR)
        FAIL("TypeError: '%s' must be a str", key);
    return v->s;
}

static Files need_files(Json *req) {
    Json *v = need(req, "files");
    if (v->t != J_ARR)
        FAIL("TypeError: 'files' must be a list");
    Files files = {xrealloc(NULL, (v->a.n + 1) * sizeof(FileSpec)), v->a.n};
    for (size_t i = 0; i < v->a.n; i++) {
        Json *spec = &v->a.v[i];
        if (spec->t != J_OBJ) {
            free(files.v);
            FAIL("TypeError: a file spec must be a dict");
        }
        files.v[i].path = need_str(spec, "path");
        files.v[i].mode = need_int(spec, "mode");
    }
    return files;
}

/* The run request's fields (pointers into the frame's header). */
static RunRequest run_request(Json *req) {
    RunRequest r = {0};
    Json *argv = need(req, "argv"), *env = need(req, "env"), *stack = need(req, "stack");
    if (argv->t != J_ARR)
        FAIL("TypeError: 'argv' must be a list");
    if (env->t != J_OBJ)
        FAIL("TypeError: 'env' must be a dict");
    if (stack->t != J_NULL && stack->t != J_INT)
        FAIL("TypeError: 'stack' must be an int or None");
    for (size_t i = 0; i < argv->a.n; i++)
        if (argv->a.v[i].t != J_STR)
            FAIL("TypeError: expected str, bytes or os.PathLike object");
    for (size_t i = 0; i < env->o.n; i++)
        if (env->o.v[i].t != J_STR)
            FAIL("TypeError: expected str, bytes or os.PathLike object");
    r.cpu = need_number(req, "cpu");
    r.wall = need_number(req, "wall");
    r.output = need_int(req, "output");
    r.stderr_keep = need_int(req, "stderr_keep");
    r.collect = json_truthy(need(req, "collect"));
    r.collect_cap = need_int(req, "collect_cap");
    r.collect_dir = need_str(req, "collect_dir");
    Json *stream = jget(req, "stream");
    r.stream = stream && json_truthy(stream);
    r.has_stack = stack->t == J_INT && stack->i != 0;
    r.stack = stack->t == J_INT ? stack->i : 0;
    r.files = need_files(req);
    r.argc = argv->a.n;
    r.argv = xrealloc(NULL, (r.argc + 1) * sizeof(Str));
    for (size_t i = 0; i < r.argc; i++)
        r.argv[i] = argv->a.v[i].s;
    r.envc = 0;
    r.env_keys = xrealloc(NULL, (env->o.n + 1) * sizeof(Str));
    r.env_values = xrealloc(NULL, (env->o.n + 1) * sizeof(Str));
    for (size_t i = 0; i < env->o.n; i++) { /* a dict: the first place, the last value */
        size_t j;
        for (j = 0; j < r.envc; j++)
            if (r.env_keys[j].n == env->o.k[i].n && !memcmp(r.env_keys[j].s, env->o.k[i].s, env->o.k[i].n))
                break;
        r.env_keys[j] = env->o.k[i];
        r.env_values[j] = env->o.v[i].s;
        if (j == r.envc)
            r.envc++;
    }
    return r;
}

static void run_request_free(RunRequest *r) {
    free(r->argv);
    free(r->env_keys);
    free(r->env_values);
    free(r->files.v);
}

/* A request string as a path: Python refuses NUL bytes and lone surrogates. */
static const char *usable(const Str *s) {
    if (memchr(s->s, 0, s->n))
        FAIL("ValueError: embedded null byte");
    if (s->bad) {
        Buf r = {0};
        str_repr(&r, s->s, s->n, 1);
        FAIL("UnicodeEncodeError: 'utf-8' codec can't encode %s: surrogates not allowed", r.p);
    }
    return s->s;
}

/* ---- the scratch directories ------------------------------------------------------------ */

typedef struct {
    char **names;
    unsigned char *types;
    size_t n, i;
    char *name; /* this directory's name in its parent */
} Level;

/* The entries of an open directory (its names and d_types), . and .. left out. */
static int list_dir(int fd, Level *level) {
    int copy = dup(fd);
    DIR *d = copy < 0 ? NULL : fdopendir(copy);
    if (!d) {
        if (copy >= 0)
            close(copy);
        return -1;
    }
    rewinddir(d);
    struct dirent *e;
    size_t cap = 0;
    errno = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (level->n == cap) {
            cap = cap ? cap * 2 : 16;
            level->names = xrealloc(level->names, cap * sizeof *level->names);
            level->types = xrealloc(level->types, cap);
        }
        level->types[level->n] = e->d_type;
        level->names[level->n++] = xstrndup(e->d_name, strlen(e->d_name));
    }
    int err = errno;
    closedir(d);
    errno = err;
    return err ? -1 : 0;
}

static void level_free(Level *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->names[i]);
    free(l->names);
    free(l->types);
    free(l->name);
    memset(l, 0, sizeof *l);
}

static char *level_path(const char *top, Level *stack, size_t depth, const char *name) {
    Buf b = {0};
    buf_adds(&b, top);
    for (size_t i = 1; i < depth; i++) {
        buf_addc(&b, '/');
        buf_adds(&b, stack[i].name);
    }
    if (name) {
        buf_addc(&b, '/');
        buf_adds(&b, name);
    }
    return b.p;
}

static _Noreturn void wipe_failed(int line, int fd, const char *top, Level *stack, size_t depth, const char *name) {
    int err = errno;
    char *path = level_path(top, stack, depth, name);
    if (fd >= 0)
        close(fd);
    for (size_t i = 0; i < depth; i++)
        level_free(&stack[i]);
    free(stack);
    fail_os_at(line, err, path);
}

static int entry_is_dir(int fd, const char *name, unsigned char type) {
    struct stat st;
    if (type != DT_UNKNOWN)
        return type == DT_DIR;
    return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* Remove everything under path, whatever modes the program left on it: directories made
   0700 before they are entered, symlinks never followed, one descriptor however deep. */
static void wipe(const char *top) {
    int fd = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return;
        FAIL_OS(errno, top);
    }
    size_t depth = 1, cap = 16;
    Level *stack = xrealloc(NULL, cap * sizeof *stack);
    memset(&stack[0], 0, sizeof stack[0]);
    if (list_dir(fd, &stack[0]) < 0)
        wipe_failed(__LINE__, fd, top, stack, depth, NULL);
    while (depth) {
        Level *level = &stack[depth - 1];
        if (level->i == level->n) {
            if (depth == 1) {
                level_free(level);
                break;
            }
            int parent = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (parent < 0)
                wipe_failed(__LINE__, fd, top, stack, depth, NULL);
            close(fd);
            fd = parent;
            if (unlinkat(fd, level->name, AT_REMOVEDIR) < 0)
                wipe_failed(__LINE__, fd, top, stack, depth - 1, level->name);
            level_free(level);
            depth--;
            continue;
        }
        size_t i = level->i++;
        const char *name = level->names[i];
        if (!entry_is_dir(fd, name, level->types[i])) {
            if (unlinkat(fd, name, 0) < 0)
                wipe_failed(__LINE__, fd, top, stack, depth, name);
            continue;
        }
        if (fchmodat(fd, name, 0700, 0) < 0)
            wipe_failed(__LINE__, fd, top, stack, depth, name);
        int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0)
            wipe_failed(__LINE__, fd, top, stack, depth, name);
        close(fd);
        fd = sub;
        if (depth == cap) {
            cap *= 2;
            stack = xrealloc(stack, cap * sizeof *stack);
        }
        Level *next = &stack[depth++];
        memset(next, 0, sizeof *next);
        next->name = xstrndup(name, strlen(name));
        if (list_dir(fd, next) < 0)
            wipe_failed(__LINE__, fd, top, stack, depth, NULL);
    }
    close(fd);
    free(stack);
}

/* Remove every System V IPC object (shared memory, semaphores, message queues) in the
   container's IPC namespace: like files, they would otherwise outlive a run. */
static void clear_ipc(void) {
    static const char *const kinds[] = {"shm", "sem", "msg"};
    for (int k = 0; k < 3; k++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/sysvipc/%s", kinds[k]);
        Lines rows = read_lines(path);
        for (size_t i = 1; i < rows.n; i++) {
            Lines fields = split_ws(rows.v[i]);
            long long id;
            if (fields.n < 2 || !py_int(fields.v[1], &id)) {
                lines_free(&fields);
                lines_free(&rows);
                FAIL("ValueError: a row of %s I cannot read", path);
            }
            if (k == 0)
                shmctl((int)id, IPC_RMID, NULL);
            else if (k == 1)
                semctl((int)id, 0, IPC_RMID);
            else
                msgctl((int)id, IPC_RMID, NULL);
            lines_free(&fields);
        }
        lines_free(&rows);
    }
}

/* Leave no file, queue or IPC object of a run behind. */
static void scrub(void) {
    for (size_t i = 0; i < sizeof SCRATCH / sizeof *SCRATCH; i++)
        wipe(SCRATCH[i]);
    clear_ipc();
}

/* os.makedirs(path, exist_ok=True). */
static void makedirs(const char *path) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return;
    char *copy = xstrndup(path, strlen(path));
    rstrip_slash(copy);
    char *slash = strrchr(copy, '/');
    if (slash && slash != copy) {
        *slash = 0;
        if (stat(copy, &st) != 0)
            makedirs(copy);
        *slash = '/';
    }
    if (copy[0] && mkdir(copy, 0777) < 0) {
        int err = errno;
        if (!(err == EEXIST && stat(copy, &st) == 0 && S_ISDIR(st.st_mode))) {
            free(copy);
            FAIL_OS(err, path);
        }
    }
    free(copy);
}

static char *dirname_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrndup("", 0);
    size_t n = (size_t)(slash - path) + 1;
    char *head = xstrndup(path, n);
    size_t keep = n;
    while (keep > 1 && head[keep - 1] == '/')
        keep--;
    int all_slashes = 1;
    for (size_t i = 0; i < n; i++)
        all_slashes &= head[i] == '/';
    if (!all_slashes)
        head[keep] = 0;
    return head;
}

static void write_file(const char *path, const char *data, size_t n, long long mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        FAIL_OS(errno, path);
    while (n) {
        ssize_t w = write(fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            int err = errno;
            close(fd);
            FAIL_OS(err, NULL);
        }
        data += w;
        n -= (size_t)w;
    }
    close(fd);
    if (chmod(path, (mode_t)mode) < 0)
        FAIL_OS(errno, path);
}

static void place_files(const Files *files, char *const *blobs, const size_t *sizes, size_t nblobs) {
    for (size_t i = 0; i < files->n && i < nblobs; i++) {
        char *path = path_join(BOX, usable(&files->v[i].path));
        char *parent = dirname_of(path);
        if (parent[0])
            makedirs(parent);
        free(parent);
        write_file(path, blobs[i], sizes[i], files->v[i].mode);
        free(path);
    }
}

/* ---- collecting the files a run made ------------------------------------------------------ */

typedef struct {
    Buf specs; /* the "files" list of the reply, JSON */
    Blob *blobs;
    size_t n;
    long long total, cap;
    const Files *skip[2];
} Found;

/* posixpath.relpath(path, start) of two absolute paths. */
static char *relpath(const char *path, const char *start) {
    Lines parts[2] = {{0}, {0}};
    const char *from[2] = {start, path};
    for (int k = 0; k < 2; k++) {
        const char *s = from[k];
        while (*s) {
            while (*s == '/')
                s++;
            const char *e = s;
            while (*e && *e != '/')
                e++;
            size_t n = (size_t)(e - s);
            if (n == 0 || (n == 1 && s[0] == '.')) {
            } else if (n == 2 && s[0] == '.' && s[1] == '.') {
                if (parts[k].n)
                    free(parts[k].v[--parts[k].n]);
            } else {
                lines_push(&parts[k], s, n);
            }
            s = e;
        }
    }
    size_t common = 0;
    while (common < parts[0].n && common < parts[1].n && !strcmp(parts[0].v[common], parts[1].v[common]))
        common++;
    Buf out = {0};
    for (size_t i = common; i < parts[0].n; i++)
        buf_adds(&out, out.n ? "/.." : "..");
    for (size_t i = common; i < parts[1].n; i++) {
        if (out.n)
            buf_addc(&out, '/');
        buf_adds(&out, parts[1].v[i]);
    }
    if (!out.n)
        buf_adds(&out, ".");
    lines_free(&parts[0]);
    lines_free(&parts[1]);
    return out.p;
}

static int skipped(const Found *found, const char *rel) {
    size_t n = strlen(rel);
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < found->skip[k]->n; i++) {
            const Str *p = &found->skip[k]->v[i].path;
            if (p->n == n && !memcmp(p->s, rel, n))
                return 1;
        }
    return 0;
}

static int is_link(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

typedef struct {
    unsigned *v;
    size_t n;
} CodePoints;

static void cp_emit(void *ctx, unsigned cp) {
    CodePoints *c = ctx;
    c->v[c->n++] = cp;
}

/* sorted(names): Python compares the decoded names code point by code point. */
static int name_order(const void *a, const void *b) {
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    size_t nx = strlen(x), ny = strlen(y);
    CodePoints cx = {xrealloc(NULL, (nx + 1) * sizeof(unsigned)), 0};
    CodePoints cy = {xrealloc(NULL, (ny + 1) * sizeof(unsigned)), 0};
    decode(x, nx, 0, cp_emit, &cx);
    decode(y, ny, 0, cp_emit, &cy);
    int r = 0;
    for (size_t i = 0; !r && i < cx.n && i < cy.n; i++)
        r = cx.v[i] < cy.v[i] ? -1 : cx.v[i] > cy.v[i];
    if (!r)
        r = cx.n < cy.n ? -1 : cx.n > cy.n;
    free(cx.v);
    free(cy.v);
    return r;
}

/* One file of the walk; -1 when the files are over the cap. */
static int collect_file(Found *found, const char *path) {
    char *rel = relpath(path, BOX);
    struct stat st;
    if (skipped(found, rel) || lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        free(rel);
        return 0;
    }
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        free(rel);
        FAIL_OS(err, path);
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { /* swapped since: not a file */
        close(fd);
        free(rel);
        return 0;
    }
    size_t want = (size_t)(found->cap - found->total + 1), got = 0;
    Buf data = {0};
    while (got < want) {
        size_t step = want - got < (1 << 20) ? want - got : (1 << 20);
        buf_reserve(&data, step + 1);
        ssize_t r = read(fd, data.p + data.n, step);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int err = errno;
            close(fd);
            free(rel);
            FAIL_OS(err, NULL);
        }
        if (r == 0)
            break;
        data.n += (size_t)r;
        got += (size_t)r;
    }
    found->total += (long long)got;
    if (found->total > found->cap) {
        close(fd);
        free(rel);
        buf_free(&data);
        return -1;
    }
    fstat(fd, &st);
    close(fd);
    jw_sep(&found->specs);
    buf_addc(&found->specs, '{');
    jw_str(&found->specs, "path", rel, strlen(rel));
    jw_int(&found->specs, "mode", st.st_mode & 0777);
    buf_addc(&found->specs, '}');
    found->blobs = xrealloc(found->blobs, (found->n + 1) * sizeof(Blob));
    found->blobs[found->n++] = (Blob){data.p ? data.p : xstrndup("", 0), data.n};
    free(rel);
    return 0;
}

/* os.walk(top), top-down: this directory's files (sorted), then its directories in the
   order it lists them, symlinked ones not entered. -1 when over the cap. */
static int walk(Found *found, const char *top) {
    DIR *d = opendir(top);
    if (!d)
        return 0;
    Lines dirs = {0}, names = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        int dir = e->d_type == DT_DIR;
        if (e->d_type == DT_LNK || e->d_type == DT_UNKNOWN) {
            char *path = path_join(top, e->d_name);
            dir = is_dir(path);
            free(path);
        }
        lines_push(dir ? &dirs : &names, e->d_name, strlen(e->d_name));
    }
    closedir(d);
    qsort(names.v, names.n, sizeof *names.v, name_order);
    int over = 0;
    for (size_t i = 0; i < names.n && !over; i++) {
        char *path = path_join(top, names.v[i]);
        over = collect_file(found, path) < 0;
        free(path);
    }
    for (size_t i = 0; i < dirs.n && !over; i++) {
        char *path = path_join(top, dirs.v[i]);
        if (!is_link(path))
            over = walk(found, path) < 0;
        free(path);
    }
    lines_free(&dirs);
    lines_free(&names);
    return over ? -1 : 0;
}

static void found_free(Found *found) {
    for (size_t i = 0; i < found->n; i++)
        free((void *)found->blobs[i].p);
    free(found->blobs);
    found->blobs = NULL;
    found->n = 0;
    buf_free(&found->specs);
}

/* collect_files: the files under /box/<under> but the skipped ones, up to cap bytes in
   all; -1 beyond it. */
static int collect_files(Found *found, const char *under) {
    char *top = path_join(BOX, under);
    int r = 0;
    if (!is_link(top))
        r = walk(found, top);
    free(top);
    if (r < 0)
        found_free(found);
    return r;
}

/* ---- processes ----------------------------------------------------------------------------- */

static void kill_everyone(void) { kill(-1, SIGKILL); }

static void sleep_s(double s) {
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

/* Kill and reap every process but this one; 1 when none is left. */
static int reap_everyone(double deadline_s) {
    double end = monotonic() + deadline_s;
    while (monotonic() < end) {
        kill_everyone();
        pid_t got;
        while ((got = waitpid(-1, NULL, WNOHANG)) > 0) {
        }
        if (got < 0 && errno == ECHILD)
            return 1;
        sleep_s(0.002);
    }
    return 0;
}

static int oom_kills(void) {
    long long v;
    return cg_oom_kills(&v) ? (int)v : 0;
}

/* CPU seconds used in the container since start, minus this supervisor's own. */
typedef struct {
    int has_base;
    long long base;
    double own;
} TreeCpu;

static void tree_cpu_start(TreeCpu *c) {
    c->has_base = cpu_ns(&c->base);
    c->own = process_time();
}

static int tree_cpu_seconds(const TreeCpu *c, double *out) {
    long long now;
    if (!cpu_ns(&now) || !c->has_base)
        return 0;
    *out = (double)(now - c->base) / 1e9 - (process_time() - c->own);
    return 1;
}

/* The cgroup's highest memory use during one run (see supervisor.py's TreeMemory). */
typedef struct {
    int has_base, has_sampled, has_cap, has_now;
    long long base, sampled, cap, now;
} TreeMemory;

static void tree_memory_start(TreeMemory *m) {
    m->has_base = memory_peak(&m->base);
    m->has_sampled = memory_now(&m->sampled);
    m->has_cap = memory_limit(&m->cap);
    m->has_now = 0;
}

static void tree_memory_sample(TreeMemory *m) {
    m->has_now = memory_now(&m->now);
    if (m->has_now && (!m->has_sampled || m->now > m->sampled)) {
        m->sampled = m->now;
        m->has_sampled = 1;
    }
}

static int tree_memory_at_cap(const TreeMemory *m) {
    return m->has_now && m->has_cap && m->now >= m->cap - CAP_MARGIN;
}

static int tree_memory_peak(const TreeMemory *m, long long *out) {
    long long peak;
    if (memory_peak(&peak) && m->has_base && peak > m->base) {
        *out = peak;
        return 1;
    }
    *out = m->sampled;
    return m->has_sampled;
}

/* ---- the child ---------------------------------------------------------------------------- */

/* In the child: why it could not start, "<argv0>: <exception>", then exit 127. */
static _Noreturn void child_fail(const RunRequest *req, int exec_w, const char *why) {
    if (req->argc) { /* without argv[0], Python's handler fails too and says nothing */
        Buf msg = {0};
        buf_add(&msg, req->argv[0].s, req->argv[0].n);
        buf_adds(&msg, ": ");
        buf_adds(&msg, why);
        size_t n = msg.n < 1000 ? msg.n : 1000;
        ssize_t w = write(exec_w, msg.p, n);
        (void)w;
    }
    _exit(127);
}

static _Noreturn void child_fail_os(const RunRequest *req, int exec_w, int err, const char *path, size_t n, int as_bytes) {
    Buf why = {0};
    buf_addf(&why, "[Errno %d] %s", err, strerror(err));
    if (path) {
        buf_adds(&why, ": ");
        if (as_bytes)
            bytes_repr(&why, path, n);
        else
            str_repr(&why, path, n, 0);
    }
    child_fail(req, exec_w, why.p);
}

static void child_setrlimit(const RunRequest *req, int exec_w, int resource, rlim_t soft, rlim_t hard) {
    struct rlimit rl = {soft, hard};
    if (setrlimit(resource, &rl) == 0)
        return;
    if (errno == EINVAL)
        child_fail(req, exec_w, "current limit exceeds maximum limit");
    if (errno == EPERM)
        child_fail(req, exec_w, "not allowed to raise maximum limit");
    child_fail_os(req, exec_w, errno, NULL, 0, 0);
}

/* child_setup: stdio to the pipes, the rest closed but exec_w (close-on-exec), limits and
   signals set, /box entered. */
static void child_setup(const RunRequest *req, int in_r, int out_w, int err_w, int exec_w) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (setsid() < 0)
        child_fail_os(req, exec_w, errno, NULL, 0, 0);
    if (dup2(in_r, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
        child_fail_os(req, exec_w, errno, NULL, 0, 0);
    if (exec_w > 3 && syscall(SYS_close_range, 3u, (unsigned)exec_w - 1, 0u) < 0)
        for (int fd = 3; fd < exec_w; fd++)
            close(fd);
    if (syscall(SYS_close_range, (unsigned)exec_w + 1, ~0u, 0u) < 0)
        for (int fd = exec_w + 1; fd < 65536; fd++)
            close(fd);
    if (isnan(req->cpu))
        child_fail(req, exec_w, "cannot convert float NaN to integer");
    if (isinf(req->cpu))
        child_fail(req, exec_w, "cannot convert float infinity to integer");
    long long cpu = (long long)req->cpu + 1; /* int(cpu) + 1 */
    child_setrlimit(req, exec_w, RLIMIT_CPU, (rlim_t)cpu, (rlim_t)(cpu + 1));
    child_setrlimit(req, exec_w, RLIMIT_CORE, 0, 0);
    if (req->has_stack) {
        struct rlimit rl;
        getrlimit(RLIMIT_STACK, &rl);
        long long stack = req->stack;
        if (rl.rlim_max != RLIM_INFINITY && stack > (long long)rl.rlim_max)
            stack = (long long)rl.rlim_max;
        child_setrlimit(req, exec_w, RLIMIT_STACK, (rlim_t)stack, rl.rlim_max);
    }
    static const int sigs[] = {SIGPIPE, SIGXFSZ, SIGXCPU, SIGINT, SIGTERM};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        signal(sigs[i], SIG_DFL);
    if (chdir(BOX) < 0)
        child_fail_os(req, exec_w, errno, BOX, strlen(BOX), 0);
}

/* What os.execve checks before it calls execve(2): its ValueErrors. */
static void check_exec(const RunRequest *req, int exec_w, const char *path, size_t n, char ***envp) {
    if (memchr(path, 0, n))
        child_fail(req, exec_w, "execve: embedded null character in path");
    for (size_t i = 0; i < req->argc; i++)
        if (memchr(req->argv[i].s, 0, req->argv[i].n))
            child_fail(req, exec_w, "embedded null byte");
    if (!req->argv[0].n)
        child_fail(req, exec_w, "execve: argv first element cannot be empty");
    if (*envp)
        return;
    char **env = xrealloc(NULL, (req->envc + 1) * sizeof *env);
    for (size_t i = 0; i < req->envc; i++) {
        const Str *k = &req->env_keys[i], *v = &req->env_values[i];
        if (memchr(k->s, 0, k->n) || memchr(v->s, 0, v->n))
            child_fail(req, exec_w, "embedded null byte");
        if (!k->n || memchr(k->s + 1, '=', k->n - 1))
            child_fail(req, exec_w, "illegal environment variable name");
        Buf b = {0};
        buf_add(&b, k->s, k->n);
        buf_addc(&b, '=');
        buf_add(&b, v->s, v->n);
        env[i] = b.p;
    }
    env[req->envc] = NULL;
    *envp = env;
}

/* os.execvpe(argv[0], argv, env): PATH searched as the request's env says, as Python's
   _execvpe does (no shell for ENOEXEC; the first error that is not "no such file" wins). */
static _Noreturn void execvpe_py(const RunRequest *req, int exec_w) {
    if (!req->argc)
        _exit(127); /* req["argv"][0]: an IndexError that Python's handler cannot word */
    for (size_t i = 0; i < req->argc; i++)
        if (req->argv[i].bad)
            child_fail(req, exec_w, "surrogates not allowed");
    char **argv = xrealloc(NULL, (req->argc + 1) * sizeof *argv);
    for (size_t i = 0; i < req->argc; i++)
        argv[i] = req->argv[i].s;
    argv[req->argc] = NULL;
    char **envp = NULL;
    const Str *file = &req->argv[0];
    if (memchr(file->s, '/', file->n)) {
        check_exec(req, exec_w, file->s, file->n, &envp);
        execve(file->s, argv, envp);
        child_fail_os(req, exec_w, errno, file->s, file->n, 0);
    }
    const char *path = "/bin:/usr/bin"; /* os.defpath */
    for (size_t i = req->envc; i-- > 0;)
        if (req->env_keys[i].n == 4 && !memcmp(req->env_keys[i].s, "PATH", 4))
            path = req->env_values[i].s;
    int saved = 0, last = ENOENT;
    char *saved_name = NULL, *last_name = NULL;
    for (const char *dir = path;;) {
        const char *colon = strchr(dir, ':');
        size_t n = colon ? (size_t)(colon - dir) : strlen(dir);
        char *d = xstrndup(dir, n);
        Buf full = {0};
        if (n) {
            buf_adds(&full, d);
            if (d[n - 1] != '/')
                buf_addc(&full, '/');
        }
        buf_add(&full, file->s, file->n);
        free(d);
        check_exec(req, exec_w, full.p, full.n, &envp);
        execve(full.p, argv, envp);
        int err = errno;
        free(last_name);
        last = err;
        last_name = xstrndup(full.p, full.n);
        if (err != ENOENT && err != ENOTDIR && !saved) {
            saved = err;
            saved_name = xstrndup(full.p, full.n);
        }
        buf_free(&full);
        if (!colon)
            break;
        dir = colon + 1;
    }
    if (saved)
        child_fail_os(req, exec_w, saved, saved_name, strlen(saved_name), 1);
    child_fail_os(req, exec_w, last, last_name, strlen(last_name), 1);
}

/* The run's four pipes (the last one close-on-exec), or none. */
static void make_pipes(int fds[4][2]) {
    for (int i = 0; i < 4; i++) {
        if (pipe2(fds[i], i == 3 ? O_CLOEXEC : 0) == 0)
            continue;
        int err = errno;
        while (i-- > 0) {
            close(fds[i][0]);
            close(fds[i][1]);
        }
        FAIL_OS(err, NULL);
    }
}

/* spawn: fork and exec the program; its pid, the host ends of its pipes, and why it could
   not be started (empty if it was). */
static pid_t spawn(const RunRequest *req, int *stdin_w, int *out_r, int *err_r, Buf *exec_error) {
    int fds[4][2];
    make_pipes(fds);
    int *in = fds[0], *out = fds[1], *err = fds[2], *ex = fds[3];
    pid_t pid = fork();
    if (pid == 0) {
        g_catch = NULL;
        child_setup(req, in[0], out[1], err[1], ex[1]);
        execvpe_py(req, ex[1]);
    }
    int fork_errno = errno;
    close(in[0]);
    close(out[1]);
    close(err[1]);
    close(ex[1]);
    if (pid < 0) {
        close(in[1]);
        close(out[0]);
        close(err[0]);
        close(ex[0]);
        FAIL_OS(fork_errno, NULL);
    }
    Buf raw = {0};
    char chunk[1000];
    for (;;) {
        ssize_t r = read(ex[0], chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        buf_add(&raw, chunk, (size_t)r);
    }
    close(ex[0]);
    decode_replace(exec_error, raw.p ? raw.p : "", raw.n);
    buf_free(&raw);
    *stdin_w = in[1];
    *out_r = out[0];
    *err_r = err[0];
    return pid;
}

/* ---- one run ---------------------------------------------------------------------------- */

typedef struct {
    const RunRequest *req;
    const char *in; /* stdin still to feed */
    size_t in_n;
    long long out_total, err_total;
    Buf err_head;
    const char *killed_by;
    int has_status, status;
    struct rusage usage;
} Run;

/* What one run's loop polls (Pipes and, for a streaming run, Relay). -1: closed. */
typedef struct {
    int exited, exited_reg;
    int out_r, err_r;
    int stdin_w;           /* fed from the request's bytes */
    int relay;             /* a streaming run */
    int relay_w;           /* the relay's end of the program's stdin */
    int zero_reg, relay_w_reg, closing;
    Buf pending;
    size_t pending_off;
} Pipes;

static Pipes *g_pipes; /* the run in progress, closed if a failure cuts it short */

static void set_blocking(int fd, int blocking) {
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK);
}

static void close_fd(int *fd) {
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* After a failure mid-run: every pipe closed, fd 0 blocking again. */
static void abandon_pipes(void) {
    Pipes *p = g_pipes;
    if (!p)
        return;
    g_pipes = NULL;
    close_fd(&p->exited);
    close_fd(&p->out_r);
    close_fd(&p->err_r);
    close_fd(&p->stdin_w);
    close_fd(&p->relay_w);
    if (p->relay)
        set_blocking(0, 1);
    buf_free(&p->pending);
}

static void stop(Run *run, const char *reason) {
    if (!run->killed_by)
        run->killed_by = reason;
    kill_everyone();
}

static void pipes_open(Pipes *p, Run *run, pid_t pid, int stdin_w, int out_r, int err_r) {
    memset(p, 0, sizeof *p);
    p->exited = p->stdin_w = p->relay_w = -1;
    p->out_r = out_r;
    p->err_r = err_r;
    g_pipes = p;
    set_blocking(stdin_w, 0);
    p->exited = (int)syscall(SYS_pidfd_open, pid, 0);
    if (p->exited < 0) {
        int err = errno;
        close(stdin_w);
        FAIL_OS(err, NULL);
    }
    p->exited_reg = 1;
    if (run->req->stream) {
        p->relay = 1;
        p->relay_w = stdin_w;
        set_blocking(0, 0);
        p->zero_reg = 1;
    } else if (run->in_n) {
        p->stdin_w = stdin_w;
    } else {
        close(stdin_w);
    }
}

/* Read one chunk of a stream; 0 at end of file. */
static int drain(Run *run, int fd, int is_out) {
    char data[CHUNK];
    ssize_t n = read(fd, data, sizeof data);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return 1;
        FAIL_OS(errno, NULL);
    }
    if (n == 0) {
        if (is_out && run->req->stream)
            send_stdout("", 0); /* the program closed its stdout */
        return 0;
    }
    long long cap = run->req->output;
    if (is_out) {
        long long room = cap + 1 - run->out_total;
        long long keep = room < 0 ? 0 : room < n ? room : n;
        run->out_total += n;
        if (keep)
            send_stdout(data, (size_t)keep);
    } else {
        run->err_total += n;
        long long room = run->req->stderr_keep - (long long)run->err_head.n;
        if (room > 0)
            buf_add(&run->err_head, data, (size_t)(room < n ? room : n));
    }
    if (run->out_total > cap || run->err_total > cap)
        stop(run, "output");
    return 1;
}

static void feed(Run *run, Pipes *p) {
    size_t n = run->in_n < CHUNK ? run->in_n : CHUNK;
    ssize_t w = write(p->stdin_w, run->in, n);
    if (w >= 0) {
        run->in += w;
        run->in_n -= (size_t)w;
    } else if (errno == EAGAIN || errno == EINTR) {
        return;
    } else {
        run->in_n = 0; /* the program closed its stdin */
    }
    if (!run->in_n)
        close_fd(&p->stdin_w);
}

static void relay_close_stdin(Pipes *p) {
    p->relay_w_reg = 0;
    close_fd(&p->relay_w);
}

/* Relay.write: pending bytes to the program's stdin, as far as it takes them. */
static void relay_write(Pipes *p) {
    if (p->relay_w < 0) {
        p->pending.n = p->pending_off = 0;
        return;
    }
    while (p->pending_off < p->pending.n) {
        size_t n = p->pending.n - p->pending_off;
        ssize_t w = write(p->relay_w, p->pending.p + p->pending_off, n < CHUNK ? n : CHUNK);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN)
            break;
        if (w < 0) { /* the program closed its stdin: what it will not read is dropped */
            p->pending.n = p->pending_off = 0;
            p->closing = 1;
            break;
        }
        p->pending_off += (size_t)w;
    }
    if (p->pending_off == p->pending.n)
        p->pending.n = p->pending_off = 0;
    if (p->pending.n)
        p->relay_w_reg = 1;
    else if (p->closing)
        relay_close_stdin(p);
    else
        p->relay_w_reg = 0;
}

/* Relay.unpack: the complete stdin frames off INBOX (anything else stays there). */
static void relay_unpack(Pipes *p) {
    Frame f;
    size_t size;
    while (peek_frame(&f, &size)) {
        Json *op = jget(&f.header, "op");
        if (op->s.n != 5 || memcmp(op->s.s, "stdin", 5)) {
            frame_free(&f);
            return;
        }
        const unsigned char *h = (const unsigned char *)INBOX.p;
        size_t at = 4 + ((size_t)h[0] << 24 | (size_t)h[1] << 16 | (size_t)h[2] << 8 | h[3]);
        size_t before = p->pending.n;
        buf_add(&p->pending, INBOX.p + at, size - at);
        p->closing = p->closing || p->pending.n == before;
        frame_free(&f);
        buf_drop_front(&INBOX, size);
    }
}

/* Relay.step: move bytes one way; 0 when the host has gone. */
static int relay_step(Pipes *p, int fd) {
    if (fd == 0) {
        char data[CHUNK];
        ssize_t n = read(0, data, sizeof data);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return 1;
            FAIL_OS(errno, NULL);
        }
        if (n == 0) {
            p->zero_reg = 0;
            return 0;
        }
        buf_add(&INBOX, data, (size_t)n);
        relay_unpack(p);
    }
    relay_write(p);
    return 1;
}

/* One fd that is ready. */
static void handle_fd(Run *run, Pipes *p, int fd) {
    if (fd == p->exited) {
        p->exited_reg = 0;
    } else if (p->relay && (fd == 0 || fd == p->relay_w)) {
        if (!relay_step(p, fd))
            stop(run, "host");
    } else if (fd == p->stdin_w) {
        feed(run, p);
    } else if (fd == p->out_r || fd == p->err_r) {
        int is_out = fd == p->out_r;
        if (!drain(run, fd, is_out))
            close_fd(is_out ? &p->out_r : &p->err_r);
    }
}

static void poll_exit(Run *run, pid_t pid) {
    int status;
    struct rusage usage;
    pid_t got = wait4(pid, &status, WNOHANG, &usage);
    if (got > 0) {
        run->has_status = 1;
        run->status = status;
        run->usage = usage;
    }
}

/* Stop the program at its wall limit, its CPU limit (the tree's) or the cap. */
static void enforce(Run *run, double elapsed, const TreeCpu *cpu, TreeMemory *memory) {
    double used;
    tree_memory_sample(memory);
    int has_used = tree_cpu_seconds(cpu, &used);
    if (elapsed > run->req->wall)
        stop(run, "wall");
    else if (has_used && used > run->req->cpu)
        stop(run, "cpu");
    else if (tree_memory_at_cap(memory))
        stop(run, "memory");
}

/* Move bytes and enforce the limits until the program has exited and its output is read
   (or has gone quiet for 50 ms); when it exited. */
static double supervise(Run *run, Pipes *p, pid_t pid, double start, const TreeCpu *cpu, TreeMemory *memory) {
    int has_ended = 0;
    double ended = 0;
    for (;;) {
        struct pollfd fds[5];
        nfds_t n = 0;
        if (p->exited_reg)
            fds[n++] = (struct pollfd){p->exited, POLLIN, 0};
        if (p->out_r >= 0)
            fds[n++] = (struct pollfd){p->out_r, POLLIN, 0};
        if (p->err_r >= 0)
            fds[n++] = (struct pollfd){p->err_r, POLLIN, 0};
        if (p->relay && p->zero_reg)
            fds[n++] = (struct pollfd){0, POLLIN, 0};
        if (p->relay && p->relay_w_reg && p->relay_w >= 0)
            fds[n++] = (struct pollfd){p->relay_w, POLLOUT, 0};
        if (p->stdin_w >= 0)
            fds[n++] = (struct pollfd){p->stdin_w, POLLOUT, 0};
        int ready = poll(fds, n, POLL_MS);
        if (ready < 0 && errno != EINTR)
            FAIL_OS(errno, NULL);
        for (nfds_t i = 0; ready > 0 && i < n; i++)
            if (fds[i].revents)
                handle_fd(run, p, fds[i].fd);
        double now = monotonic();
        if (!run->has_status) {
            poll_exit(run, pid);
            if (run->has_status) {
                ended = now;
                has_ended = 1;
            }
        }
        if (!run->has_status && !run->killed_by)
            enforce(run, now - start, cpu, memory);
        if (has_ended && ((p->out_r < 0 && p->err_r < 0) || now - ended > 0.05))
            return ended;
    }
}

/* Pipes.close: after the run, the rest of its output read and every pipe closed. */
static void pipes_close(Pipes *p, Run *run) {
    close_fd(&p->exited);
    kill_everyone();
    while (p->out_r >= 0 && drain(run, p->out_r, 1)) {
    }
    close_fd(&p->out_r);
    while (p->err_r >= 0 && drain(run, p->err_r, 0)) {
    }
    close_fd(&p->err_r);
    close_fd(&p->stdin_w);
    if (p->relay) {
        p->zero_reg = 0;
        set_blocking(0, 1);
        relay_close_stdin(p);
    }
    buf_free(&p->pending);
    g_pipes = NULL;
}

typedef struct {
    int has_exit, exit_code, has_signal, signal;
    double cpu_time, wall_time, ended_at;
    long long memory_peak;
    int oom, has_cgroup_peak;
    long long cgroup_peak;
} Measures;

static double timeval_s(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec * 0.000001; }

static void measure(Run *run, Measures *m, double wall, double ended, const TreeCpu *cpu, const TreeMemory *memory, int oom_before) {
    double own = timeval_s(run->usage.ru_utime) + timeval_s(run->usage.ru_stime);
    double tree = 0.0;
    if (!tree_cpu_seconds(cpu, &tree))
        tree = 0.0;
    m->has_exit = WIFEXITED(run->status);
    m->exit_code = m->has_exit ? WEXITSTATUS(run->status) : 0;
    m->has_signal = WIFSIGNALED(run->status);
    m->signal = m->has_signal ? WTERMSIG(run->status) : 0;
    /* The program's rusage; when the tree's CPU (background processes included) made us
       kill it, that larger figure is the one that counted. */
    m->cpu_time = run->killed_by && !strcmp(run->killed_by, "cpu") && tree > own ? tree : own;
    m->wall_time = wall;
    m->ended_at = ended;
    m->memory_peak = (long long)run->usage.ru_maxrss * 1024;
    m->oom = oom_kills() > oom_before;
    m->has_cgroup_peak = tree_memory_peak(memory, &m->cgroup_peak);
}

/* Run.execute: run the program to its end; 1 with its measures, 0 with why it could not
   be started in exec_error. */
static int execute(Run *run, Measures *m, Buf *exec_error) {
    int oom_before = oom_kills();
    TreeCpu cpu;
    TreeMemory memory;
    tree_cpu_start(&cpu);
    tree_memory_start(&memory);
    double start = monotonic();
    int stdin_w, out_r, err_r;
    pid_t pid = spawn(run->req, &stdin_w, &out_r, &err_r, exec_error);
    if (exec_error->n) {
        close(stdin_w);
        close(out_r);
        close(err_r);
        waitpid(pid, NULL, 0);
        return 0;
    }
    Pipes pipes;
    pipes_open(&pipes, run, pid, stdin_w, out_r, err_r);
    double ended = supervise(run, &pipes, pid, start, &cpu, &memory);
    double wall = ended - start;
    pipes_close(&pipes, run);
    measure(run, m, wall, ended, &cpu, &memory, oom_before);
    return 1;
}

/* ---- requests --------------------------------------------------------------------------- */

static void send_not_started(const Buf *exec_error, int clean) {
    Buf h = {0};
    Blob empty = {"", 0};
    buf_addc(&h, '{');
    jw_str(&h, "exec_error", exec_error->p, exec_error->n);
    jw_bool(&h, "clean", clean);
    jw_cstr(&h, "op", "result");
    jw_key(&h, "files");
    buf_adds(&h, "[]");
    send_frame(&h, &empty, 1);
}

static void send_finished(const Run *run, const Measures *m, const char *collect_error, int clean, Found *found) {
    Buf h = {0};
    buf_addc(&h, '{');
    jw_opt_int(&h, "exit_code", m->has_exit, m->exit_code);
    jw_opt_int(&h, "signal", m->has_signal, m->signal);
    jw_float(&h, "cpu_time", m->cpu_time);
    jw_float(&h, "wall_time", m->wall_time);
    jw_float(&h, "ended_at", m->ended_at);
    jw_int(&h, "memory_peak", m->memory_peak);
    jw_bool(&h, "oom", m->oom);
    jw_opt_int(&h, "cgroup_memory_peak", m->has_cgroup_peak, m->cgroup_peak);
    jw_cstr(&h, "killed_by", run->killed_by);
    jw_int(&h, "stdout_bytes", run->out_total);
    jw_int(&h, "stderr_bytes", run->err_total);
    if (collect_error)
        jw_cstr(&h, "collect_error", collect_error);
    jw_bool(&h, "clean", clean);
    jw_cstr(&h, "op", "result");
    jw_key(&h, "files");
    buf_addc(&h, '[');
    buf_add(&h, found->specs.p, found->specs.n);
    buf_addc(&h, ']');
    Blob *blobs = xrealloc(NULL, (found->n + 1) * sizeof *blobs);
    blobs[0] = (Blob){run->err_head.p ? run->err_head.p : "", run->err_head.n};
    for (size_t i = 0; i < found->n; i++)
        blobs[i + 1] = found->blobs[i];
    send_frame(&h, blobs, found->n + 1);
    free(blobs);
}

/* collected: the files a collect run made (none otherwise), and why they were dropped. */
static char *collected(const RunRequest *req, const char *under, Found *found) {
    found->skip[0] = &PROGRAM_FILES;
    found->skip[1] = &req->files;
    found->cap = req->collect_cap;
    if (!req->collect || collect_files(found, under) == 0)
        return NULL;
    Buf why = {0};
    if (under[0])
        buf_addf(&why, "files in /box/%s", under);
    else
        buf_adds(&why, "compiled files");
    buf_addf(&why, " exceed %lld bytes", req->collect_cap);
    return why.p;
}

static void handle_run(Frame *f) {
    RunRequest req = run_request(&f->header);
    if (!f->nblobs) {
        run_request_free(&req);
        FAIL("IndexError: list index out of range");
    }
    place_files(&PROGRAM_FILES, PROGRAM_FRAME.blobs, PROGRAM_FRAME.sizes, PROGRAM_FRAME.nblobs);
    place_files(&req.files, f->blobs + 1, f->sizes + 1, f->nblobs - 1);
    for (size_t i = 1; i < f->nblobs; i++) { /* on tmpfs now: do not hold them twice */
        free(f->blobs[i]);
        f->blobs[i] = NULL;
        f->sizes[i] = 0;
    }
    const char *under = usable(&req.collect_dir);
    if (under[0]) {
        char *dir = path_join(BOX, under);
        makedirs(dir);
        free(dir);
    }
    Run run = {.req = &req, .in = f->blobs[0], .in_n = f->sizes[0]};
    Measures m;
    Buf exec_error = {0};
    if (!execute(&run, &m, &exec_error)) {
        int clean = reap_everyone(5.0);
        scrub();
        send_not_started(&exec_error, clean);
        buf_free(&exec_error);
        run_request_free(&req);
        return;
    }
    Found found = {0};
    char *collect_error = collected(&req, under, &found);
    int clean = reap_everyone(5.0);
    scrub();
    send_finished(&run, &m, collect_error, clean, &found);
    free(collect_error);
    found_free(&found);
    buf_free(&run.err_head);
    run_request_free(&req);
}

static void handle_load(Frame *f) {
    Files files = need_files(&f->header);
    free(PROGRAM_FILES.v);
    frame_free(&PROGRAM_FRAME);
    PROGRAM_FILES = files;
    PROGRAM_FRAME = *f; /* kept: its header holds the paths, its blobs the contents */
    memset(f, 0, sizeof *f);
    send_op("loaded");
}

static void handle(Frame *f) {
    Str op = jget(&f->header, "op")->s;
    if (op.n == 3 && !memcmp(op.s, "run", 3)) {
        handle_run(f);
    } else if (op.n == 4 && !memcmp(op.s, "load", 4)) {
        handle_load(f);
    } else if (op.n == 5 && !memcmp(op.s, "stdin", 5)) {
        /* sent to a streaming run that had already ended */
    } else if (op.n == 4 && !memcmp(op.s, "ping", 4)) {
        send_op("pong");
    } else {
        Buf message = {0};
        buf_adds(&message, "unknown op ");
        str_repr(&message, op.s, op.n, op.bad);
        send_error(message.p, message.n);
        buf_free(&message);
    }
}

static void send_ready(void) {
    Buf h = {0};
    buf_addc(&h, '{');
    jw_cstr(&h, "op", "ready");
    jw_int(&h, "pid", getpid());
    jw_key(&h, "cgroup");
    capabilities(&h);
    send_frame(&h, NULL, 0);
}

int main(void) {
    if (getpid() != 1) { /* it wipes /tmp and kills every process it can: only in a box */
        fputs("grader's supervisor runs only as PID 1 of a grader container\n", stderr);
        return 1;
    }
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        fprintf(stderr, "OSError: [Errno %d] prctl(PR_SET_DUMPABLE)\n", errno);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN); /* as Python does: EPIPE instead */
    signal(SIGXFSZ, SIG_IGN);
    umask(022);
    buf_reserve(&g_error, 256);
    for (size_t i = 0; i < sizeof SCRATCH / sizeof *SCRATCH; i++)
        wipe(SCRATCH[i]);
    CGROUP = find_cgroup("/");
    send_ready();
    static Frame f; /* static: intact after a longjmp */
    for (;;) {
        Buf err = {0};
        size_t discard = 0;
        int got = read_request(&f, &err, &discard);
        if (got == 0)
            return 0;
        if (got < 0) { /* Python would end here; the host hears why instead */
            send_error(err.p, err.n);
            buf_free(&err);
            if (discard && read_exact(0, NULL, discard) < 0)
                return 0;
            continue;
        }
        jmp_buf here;
        if (setjmp(here) == 0) {
            g_catch = &here;
            handle(&f);
        } else {
            abandon_pipes();
            reap_everyone(5.0);
            send_error(g_error.p, g_error.n);
        }
        g_catch = NULL;
        frame_free(&f);
    }
}
