/* Every status the sandbox can produce, through the C API. */
#include <ctype.h>
#include <string.h>

#include "test.h"

/* The sandbox's fixed authcodes (sandbox/src/accounts.rs). */
#define DELETED_AUTHCODE "sabazl9xjms8m4aujkhyqvwarl9w2ijg"
#define DISABLED_AUTHCODE "8tdidic9u8zhv6uv4il90jp97w1vn8b4"

static bool is_pin(const char *pin) {
    if (strlen(pin) != 6) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        if (!isdigit((unsigned char)pin[i])) {
            return false;
        }
    }
    return true;
}

static rescue_status lens_pin(rescue_client *client, const rescue_pin_request *request) {
    char pin[RESCUE_PIN_BUFFER_LEN];
    rescue_status status = rescue_request_lens_pin(client, request, pin, sizeof pin);
    if (status == RESCUE_STATUS_OK) {
        CHECK(is_pin(pin));
    }
    return status;
}

static rescue_status desktop_pin(rescue_client *client, const rescue_pin_request *request) {
    char pin[RESCUE_PIN_BUFFER_LEN];
    rescue_status status = rescue_request_pin(client, request, pin, sizeof pin);
    if (status == RESCUE_STATUS_OK) {
        CHECK(is_pin(pin));
    }
    return status;
}

static void ok_login_and_pins(void) {
    rescue_client *client = logged_in("tech@sandbox.test");
    CHECK_STATUS(lens_pin(client, NULL), RESCUE_STATUS_OK);
    CHECK_STATUS(desktop_pin(client, NULL), RESCUE_STATUS_OK);
    rescue_pin_request request = {0};
    request.cfield0 = "Jane Doe";
    request.tracking0 = "ticket-4711";
    CHECK_STATUS(lens_pin(client, &request), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_logout(client), RESCUE_STATUS_OK);
    rescue_client_free(client);
}

static void error_account(void) {
    rescue_client *client = logged_in("error@sandbox.test");
    CHECK_STATUS(lens_pin(client, NULL), RESCUE_STATUS_ERROR);
    rescue_client_free(client);
}

static void invalid_password(void) {
    rescue_client *client = new_client(NULL);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "wrong"), RESCUE_STATUS_INVALID);
    char code[64] = "untouched";
    CHECK_STATUS(rescue_request_auth_code(client, "tech@sandbox.test", "wrong", code, sizeof code),
                 RESCUE_STATUS_INVALID);
    CHECK(strcmp(code, "untouched") == 0);
    rescue_client_free(client);
}

static void limit_reached(void) {
    CHECK(sandbox_post(sandbox_url(), "reset"));
    rescue_client *client = new_client(NULL);
    for (int i = 0; i < 10; i++) {
        CHECK_STATUS(rescue_login(client, "nopins@sandbox.test", "sandbox"), RESCUE_STATUS_OK);
    }
    CHECK_STATUS(rescue_login(client, "nopins@sandbox.test", "sandbox"),
                 RESCUE_STATUS_LIMITREACHED);
    rescue_client_free(client);
    CHECK(sandbox_post(sandbox_url(), "reset"));
}

static void not_logged_in(void) {
    rescue_client *client = new_client(NULL);
    CHECK_STATUS(lens_pin(client, NULL), RESCUE_STATUS_NOTLOGGEDIN);
    CHECK_STATUS(rescue_logout(client), RESCUE_STATUS_NOTLOGGEDIN);
    rescue_client_free(client);
}

static void expired_session_without_renewal(void) {
    rescue_client *client = logged_in("tech@sandbox.test");
    CHECK_STATUS(rescue_client_set_renew_session(client, false), RESCUE_STATUS_OK);
    CHECK(sandbox_post(sandbox_url(), "expire"));
    CHECK_STATUS(lens_pin(client, NULL), RESCUE_STATUS_NOTLOGGEDIN);
    rescue_client_free(client);
}

