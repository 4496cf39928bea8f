/* The C boundary, export by export: NULL in every pointer position, invalid UTF-8 and empty
 * strings in every string position, zero- and one-byte buffers, out-of-range statuses.
 * Each failure must be a status (never a crash), name the argument in the message, and
 * leave every output untouched. Clients on a refused URL prove that nothing was sent: an
 * argument checked after sending would show up as NETWORK. */
#include <stdint.h>
#include <string.h>

#include "test.h"

#define BAD RESCUE_STATUS_INVALID_ARGUMENT
#define TOO_SMALL RESCUE_STATUS_BUFFER_TOO_SMALL
#define SENTINEL 0x5A
#define OUT_LEN 64

/* Invalid UTF-8 of every kind: a stray byte, a cut sequence, an overlong form, a surrogate,
 * past U+10FFFF, a valid prefix with a bad tail. */
static const char *const not_utf8[] = {
    "\xff", "abc\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "caf\xc3\x28",
};
#define NOT_UTF8_COUNT (sizeof not_utf8 / sizeof not_utf8[0])

/* The last error message, for checks on what it names. */
static const char *message(void) {
    static char text[512];
    rescue_last_error_message(text, sizeof text);
    return text;
}

/* Checks that the last error message holds `needle` (the argument's name). */
#define CHECK_MESSAGE(needle)                                                               \
    do {                                                                                    \
        if (strstr(message(), (needle)) == NULL) {                                          \
            fprintf(stderr, "    %s:%d: message \"%s\" lacks \"%s\"\n", __FILE__, __LINE__, \
                    message(), (needle));                                                   \
            test_failures++;                                                                \
        }                                                                                   \
    } while (0)

static void fill(char *buf) { memset(buf, SENTINEL, OUT_LEN); }

static bool untouched(const char *buf) {
    for (size_t i = 0; i < OUT_LEN; i++) {
        if ((unsigned char)buf[i] != SENTINEL) {
            return false;
        }
    }
    return true;
}

static void client_new(void) {
    rescue_client *const sentinel = (rescue_client *)(uintptr_t)0x1234;
    CHECK_STATUS(rescue_client_new(NULL, NULL), BAD);
    CHECK_MESSAGE("out_client");
    CHECK_STATUS(rescue_client_new(sandbox_url(), NULL), BAD);
    CHECK_MESSAGE("out_client");
    const char *bad_urls[] = {"", " ", "API/", "http://", "http://host/API/?q=1"};
    for (size_t i = 0; i < sizeof bad_urls / sizeof bad_urls[0]; i++) {
        rescue_client *client = sentinel;
        CHECK_STATUS(rescue_client_new(bad_urls[i], &client), BAD);
        CHECK_MESSAGE("base_url");
        CHECK(client == sentinel);
    }
    for (size_t i = 0; i < NOT_UTF8_COUNT; i++) {
        rescue_client *client = sentinel;
        CHECK_STATUS(rescue_client_new(not_utf8[i], &client), BAD);
        CHECK_MESSAGE("base_url");
        CHECK(client == sentinel);
        /* Invalid UTF-8 is refused before the URL is parsed, even inside a valid URL. */
        char url[128];
        snprintf(url, sizeof url, "http://127.0.0.1:1/%s/API/", not_utf8[i]);
        CHECK_STATUS(rescue_client_new(url, &client), BAD);
        CHECK(client == sentinel);
    }
    rescue_client_free(NULL);
}

