/* rescue_set_log_callback: the events of a success, a renewal, a timeout and a TLS failure,
 * no secret at any level, 16 threads logging at TRACE, a slow callback, re-entry. */
#define _POSIX_C_SOURCE 200809L
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#ifdef _WIN32
#include <windows.h>
static void sleep_us(unsigned us) { Sleep(us / 1000 + 1); }
#else
#include <time.h>
static void sleep_us(unsigned us) {
    struct timespec t = {0, (long)us * 1000L};
    nanosleep(&t, NULL);
}
#endif

#define LOG_CAP (1 << 20)
#define PASSWORD "sandbox"
#define WRONG_PASSWORD "Wr0ng-Pass-Never-Logged"
#define FIELD_VALUE "Field-Value-Never-Logged"

/* Every message received, one per line, under a spin lock (the callback runs on any thread). */
static char captured[LOG_CAP];
static size_t captured_len;
static atomic_flag captured_lock = ATOMIC_FLAG_INIT;
static atomic_int records;
static atomic_int bad_levels;
static atomic_int slow_us;

static void capture(void *user_data, rescue_log_level level, const char *message) {
    if (user_data != (void *)&captured) {
        atomic_fetch_add(&bad_levels, 1);
    }
    if (level < RESCUE_LOG_ERROR || level > RESCUE_LOG_TRACE || message == NULL) {
        atomic_fetch_add(&bad_levels, 1);
        return;
    }
    if (atomic_load(&slow_us) > 0) {
        sleep_us((unsigned)atomic_load(&slow_us));
    }
    atomic_fetch_add(&records, 1);
    while (atomic_flag_test_and_set(&captured_lock)) {
    }
    size_t n = strlen(message);
    if (captured_len + n + 2 < LOG_CAP) {
        memcpy(captured + captured_len, message, n);
        captured[captured_len + n] = '\n';
        captured_len += n + 1;
        captured[captured_len] = '\0';
    }
    atomic_flag_clear(&captured_lock);
}

static void start_capture(rescue_log_level level) {
    captured_len = 0;
    captured[0] = '\0';
    atomic_store(&records, 0);
    atomic_store(&bad_levels, 0);
    atomic_store(&slow_us, 0);
    CHECK_STATUS(rescue_set_log_callback(capture, &captured, level), RESCUE_STATUS_OK);
}

static void stop_capture(void) {
    CHECK_STATUS(rescue_set_log_callback(NULL, NULL, RESCUE_LOG_ERROR), RESCUE_STATUS_OK);
    CHECK(atomic_load(&bad_levels) == 0);
}

static bool logged(const char *text) { return strstr(captured, text) != NULL; }

static void no_secrets(void) {
    CHECK(!logged("=" PASSWORD) && !logged(WRONG_PASSWORD));
    CHECK(!logged(FIELD_VALUE));
    CHECK(!logged("ytzw7h07nu9o4oxqbf49dpayuqvdnmzd")); /* tech's authcode */
    CHECK(!logged("ASP.NET_SessionId"));
    CHECK(!logged("?email=") && !logged("&pwd="));
}

static void success_and_renewal(void) {
    start_capture(RESCUE_LOG_TRACE);
    rescue_client *client = new_client(NULL);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", WRONG_PASSWORD), RESCUE_STATUS_INVALID);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", PASSWORD), RESCUE_STATUS_OK);
    rescue_pin_request request = {.cfield0 = FIELD_VALUE};
    char pin[RESCUE_PIN_BUFFER_LEN];
    CHECK_STATUS(rescue_request_lens_pin(client, &request, pin, sizeof pin), RESCUE_STATUS_OK);
    CHECK(sandbox_post(sandbox_url(), "expire"));
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, sizeof pin), RESCUE_STATUS_OK);
    char code[64];
    CHECK_STATUS(rescue_request_auth_code(client, "tech@sandbox.test", PASSWORD, code, sizeof code),
                 RESCUE_STATUS_OK);
    CHECK(!logged(code));
    rescue_client_free(client);
    stop_capture();
    CHECK(logged("logged in"));
    CHECK(logged("answered"));
    CHECK(logged(" in ") && logged(" µs"));
    CHECK(logged("cfield0=(24 chars)"));
    CHECK(logged("pwd=(secret)"));
    CHECK(logged("renewing it with the stored credentials"));
    CHECK(logged("session renewed"));
    CHECK(logged("retrying"));
    no_secrets();
    if (test_failures > 0) {
        fprintf(stderr, "%s", captured);
    }
}

