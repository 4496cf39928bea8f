/* Fork safety: a process forked from one that holds a logged-in client with a pooled
 * connection uses connections of its own. Parent and child each request 200 Lens PINs with
 * their own cfield0; no call may fail (a shared socket made the child's first call time
 * out), and every PIN must be the one the sandbox recorded for that request. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "test.h"

#ifndef _WIN32
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define REQUESTS 200
#define LINE 48

/* REQUESTS PINs with cfield0 "<who>-<i>"; each "cfield0 PIN\n" goes into `out`
 * (REQUESTS * LINE bytes). Returns the number of calls that succeeded; the first failure's
 * message goes to stderr. */
static int request_pins(rescue_client *client, const char *who, char *out) {
    int ok = 0;
    out[0] = '\0';
    for (int i = 0; i < REQUESTS; i++) {
        char cfield0[32], pin[RESCUE_PIN_BUFFER_LEN];
        snprintf(cfield0, sizeof cfield0, "%s-%d", who, i);
        rescue_pin_request request;
        memset(&request, 0, sizeof request);
        request.cfield0 = cfield0;
        rescue_status status = rescue_request_lens_pin(client, &request, pin, sizeof pin);
        if (status != RESCUE_STATUS_OK) {
            char message[512];
            rescue_last_error_message(message, sizeof message);
            fprintf(stderr, "    %s: %s: %s\n", cfield0, rescue_status_name(status), message);
            return ok;
        }
        size_t used = strlen(out);
        snprintf(out + used, (size_t)REQUESTS * LINE - used, "%s %s\n", cfield0, pin);
        ok++;
    }
    return ok;
}

/* GET /sandbox/sessions of the plain sandbox, however long (sandbox_sessions() keeps 16 KiB);
 * a malloc'd NUL-terminated answer or NULL. */
static char *all_sessions(void) {
    unsigned port = 0;
    if (sscanf(sandbox_url(), "http://127.0.0.1:%u/", &port) != 1) {
        return NULL;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    static const char request[] =
        "GET /sandbox/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        write(fd, request, sizeof request - 1) != (ssize_t)(sizeof request - 1)) {
        if (fd >= 0) {
            close(fd);
        }
        return NULL;
    }
    size_t cap = 1 << 20, got = 0;
    char *answer = malloc(cap);
    while (answer != NULL && got + 1 < cap) {
        ssize_t n = read(fd, answer + got, cap - 1 - got);
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    if (answer != NULL) {
        answer[got] = '\0';
    }
    return answer;
}

/* Every "cfield0 PIN" line of `pins` is a session the sandbox recorded with that PIN.
 * Returns how many lines matched. */
static int matching_sessions(const char *json, const char *pins) {
    int matched = 0;
    const char *line = pins;
    while (*line != '\0') {
        char cfield0[32], pin[16], key[64];
        if (sscanf(line, "%31s %15s", cfield0, pin) != 2) {
            break;
        }
        /* {"pin":"123456",...,"cfield0":"child-7",...}: pin is the object's first member. */
        snprintf(key, sizeof key, "\"cfield0\":\"%s\"", cfield0);
        const char *at = strstr(json, key);
        const char *pin_at = NULL;
        for (const char *p = json; at != NULL && (p = strstr(p, "\"pin\":\"")) != NULL && p < at;
             p++) {
            pin_at = p;
        }
        if (pin_at != NULL && strncmp(pin_at + strlen("\"pin\":\""), pin, strlen(pin)) == 0) {
            matched++;
        } else {
            fprintf(stderr, "    %s got PIN %s, which the sandbox did not create for it\n",
                    cfield0, pin);
        }
        line = strchr(line, '\n');
        if (line == NULL) {
            break;
        }
        line++;
    }
    return matched;
}

/* Logs in, pools a connection with one PIN, forks; both processes request PINs. The
 * child's lines go into child_pins; returns false when either process had a failure. */
static bool fork_and_request(rescue_client *client, char *parent_pins, char *child_pins) {
    CHECK_STATUS(rescue_client_set_timeout_ms(client, running_slow() ? 30000 : 10000),
                 RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "sandbox"), RESCUE_STATUS_OK);
    char pin[RESCUE_PIN_BUFFER_LEN];
    rescue_pin_request before;
    memset(&before, 0, sizeof before);
    before.cfield0 = "before-fork";
    CHECK_STATUS(rescue_request_lens_pin(client, &before, pin, sizeof pin), RESCUE_STATUS_OK);

    int report[2];
    if (pipe(report) != 0) {
        CHECK(!"pipe");
        return false;
    }
    fflush(NULL);
    pid_t child = fork();
    if (child < 0) {
        CHECK(!"fork");
        return false;
    }
    if (child == 0) {
        close(report[0]);
        int ok = request_pins(client, "child", child_pins);
        size_t len = strlen(child_pins);
        bool written = write(report[1], child_pins, len) == (ssize_t)len;
        _exit(ok == REQUESTS && written ? 0 : 1);
    }
    close(report[1]);
    int parent_ok = request_pins(client, "parent", parent_pins);
    size_t got = 0;
    ssize_t n;
    while (got + 1 < (size_t)REQUESTS * LINE &&
           (n = read(report[0], child_pins + got, (size_t)REQUESTS * LINE - 1 - got)) > 0) {
        got += (size_t)n;
    }
    child_pins[got] = '\0';
    close(report[0]);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(parent_ok == REQUESTS);
    return parent_ok == REQUESTS && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void forked_child_uses_its_own_connections(void) {
    static char parent_pins[REQUESTS * LINE], child_pins[REQUESTS * LINE];
    rescue_client *client = new_client(NULL);
    bool ok = fork_and_request(client, parent_pins, child_pins);
    rescue_client_free(client);
    if (!ok) {
        return;
    }
    char *json = all_sessions();
    CHECK(json != NULL);
    if (json != NULL) {
        CHECK(matching_sessions(json, parent_pins) == REQUESTS);
        CHECK(matching_sessions(json, child_pins) == REQUESTS);
        free(json);
    }
}

/* Over TLS the sandbox's record is behind HTTPS, which this suite doesn't speak: every call
 * must succeed, and no PIN may reach both processes. */
static void forked_child_uses_its_own_tls_connections(void) {
    static char parent_pins[REQUESTS * LINE], child_pins[REQUESTS * LINE];
    rescue_client *client = new_client(sandbox_tls_url());
    CHECK_STATUS(rescue_client_set_ca_file(client, sandbox_tls_cert()), RESCUE_STATUS_OK);
    bool ok = fork_and_request(client, parent_pins, child_pins);
    rescue_client_free(client);
    if (!ok) {
        return;
    }
    int lines = 0;
    for (const char *line = parent_pins; *line != '\0'; line = strchr(line, '\n') + 1) {
        char pin[16];
        CHECK(sscanf(strchr(line, ' '), " %15s", pin) == 1);
        char needle[24];
        snprintf(needle, sizeof needle, " %s\n", pin);
        CHECK(strstr(child_pins, needle) == NULL);
        lines++;
    }
    CHECK(lines == REQUESTS);
}

const struct test fork_tests[] = {
    {"fork: a child uses connections of its own", forked_child_uses_its_own_connections},
    {"fork: a child uses TLS connections of its own", forked_child_uses_its_own_tls_connections},
    {NULL, NULL},
};
#else
/* Windows has no fork. */
const struct test fork_tests[] = {{NULL, NULL}};
#endif
