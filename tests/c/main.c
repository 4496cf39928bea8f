/* Runs every C test against the sandboxes started by run.sh and prints the tally. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32 /* MinGW, run under Wine by tests/windows: Winsock and the Win32 clock. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
typedef SOCKET socket_t;
#define close_socket closesocket
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
typedef int socket_t;
#define INVALID_SOCKET (-1)
#define close_socket close
#endif

#include "test.h"

int test_failures;

static const char *env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0') {
        fprintf(stderr, "%s is not set: run the tests through tests/c/run.sh\n", name);
        exit(2);
    }
    return value;
}

const char *sandbox_url(void) { return env("RESCUE_URL"); }
const char *sandbox_poll_url(void) { return env("RESCUE_POLL_URL"); }
const char *sandbox_tls_url(void) { return env("RESCUE_TLS_URL"); }
const char *sandbox_tls_cert(void) { return env("RESCUE_TLS_CERT"); }
bool running_slow(void) { return getenv("RESCUE_TEST_SLOW") != NULL; }

void check_status(rescue_status got, rescue_status expected, const char *what, const char *file,
                  int line) {
    if (got == expected) {
        return;
    }
    char message[512];
    rescue_last_error_message(message, sizeof message);
    fprintf(stderr, "    %s:%d: %s gave %s (%u), expected %s (%u): %s\n", file, line, what,
            rescue_status_name(got), (unsigned)got, rescue_status_name(expected),
            (unsigned)expected, message);
    test_failures++;
}

const char *fault_url(const char *kind) {
    static char url[256];
    const char *base = sandbox_url();
    const char *api = strstr(base, "/API/");
    if (api == NULL) {
        return base;
    }
    snprintf(url, sizeof url, "%.*s/fault/%s/API/", (int)(api - base), base, kind);
    return url;
}

const char *refused_url(void) {
    static char url[64];
    socket_t fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* Bind a free port, then close it: nothing listens there. */
    if (fd == INVALID_SOCKET || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        return "http://127.0.0.1:1/API/";
    }
    close_socket(fd);
    snprintf(url, sizeof url, "http://127.0.0.1:%u/API/", (unsigned)ntohs(addr.sin_port));
    return url;
}

/* One HTTP/1.0-style exchange with the sandbox at `base_url`: `method` /sandbox/`action`;
 * the whole answer (headers and body) goes into `answer`. True on a 200. */
static bool sandbox_exchange(const char *base_url, const char *method, const char *action,
                             char *answer, size_t answer_len) {
    unsigned port = 0;
    if (sscanf(base_url, "http://127.0.0.1:%u/", &port) != 1) {
        return false;
    }
    socket_t fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd == INVALID_SOCKET || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        if (fd != INVALID_SOCKET) {
            close_socket(fd);
        }
        return false;
    }
    char request[512];
    int n = snprintf(request, sizeof request,
                     "%s /sandbox/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                     "Connection: close\r\n\r\n",
                     method, action);
    bool ok = n > 0 && (size_t)n < sizeof request && send(fd, request, n, 0) == n;
    size_t got = 0;
    while (ok && got + 1 < answer_len) {
        int r = recv(fd, answer + got, (int)(answer_len - 1 - got), 0);
        if (r <= 0) {
            break;
        }
        got += (size_t)r;
    }
    answer[got] = '\0';
    close_socket(fd);
    return ok && strstr(answer, " 200 ") != NULL;
}

const char *sandbox_sessions(void) {
    static char answer[16384];
    if (!sandbox_exchange(sandbox_url(), "GET", "sessions", answer, sizeof answer)) {
        return NULL;
    }
    const char *body = strstr(answer, "\r\n\r\n");
    return body != NULL ? body + 4 : NULL;
}

bool sandbox_post(const char *base_url, const char *action) {
    char answer[256];
    return sandbox_exchange(base_url, "POST", action, answer, sizeof answer);
}