static void setters(void) {
    /* NULL client, with every value of the other argument. */
    CHECK_STATUS(rescue_client_set_timeout_ms(NULL, 0), BAD);
    CHECK_STATUS(rescue_client_set_timeout_ms(NULL, UINT32_MAX), BAD);
    CHECK_STATUS(rescue_client_set_ca_file(NULL, NULL), BAD);
    CHECK_STATUS(rescue_client_set_ca_file(NULL, "/nonexistent.pem"), BAD);
    CHECK_STATUS(rescue_client_set_proxy(NULL, NULL), BAD);
    CHECK_STATUS(rescue_client_set_proxy(NULL, "http://127.0.0.1:1"), BAD);
    for (int b = 0; b < 2; b++) {
        CHECK_STATUS(rescue_client_set_use_get(NULL, b), BAD);
        CHECK_STATUS(rescue_client_set_renew_session(NULL, b), BAD);
        CHECK_STATUS(rescue_client_set_allow_plain_http(NULL, b), BAD);
        CHECK_STATUS(rescue_client_set_system_roots(NULL, b), BAD);
    }
    CHECK_MESSAGE("client");

    rescue_client *client = new_client(NULL);
    CHECK_STATUS(rescue_client_set_timeout_ms(client, 0), BAD);
    CHECK_MESSAGE("timeout");
    CHECK_STATUS(rescue_client_set_timeout_ms(client, UINT32_MAX), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_client_set_timeout_ms(client, 1), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_client_set_timeout_ms(client, 10000), RESCUE_STATUS_OK);
    for (size_t i = 0; i < NOT_UTF8_COUNT; i++) {
        CHECK_STATUS(rescue_client_set_ca_file(client, not_utf8[i]), BAD);
        CHECK_MESSAGE("pem_path");
        CHECK_STATUS(rescue_client_set_proxy(client, not_utf8[i]), BAD);
        CHECK_MESSAGE("proxy_url");
    }
    CHECK_STATUS(rescue_client_set_ca_file(client, ""), BAD);
    CHECK_MESSAGE("ca_file");
    CHECK_STATUS(rescue_client_set_proxy(client, ""), BAD);
    CHECK_MESSAGE("proxy");
    CHECK_STATUS(rescue_client_set_ca_file(client, NULL), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_client_set_proxy(client, NULL), RESCUE_STATUS_OK);
    /* Every refusal left the client as it was: it still reaches the sandbox. */
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"), RESCUE_STATUS_OK);
    rescue_client_free(client);
}

static void login_and_logout(void) {
    rescue_client *client = new_client(refused_url());
    const char *names[] = {"client", "email", "password"};
    /* Every combination with at least one NULL; the first NULL (in that order) is named. */
    for (unsigned mask = 1; mask < 8; mask++) {
        rescue_client *c = (mask & 1) ? NULL : client;
        const char *email = (mask & 2) ? NULL : "tech@sandbox.test";
        const char *password = (mask & 4) ? NULL : "sandbox";
        CHECK_STATUS(rescue_login(c, email, password), BAD);
        CHECK_MESSAGE(names[(mask & 1) ? 0 : (mask & 2) ? 1 : 2]);
        CHECK_MESSAGE("NULL");
    }
    for (size_t i = 0; i < NOT_UTF8_COUNT; i++) {
        CHECK_STATUS(rescue_login(client, not_utf8[i], "sandbox"), BAD);
        CHECK_MESSAGE("email");
        CHECK_MESSAGE("UTF-8");
        CHECK_STATUS(rescue_login(client, "tech@sandbox.test", not_utf8[i]), BAD);
        CHECK_MESSAGE("password");
        CHECK_STATUS(rescue_login(NULL, not_utf8[i], not_utf8[i]), BAD);
        CHECK_MESSAGE("client");
    }
    CHECK_STATUS(rescue_logout(NULL), BAD);
    CHECK_MESSAGE("client");
    rescue_client_free(client);

    /* Empty strings are valid arguments: the service judges them. */
    client = new_client(NULL);
    CHECK_STATUS(rescue_login(client, "", ""), RESCUE_STATUS_INVALID);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", ""), RESCUE_STATUS_INVALID);
    CHECK_STATUS(rescue_logout(client), RESCUE_STATUS_NOTLOGGEDIN);
    rescue_client_free(client);
}

/* Both PIN exports share the same checks. */
typedef rescue_status (*pin_call)(rescue_client *, const rescue_pin_request *, char *, size_t);