static void timeout_and_tls_failure(void) {
    start_capture(RESCUE_LOG_WARN);
    rescue_client *hang = new_client(fault_url("hang"));
    CHECK_STATUS(rescue_client_set_timeout_ms(hang, 300), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_login(hang, "tech@sandbox.test", PASSWORD), RESCUE_STATUS_TIMEOUT);
    rescue_client_free(hang);
    rescue_client *tls = new_client(sandbox_tls_url());
    CHECK_STATUS(rescue_login(tls, "tech@sandbox.test", PASSWORD), RESCUE_STATUS_TLS);
    rescue_client_free(tls);
    stop_capture();
    CHECK(logged("TIMEOUT"));
    CHECK(logged("TLS"));
    CHECK(!logged("answered")); /* DEBUG records stay below the WARN threshold */
    no_secrets();
}

struct logger_thread {
    rescue_client *client;
    int ok;
};

static void log_at_trace(void *arg) {
    struct logger_thread *t = arg;
    for (int i = 0; i < 10; i++) {
        char pin[RESCUE_PIN_BUFFER_LEN];
        rescue_pin_request request = {.cfield0 = FIELD_VALUE};
        if (rescue_request_lens_pin(t->client, &request, pin, sizeof pin) == RESCUE_STATUS_OK) {
            t->ok++;
        }
    }
}

static void sixteen_threads_and_a_slow_callback(void) {
    rescue_client *client = logged_in("tech@sandbox.test");
    for (int slow = 0; slow <= 1; slow++) {
        start_capture(RESCUE_LOG_TRACE);
        atomic_store(&slow_us, slow ? 2000 : 0);
        struct logger_thread threads[16];
        memset(threads, 0, sizeof threads);
        for (int i = 0; i < 16; i++) {
            threads[i].client = client;
        }
        CHECK(run_threads(16, log_at_trace, threads, sizeof threads[0]));
        stop_capture();
        for (int i = 0; i < 16; i++) {
            CHECK(threads[i].ok == 10);
        }
        /* Each exchange: sent, parameters, answered. */
        CHECK(atomic_load(&records) >= 16 * 10 * 3);
        no_secrets();
    }
    rescue_client_free(client);
}

static void reenter(void *user_data, rescue_log_level level, const char *message) {
    (void)level;
    (void)message;
    /* Calls back in: status names, and even replacing the hook; nothing deadlocks. */
    atomic_fetch_add(&records, 1);
    if (rescue_status_name(RESCUE_STATUS_OK)[0] != 'O') {
        atomic_fetch_add(&bad_levels, 1);
    }
    rescue_set_log_callback(reenter, user_data, RESCUE_LOG_DEBUG);
}

static void callbacks_off_and_reentry(void) {
    CHECK_STATUS(rescue_set_log_callback(capture, NULL, 0), RESCUE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(rescue_set_log_callback(capture, NULL, 6), RESCUE_STATUS_INVALID_ARGUMENT);
    atomic_store(&records, 0);
    atomic_store(&bad_levels, 0);
    CHECK_STATUS(rescue_set_log_callback(reenter, NULL, RESCUE_LOG_DEBUG), RESCUE_STATUS_OK);
    rescue_client *client = logged_in("tech@sandbox.test");
    char pin[RESCUE_PIN_BUFFER_LEN];
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, sizeof pin), RESCUE_STATUS_OK);
    CHECK(atomic_load(&records) > 0);
    CHECK(atomic_load(&bad_levels) == 0);
    CHECK_STATUS(rescue_set_log_callback(NULL, NULL, RESCUE_LOG_TRACE), RESCUE_STATUS_OK);
    int before = atomic_load(&records);
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, sizeof pin), RESCUE_STATUS_OK);
    CHECK(atomic_load(&records) == before);
    rescue_client_free(client);
}

const struct test logging_tests[] = {
    {"log: a success and a renewal, no secret at TRACE", success_and_renewal},
    {"log: a timeout and a TLS failure at WARN", timeout_and_tls_failure},
    {"log: 16 threads at TRACE, then with a slow callback", sixteen_threads_and_a_slow_callback},
    {"log: bad levels, re-entry, NULL turns it off", callbacks_off_and_reentry},
    {NULL, NULL},
};
