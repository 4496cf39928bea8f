/* Contender: librescue through its C API. One rescue_client shared by every thread.
 * BENCH_TRANSPORT (post, get, soap11, soap12; default post) picks the transport and
 * BENCH_CA a CA file for an https:// base URL (bench/run.py sets both). */
#include "harness.h"

#include <rescue.h>

static void fail(const char *what, rescue_status status)
{
    char message[512];
    rescue_last_error_message(message, sizeof message);
    fprintf(stderr, "librescue: %s: %s: %s\n", what, rescue_status_name(status), message);
}

static void *open_client(const char *base_url)
{
    rescue_client *client = NULL;
    rescue_status status = rescue_client_new(base_url, &client);
    if (status != RESCUE_STATUS_OK) {
        fail("rescue_client_new", status);
        return NULL;
    }
    static const struct {
        const char *name;
        rescue_transport value;
    } transports[] = {{"post", RESCUE_TRANSPORT_HTTP_POST},
                      {"get", RESCUE_TRANSPORT_HTTP_GET},
                      {"soap11", RESCUE_TRANSPORT_SOAP_1_1},
                      {"soap12", RESCUE_TRANSPORT_SOAP_1_2}};
    const char *transport = getenv("BENCH_TRANSPORT"), *ca = getenv("BENCH_CA");
    if (transport != NULL && *transport != '\0') {
        size_t i = 0;
        while (i < sizeof transports / sizeof *transports && strcmp(transports[i].name, transport))
            i++;
        if (i == sizeof transports / sizeof *transports) {
            fprintf(stderr, "librescue: BENCH_TRANSPORT=%s: not post, get, soap11 or soap12\n",
                    transport);
            rescue_client_free(client);
            return NULL;
        }
        status = rescue_client_set_transport(client, transports[i].value);
    }
    if (status == RESCUE_STATUS_OK && ca != NULL && *ca != '\0')
        status = rescue_client_set_ca_file(client, ca);
    if (status != RESCUE_STATUS_OK) {
        fail("rescue_client_set_transport/ca_file", status);
        rescue_client_free(client);
        return NULL;
    }
    status = rescue_login(client, bench_email(), BENCH_PASSWORD);
    if (status != RESCUE_STATUS_OK) {
        fail("rescue_login", status);
        rescue_client_free(client);
        return NULL;
    }
    return client;
}

static void *thread_open(void *shared) { return shared; }

static int pin(void *ctx, char out[7])
{
    static const rescue_pin_request request = {.cfield0 = BENCH_CFIELD0};
    rescue_status status = rescue_request_lens_pin(ctx, &request, out, 7);
    if (status != RESCUE_STATUS_OK) {
        fail("rescue_request_lens_pin", status);
        return -1;
    }
    return 0;
}

static void thread_close(void *ctx) { (void)ctx; }
static void close_client(void *shared) { rescue_client_free(shared); }
static const char *version(void) { return rescue_version(); }

int main(int argc, char **argv)
{
    static const contender c = {"c-librescue", open_client, thread_open, pin,
                                thread_close, close_client, version};
    return bench_main(&c, argc, argv);
}
