/*
 * The driver shared by the C contenders: one login, then N PIN requests, sequential or
 * from T threads sharing one login; timing and getrusage() around the measured loop only.
 *
 *   bench-X seq     BASE_URL N         N calls on one thread
 *   bench-X threads BASE_URL N T       N calls in all, from T threads sharing one client
 *   bench-X cold    BASE_URL           login and one PIN (cold start is timed from outside)
 *   bench-X rss     BASE_URL N         N calls, RSS sampled every N/20 calls
 *
 * stdout: `PIN dddddd` as soon as the first PIN arrives, then one JSON line of figures.
 * A failed call exits 1 with the reason on stderr: a benchmark of errors is no benchmark.
 */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#define _GNU_SOURCE /* memmem */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* The sandbox allows ten logins per account in three minutes, and every run is a fresh
 * process that logs in once: bench/run.py gives each run its own account (BENCH_EMAIL). */
#define BENCH_PASSWORD "sandbox"
/* The same custom field in every contender's request, so all send the same bytes. */
#define BENCH_CFIELD0 "bench"
/* Untimed calls on each thread before the measured loop: connections open, caches warm. */
#define BENCH_WARMUP 50

typedef struct contender {
    const char *name;
    /* Logs in; returns what all threads share (a client, a share handle…). NULL: failed. */
    void *(*open)(const char *base_url);
    /* A thread's own handle (may be the shared one). NULL: failed. */
    void *(*thread_open)(void *shared);
    /* One PIN into pin[7]; 0 on success. */
    int (*pin)(void *ctx, char pin[7]);
    void (*thread_close)(void *ctx);
    void (*close)(void *shared);
    /* The version of the library under test, for the report. */
    const char *(*version)(void);
} contender;

static const char *bench_email(void)
{
    const char *email = getenv("BENCH_EMAIL");
    return email != NULL && *email != '\0' ? email : "tech@sandbox.test";
}

