/* One client shared by many threads: POSIX threads on Linux, Windows threads under MinGW. */
#include <string.h>

#include "test.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <pthread.h>
#endif

/* A thread running body(arg); the struct must outlive the thread. */
struct thread {
    void (*body)(void *);
    void *arg;
#ifdef _WIN32
    HANDLE handle;
#else
    pthread_t handle;
#endif
};

#ifdef _WIN32
static DWORD WINAPI trampoline(LPVOID self) {
    struct thread *t = self;
    t->body(t->arg);
    return 0;
}

static bool thread_start(struct thread *t) {
    t->handle = CreateThread(NULL, 0, trampoline, t, 0, NULL);
    return t->handle != NULL;
}

static bool thread_join(struct thread *t) {
    bool ok = WaitForSingleObject(t->handle, INFINITE) == WAIT_OBJECT_0;
    CloseHandle(t->handle);
    return ok;
}
#else
static void *trampoline(void *self) {
    struct thread *t = self;
    t->body(t->arg);
    return NULL;
}

static bool thread_start(struct thread *t) {
    return pthread_create(&t->handle, NULL, trampoline, t) == 0;
}

static bool thread_join(struct thread *t) { return pthread_join(t->handle, NULL) == 0; }
#endif

bool run_threads(int count, void (*body)(void *), void *args, size_t arg_size) {
    struct thread threads[64];
    if (count > 64) {
        return false;
    }
    int started = 0;
    bool ok = true;
    for (; started < count; started++) {
        threads[started].body = body;
        threads[started].arg = (char *)args + (size_t)started * arg_size;
        if (!thread_start(&threads[started])) {
            ok = false;
            break;
        }
    }
    for (int i = 0; i < started; i++) {
        ok = thread_join(&threads[i]) && ok;
    }
    return ok;
}

#define THREADS 8
#define PINS_PER_THREAD 5

struct worker {
    rescue_client *client;
    int ok;
    char message[256]; /* this thread's own last error */
};

static void request_pins(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < PINS_PER_THREAD; i++) {
        char pin[RESCUE_PIN_BUFFER_LEN];
        rescue_status s = (i % 2 == 0) ? rescue_request_lens_pin(w->client, NULL, pin, sizeof pin)
                                       : rescue_request_pin(w->client, NULL, pin, sizeof pin);
        if (s == RESCUE_STATUS_OK && strlen(pin) == 6) {
            w->ok++;
        } else {
            rescue_last_error_message(w->message, sizeof w->message);
        }
    }
}

static void eight_threads_one_client(void) {
    rescue_client *client = logged_in("tech@sandbox.test");
    struct thread threads[THREADS];
    struct worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&workers[i], 0, sizeof workers[i]);
        workers[i].client = client;
        threads[i].body = request_pins;
        threads[i].arg = &workers[i];
        CHECK(thread_start(&threads[i]));
    }
    /* Settings change while the threads run; the session survives. */
    CHECK_STATUS(rescue_client_set_timeout_ms(client, 20000), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_client_set_use_get(client, true), RESCUE_STATUS_OK);
    CHECK_STATUS(rescue_client_set_use_get(client, false), RESCUE_STATUS_OK);
    for (int i = 0; i < THREADS; i++) {
        CHECK(thread_join(&threads[i]));
        if (workers[i].ok != PINS_PER_THREAD) {
            fprintf(stderr, "    thread %d: %d PINs; %s\n", i, workers[i].ok, workers[i].message);
        }
        CHECK(workers[i].ok == PINS_PER_THREAD);
    }
    rescue_client_free(client);
}

static void fail_once(void *arg) {
    (void)arg;
    rescue_login(NULL, "a", "b");
}

static void last_error_is_per_thread(void) {
    rescue_client *client = new_client(NULL);
    CHECK_STATUS(rescue_login(client, "tech@sandbox.test", "wrong"), RESCUE_STATUS_INVALID);
    char before[256], after[256];
    rescue_last_error_message(before, sizeof before);
    struct thread thread = {.body = fail_once, .arg = NULL};
    CHECK(thread_start(&thread));
    CHECK(thread_join(&thread));
    rescue_last_error_message(after, sizeof after);
    CHECK(strcmp(before, after) == 0);
    rescue_client_free(client);
}

const struct test thread_tests[] = {
    {"8 threads share one client (with setters running)", eight_threads_one_client},
    {"the last error message is per thread", last_error_is_per_thread},
    {NULL, NULL},
};
