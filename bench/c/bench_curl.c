/* Contender: libcurl, as a C developer would write it without librescue. One easy handle
 * per thread, reused (keep-alive), cookie engine on; threads share the login's cookies
 * through a CURLSH share handle. BENCH_CA: a CA file for an https:// base URL. */
#include "harness.h"

#include <curl/curl.h>

typedef struct shared {
    CURLSH *share;
    pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
    char login_url[512], pin_url[512];
    struct handle *first; /* the main thread's handle: logs in, serves seq, cold and rss */
} shared;

typedef struct buffer {
    char data[1024];
    size_t len;
} buffer;

typedef struct handle {
    CURL *curl;
    buffer body;
} handle;

/* seq, cold and rss call pin() with the shared state: they use the main handle. */
static shared *the_shared;

static void lock(CURL *c, curl_lock_data data, curl_lock_access access, void *user)
{
    (void)c, (void)access;
    pthread_mutex_lock(&((shared *)user)->locks[data]);
}

static void unlock(CURL *c, curl_lock_data data, void *user)
{
    (void)c;
    pthread_mutex_unlock(&((shared *)user)->locks[data]);
}

static size_t collect(char *data, size_t size, size_t count, void *user)
{
    buffer *b = user;
    size_t n = size * count;
    if (n > sizeof b->data - 1 - b->len)
        return 0; /* longer than any real answer: fail the transfer */
    memcpy(b->data + b->len, data, n);
    b->len += n;
    return n;
}

static handle *new_handle(shared *s)
{
    handle *h = calloc(1, sizeof *h);
    h->curl = curl_easy_init();
    curl_easy_setopt(h->curl, CURLOPT_SHARE, s->share);
    curl_easy_setopt(h->curl, CURLOPT_COOKIEFILE, "");
    curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &h->body);
    curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "bench-curl");
    const char *ca = getenv("BENCH_CA");
    if (ca != NULL && *ca != '\0')
        curl_easy_setopt(h->curl, CURLOPT_CAINFO, ca);
    return h;
}

static int post(handle *h, const char *url, const char *form)
{
    h->body.len = 0;
    curl_easy_setopt(h->curl, CURLOPT_URL, url);
    curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, form);
    CURLcode rc = curl_easy_perform(h->curl);
    long code = 0;
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
    if (rc != CURLE_OK || code != 200) {
        fprintf(stderr, "libcurl: %s (HTTP %ld)\n", curl_easy_strerror(rc), code);
        return -1;
    }
    h->body.data[h->body.len] = '\0';
    return 0;
}

static void *open_client(const char *base_url)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    shared *s = calloc(1, sizeof *s);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&s->locks[i], NULL);
    s->share = curl_share_init();
    curl_share_setopt(s->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
    curl_share_setopt(s->share, CURLSHOPT_LOCKFUNC, lock);
    curl_share_setopt(s->share, CURLSHOPT_UNLOCKFUNC, unlock);
    curl_share_setopt(s->share, CURLSHOPT_USERDATA, s);
    snprintf(s->login_url, sizeof s->login_url, "%slogin.aspx", base_url);
    snprintf(s->pin_url, sizeof s->pin_url, "%srequestLensPINCode.aspx", base_url);
    handle *h = new_handle(s);
    if (post(h, s->login_url, bench_login_form()) != 0 ||
        strcmp(h->body.data, "OK") != 0) {
        fprintf(stderr, "libcurl: login answered %s\n", h->body.data);
        return NULL;
    }
    s->first = h;
    return s;
}

static void *thread_open(void *arg) { return new_handle(arg); }

static int pin(void *ctx, char out[7])
{
    handle *h = ctx == the_shared ? the_shared->first : ctx;
    if (post(h, the_shared->pin_url, "cfield0=" BENCH_CFIELD0) != 0)
        return -1;
    if (bench_parse_pin(h->body.data, h->body.len, out) != 0) {
        fprintf(stderr, "libcurl: unexpected answer %s\n", h->body.data);
        return -1;
    }
    return 0;
}

static void thread_close(void *ctx)
{
    handle *h = ctx;
    curl_easy_cleanup(h->curl);
    free(h);
}

static void close_client(void *arg)
{
    shared *s = arg;
    thread_close(s->first);
    curl_share_cleanup(s->share);
    free(s);
    curl_global_cleanup();
}

static const char *version(void) { return curl_version_info(CURLVERSION_NOW)->version; }

static void *open_and_remember(const char *base_url)
{
    the_shared = open_client(base_url);
    return the_shared;
}

int main(int argc, char **argv)
{
    static const contender c = {"c-libcurl", open_and_remember, thread_open, pin,
                                thread_close, close_client, version};
    return bench_main(&c, argc, argv);
}
