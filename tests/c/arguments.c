/* Argument checks: NULL, invalid UTF-8, buffer sizes, field limits, the error message. */
#include <string.h>

#include "test.h"

static void null_client(void) {
    char pin[RESCUE_PIN_BUFFER_LEN];
    char code[64];
    const rescue_status bad = RESCUE_STATUS_INVALID_ARGUMENT;
    CHECK_STATUS(rescue_login(NULL, "tech@sandbox.test", "sandbox"), bad);
    CHECK_STATUS(rescue_logout(NULL), bad);
    CHECK_STATUS(rescue_request_lens_pin(NULL, NULL, pin, sizeof pin), bad);
    CHECK_STATUS(rescue_request_pin(NULL, NULL, pin, sizeof pin), bad);
    CHECK_STATUS(rescue_request_auth_code(NULL, "a@b", "p", code, sizeof code), bad);
    CHECK_STATUS(rescue_client_set_timeout_ms(NULL, 1000), bad);
    CHECK_STATUS(rescue_client_set_ca_file(NULL, NULL), bad);
    CHECK_STATUS(rescue_client_set_proxy(NULL, NULL), bad);
    CHECK_STATUS(rescue_client_set_use_get(NULL, true), bad);
    CHECK_STATUS(rescue_client_set_renew_session(NULL, true), bad);
    CHECK_STATUS(rescue_client_set_allow_plain_http(NULL, true), bad);
    rescue_client_free(NULL);
}

static void null_strings_and_outputs(void) {
    rescue_client *client = new_client(NULL);
    const rescue_status bad = RESCUE_STATUS_INVALID_ARGUMENT;
    char code[64];
    CHECK_STATUS(rescue_login(client, NULL, "sandbox"), bad);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", NULL), bad);
    CHECK_STATUS(rescue_request_auth_code(client, NULL, "sandbox", code, sizeof code), bad);
    CHECK_STATUS(rescue_request_auth_code(client, "tech@sandbox.test", "sandbox", NULL, 64), bad);
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, NULL, RESCUE_PIN_BUFFER_LEN), bad);
    CHECK_STATUS(rescue_client_new(NULL, NULL), bad);
    rescue_client_free(client);
}

static void invalid_utf8(void) {
    rescue_client *client = new_client(NULL);
    const rescue_status bad = RESCUE_STATUS_INVALID_ARGUMENT;
    CHECK_STATUS(rescue_login(client, "\xff", "sandbox"), bad);
    char message[256];
    rescue_last_error_message(message, sizeof message);
    CHECK(strstr(message, "email") != NULL && strstr(message, "UTF-8") != NULL);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "pw\xc3"), bad);
    CHECK_STATUS(rescue_client_set_proxy(client, "http://\xfe"), bad);
    rescue_pin_request request = {0};
    request.cfield3 = "caf\xe9";
    char pin[RESCUE_PIN_BUFFER_LEN] = "xxxxxx";
    CHECK_STATUS(rescue_request_lens_pin(client, &request, pin, sizeof pin), bad);
    rescue_last_error_message(message, sizeof message);
    CHECK(strstr(message, "cfield3") != NULL);
    CHECK(strcmp(pin, "xxxxxx") == 0);
    rescue_client *other = NULL;
    CHECK_STATUS(rescue_client_new("http://\xff/API/", &other), bad);
    CHECK(other == NULL);
    rescue_client_free(client);
}

static void bad_base_urls(void) {
    const char *urls[] = {"", "ftp://example.com/API/", "not a url", "http://u:p@host/API/"};
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        rescue_client *client = NULL;
        CHECK_STATUS(rescue_client_new(urls[i], &client), RESCUE_STATUS_INVALID_ARGUMENT);
        CHECK(client == NULL);
    }
    rescue_client *client = NULL;
    CHECK_STATUS(rescue_client_new(NULL, &client), RESCUE_STATUS_OK); /* the public service */
    CHECK(client != NULL);
    rescue_client_free(client);
}

