/* A minimal test runner for librescue's C tests: each test is a function; CHECK records a
 * failure and carries on, so one run reports every broken expectation. */
#ifndef RESCUE_TEST_H
#define RESCUE_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "rescue.h"

struct test {
    const char *name;
    void (*run)(void);
};

extern int test_failures; /* failed CHECKs of the running test */

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "    %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            test_failures++;                                                          \
        }                                                                             \
    } while (0)

/* Checks a status, printing both names and the last error message when it differs. */
#define CHECK_STATUS(call, expected) check_status((call), (expected), #call, __FILE__, __LINE__)
void check_status(rescue_status got, rescue_status expected, const char *what, const char *file,
                  int line);

/* The sandboxes the harness (run.sh) started. */
const char *sandbox_url(void);      /* --pin-interval-ms 0 */
const char *sandbox_poll_url(void); /* the default one PIN per second */
const char *sandbox_tls_url(void);  /* --tls */
const char *sandbox_tls_cert(void); /* its certificate */
/* The sandbox's base URL with /fault/<kind>/ in front of API/; static buffer. */
const char *fault_url(const char *kind);
/* POSTs to /sandbox/<action> (reset, expire) of the sandbox at `base_url`. */
bool sandbox_post(const char *base_url, const char *action);
/* How many login calls of `email` the sandbox answered `answer` (NULL: all of them) since
 * the last reset; -1 when the sandbox can't be asked. */
long sandbox_logins(const char *email, const char *answer);
/* Runs body(args + i * arg_size) on `count` threads at once and joins them all. */
bool run_threads(int count, void (*body)(void *), void *args, size_t arg_size);
/* The JSON body of GET /sandbox/sessions of the main sandbox (static buffer), or NULL. */
const char *sandbox_sessions(void);
/* A URL on which nothing listens. */
const char *refused_url(void);
/* Whether the run is slowed down (valgrind): timing bounds are relaxed. */
bool running_slow(void);

/* The transport the run tests (RESCUE_TEST_TRANSPORT=soap11|soap12; default HTTP POST);
 * new_client() sets it. */
rescue_transport test_transport(void);
/* A client for `url` (NULL: the main sandbox) over test_transport(); fails the test when it
 * can't be made. */
rescue_client *new_client(const char *url);
/* A client logged in as `email` with the sandbox password. */
rescue_client *logged_in(const char *email);
double now_seconds(void);

extern const struct test status_tests[];
extern const struct test fault_tests[];
extern const struct test argument_tests[];
extern const struct test thread_tests[];
extern const struct test boundary_tests[];
extern const struct test renewal_tests[];
extern const struct test logging_tests[];
extern const struct test field_tests[];
extern const struct test proxy_tests[];
extern const struct test fork_tests[];
extern const struct test invitation_tests[];

#endif
