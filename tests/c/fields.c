/* Non-ASCII field values arrive byte-exact over POST and GET, and the limits count
 * characters, not bytes. The byte sequences are spelled out so that no compiler's execution
 * character set (MinGW's included) changes them. */
#include <string.h>

#include "test.h"

/* "Zoë Ünïcødé 東京 🦀" in UTF-8. */
#define NON_ASCII                                                                          \
    "Zo\xc3\xab \xc3\x9cn\xc3\xaf\x63\xc3\xb8\x64\xc3\xa9 \xe6\x9d\xb1\xe4\xba\xac "          \
    "\xf0\x9f\xa6\x80"
#define E_ACUTE "\xc3\xa9"

static void non_ascii_round_trip(void) {
    for (int use_get = 0; use_get <= 1; use_get++) {
        CHECK(sandbox_post(sandbox_url(), "reset"));
        rescue_client *client = logged_in("tech@sandbox.test");
        CHECK_STATUS(rescue_client_set_use_get(client, use_get), RESCUE_STATUS_OK);
        rescue_pin_request request = {0};
        request.cfield0 = NON_ASCII;
        request.tracking0 = "ticket " E_ACUTE "4711";
        char pin[RESCUE_PIN_BUFFER_LEN] = "";
        CHECK_STATUS(rescue_request_lens_pin(client, &request, pin, sizeof pin), RESCUE_STATUS_OK);
        /* The sandbox's record of the session, as JSON with the text unescaped. */
        const char *sessions = sandbox_sessions();
        CHECK(sessions != NULL);
        if (sessions != NULL) {
            CHECK(strstr(sessions, "\"cfield0\":\"" NON_ASCII "\"") != NULL);
            CHECK(strstr(sessions, "\"tracking0\":\"ticket " E_ACUTE "4711\"") != NULL);
            CHECK(pin[0] != '\0' && strstr(sessions, pin) != NULL);
        }
        rescue_client_free(client);
    }
}

/* `count` times "é" (two bytes each) into `buf`. */
static const char *e_acutes(char *buf, size_t count) {
    for (size_t i = 0; i < count; i++) {
        memcpy(buf + 2 * i, E_ACUTE, 2);
    }
    buf[2 * count] = '\0';
    return buf;
}

static void limits_count_characters(void) {
    /* cfield0 and tracking0 take 64 characters, cfield1 512, cfield3 256. */
    static char value[2 * 513 + 1];
    const struct {
        const char *name;
        size_t limit;
    } fields[] = {{"cfield0", 64}, {"cfield1", 512}, {"cfield3", 256}, {"tracking0", 64}};
    rescue_client *client = logged_in("tech@sandbox.test");
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        for (size_t extra = 0; extra <= 1; extra++) {
            rescue_pin_request request = {0};
            const char *text = e_acutes(value, fields[f].limit + extra);
            const char **slot = f == 0   ? &request.cfield0
                                : f == 1 ? &request.cfield1
                                : f == 2 ? &request.cfield3
                                         : &request.tracking0;
            *slot = text;
            char pin[RESCUE_PIN_BUFFER_LEN];
            rescue_status expected = extra ? RESCUE_STATUS_FIELD_TOO_LONG : RESCUE_STATUS_OK;
            CHECK_STATUS(rescue_request_lens_pin(client, &request, pin, sizeof pin), expected);
            if (extra) {
                char message[256];
                rescue_last_error_message(message, sizeof message);
                CHECK(strstr(message, fields[f].name) != NULL);
            }
        }
    }
    rescue_client_free(client);
}

const struct test field_tests[] = {
    {"non-ASCII fields arrive byte-exact (POST and GET)", non_ascii_round_trip},
    {"field limits count characters: 64/512/256/64 x U+00E9 fine, one more refused",
     limits_count_characters},
    {NULL, NULL},
};
