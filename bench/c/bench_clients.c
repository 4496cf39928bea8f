/*
 * Memory per client (issue 20): what one more client costs a process that keeps many, each
 * holding one idle keep-alive connection after an authcode PIN request.
 *
 *   bench-clients-X BASE_URL N [CA_FILE]
 *
 * Built twice from this file: -DCLIENTS_RESCUE (a rescue_client each) and -DCLIENTS_CURL
 * (a libcurl easy handle each, as a C programmer would keep one per technician). One
 * client is made and used first (libraries loaded, TLS set up once, allocator warm), then
 * RSS is read, N more clients are made and each requests one PIN, and RSS is read again.
 * stdout: one JSON line. A failed call exits 1 with the reason on stderr.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *email(void)
{
    const char *e = getenv("BENCH_EMAIL");
    return e != NULL && *e != '\0' ? e : "tech@sandbox.test";
}

static long rss_kb(void)
{
    long pages = 0, resident = -1;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL)
        return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

#ifdef CLIENTS_RESCUE
#include <rescue.h>
#define NAME "c-librescue"

static char authcode[256];

static void fail(const char *what, rescue_status status)
{
    char message[512];
    rescue_last_error_message(message, sizeof message);
    fprintf(stderr, "librescue: %s: %s: %s\n", what, rescue_status_name(status), message);
    exit(1);
}

static void *client_new(const char *base, const char *ca)
{
    rescue_client *client = NULL;
    rescue_status status = rescue_client_new(base, &client);
    if (status != RESCUE_STATUS_OK)
        fail("rescue_client_new", status);
    if (ca != NULL && (status = rescue_client_set_ca_file(client, ca)) != RESCUE_STATUS_OK)
        fail("rescue_client_set_ca_file", status);
    return client;
}

static void setup(void *client)
{
    rescue_status status =
        rescue_request_auth_code(client, email(), "sandbox", authcode, sizeof authcode);
    if (status != RESCUE_STATUS_OK)
        fail("rescue_request_auth_code", status);
}

static void pin(void *client)
{
    rescue_pin_request request = {.cfield0 = "bench", .authcode = authcode};
    char out[7];
    rescue_status status = rescue_request_lens_pin(client, &request, out, sizeof out);
    if (status != RESCUE_STATUS_OK)
        fail("rescue_request_lens_pin", status);
}

static void client_free(void *client) { rescue_client_free(client); }
static const char *version(void) { return rescue_version(); }
#endif

#ifdef CLIENTS_CURL
#include <curl/curl.h>
#define NAME "c-libcurl"

typedef struct handle {
    CURL *curl;
    char url[512];
    char body[512];
    size_t len;
} handle;

static char base_url[256], authcode[256];

static size_t sink(char *data, size_t size, size_t n, void *arg)
{
    handle *h = arg;
    size_t len = size * n;
    if (h->len + len >= sizeof h->body)
        return 0;
    memcpy(h->body + h->len, data, len);
    h->len += len;
    h->body[h->len] = '\0';
    return len;
}

static void *client_new(const char *base, const char *ca)
{
    handle *h = calloc(1, sizeof *h);
    snprintf(base_url, sizeof base_url, "%s", base);
    h->curl = curl_easy_init();
    if (h == NULL || h->curl == NULL)
        exit(1);
    curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(h->curl, CURLOPT_TIMEOUT, 30L);
    if (ca != NULL)
        curl_easy_setopt(h->curl, CURLOPT_CAINFO, ca);
    return h;
}

static void post(handle *h, const char *page, const char *form)
{
    snprintf(h->url, sizeof h->url, "%s%s", base_url, page);
    h->len = 0;
    curl_easy_setopt(h->curl, CURLOPT_URL, h->url);
    curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, form);
    CURLcode code = curl_easy_perform(h->curl);
    if (code != CURLE_OK || strncmp(h->body, "OK", 2) != 0) {
        fprintf(stderr, "libcurl: %s: %s: %.60s\n", page, curl_easy_strerror(code), h->body);
        exit(1);
    }
}

static void setup(void *client)
{
    handle *h = client;
    char form[256];
    const char *at = strchr(email(), '@');
    snprintf(form, sizeof form, "email=%.*s%%40%s&pwd=sandbox", (int)(at - email()), email(),
             at + 1);
    post(h, "requestAuthCode.aspx", form);
    const char *key = strstr(h->body, "AUTHCODE:");
    if (key == NULL)
        exit(1);
    snprintf(authcode, sizeof authcode, "%s", key + 9);
    authcode[strcspn(authcode, "\r\n ")] = '\0';
}

static void pin(void *client)
{
    char form[512];
    snprintf(form, sizeof form, "authcode=%s&cfield0=bench", authcode);
    post(client, "requestLensPINCode.aspx", form);
}

static void client_free(void *client)
{
    handle *h = client;
    curl_easy_cleanup(h->curl);
    free(h);
}

static const char *version(void) { return curl_version_info(CURLVERSION_NOW)->version; }
#endif

int main(int argc, char **argv)
{
    if (argc < 3 || atol(argv[2]) < 1) {
        fprintf(stderr, "usage: %s BASE_URL N [CA_FILE]\n", argv[0]);
        return 2;
    }
    const char *base = argv[1], *ca = argc > 3 ? argv[3] : NULL;
    long n = atol(argv[2]);
#ifdef CLIENTS_CURL
    curl_global_init(CURL_GLOBAL_DEFAULT);
#endif
    void *first = client_new(base, ca);
    setup(first);
    pin(first);
    void **clients = calloc((size_t)n, sizeof *clients);
    if (clients == NULL)
        return 1;
    long before = rss_kb();
    for (long i = 0; i < n; i++) {
        clients[i] = client_new(base, ca);
        pin(clients[i]);
    }
    long after = rss_kb();
    printf("{\"contender\":\"%s\",\"mode\":\"clients\",\"n\":%ld,\"tls\":%d,"
           "\"rss_before_kb\":%ld,\"rss_after_kb\":%ld,\"per_client_kb\":%.2f,"
           "\"version\":\"%s\"}\n",
           NAME, n, ca != NULL, before, after, (double)(after - before) / (double)n, version());
    for (long i = 0; i < n; i++)
        client_free(clients[i]);
    client_free(first);
    free(clients);
    return 0;
}
