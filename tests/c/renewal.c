/* Session renewal under failure and one deadline per call, through the C ABI: 8 threads
 * on one client never send more than one renewal login per session end. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include "test.h"

#ifdef _WIN32
#include <windows.h>
static void sleep_ms(unsigned ms) { Sleep(ms); }
#else
#include <time.h>
static void sleep_ms(unsigned ms) {
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}
#endif

#define TECH "tech@sandbox.test"
#define THREADS 8
#define CALLS 25

struct caller {
    rescue_client *client;
    int calls;
    int ok;
    int statuses[RESCUE_STATUS_PANIC + 1]; /* how often each status came back */
    double longest;                          /* seconds, the slowest call */
};

static void call_repeatedly(void *arg) {
    struct caller *c = arg;
    for (int i = 0; i < c->calls; i++) {
        char pin[RESCUE_PIN_BUFFER_LEN];
        double started = now_seconds();
        rescue_status s = rescue_request_lens_pin(c->client, NULL, pin, sizeof pin);
        double took = now_seconds() - started;
        if (took > c->longest) {
            c->longest = took;
        }
        if (s <= RESCUE_STATUS_PANIC) {
            c->statuses[s]++;
        }
    }
}

/* THREADS callers × `calls` on `client`; the statuses added up into `total`. */
static void storm(rescue_client *client, int calls, struct caller *total) {
    struct caller callers[THREADS];
    memset(callers, 0, sizeof callers);
    for (int i = 0; i < THREADS; i++) {
        callers[i].client = client;
        callers[i].calls = calls;
    }
    CHECK(run_threads(THREADS, call_repeatedly, callers, sizeof callers[0]));
    memset(total, 0, sizeof *total);
    for (int i = 0; i < THREADS; i++) {
        for (int s = 0; s <= RESCUE_STATUS_PANIC; s++) {
            total->statuses[s] += callers[i].statuses[s];
        }
        if (callers[i].longest > total->longest) {
            total->longest = callers[i].longest;
        }
    }
}

static void refused_password_sends_one_login(void) {
    rescue_client *client = logged_in(TECH);
    CHECK(sandbox_post(sandbox_url(), "password?email=" TECH "&password=rotated"));
    CHECK(sandbox_post(sandbox_url(), "expire"));
    struct caller total;
    storm(client, CALLS, &total);
    CHECK(sandbox_logins(TECH, "INVALID") == 1);
    CHECK(sandbox_logins(TECH, NULL) == 2);
    CHECK(total.statuses[RESCUE_STATUS_INVALID] >= 1);
    CHECK(total.statuses[RESCUE_STATUS_INVALID] + total.statuses[RESCUE_STATUS_NOTLOGGEDIN] ==
          THREADS * CALLS);
    char message[512];
    char pin[RESCUE_PIN_BUFFER_LEN];
    /* Later calls: NOTLOGGEDIN, no login; an explicit login starts afresh. */
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, sizeof pin),
                 RESCUE_STATUS_NOTLOGGEDIN);
    CHECK(sandbox_logins(TECH, NULL) == 2);
    CHECK_STATUS(rescue_login(client, TECH, "rotated"), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, sizeof pin), RESCUE_STATUS_OK);
    rescue_last_error_message(message, sizeof message);
    CHECK(strcmp(message, "") == 0);
    rescue_client_free(client);
}

static void limitreached_cools_down_then_renews_once(void) {
    /* run.sh starts this sandbox with a 2 s login window (the service's is 3 minutes). */
    rescue_client *client = logged_in(TECH);
    CHECK_STATUS(rescue_client_set_login_limit_cooldown_ms(client, 2500), RESCUE_STATUS_OK);
    rescue_client *other = new_client(NULL);
    for (int i = 1; i < 10; i++) {
        CHECK_STATUS(rescue_login(other, TECH, "sandbox"), RESCUE_STATUS_OK);
    }
    CHECK(sandbox_post(sandbox_url(), "expire"));
    struct caller total;
    storm(client, CALLS, &total);
    CHECK(sandbox_logins(TECH, "LIMITREACHED") == 1);
    CHECK(total.statuses[RESCUE_STATUS_LIMITREACHED] == THREADS * CALLS);
    char message[512];
    rescue_last_error_message(message, sizeof message);
    char pin[RESCUE_PIN_BUFFER_LEN];
    double started = now_seconds();
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, sizeof pin),
                 RESCUE_STATUS_LIMITREACHED);
    CHECK(now_seconds() - started < 0.5);
    rescue_last_error_message(message, sizeof message);
    CHECK(strstr(message, "authcode") != NULL);
    CHECK(sandbox_logins(TECH, NULL) == 11);
    sleep_ms(2600);
    storm(client, 2, &total);
    CHECK(total.statuses[RESCUE_STATUS_OK] == THREADS * 2);
    CHECK(sandbox_logins(TECH, "LIMITREACHED") == 1);
    CHECK(sandbox_logins(TECH, NULL) == 12);
    rescue_client_free(other);
    rescue_client_free(client);
}

static void one_login_per_session_end(void) {
    rescue_client *client = logged_in(TECH);
    for (int expiry = 1; expiry <= 3; expiry++) {
        CHECK(sandbox_post(sandbox_url(), "expire"));
        struct caller total;
        storm(client, 4, &total);
        CHECK(total.statuses[RESCUE_STATUS_OK] == THREADS * 4);
        CHECK(sandbox_logins(TECH, "OK") == 1 + expiry);
    }
    rescue_client_free(client);
}

static void the_timeout_bounds_the_whole_call(void) {
    /* Each exchange takes 0.7 s: PIN request, renewal login and retry can't fit in 1 s. */
    rescue_client *client = new_client(fault_url("slow-700"));
    CHECK_STATUS(rescue_client_set_timeout_ms(client, 1000), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_login(client, TECH, "sandbox"), RESCUE_STATUS_OK);
    CHECK(sandbox_post(sandbox_url(), "expire"));
    struct caller total;
    storm(client, 1, &total);
    double margin = running_slow() ? 1.5 : 0.3;
    CHECK(total.statuses[RESCUE_STATUS_TIMEOUT] == THREADS);
    CHECK(total.longest < 1.0 + margin);
    /* With time enough, the next call renews: the cut-short renewal was forgotten. */
    CHECK_STATUS(rescue_client_set_timeout_ms(client, 5000), RESCUE_STATUS_OK);
    char pin[RESCUE_PIN_BUFFER_LEN];
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, sizeof pin), RESCUE_STATUS_OK);
    rescue_client_free(client);
}

const struct test renewal_tests[] = {
    {"renewal: a refused password sends one login (8 threads)", refused_password_sends_one_login},
    {"renewal: LIMITREACHED cools down, then one renewal (8 threads)",
     limitreached_cools_down_then_renews_once},
    {"renewal: one login per session end (8 threads)", one_login_per_session_end},
    {"timeout: bounds the whole call, renewal included (8 threads)",
     the_timeout_bounds_the_whole_call},
    {NULL, NULL},
};