long sandbox_logins(const char *email, const char *answer) {
    char json[8192];
    if (!sandbox_exchange(sandbox_url(), "GET", "logins", json, sizeof json)) {
        return -1;
    }
    /* {"tech@sandbox.test":{"INVALID":1,"OK":1}}: this account's object, then the word. */
    char key[128];
    snprintf(key, sizeof key, "\"%s\":{", email);
    const char *account = strstr(json, key);
    if (account == NULL) {
        return 0;
    }
    const char *p = account + strlen(key);
    const char *end = strchr(p, '}');
    long total = 0;
    while (end != NULL && p < end && *p == '"') {
        const char *word = p + 1;
        const char *quote = strchr(word, '"');
        if (quote == NULL || quote > end || quote[1] != ':') {
            break;
        }
        char *after = NULL;
        long count = strtol(quote + 2, &after, 10);
        size_t word_len = (size_t)(quote - word);
        if (answer == NULL ||
            (strlen(answer) == word_len && strncmp(word, answer, word_len) == 0)) {
            total += count;
        }
        p = *after == ',' ? after + 1 : after;
    }
    return total;
}

rescue_transport test_transport(void) {
    const char *name = getenv("RESCUE_TEST_TRANSPORT");
    if (name != NULL && strcmp(name, "soap11") == 0) {
        return RESCUE_TRANSPORT_SOAP_1_1;
    }
    if (name != NULL && strcmp(name, "soap12") == 0) {
        return RESCUE_TRANSPORT_SOAP_1_2;
    }
    return RESCUE_TRANSPORT_HTTP_POST;
}

rescue_client *new_client(const char *url) {
    rescue_client *client = NULL;
    CHECK_STATUS(rescue_client_new(url ? url : sandbox_url(), &client), RESCUE_STATUS_OK);
    if (client != NULL) {
        CHECK_STATUS(rescue_client_set_transport(client, test_transport()), RESCUE_STATUS_OK);
    }
    return client;
}

rescue_client *logged_in(const char *email) {
    rescue_client *client = new_client(NULL);
    CHECK_STATUS(rescue_login(client, email, "sandbox"), RESCUE_STATUS_OK);
    return client;
}

double now_seconds(void) {
#ifdef _WIN32
    LARGE_INTEGER count, frequency;
    QueryPerformanceCounter(&count);
    QueryPerformanceFrequency(&frequency);
    return (double)count.QuadPart / (double)frequency.QuadPart;
#else
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
#endif
}

int main(int argc, char **argv) {
    const struct test *suites[] = {status_tests, fault_tests, argument_tests, boundary_tests,
                                   thread_tests, renewal_tests, field_tests,
                                   proxy_tests, fork_tests, logging_tests, invitation_tests};
    const char *label = argc > 1 ? argv[1] : "c";
    const char *only = getenv("RESCUE_TEST_FILTER");
    int passed = 0, failed = 0;
#ifdef _WIN32
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "WSAStartup failed\n");
        return 2;
    }
#endif
    for (size_t s = 0; s < sizeof suites / sizeof suites[0]; s++) {
        for (const struct test *t = suites[s]; t->name != NULL; t++) {
            if (only != NULL && strstr(t->name, only) == NULL) {
                continue;
            }
            test_failures = 0;
            /* Each test starts from a fresh sandbox: no sessions, no login counts. */
            if (!sandbox_post(sandbox_url(), "reset")) {
                fprintf(stderr, "    could not reset the sandbox\n");
                test_failures++;
            }
            t->run();
            if (test_failures == 0) {
                passed++;
                printf("ok   %s\n", t->name);
            } else {
                failed++;
                printf("FAIL %s\n", t->name);
            }
            fflush(stdout);
        }
    }
    /* The run's tally; run.sh adds up every run into the closing line. */
    printf("[%s] %d passed, %d failed\n", label, passed, failed);
    return failed == 0 ? 0 : 1;
}