static void pin_arguments(pin_call call) {
    rescue_client *client = new_client(refused_url());
    char pin[OUT_LEN];

    /* NULL client and/or NULL pin_out, with and without a request. */
    rescue_pin_request empty = {0};
    const rescue_pin_request *requests[] = {NULL, &empty};
    for (size_t r = 0; r < 2; r++) {
        fill(pin);
        CHECK_STATUS(call(NULL, requests[r], pin, RESCUE_PIN_BUFFER_LEN), BAD);
        CHECK_MESSAGE("client");
        CHECK_STATUS(call(NULL, requests[r], NULL, RESCUE_PIN_BUFFER_LEN), BAD);
        CHECK_MESSAGE("client");
        CHECK_STATUS(call(client, requests[r], NULL, RESCUE_PIN_BUFFER_LEN), BAD);
        CHECK_MESSAGE("pin_out");
        CHECK_STATUS(call(client, requests[r], NULL, 0), BAD);
        CHECK_MESSAGE("pin_out");
        CHECK(untouched(pin));
    }

    /* Buffers of 0, 1 and 6 bytes: refused before anything is sent, nothing written. */
    const size_t small[] = {0, 1, RESCUE_PIN_BUFFER_LEN - 1};
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++) {
        fill(pin);
        CHECK_STATUS(call(client, NULL, pin, small[i]), TOO_SMALL);
        CHECK_MESSAGE("pin_out");
        CHECK(untouched(pin));
    }

    /* Invalid UTF-8 in each string member, the others valid. */
    const char *members[] = {"cfield0", "cfield1", "cfield2",   "cfield3",
                             "cfield4", "cfield5", "tracking0", "authcode"};
    for (size_t m = 0; m < sizeof members / sizeof members[0]; m++) {
        for (size_t i = 0; i < NOT_UTF8_COUNT; i++) {
            rescue_pin_request request = {0};
            const char **slots[] = {&request.cfield0, &request.cfield1, &request.cfield2,
                                    &request.cfield3, &request.cfield4, &request.cfield5,
                                    &request.tracking0, &request.authcode};
            for (size_t k = 0; k < sizeof slots / sizeof slots[0]; k++) {
                *slots[k] = k == 7 ? "some-authcode" : "valid";
            }
            *slots[m] = not_utf8[i];
            fill(pin);
            CHECK_STATUS(call(client, &request, pin, RESCUE_PIN_BUFFER_LEN), BAD);
            CHECK_MESSAGE(members[m]);
            CHECK_MESSAGE("UTF-8");
            CHECK(untouched(pin));
        }
    }
    /* An empty authcode is refused unsent; empty fields are sent (below). */
    rescue_pin_request empty_code = {0};
    empty_code.authcode = "";
    fill(pin);
    CHECK_STATUS(call(client, &empty_code, pin, RESCUE_PIN_BUFFER_LEN), BAD);
    CHECK_MESSAGE("authcode");
    CHECK(untouched(pin));
    rescue_client_free(client);

    /* Every field empty (and notechconsole set): a valid request. */
    client = logged_in("tech@sandbox.test");
    rescue_pin_request blank = {"", "", "", "", "", "", "", true, NULL};
    fill(pin);
    CHECK_STATUS(call(client, &blank, pin, RESCUE_PIN_BUFFER_LEN), RESCUE_STATUS_OK);
    CHECK(strlen(pin) == 6 && (unsigned char)pin[7] == SENTINEL);
    /* Exactly RESCUE_PIN_BUFFER_LEN bytes is enough. */
    char exact[RESCUE_PIN_BUFFER_LEN];
    CHECK_STATUS(call(client, NULL, exact, sizeof exact), RESCUE_STATUS_OK);
    CHECK(exact[6] == '\0');
    rescue_client_free(client);
}

static void lens_pin(void) { pin_arguments(rescue_request_lens_pin); }
static void desktop_pin(void) { pin_arguments(rescue_request_pin); }

