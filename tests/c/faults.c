/* Transport failures and answer layouts, through the sandbox's fault variants and TLS. */
#include <string.h>

#include "test.h"

static bool last_message_contains(const char *needle) {
    char message[1024];
    rescue_last_error_message(message, sizeof message);
    if (strstr(message, needle) == NULL) {
        fprintf(stderr, "    last error message %s lacks %s\n", message, needle);
        return false;
    }
    return true;
}

static rescue_status login_at(const char *url, uint32_t timeout_ms, bool use_get) {
    rescue_client *client = new_client(url);
    CHECK_STATUS(rescue_client_set_use_get(client, use_get), RESCUE_STATUS_OK);
    if (timeout_ms != 0) {
        CHECK_STATUS(rescue_client_set_timeout_ms(client, timeout_ms), RESCUE_STATUS_OK);
    }
    rescue_status status = rescue_login(client, "tech@sandbox.test", "sandbox");
    rescue_client_free(client);
    return status;
}

/* Each fault is checked over POST and over GET: the loop runs its body for both. */
#define FOR_BOTH_METHODS(use_get) for (int use_get = 0; use_get <= 1; use_get++)

static void timeout_on_hang(void) {
    FOR_BOTH_METHODS(use_get) {
        double start = now_seconds();
        CHECK_STATUS(login_at(fault_url("hang"), 1000, use_get), RESCUE_STATUS_TIMEOUT);
        double took = now_seconds() - start;
        CHECK(took >= 0.9);
        CHECK(took < (running_slow() ? 10.0 : 2.5));
    }
}

static void network_on_refused(void) {
    const char *url = refused_url();
    FOR_BOTH_METHODS(use_get) {
        CHECK_STATUS(login_at(url, 0, use_get), RESCUE_STATUS_NETWORK);
        CHECK(last_message_contains("127.0.0.1"));
    }
}

static void network_on_unresolvable(void) {
    FOR_BOTH_METHODS(use_get) {
        CHECK_STATUS(login_at("https://rescue.invalid/API/", 5000, use_get), RESCUE_STATUS_NETWORK);
        CHECK(last_message_contains("rescue.invalid"));
    }
}

static void network_on_reset(void) {
    FOR_BOTH_METHODS(use_get) {
        CHECK_STATUS(login_at(fault_url("reset"), 5000, use_get), RESCUE_STATUS_NETWORK);
    }
}

static void http_status(void) {
    FOR_BOTH_METHODS(use_get) {
        CHECK_STATUS(login_at(fault_url("status-500"), 0, use_get), RESCUE_STATUS_HTTP_STATUS);
        CHECK(last_message_contains("500"));
        CHECK_STATUS(login_at(fault_url("status-503"), 0, use_get), RESCUE_STATUS_HTTP_STATUS);
        CHECK(last_message_contains("503"));
    }
}

static void unexpected_responses(void) {
    const char *kinds[] = {"html", "unknown", "empty", "huge"};
    FOR_BOTH_METHODS(use_get) {
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            rescue_status status = login_at(fault_url(kinds[i]), 10000, use_get);
            if (status != RESCUE_STATUS_UNEXPECTED_RESPONSE) {
                fprintf(stderr, "    fault %s over %s:\n", kinds[i], use_get ? "GET" : "POST");
            }
            CHECK_STATUS(status, RESCUE_STATUS_UNEXPECTED_RESPONSE);
        }
    }
}

static void layouts_parse(const char *kind) {
    FOR_BOTH_METHODS(use_get) {
        rescue_client *client = new_client(fault_url(kind));
        CHECK_STATUS(rescue_client_set_use_get(client, use_get), RESCUE_STATUS_OK);
        CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"), RESCUE_STATUS_OK);
        char pin[RESCUE_PIN_BUFFER_LEN];
        CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, sizeof pin), RESCUE_STATUS_OK);
        CHECK(strlen(pin) == 6);
        char code[64];
        CHECK_STATUS(rescue_request_auth_code(client, "tech@sandbox.test", "sandbox", code,
                                              sizeof code),
                     RESCUE_STATUS_OK);
        CHECK(strcmp(code, "ytzw7h07nu9o4oxqbf49dpayuqvdnmzd") == 0);
        rescue_client_free(client);
    }
}

