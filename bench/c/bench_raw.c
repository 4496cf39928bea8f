/* The floor: a minimal HTTP/1.1 client on a raw socket. It sends a ready-made request over
 * one keep-alive connection per thread and reads the answer by its Content-Length: no
 * library, no allocation, no general parsing. The physical limit on this machine. */
#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/socket.h>

typedef struct shared {
    struct sockaddr_in addr;
    char request[1024]; /* the PIN request, cookie included */
    size_t request_len;
    struct conn *first;
} shared;

typedef struct conn {
    int fd;
    char buf[4096];
    size_t len;     /* bytes of the answer in buf */
    size_t head;    /* length of the header block, "\r\n\r\n" included */
} conn;

static shared *the_shared;

static conn *connect_to(const struct sockaddr_in *addr)
{
    conn *c = calloc(1, sizeof *c);
    int one = 1;
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (const struct sockaddr *)addr, sizeof *addr) != 0) {
        perror("raw: connect");
        close(c->fd);
        free(c);
        return NULL;
    }
    return c;
}

/* Sends a request and reads one whole answer into c->buf; returns the body or NULL. */
static const char *exchange(conn *c, const char *request, size_t len, size_t *body_len)
{
    for (size_t sent = 0; sent < len;) {
        ssize_t n = write(c->fd, request + sent, len - sent);
        if (n <= 0)
            return NULL;
        sent += (size_t)n;
    }
    c->len = c->head = 0;
    long content_length = -1;
    for (;;) {
        ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
        if (n <= 0)
            return NULL;
        c->len += (size_t)n;
        c->buf[c->len] = '\0';
        if (c->head == 0) {
            char *end = strstr(c->buf, "\r\n\r\n");
            if (end == NULL)
                continue;
            c->head = (size_t)(end + 4 - c->buf);
            char *cl = strcasestr(c->buf, "\r\ncontent-length:");
            if (cl == NULL || cl > end || strncmp(c->buf, "HTTP/1.1 200", 12) != 0)
                return NULL;
            content_length = atol(cl + 17);
        }
        if (c->len >= c->head + (size_t)content_length) {
            *body_len = (size_t)content_length;
            return c->buf + c->head;
        }
    }
}

static void *open_client(const char *base_url)
{
    char host[64];
    int port;
    char path[256];
    if (sscanf(base_url, "http://%63[^:/]:%d%255s", host, &port, path) != 3) {
        fprintf(stderr, "raw: can only talk to http://IP:PORT/..., not %s\n", base_url);
        return NULL;
    }
    shared *s = calloc(1, sizeof *s);
    s->addr.sin_family = AF_INET;
    s->addr.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, host, &s->addr.sin_addr);
    conn *c = connect_to(&s->addr);
    if (c == NULL)
        return NULL;
    const char *form = bench_login_form();
    char login[1024];
    int len = snprintf(login, sizeof login,
                       "POST %slogin.aspx HTTP/1.1\r\nHost: %s:%d\r\n"
                       "Content-Type: application/x-www-form-urlencoded\r\n"
                       "Content-Length: %zu\r\n\r\n%s",
                       path, host, port, strlen(form), form);
    size_t body_len;
    const char *body = exchange(c, login, (size_t)len, &body_len);
    char *cookie = body ? strcasestr(c->buf, "\r\nset-cookie: ") : NULL;
    if (body == NULL || body_len != 2 || memcmp(body, "OK", 2) != 0 || cookie == NULL) {
        fprintf(stderr, "raw: login failed\n");
        return NULL;
    }
    cookie += 14;
    int cookie_len = (int)strcspn(cookie, ";\r");
    static const char pin_form[] = "cfield0=" BENCH_CFIELD0;
    len = snprintf(s->request, sizeof s->request,
                   "POST %srequestLensPINCode.aspx HTTP/1.1\r\nHost: %s:%d\r\n"
                   "Cookie: %.*s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   "Content-Length: %zu\r\n\r\n%s",
                   path, host, port, cookie_len, cookie, sizeof pin_form - 1, pin_form);
    s->request_len = (size_t)len;
    s->first = c;
    the_shared = s;
    return s;
}

static void *thread_open(void *arg) { return connect_to(&((shared *)arg)->addr); }

static int pin(void *ctx, char out[7])
{
    conn *c = ctx == the_shared ? the_shared->first : ctx;
    size_t body_len;
    const char *body = exchange(c, the_shared->request, the_shared->request_len, &body_len);
    if (body == NULL || bench_parse_pin(body, body_len, out) != 0) {
        fprintf(stderr, "raw: bad answer\n");
        return -1;
    }
    return 0;
}

static void thread_close(void *ctx)
{
    conn *c = ctx;
    close(c->fd);
    free(c);
}

static void close_client(void *arg)
{
    shared *s = arg;
    thread_close(s->first);
    free(s);
}

static const char *version(void) { return "-"; }

int main(int argc, char **argv)
{
    static const contender c = {"c-raw-socket", open_client, thread_open, pin,
                                thread_close, close_client, version};
    return bench_main(&c, argc, argv);
}