static void auth_code(void) {
    rescue_client *client = new_client(refused_url());
    char code[OUT_LEN];
    const char *names[] = {"client", "email", "password", "code_out"};
    for (unsigned mask = 1; mask < 16; mask++) {
        rescue_client *c = (mask & 1) ? NULL : client;
        const char *email = (mask & 2) ? NULL : "tech@sandbox.test";
        const char *password = (mask & 4) ? NULL : "sandbox";
        char *out = (mask & 8) ? NULL : code;
        fill(code);
        CHECK_STATUS(rescue_request_auth_code(c, email, password, out, sizeof code), BAD);
        unsigned first = 0;
        while (!(mask & (1u << first))) {
            first++;
        }
        CHECK_MESSAGE(names[first]);
        CHECK(untouched(code));
    }
    for (size_t i = 0; i < NOT_UTF8_COUNT; i++) {
        fill(code);
        CHECK_STATUS(rescue_request_auth_code(client, not_utf8[i], "sandbox", code, sizeof code),
                     BAD);
        CHECK_MESSAGE("email");
        CHECK_STATUS(
            rescue_request_auth_code(client, "tech@sandbox.test", not_utf8[i], code, sizeof code),
            BAD);
        CHECK_MESSAGE("password");
        CHECK(untouched(code));
    }
    rescue_client_free(client);

    /* The code's size is known only once it came back: too small is refused, unwritten. */
    client = new_client(NULL);
    const size_t small[] = {0, 1, 32};
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++) {
        fill(code);
        CHECK_STATUS(
            rescue_request_auth_code(client, "tech@sandbox.test", "sandbox", code, small[i]),
            TOO_SMALL);
        CHECK_MESSAGE("code_out");
        CHECK(untouched(code));
    }
    fill(code);
    CHECK_STATUS(rescue_request_auth_code(client, "", "", code, sizeof code),
                 RESCUE_STATUS_INVALID);
    CHECK(untouched(code));
    CHECK_STATUS(rescue_request_auth_code(client, "tech@sandbox.test", "sandbox", code, 33),
                 RESCUE_STATUS_OK);
    CHECK(strlen(code) == 32 && (unsigned char)code[33] == SENTINEL);
    rescue_client_free(client);
}

static void last_error_buffers(void) {
    CHECK_STATUS(rescue_logout(NULL), BAD);
    size_t needed = rescue_last_error_message(NULL, 0);
    CHECK(needed > 0);
    /* NULL with a length: nothing written, the length still told. */
    CHECK(rescue_last_error_message(NULL, 100) == needed);
    char buf[OUT_LEN];
    fill(buf);
    CHECK(rescue_last_error_message(buf, 0) == needed);
    CHECK(untouched(buf));
    CHECK(rescue_last_error_message(buf, 1) == needed);
    CHECK(buf[0] == '\0' && (unsigned char)buf[1] == SENTINEL);
    fill(buf);
    CHECK(rescue_last_error_message(buf, 2) == needed);
    CHECK(buf[1] == '\0' && (unsigned char)buf[2] == SENTINEL);
    /* Every length up to the whole message: NUL-terminated inside the buffer, never past it. */
    for (size_t len = 1; len < OUT_LEN && len <= needed + 1; len++) {
        fill(buf);
        CHECK(rescue_last_error_message(buf, len) == needed);
        CHECK(strlen(buf) < len);
        CHECK((unsigned char)buf[len] == SENTINEL);
    }
}

static void status_names(void) {
    CHECK_STATUS(rescue_logout(NULL), BAD);
    size_t before = rescue_last_error_message(NULL, 0);
    const rescue_status unknown[] = {14, 99, 110, 1000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *name = rescue_status_name(unknown[i]);
        CHECK(name != NULL && strcmp(name, "UNKNOWN") == 0);
    }
    for (rescue_status s = 0; s <= 110; s++) {
        const char *name = rescue_status_name(s);
        bool known = s <= 13 || (s >= 100 && s <= 109);
        CHECK(name != NULL && (strcmp(name, "UNKNOWN") != 0) == known);
    }
    /* Names don't touch the last error. */
    CHECK(rescue_last_error_message(NULL, 0) == before);
    const char *version = rescue_version();
    CHECK(version != NULL && version[0] >= '0' && version[0] <= '9' &&
          strchr(version, '.') != NULL);
    CHECK(rescue_last_error_message(NULL, 0) == before);
}

const struct test boundary_tests[] = {
    {"boundary: rescue_client_new with NULL, empty, bad and non-UTF-8 URLs", client_new},
    {"boundary: every setter with NULL, 0, empty and non-UTF-8 values", setters},
    {"boundary: login/logout with every NULL combination and non-UTF-8", login_and_logout},
    {"boundary: request_lens_pin arguments, buffers 0/1/6, each member", lens_pin},
    {"boundary: request_pin arguments, buffers 0/1/6, each member", desktop_pin},
    {"boundary: request_auth_code arguments and buffers 0/1/32", auth_code},
    {"boundary: last_error_message with NULL, 0, 1 and every length", last_error_buffers},
    {"boundary: status names out of range, version", status_names},
    {NULL, NULL},
};