static void expired_session_is_renewed(void) {
    rescue_client *client = logged_in("tech@sandbox.test");
    CHECK(sandbox_post(sandbox_url(), "expire"));
    CHECK_STATUS(lens_pin(client, NULL), RESCUE_STATUS_OK);
    rescue_client_free(client);
}

static void not_technician(void) {
    rescue_client *client = logged_in("admin@sandbox.test");
    CHECK_STATUS(lens_pin(client, NULL), RESCUE_STATUS_NOTTECHNICIAN);
    rescue_client_free(client);
}

static void no_tech_console_running(void) {
    rescue_client *client = logged_in("offline@sandbox.test");
    CHECK_STATUS(lens_pin(client, NULL), RESCUE_STATUS_NOTECHCONSOLERUNNING);
    rescue_pin_request request = {0};
    request.notechconsole = true;
    CHECK_STATUS(lens_pin(client, &request), RESCUE_STATUS_OK);
    rescue_client_free(client);
}

static void out_of_pin_codes(void) {
    rescue_client *client = logged_in("nopins@sandbox.test");
    CHECK_STATUS(desktop_pin(client, NULL), RESCUE_STATUS_OUTOFPINCODES);
    rescue_client_free(client);
}

static void poll_rate_exceeded(void) {
    rescue_client *client = new_client(sandbox_poll_url());
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"), RESCUE_STATUS_OK);
    CHECK_STATUS(lens_pin(client, NULL), RESCUE_STATUS_OK);
    CHECK_STATUS(lens_pin(client, NULL), RESCUE_STATUS_POLLRATEEXCEEDED);
    rescue_client_free(client);
}

static void authcode_flow(void) {
    rescue_client *client = new_client(NULL);
    char code[64];
    CHECK_STATUS(rescue_request_auth_code(client, "tech@sandbox.test", "sandbox", code, sizeof code),
                 RESCUE_STATUS_OK);
    CHECK(strlen(code) > 0);
    /* A fresh client without a login session authenticates with the code. */
    rescue_client *other = new_client(NULL);
    rescue_pin_request request = {0};
    request.authcode = code;
    CHECK_STATUS(lens_pin(other, &request), RESCUE_STATUS_OK);
    CHECK_STATUS(desktop_pin(other, &request), RESCUE_STATUS_OK);
    rescue_client_free(other);
    rescue_client_free(client);
}

static void invalid_secret_authcode(void) {
    rescue_client *client = new_client(NULL);
    rescue_pin_request request = {0};
    request.authcode = "not-a-real-code";
    CHECK_STATUS(lens_pin(client, &request), RESCUE_STATUS_INVALID_SECRETAUTHCODE);
    rescue_client_free(client);
}

static void user_is_deleted(void) {
    rescue_client *client = new_client(NULL);
    CHECK_STATUS(rescue_login(client, "deleted@sandbox.test", "sandbox"), RESCUE_STATUS_INVALID);
    rescue_pin_request request = {0};
    request.authcode = DELETED_AUTHCODE;
    CHECK_STATUS(lens_pin(client, &request), RESCUE_STATUS_USER_IS_DELETED);
    rescue_client_free(client);
}

static void user_deleted_or_disabled(void) {
    rescue_client *client = new_client(NULL);
    CHECK_STATUS(rescue_login(client, "disabled@sandbox.test", "sandbox"), RESCUE_STATUS_INVALID);
    rescue_pin_request request = {0};
    request.authcode = DISABLED_AUTHCODE;
    CHECK_STATUS(desktop_pin(client, &request), RESCUE_STATUS_USER_DELETED_OR_DISABLED);
    rescue_client_free(client);
}

static void no_access_to_lens(void) {
    rescue_client *client = logged_in("nolens@sandbox.test");
    CHECK_STATUS(lens_pin(client, NULL), RESCUE_STATUS_NO_ACCESS_TO_LENS);
    CHECK_STATUS(desktop_pin(client, NULL), RESCUE_STATUS_OK);
    rescue_client_free(client);
}

