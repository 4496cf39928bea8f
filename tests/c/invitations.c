/* Lens invitations through rescue_request_lens_pin_invite, over the run's transport (POST,
 * SOAP 1.1 or SOAP 1.2; run.sh runs the suite in each): the SMS result, the page or SOAP
 * operation each invitation reaches (the sandbox's inspection JSON names it), NodeIds, and
 * what is refused before any traffic. */
#include <string.h>

#include "test.h"

#define PHONE "+1 555 0100"
/* The sandbox fails the SMS of a number starting with +999 (sandbox README). */
#define FAILING "+999 555 0123"
#define SMS_SENT "sendInvitationForMobileSession_OK"
#define SMS_FAILED "sendInvitationForMobileSession_Error"
#define TECH_CODE "ytzw7h07nu9o4oxqbf49dpayuqvdnmzd"
#define ADMIN_CODE "oc3ka44px5lvk72k2yrlrq6p87sldyyt"

static bool soap(void) { return test_transport() != RESCUE_TRANSPORT_HTTP_POST; }

/* Whether the sandbox's JSON holds `text`. */
static bool recorded(const char *text) {
    const char *sessions = sandbox_sessions();
    CHECK(sessions != NULL);
    return sessions != NULL && strstr(sessions, text) != NULL;
}

static bool nothing_recorded(void) {
    const char *sessions = sandbox_sessions();
    return sessions != NULL && strcmp(sessions, "[]") == 0;
}

/* `"call":"<page>.aspx"` over POST, the SOAP operation otherwise. */
static const char *call_of(const char *page, const char *operation) {
    static char text[96];
    snprintf(text, sizeof text, "\"call\":\"%s\"", soap() ? operation : page);
    return text;
}

static void invite_once(rescue_client *client, const char *transport);

static void invite_texts_the_pin(void) {
    /* Over POST the run also tries GET; SOAP runs keep their transport. */
    for (int use_get = 0; use_get <= (soap() ? 0 : 1); use_get++) {
        CHECK(sandbox_post(sandbox_url(), "reset"));
        rescue_client *client = new_client(NULL);
        if (use_get) {
            CHECK_STATUS(rescue_client_set_use_get(client, 1), RESCUE_STATUS_OK);
        }
        invite_once(client, use_get ? "get" : soap() ? NULL : "post");
        rescue_client_free(client);
    }
}

static void invite_once(rescue_client *client, const char *transport) {
    rescue_pin_request request = {0};
    request.authcode = TECH_CODE;
    rescue_lens_invitation invitation = {PHONE, "DE", NULL};
    char pin[RESCUE_PIN_BUFFER_LEN] = "";
    char sms[RESCUE_SMS_RESULT_BUFFER_LEN] = "untouched";
    CHECK_STATUS(rescue_request_lens_pin_invite(client, &request, &invitation, pin, sizeof pin,
                                                sms, sizeof sms),
                 RESCUE_STATUS_OK);
    CHECK(strlen(pin) == 6);
    CHECK(strcmp(sms, SMS_SENT) == 0);
    CHECK(recorded(pin));
    CHECK(recorded(call_of("requestLensPINCode_v3.aspx", "requestLensPINCodeV3")));
    /* Sent as the service spells it: the sandbox answers ERROR to "DE" sent raw. */
    CHECK(recorded("\"lang_code\":\"de\""));
    CHECK(recorded("\"phone_number\":\"" PHONE "\""));
    char link[80];
    snprintf(link, sizeof link, "https://secure.logmeinrescue.com/R?i=2&Code=%s", pin);
    CHECK(recorded(link));
    if (transport != NULL) {
        char shown[40];
        snprintf(shown, sizeof shown, "\"transport\":\"%s\"", transport);
        CHECK(recorded(shown));
    }
}

static void invite_failed_sms_still_gives_a_pin(void) {
    rescue_client *client = logged_in("tech@sandbox.test");
    rescue_lens_invitation invitation = {FAILING, NULL, NULL};
    char pin[RESCUE_PIN_BUFFER_LEN] = "";
    char sms[RESCUE_SMS_RESULT_BUFFER_LEN] = "";
    CHECK_STATUS(rescue_request_lens_pin_invite(client, NULL, &invitation, pin, sizeof pin, sms,
                                                sizeof sms),
                 RESCUE_STATUS_OK);
    CHECK(strlen(pin) == 6);
    CHECK(strcmp(sms, SMS_FAILED) == 0);
    CHECK(recorded(pin));
    CHECK(recorded("\"sms_result\":\"" SMS_FAILED "\""));
    rescue_client_free(client);
}