static void plain_http_off_this_machine(void) {
    /* Creating works, so the setter can still allow it; each call is refused unsent. */
    rescue_client *client = new_client("http://rescue.invalid/API/");
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"),
                 RESCUE_STATUS_INVALID_ARGUMENT);
    char message[256];
    rescue_last_error_message(message, sizeof message);
    CHECK(strstr(message, "clear text") != NULL);
    /* Allowed, the request really goes out: the .invalid name doesn't resolve. */
    CHECK_STATUS(rescue_client_set_allow_plain_http(client, true), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"), RESCUE_STATUS_NETWORK);
    CHECK_STATUS(rescue_client_set_allow_plain_http(client, false), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"),
                 RESCUE_STATUS_INVALID_ARGUMENT);
    rescue_client_free(client);
}

static void small_pin_buffer(void) {
    /* A refused URL: the size is checked before any traffic, so no NETWORK. */
    rescue_client *client = new_client(refused_url());
    char pin[8] = "abcdefg";
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, 6), RESCUE_STATUS_BUFFER_TOO_SMALL);
    CHECK(memcmp(pin, "abcdefg", 8) == 0);
    CHECK_STATUS(rescue_request_pin(client, NULL, pin, 0), RESCUE_STATUS_BUFFER_TOO_SMALL);
    CHECK(memcmp(pin, "abcdefg", 8) == 0);
    char message[256];
    rescue_last_error_message(message, sizeof message);
    CHECK(strstr(message, "pin_out") != NULL);
    rescue_client_free(client);
}

static void small_code_buffer(void) {
    rescue_client *client = new_client(NULL);
    char code[10] = "untouched";
    CHECK_STATUS(rescue_request_auth_code(client, "tech@sandbox.test", "sandbox", code, sizeof code),
                 RESCUE_STATUS_BUFFER_TOO_SMALL);
    CHECK(strcmp(code, "untouched") == 0);
    char message[256];
    rescue_last_error_message(message, sizeof message);
    CHECK(strstr(message, "33") != NULL);                  /* 32 characters and the NUL */
    CHECK(strstr(message, "ytzw7h07nu9o4oxq") == NULL);     /* never the secret */
    rescue_client_free(client);
}

static void field_too_long(void) {
    rescue_client *client = logged_in("tech@sandbox.test");
    char field[66];
    memset(field, 'a', 65);
    field[65] = '\0';
    rescue_pin_request request = {0};
    request.cfield0 = field;
    char pin[RESCUE_PIN_BUFFER_LEN] = "xxxxxx";
    CHECK_STATUS(rescue_request_lens_pin(client, &request, pin, sizeof pin),
                 RESCUE_STATUS_FIELD_TOO_LONG);
    CHECK(strcmp(pin, "xxxxxx") == 0);
    char message[256];
    rescue_last_error_message(message, sizeof message);
    CHECK(strstr(message, "cfield0") != NULL && strstr(message, "64") != NULL &&
          strstr(message, "65") != NULL);
    field[64] = '\0'; /* 64 characters: allowed */
    CHECK_STATUS(rescue_request_lens_pin(client, &request, pin, sizeof pin), RESCUE_STATUS_OK);
    rescue_client_free(client);
}

static void empty_requests(void) {
    rescue_client *client = logged_in("tech@sandbox.test");
    char pin[RESCUE_PIN_BUFFER_LEN];
    rescue_pin_request zero = {0};
    CHECK_STATUS(rescue_request_lens_pin(client, &zero, pin, sizeof pin), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_request_pin(client, NULL, pin, sizeof pin), RESCUE_STATUS_OK);
    rescue_pin_request empty_code = {0};
    empty_code.authcode = "";
    CHECK_STATUS(rescue_request_pin(client, &empty_code, pin, sizeof pin),
                 RESCUE_STATUS_INVALID_ARGUMENT);
    rescue_client_free(client);
}

