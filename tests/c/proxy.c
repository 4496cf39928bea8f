/* Proxies: those from the environment never carry loopback traffic; an explicit one
 * (rescue_client_set_proxy) carries everything; a dead proxy is named in the error, with
 * the variable it came from and without its credentials.
 * The tests set environment variables: the C suite runs one test at a time, and each test
 * clears what it set. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "test.h"

#ifndef _WIN32
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const proxy_vars[] = {"ALL_PROXY",  "all_proxy",  "HTTPS_PROXY",
                                         "https_proxy", "HTTP_PROXY", "http_proxy"};
#define PROXY_VAR_COUNT (sizeof proxy_vars / sizeof proxy_vars[0])

static void clear_proxy_env(void) {
    for (size_t i = 0; i < PROXY_VAR_COUNT; i++) {
        unsetenv(proxy_vars[i]);
    }
    unsetenv("NO_PROXY");
    unsetenv("no_proxy");
}

/* "http://127.0.0.1:PORT" on which nothing listens; static buffer. */
static const char *dead_proxy(void) {
    static char url[64];
    const char *api = refused_url(); /* http://127.0.0.1:PORT/API/ */
    snprintf(url, sizeof url, "%.*s", (int)(strstr(api, "/API/") - api), api);
    return url;
}

static bool message_contains(const char *needle) {
    char message[1024];
    rescue_last_error_message(message, sizeof message);
    if (strstr(message, needle) == NULL) {
        fprintf(stderr, "    last error message \"%s\" lacks \"%s\"\n", message, needle);
        return false;
    }
    return true;
}

static bool message_lacks(const char *needle) {
    char message[1024];
    rescue_last_error_message(message, sizeof message);
    if (strstr(message, needle) != NULL) {
        fprintf(stderr, "    last error message \"%s\" shows \"%s\"\n", message, needle);
        return false;
    }
    return true;
}

static rescue_status lens_pin_at(const char *url, const char *proxy) {
    rescue_client *client = new_client(url);
    if (proxy != NULL) {
        CHECK_STATUS(rescue_client_set_proxy(client, proxy), RESCUE_STATUS_OK);
    }
    CHECK_STATUS(rescue_client_set_timeout_ms(client, 10000), RESCUE_STATUS_OK);
    rescue_status status = rescue_login(client, "tech@sandbox.test", "sandbox");
    if (status == RESCUE_STATUS_OK) {
        char pin[RESCUE_PIN_BUFFER_LEN];
        rescue_pin_request request;
        memset(&request, 0, sizeof request);
        status = rescue_request_lens_pin(client, &request, pin, sizeof pin);
    }
    rescue_client_free(client);
    return status;
}

static void environment_proxies_skip_loopback(void) {
    char with_credentials[128];
    snprintf(with_credentials, sizeof with_credentials, "http://proxyuser:s3cret@%s",
             dead_proxy() + strlen("http://"));
    for (size_t i = 0; i < PROXY_VAR_COUNT; i++) {
        clear_proxy_env();
        setenv(proxy_vars[i], with_credentials, 1);
        CHECK_STATUS(lens_pin_at(NULL, NULL), RESCUE_STATUS_OK);
        /* The login limit is 10 per window: reset between variables. */
        CHECK(sandbox_post(sandbox_url(), "reset"));
    }
    clear_proxy_env();
}

static void environment_proxy_errors_name_the_proxy_and_variable(void) {
    const char *dead = dead_proxy();
    char with_credentials[128], expected[256];
    snprintf(with_credentials, sizeof with_credentials, "http://proxyuser:s3cret@%s",
             dead + strlen("http://"));
    for (size_t i = 0; i < PROXY_VAR_COUNT; i++) {
        clear_proxy_env();
        setenv(proxy_vars[i], with_credentials, 1);
        CHECK_STATUS(lens_pin_at("https://rescue.invalid/API/", NULL), RESCUE_STATUS_NETWORK);
        snprintf(expected, sizeof expected, "could not connect to the proxy %s (from %s)", dead,
                 proxy_vars[i]);
        CHECK(message_contains(expected));
        CHECK(message_lacks("s3cret"));
        CHECK(message_lacks("proxyuser"));
    }
    /* NO_PROXY still applies: the host is reached directly, so no proxy is named. */
    clear_proxy_env();
    setenv("HTTPS_PROXY", dead, 1);
    setenv("NO_PROXY", ".invalid", 1);
    CHECK_STATUS(lens_pin_at("https://rescue.invalid/API/", NULL), RESCUE_STATUS_NETWORK);
    CHECK(message_contains("rescue.invalid"));
    CHECK(message_lacks("proxy"));
    clear_proxy_env();
}