static void invite_every_language(void) {
    const char *codes[][2] = {{"de", "Ihr Techniker"},   {"en", "Your technician"},
                              {"es", "Su t"},            {"fr", "Votre technicien"},
                              {"nl", "Uw technicus"},    {"PT-BR", "Seu t"}};
    rescue_client *client = new_client(NULL);
    rescue_pin_request request = {0};
    request.authcode = TECH_CODE;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        CHECK(sandbox_post(sandbox_url(), "reset"));
        rescue_lens_invitation invitation = {PHONE, codes[i][0], NULL};
        char pin[RESCUE_PIN_BUFFER_LEN] = "";
        char sms[RESCUE_SMS_RESULT_BUFFER_LEN] = "";
        CHECK_STATUS(rescue_request_lens_pin_invite(client, &request, &invitation, pin,
                                                    sizeof pin, sms, sizeof sms),
                     RESCUE_STATUS_OK);
        char lang[32], text[64];
        snprintf(lang, sizeof lang, "\"lang_code\":\"%s\"", i == 5 ? "pt-br" : codes[i][0]);
        snprintf(text, sizeof text, "\"sms_text\":\"%s", codes[i][1]);
        CHECK(recorded(lang));
        CHECK(recorded(text));
        CHECK(strcmp(sms, SMS_SENT) == 0);
    }
    rescue_client_free(client);
}

/* NULL and an all-NULL invitation are the plain v1 request: nothing else reaches the
 * sandbox, and the SMS result is "". */
static void invite_null_is_the_plain_request(void) {
    rescue_client *client = new_client(NULL);
    rescue_pin_request request = {0};
    request.authcode = TECH_CODE;
    rescue_lens_invitation empty = {NULL, NULL, NULL};
    const rescue_lens_invitation *invitations[] = {NULL, &empty};
    for (size_t i = 0; i < 2; i++) {
        CHECK(sandbox_post(sandbox_url(), "reset"));
        char pin[RESCUE_PIN_BUFFER_LEN] = "";
        char sms[RESCUE_SMS_RESULT_BUFFER_LEN] = "untouched";
        CHECK_STATUS(rescue_request_lens_pin_invite(client, &request, invitations[i], pin,
                                                    sizeof pin, sms, sizeof sms),
                     RESCUE_STATUS_OK);
        CHECK(sms[0] == '\0');
        CHECK(recorded(pin));
        CHECK(recorded(call_of("requestLensPINCode.aspx", "requestLensPINCode")));
        CHECK(recorded("\"invitation\":null"));
    }
    rescue_client_free(client);
}

static void invite_node_id(void) {
    rescue_client *client = new_client(NULL);
    rescue_pin_request request = {0};
    request.authcode = ADMIN_CODE; /* a helpdesk system: an administrator */
    rescue_lens_invitation invitation = {PHONE, NULL, "1001"};
    char pin[RESCUE_PIN_BUFFER_LEN] = "";
    char sms[RESCUE_SMS_RESULT_BUFFER_LEN] = "";
    if (soap()) {
        /* No documented SOAP operation takes a NodeId: refused before sending. */
        CHECK_STATUS(rescue_request_lens_pin_invite(client, &request, &invitation, pin,
                                                    sizeof pin, sms, sizeof sms),
                     RESCUE_STATUS_INVALID_ARGUMENT);
        CHECK(pin[0] == '\0' && sms[0] == '\0');
        CHECK(nothing_recorded());
    } else {
        CHECK_STATUS(rescue_request_lens_pin_invite(client, &request, &invitation, pin,
                                                    sizeof pin, sms, sizeof sms),
                     RESCUE_STATUS_OK);
        CHECK(strcmp(sms, SMS_SENT) == 0);
        CHECK(recorded("\"technician\":\"tech@sandbox.test\""));
        CHECK(recorded("\"requested_by\":\"admin@sandbox.test\""));
        CHECK(recorded("\"call\":\"requestLensPINCode_v4.aspx\""));
        CHECK(recorded("\"node_id\":\"1001\""));
        /* No such technician: the service's ERROR (the sandbox's assumption). */
        invitation.node_id = "4242";
        CHECK_STATUS(rescue_request_lens_pin_invite(client, &request, &invitation, pin,
                                                    sizeof pin, sms, sizeof sms),
                     RESCUE_STATUS_ERROR);
    }
    rescue_client_free(client);
}

/* Buffers are checked before any traffic: a client of a closed port would fail with
 * NETWORK if anything were sent. */