/* The login form, the email's `@` encoded: bench emails are plain ASCII otherwise. */
static inline const char *bench_login_form(void)
{
    static char form[256];
    const char *email = bench_email(), *at = strchr(email, '@');
    if (at == NULL)
        snprintf(form, sizeof form, "email=%s&pwd=%s", email, BENCH_PASSWORD);
    else
        snprintf(form, sizeof form, "email=%.*s%%40%s&pwd=%s", (int)(at - email), email, at + 1,
                 BENCH_PASSWORD);
    return form;
}

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double bench_tv(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static long bench_rss_kb(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL)
        return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Peak RSS of this program: VmHWM, not ru_maxrss, which a fork/exec'ed child inherits from
 * its parent (the harness), and which would then show the harness's size. */
static long bench_peak_rss_kb(void)
{
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

static int bench_is_pin(const char *pin)
{
    for (int i = 0; i < 6; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return 0;
    return pin[6] == '\0';
}

/* What a hand-written client would do with `OK PINCODE:123456` (or `OK\r\nPINCODE: …`):
 * check the status word, find the key, take six digits. 0 on success. */
static inline int bench_parse_pin(const char *body, size_t len, char pin[7])
{
    if (len < 2 || memcmp(body, "OK", 2) != 0 || (len > 2 && body[2] != ' ' && body[2] != '\r'))
        return -1;
    const char *key = memmem(body, len, "PINCODE:", 8);
    if (key == NULL)
        return -1;
    const char *p = key + 8, *end = body + len;
    while (p < end && *p == ' ')
        p++;
    if (end - p < 6)
        return -1;
    memcpy(pin, p, 6);
    pin[6] = '\0';
    return bench_is_pin(pin) ? 0 : -1;
}

typedef struct bench_thread {
    const contender *c;
    void *shared;
    long calls;
    pthread_barrier_t *start;
    int failed;
} bench_thread;

static void *bench_thread_run(void *arg)
{
    bench_thread *t = arg;
    char pin[7];
    void *ctx = t->c->thread_open(t->shared);
    int ok = ctx != NULL;
    for (int i = 0; ok && i < BENCH_WARMUP; i++)
        ok = t->c->pin(ctx, pin) == 0;
    pthread_barrier_wait(t->start);
    for (long i = 0; ok && i < t->calls; i++)
        ok = t->c->pin(ctx, pin) == 0 && bench_is_pin(pin);
    if (ctx != NULL)
        t->c->thread_close(ctx);
    t->failed = !ok;
    return NULL;
}

static void bench_report(const contender *c, const char *mode, long n, int threads,
                         double wall, struct rusage *r0, struct rusage *r1,
                         const char *samples)
{
    printf("{\"contender\":\"%s\",\"mode\":\"%s\",\"n\":%ld,\"threads\":%d,"
           "\"wall_s\":%.9f,\"user_s\":%.6f,\"sys_s\":%.6f,\"maxrss_kb\":%ld,"
           "\"version\":\"%s\",\"rss_samples\":[%s]}\n",
           c->name, mode, n, threads, wall,
           bench_tv(r1->ru_utime) - bench_tv(r0->ru_utime),
           bench_tv(r1->ru_stime) - bench_tv(r0->ru_stime), bench_peak_rss_kb(),
           c->version(), samples);
}

static int bench_main(const contender *c, int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s seq|threads|cold|rss BASE_URL [N] [THREADS]\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1], *base = argv[2];
    long n = argc > 3 ? atol(argv[3]) : 1;
    int threads = argc > 4 ? atoi(argv[4]) : 1;
    if (n < 1 || threads < 1) {
        fprintf(stderr, "%s: N and THREADS must be positive\n", c->name);
        return 2;
    }
    void *shared = c->open(base);
    if (shared == NULL) {
        fprintf(stderr, "%s: login failed\n", c->name);
        return 1;
    }
    char pin[7];
    struct rusage r0, r1;
    double t0, wall;
    int ok = 1;

    if (strcmp(mode, "threads") == 0) {
        pthread_t *ids = calloc((size_t)threads, sizeof *ids);
        bench_thread *ts = calloc((size_t)threads, sizeof *ts);
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
        for (int i = 0; i < threads; i++) {
            ts[i] = (bench_thread){c, shared, n / threads + (i < n % threads), &start, 0};
            pthread_create(&ids[i], NULL, bench_thread_run, &ts[i]);
        }
        pthread_barrier_wait(&start);
        getrusage(RUSAGE_SELF, &r0);
        t0 = bench_now();
        for (int i = 0; i < threads; i++) {
            pthread_join(ids[i], NULL);
            ok = ok && !ts[i].failed;
        }
        wall = bench_now() - t0;
        getrusage(RUSAGE_SELF, &r1);
        if (ok)
            bench_report(c, mode, n, threads, wall, &r0, &r1, "");
        free(ids);
        free(ts);
    } else {
        int cold = strcmp(mode, "cold") == 0, rss = strcmp(mode, "rss") == 0;
        if (!cold && !rss && strcmp(mode, "seq") != 0) {
            fprintf(stderr, "%s: unknown mode %s\n", c->name, mode);
            return 2;
        }
        ok = c->pin(shared, pin) == 0 && bench_is_pin(pin);
        if (ok) {
            printf("PIN %s\n", pin);
            fflush(stdout);
        }
        for (int i = 0; ok && !cold && i < BENCH_WARMUP; i++)
            ok = c->pin(shared, pin) == 0;
        if (cold)
            n = 1;
        /* Up to 21 samples of "[call, kB]," : call 0 and every n/20 calls. */
        char samples[21 * 48] = "";
        size_t used = 0;
        long every = n / 20 > 0 ? n / 20 : 1;
        getrusage(RUSAGE_SELF, &r0);
        t0 = bench_now();
        for (long i = 0; ok && !cold && i < n; i++) {
            if (rss && i % every == 0 && used + 48 < sizeof samples)
                used += (size_t)snprintf(samples + used, sizeof samples - used, "%s[%ld,%ld]",
                                         used ? "," : "", i, bench_rss_kb());
            ok = c->pin(shared, pin) == 0 && bench_is_pin(pin);
        }
        wall = bench_now() - t0;
        getrusage(RUSAGE_SELF, &r1);
        if (rss && ok && used + 48 < sizeof samples)
            snprintf(samples + used, sizeof samples - used, "%s[%ld,%ld]", used ? "," : "", n,
                     bench_rss_kb());
        if (ok)
            bench_report(c, mode, n, 1, wall, &r0, &r1, samples);
    }
    c->close(shared);
    if (!ok) {
        fprintf(stderr, "%s: a PIN request failed\n", c->name);
        return 1;
    }
    return 0;
}

#endif