static void bad_settings_leave_the_client_unchanged(void) {
    rescue_client *client = logged_in("tech@sandbox.test");
    CHECK_STATUS(rescue_client_set_renew_session(client, false), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_client_set_timeout_ms(client, 0), RESCUE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(rescue_client_set_proxy(client, "::not a proxy::"), RESCUE_STATUS_INVALID_ARGUMENT);
    char pin[RESCUE_PIN_BUFFER_LEN];
    CHECK_STATUS(rescue_request_lens_pin(client, NULL, pin, sizeof pin), RESCUE_STATUS_OK);
    rescue_client_free(client);
}

static void proxy_is_used(void) {
    /* A proxy that refuses connections: the request goes there, not to the sandbox. */
    rescue_client *client = new_client(NULL);
    CHECK_STATUS(rescue_client_set_proxy(client, refused_url()), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"), RESCUE_STATUS_NETWORK);
    CHECK_STATUS(rescue_client_set_proxy(client, NULL), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"), RESCUE_STATUS_OK);
    rescue_client_free(client);
}

static void last_error_message(void) {
    rescue_client *client = new_client(NULL);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "hunter2-secret"), RESCUE_STATUS_INVALID);
    size_t needed = rescue_last_error_message(NULL, 0);
    CHECK(needed > 10);
    char full[512];
    CHECK(rescue_last_error_message(full, sizeof full) == needed);
    CHECK(strlen(full) == needed);
    CHECK(strstr(full, "INVALID") != NULL);
    CHECK(strstr(full, "hunter2") == NULL);

    char one[1] = {'x'};
    CHECK(rescue_last_error_message(one, 1) == needed);
    CHECK(one[0] == '\0');
    char zero[1] = {'x'};
    CHECK(rescue_last_error_message(zero, 0) == needed);
    CHECK(zero[0] == 'x');
    char eight[9];
    memset(eight, 'x', sizeof eight);
    CHECK(rescue_last_error_message(eight, 8) == needed);
    CHECK(strlen(eight) == 7 && strncmp(eight, full, 7) == 0 && eight[8] == 'x');

    /* A successful call clears it. */
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"), RESCUE_STATUS_OK);
    CHECK(rescue_last_error_message(full, sizeof full) == 0);
    CHECK(full[0] == '\0');
    rescue_client_free(client);
}

static void secrets_stay_out_of_messages(void) {
    rescue_client *client = new_client(NULL);
    rescue_pin_request request = {0};
    request.authcode = "my-secret-authcode";
    char pin[RESCUE_PIN_BUFFER_LEN];
    CHECK_STATUS(rescue_request_lens_pin(client, &request, pin, sizeof pin),
                 RESCUE_STATUS_INVALID_SECRETAUTHCODE);
    char message[512];
    rescue_last_error_message(message, sizeof message);
    CHECK(strstr(message, "my-secret") == NULL);
    rescue_client_free(client);
    /* GET puts parameters in the URL; a network error must still not show them. */
    client = new_client(refused_url());
    CHECK_STATUS(rescue_client_set_use_get(client, true), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "pw-secret"), RESCUE_STATUS_NETWORK);
    rescue_last_error_message(message, sizeof message);
    CHECK(strstr(message, "pw-secret") == NULL);
    rescue_client_free(client);
}

const struct test argument_tests[] = {
    {"NULL client: INVALID_ARGUMENT everywhere, free(NULL) is a no-op", null_client},
    {"NULL strings and outputs", null_strings_and_outputs},
    {"invalid UTF-8", invalid_utf8},
    {"bad base URLs, NULL is the public service", bad_base_urls},
    {"plain http:// off this machine is refused unless allowed", plain_http_off_this_machine},
    {"6-byte PIN buffer: BUFFER_TOO_SMALL, untouched, no traffic", small_pin_buffer},
    {"small authcode buffer: BUFFER_TOO_SMALL, untouched", small_code_buffer},
    {"65-character cfield0: FIELD_TOO_LONG; 64 is fine", field_too_long},
    {"NULL and zeroed requests; empty authcode", empty_requests},
    {"failed setters leave the client unchanged", bad_settings_leave_the_client_unchanged},
    {"set_proxy routes requests, NULL removes it", proxy_is_used},
    {"last error message: content, truncation, cleared on success", last_error_message},
    {"secrets stay out of messages", secrets_stay_out_of_messages},
    {NULL, NULL},
};