static void invite_buffers(void) {
    rescue_client *nowhere = new_client(refused_url());
    rescue_lens_invitation invitation = {PHONE, "en", NULL};
    char pin[RESCUE_PIN_BUFFER_LEN] = "";
    char small[RESCUE_SMS_RESULT_BUFFER_LEN - 1] = "";
    CHECK_STATUS(rescue_request_lens_pin_invite(nowhere, NULL, &invitation, pin, sizeof pin,
                                                small, sizeof small),
                 RESCUE_STATUS_BUFFER_TOO_SMALL);
    char sms[RESCUE_SMS_RESULT_BUFFER_LEN] = "";
    CHECK_STATUS(rescue_request_lens_pin_invite(nowhere, NULL, &invitation, pin, sizeof pin, sms,
                                                0),
                 RESCUE_STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(rescue_request_lens_pin_invite(nowhere, NULL, &invitation, pin, sizeof pin,
                                                NULL, sizeof sms),
                 RESCUE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(rescue_request_lens_pin_invite(nowhere, NULL, &invitation, pin, 3, sms,
                                                sizeof sms),
                 RESCUE_STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(rescue_request_lens_pin_invite(NULL, NULL, &invitation, pin, sizeof pin, sms,
                                                sizeof sms),
                 RESCUE_STATUS_INVALID_ARGUMENT);
    /* Past the checks, it does try the network. */
    CHECK_STATUS(rescue_request_lens_pin_invite(nowhere, NULL, &invitation, pin, sizeof pin,
                                                NULL, 0),
                 RESCUE_STATUS_NETWORK);
    rescue_client_free(nowhere);
    CHECK(nothing_recorded());

    /* NULL with length 0: the SMS result is not wanted, the PIN still comes. */
    rescue_client *client = new_client(NULL);
    rescue_pin_request request = {0};
    request.authcode = TECH_CODE;
    CHECK_STATUS(rescue_request_lens_pin_invite(client, &request, &invitation, pin, sizeof pin,
                                                NULL, 0),
                 RESCUE_STATUS_OK);
    CHECK(strlen(pin) == 6 && recorded(pin));
    CHECK(recorded("\"sms_result\":\"" SMS_SENT "\""));
    rescue_client_free(client);
}

static void invite_bad_inputs_never_leave(void) {
    static char too_long[34];
    memset(too_long, '5', 33);
    const rescue_lens_invitation bad[] = {
        {"", NULL, NULL},       {"   ", NULL, NULL},      {"+1 555\n0100", NULL, NULL},
        {too_long, NULL, NULL}, {PHONE, "it", NULL},      {PHONE, "pt", NULL},
        {NULL, "", NULL},       {NULL, NULL, ""},         {NULL, NULL, "12a"},
        {NULL, NULL, "-1"},     {"+1 555\t0100", NULL, NULL},
    };
    rescue_client *nowhere = new_client(refused_url());
    rescue_client *client = new_client(NULL);
    rescue_pin_request request = {0};
    request.authcode = TECH_CODE;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rescue_client *both[] = {nowhere, client};
        for (size_t c = 0; c < 2; c++) {
            char pin[RESCUE_PIN_BUFFER_LEN] = "";
            char sms[RESCUE_SMS_RESULT_BUFFER_LEN] = "";
            rescue_status status = rescue_request_lens_pin_invite(both[c], &request, &bad[i], pin,
                                                                  sizeof pin, sms, sizeof sms);
            if (status != RESCUE_STATUS_INVALID_ARGUMENT) {
                fprintf(stderr, "    invitation %zu: status %d\n", i, (int)status);
            }
            CHECK(status == RESCUE_STATUS_INVALID_ARGUMENT);
            CHECK(pin[0] == '\0' && sms[0] == '\0');
            char message[512] = "";
            rescue_last_error_message(message, sizeof message);
            CHECK(message[0] != '\0');
            /* The customer's number is personal data: never in a message. */
            CHECK(strstr(message, "555") == NULL);
        }
    }
    CHECK(nothing_recorded());
    rescue_client_free(nowhere);
    rescue_client_free(client);
}

/* The service's refusal of an invitation is its status, and names no phone number. */
static void invite_service_words(void) {
    rescue_client *client = new_client(NULL); /* not logged in */
    rescue_lens_invitation invitation = {"+44 7700 900123", "en", NULL};
    char pin[RESCUE_PIN_BUFFER_LEN] = "";
    char sms[RESCUE_SMS_RESULT_BUFFER_LEN] = "";
    CHECK_STATUS(rescue_request_lens_pin_invite(client, NULL, &invitation, pin, sizeof pin, sms,
                                                sizeof sms),
                 RESCUE_STATUS_NOTLOGGEDIN);
    char message[512] = "";
    rescue_last_error_message(message, sizeof message);
    CHECK(strstr(message, "7700") == NULL && strstr(message, "900123") == NULL);
    rescue_pin_request request = {0};
    request.authcode = "oc3ka44px5lvk72k2yrlrq6p87sldyyt"; /* an administrator, for itself */
    CHECK_STATUS(rescue_request_lens_pin_invite(client, &request, &invitation, pin, sizeof pin,
                                                sms, sizeof sms),
                 RESCUE_STATUS_NOTTECHNICIAN);
    CHECK(nothing_recorded());
    rescue_client_free(client);
}

const struct test invitation_tests[] = {
    {"invite_texts_the_pin", invite_texts_the_pin},
    {"invite_failed_sms_still_gives_a_pin", invite_failed_sms_still_gives_a_pin},
    {"invite_every_language", invite_every_language},
    {"invite_null_is_the_plain_request", invite_null_is_the_plain_request},
    {"invite_node_id", invite_node_id},
    {"invite_buffers", invite_buffers},
    {"invite_bad_inputs_never_leave", invite_bad_inputs_never_leave},
    {"invite_service_words", invite_service_words},
    {NULL, NULL},
};