static void crlf_layout(void) { layouts_parse("crlf"); }
static void oneline_layout(void) { layouts_parse("oneline"); }
static void spaced_layout(void) { layouts_parse("spaced"); }

static void slow_but_in_time(void) {
    FOR_BOTH_METHODS(use_get) {
        CHECK_STATUS(login_at(fault_url("slow-300"), 5000, use_get), RESCUE_STATUS_OK);
    }
}

static void tls_untrusted_then_trusted(void) {
    rescue_client *client = new_client(sandbox_tls_url());
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"), RESCUE_STATUS_TLS);
    CHECK_STATUS(rescue_client_set_ca_file(client, sandbox_tls_cert()), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"), RESCUE_STATUS_OK);
    char pin[RESCUE_PIN_BUFFER_LEN];
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, sizeof pin), RESCUE_STATUS_OK);
    /* Back to the built-in roots: untrusted again. */
    CHECK_STATUS(rescue_client_set_ca_file(client, NULL), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, sizeof pin), RESCUE_STATUS_TLS);
    rescue_client_free(client);
}

static void tls_system_roots(void) {
    rescue_client *client = new_client(sandbox_tls_url());
    /* The sandbox's self-signed certificate is in no system store (under Wine, this runs the
     * Windows verifier over Wine's store): refused with the system roots too. */
    CHECK_STATUS(rescue_client_set_system_roots(client, true), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"), RESCUE_STATUS_TLS);
    /* A CA file is trusted instead of the system store. */
    CHECK_STATUS(rescue_client_set_ca_file(client, sandbox_tls_cert()), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"), RESCUE_STATUS_OK);
    /* Back to the built-in roots: the session is kept. */
    CHECK_STATUS(rescue_client_set_system_roots(client, false), RESCUE_STATUS_OK);
    char pin[RESCUE_PIN_BUFFER_LEN];
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, sizeof pin), RESCUE_STATUS_OK);
    rescue_client_free(client);
}

static void bad_ca_file(void) {
    rescue_client *client = new_client(sandbox_tls_url());
    CHECK_STATUS(rescue_client_set_ca_file(client, "/nonexistent/ca.pem"),
                 RESCUE_STATUS_INVALID_ARGUMENT);
    CHECK(last_message_contains("ca_file"));
    /* A file that exists but holds no certificate (a Windows path, drive and backslashes). */
#ifdef _WIN32
    const char *not_pem = "C:\\windows\\win.ini";
#else
    const char *not_pem = "/etc/hostname";
#endif
    CHECK_STATUS(rescue_client_set_ca_file(client, not_pem), RESCUE_STATUS_INVALID_ARGUMENT);
    CHECK(last_message_contains("ca_file"));
    rescue_client_free(client);
}

const struct test fault_tests[] = {
    {"TIMEOUT on a hanging server, in time", timeout_on_hang},
    {"NETWORK on a refused connection, naming the host", network_on_refused},
    {"NETWORK on an unresolvable host (.invalid)", network_on_unresolvable},
    {"NETWORK on a reset connection", network_on_reset},
    {"HTTP_STATUS on 500 and 503", http_status},
    {"UNEXPECTED_RESPONSE on html, unknown, empty, huge", unexpected_responses},
    {"crlf layout parses", crlf_layout},
    {"oneline layout parses", oneline_layout},
    {"spaced layout parses", spaced_layout},
    {"a slow answer within the timeout", slow_but_in_time},
    {"TLS: untrusted, then trusted with set_ca_file", tls_untrusted_then_trusted},
    {"TLS: system roots refuse the sandbox's certificate; a CA file wins", tls_system_roots},
    {"set_ca_file with a bad file", bad_ca_file},
    {NULL, NULL},
};
