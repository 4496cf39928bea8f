/* Log in and request a Rescue Lens PIN: lens_pin [BASE_URL]
 * BASE_URL defaults to $RESCUE_BASE_URL, then the public service; credentials come from
 * $RESCUE_EMAIL and $RESCUE_PASSWORD. */
#include <stdio.h>
#include <stdlib.h>

#include <rescue.h>

static int fail(const char *what, rescue_status status) {
    char message[256];
    rescue_last_error_message(message, sizeof message);
    fprintf(stderr, "%s: %s: %s\n", what, rescue_status_name(status), message);
    return 1;
}

int main(int argc, char **argv) {
    const char *base_url = argc > 1 ? argv[1] : getenv("RESCUE_BASE_URL");
    rescue_client *client = NULL;
    rescue_status status = rescue_client_new(base_url, &client);
    if (status != RESCUE_STATUS_OK) {
        return fail("client", status);
    }
    status = rescue_login(client, getenv("RESCUE_EMAIL"), getenv("RESCUE_PASSWORD"));
    char pin[RESCUE_PIN_BUFFER_LEN];
    rescue_pin_request request = {.cfield0 = "Example customer"};
    if (status == RESCUE_STATUS_OK) {
        status = rescue_request_lens_pin(client, &request, pin, sizeof pin);
    }
    rescue_client_free(client);
    if (status != RESCUE_STATUS_OK) {
        return fail("lens_pin", status);
    }
    printf("%s\n", pin);
    return 0;
}