static void dead_explicit_proxy_is_named(void) {
    const char *dead = dead_proxy();
    char with_credentials[128], expected[256];
    snprintf(with_credentials, sizeof with_credentials, "http://proxyuser:s3cret@%s",
             dead + strlen("http://"));
    clear_proxy_env();
    CHECK_STATUS(lens_pin_at(NULL, with_credentials), RESCUE_STATUS_NETWORK);
    snprintf(expected, sizeof expected,
             "could not connect to the proxy %s (from the proxy option)", dead);
    CHECK(message_contains(expected));
    CHECK(message_lacks("s3cret"));
    CHECK(message_lacks("proxyuser"));
}

/* A CONNECT proxy fixture in a child process: tunnels one connection at a time to the
 * sandbox and writes one byte to `tunnels_fd` per tunnel. Stopped by the test, by PID. */
static void relay(int a, int b) {
    struct pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    char buf[4096];
    for (;;) {
        if (poll(fds, 2, 10000) <= 0) {
            return;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t n = read(fds[i].fd, buf, sizeof buf);
                if (n <= 0 || write(fds[1 - i].fd, buf, (size_t)n) != n) {
                    return;
                }
            }
        }
    }
}

static void serve_connect(int listener, unsigned short upstream_port, int tunnels_fd) {
    for (;;) {
        int client = accept(listener, NULL, NULL);
        if (client < 0) {
            _exit(1);
        }
        char head[2048];
        size_t got = 0;
        while (got + 1 < sizeof head) {
            ssize_t n = read(client, head + got, sizeof head - 1 - got);
            if (n <= 0) {
                break;
            }
            got += (size_t)n;
            head[got] = '\0';
            if (strstr(head, "\r\n\r\n") != NULL) {
                break;
            }
        }
        head[got] = '\0';
        char expected[64];
        snprintf(expected, sizeof expected, "CONNECT 127.0.0.1:%u ", (unsigned)upstream_port);
        int upstream = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in addr;
        memset(&addr, 0, sizeof addr);
        addr.sin_family = AF_INET;
        addr.sin_port = htons(upstream_port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (strncmp(head, expected, strlen(expected)) == 0 && upstream >= 0 &&
            connect(upstream, (struct sockaddr *)&addr, sizeof addr) == 0) {
            static const char ok[] = "HTTP/1.1 200 Connection established\r\n\r\n";
            if (write(tunnels_fd, "t", 1) == 1 && write(client, ok, sizeof ok - 1) > 0) {
                relay(client, upstream);
            }
        }
        if (upstream >= 0) {
            close(upstream);
        }
        close(client);
    }
}

static void explicit_proxy_carries_loopback(void) {
    unsigned upstream_port = 0;
    CHECK(sscanf(sandbox_url(), "http://127.0.0.1:%u/", &upstream_port) == 1);
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int tunnels[2];
    if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(listener, 8) != 0 || getsockname(listener, (struct sockaddr *)&addr, &len) != 0 ||
        pipe(tunnels) != 0) {
        CHECK(!"the proxy fixture starts");
        return;
    }
    fflush(NULL);
    pid_t proxy = fork();
    if (proxy == 0) {
        close(tunnels[0]);
        serve_connect(listener, (unsigned short)upstream_port, tunnels[1]);
        _exit(0);
    }
    close(listener);
    close(tunnels[1]);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)ntohs(addr.sin_port));

    /* The environment says "no proxy for anything" and names a dead one: the explicit
     * proxy is used all the same. */
    clear_proxy_env();
    setenv("HTTP_PROXY", dead_proxy(), 1);
    setenv("NO_PROXY", "*", 1);
    CHECK_STATUS(lens_pin_at(NULL, url), RESCUE_STATUS_OK);
    clear_proxy_env();

    kill(proxy, SIGTERM);
    waitpid(proxy, NULL, 0);
    char byte;
    int count = 0;
    while (read(tunnels[0], &byte, 1) == 1) {
        count++;
    }
    close(tunnels[0]);
    CHECK(count >= 1);
}

const struct test proxy_tests[] = {
    {"environment proxy variables are not used for loopback", environment_proxies_skip_loopback},
    {"a dead environment proxy is named with its variable, without credentials",
     environment_proxy_errors_name_the_proxy_and_variable},
    {"a dead explicit proxy is named, without credentials", dead_explicit_proxy_is_named},
    {"an explicit proxy carries loopback traffic", explicit_proxy_carries_loopback},
    {NULL, NULL},
};
#else
/* Windows: these tests use POSIX setenv, fork and poll. */
const struct test proxy_tests[] = {{NULL, NULL}};
#endif