static void setters_keep_the_session(void) {
    rescue_client *client = logged_in("tech@sandbox.test");
    CHECK_STATUS(rescue_client_set_renew_session(client, false), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_client_set_timeout_ms(client, 5000), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_client_set_use_get(client, true), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_client_set_proxy(client, NULL), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_client_set_ca_file(client, NULL), RESCUE_STATUS_OK);
    /* Renewal is off, so this only works if the session survived the rebuilds. */
    CHECK_STATUS(lens_pin(client, NULL), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_client_set_use_get(client, false), RESCUE_STATUS_OK);
    CHECK_STATUS(desktop_pin(client, NULL), RESCUE_STATUS_OK);
    rescue_client_free(client);
}

static void status_names(void) {
    CHECK(strcmp(rescue_status_name(RESCUE_STATUS_OK), "OK") == 0);
    CHECK(strcmp(rescue_status_name(RESCUE_STATUS_NOTLOGGEDIN), "NOTLOGGEDIN") == 0);
    CHECK(strcmp(rescue_status_name(RESCUE_STATUS_NO_ACCESS_TO_LENS), "NO_ACCESS_TO_LENS") == 0);
    CHECK(strcmp(rescue_status_name(RESCUE_STATUS_INVALID_ARGUMENT), "INVALID_ARGUMENT") == 0);
    CHECK(strcmp(rescue_status_name(RESCUE_STATUS_FIELD_TOO_LONG), "FIELD_TOO_LONG") == 0);
    CHECK(strcmp(rescue_status_name(RESCUE_STATUS_BUFFER_TOO_SMALL), "BUFFER_TOO_SMALL") == 0);
    CHECK(strcmp(rescue_status_name(RESCUE_STATUS_UNEXPECTED_RESPONSE), "UNEXPECTED_RESPONSE") ==
          0);
    CHECK(strcmp(rescue_status_name(RESCUE_STATUS_PANIC), "PANIC") == 0);
    CHECK(strcmp(rescue_status_name(RESCUE_STATUS_GLOBAL_IP_RESTRICTED), "GLOBAL_IP_RESTRICTED") ==
          0);
    CHECK(strcmp(rescue_status_name(RESCUE_STATUS_SOAP_FAULT), "SOAP_FAULT") == 0);
    CHECK(RESCUE_STATUS_GLOBAL_IP_RESTRICTED == 13 && RESCUE_STATUS_SOAP_FAULT == 109);
    const rescue_status unknown[] = {14, 99, 110, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        CHECK(strcmp(rescue_status_name(unknown[i]), "UNKNOWN") == 0);
    }
    for (rescue_status s = 0; s < 200; s++) {
        CHECK(rescue_status_name(s) != NULL);
    }
}

static void version(void) {
    const char *v = rescue_version();
    CHECK(v != NULL && strlen(v) >= 5 && isdigit((unsigned char)v[0]));
}

const struct test status_tests[] = {
    {"status OK: login, Lens and desktop PINs, logout", ok_login_and_pins},
    {"status ERROR", error_account},
    {"status INVALID: wrong password", invalid_password},
    {"status LIMITREACHED: the 11th login", limit_reached},
    {"status NOTLOGGEDIN: no session", not_logged_in},
    {"status NOTLOGGEDIN: expired session, renewal off", expired_session_without_renewal},
    {"expired session is renewed by default", expired_session_is_renewed},
    {"status NOTTECHNICIAN", not_technician},
    {"status NOTECHCONSOLERUNNING, and notechconsole", no_tech_console_running},
    {"status OUTOFPINCODES", out_of_pin_codes},
    {"status POLLRATEEXCEEDED", poll_rate_exceeded},
    {"authcode: request it, then PINs without login", authcode_flow},
    {"status INVALID_SECRETAUTHCODE", invalid_secret_authcode},
    {"status USER_IS_DELETED", user_is_deleted},
    {"status USER_DELETED_OR_DISABLED", user_deleted_or_disabled},
    {"status NO_ACCESS_TO_LENS", no_access_to_lens},
    {"setters keep the login session", setters_keep_the_session},
    {"rescue_status_name", status_names},
    {"rescue_version", version},
    {NULL, NULL},
};
