// The C++ wrapper end to end against the sandbox (started by tests/c/run.sh).
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "rescue.hpp"

namespace {

int failures = 0;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            std::fprintf(stderr, "    %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                                  \
        }                                                                                \
    } while (0)

std::string env(const char *name) {
    const char *value = std::getenv(name);
    if (value == nullptr) {
        std::fprintf(stderr, "%s is not set: run through tests/c/run.sh\n", name);
        std::exit(2);
    }
    return value;
}

bool is_pin(const std::string &pin) {
    if (pin.size() != 6) {
        return false;
    }
    for (char c : pin) {
        if (!std::isdigit(static_cast<unsigned char>(c))) {
            return false;
        }
    }
    return true;
}

// The status a call throws, RESCUE_STATUS_OK when it doesn't.
rescue_status status_of(const std::function<void()> &call, std::string *message = nullptr) {
    try {
        call();
    } catch (const rescue::Error &e) {
        if (message != nullptr) {
            *message = e.what();
        }
        return e.status();
    }
    return RESCUE_STATUS_OK;
}

rescue::Client logged_in(const char *email) {
    rescue::Client client(env("RESCUE_URL"));
    client.login(email, "sandbox");
    return client;
}

void login_and_pins() {
    rescue::Client client = logged_in("tech@sandbox.test");
    CHECK(is_pin(client.request_lens_pin()));
    rescue::PinRequest request;
    request.cfield0 = "Jane Doe";
    request.tracking0 = "ticket-4711";
    CHECK(is_pin(client.request_lens_pin(request)));
    CHECK(is_pin(client.request_pin(request)));
    client.logout();
    CHECK(status_of([&] { client.logout(); }) == RESCUE_STATUS_NOTLOGGEDIN);
}

void errors_carry_status_and_message() {
    rescue::Client client(env("RESCUE_URL"));
    std::string message;
    CHECK(status_of([&] { client.login("tech@sandbox.test", "hunter2-pw"); }, &message) ==
          RESCUE_STATUS_INVALID);
    CHECK(message.find("INVALID") != std::string::npos);
    CHECK(message.find("hunter2") == std::string::npos);
    try {
        client.request_lens_pin();
        CHECK(false);
    } catch (const std::runtime_error &e) { // rescue::Error is a std::runtime_error
        const auto *error = dynamic_cast<const rescue::Error *>(&e);
        CHECK(error != nullptr && error->status() == RESCUE_STATUS_NOTLOGGEDIN);
        CHECK(error != nullptr && std::string(error->name()) == "NOTLOGGEDIN");
    }
}

void service_words() {
    CHECK(status_of([] { logged_in("admin@sandbox.test").request_lens_pin(); }) ==
          RESCUE_STATUS_NOTTECHNICIAN);
    CHECK(status_of([] { logged_in("nolens@sandbox.test").request_lens_pin(); }) ==
          RESCUE_STATUS_NO_ACCESS_TO_LENS);
    CHECK(status_of([] { logged_in("nopins@sandbox.test").request_pin(); }) ==
          RESCUE_STATUS_OUTOFPINCODES);
    rescue::Client offline = logged_in("offline@sandbox.test");
    CHECK(status_of([&] { offline.request_lens_pin(); }) == RESCUE_STATUS_NOTECHCONSOLERUNNING);
    rescue::PinRequest request;
    request.notechconsole = true;
    CHECK(is_pin(offline.request_lens_pin(request)));
}

void authcode() {
    rescue::Client client(env("RESCUE_URL"));
    std::string code = client.request_auth_code("tech@sandbox.test", "sandbox");
    CHECK(code.size() == 32);
    rescue::Client other(env("RESCUE_URL"));
    rescue::PinRequest request;
    request.authcode = code;
    CHECK(is_pin(other.request_lens_pin(request)));
    request.authcode = "nonsense";
    CHECK(status_of([&] { other.request_lens_pin(request); }) ==
          RESCUE_STATUS_INVALID_SECRETAUTHCODE);
}

void field_too_long_and_nul() {
    rescue::Client client = logged_in("tech@sandbox.test");
    rescue::PinRequest request;
    request.cfield0 = std::string(65, 'x');
    std::string message;
    CHECK(status_of([&] { client.request_lens_pin(request); }, &message) ==
          RESCUE_STATUS_FIELD_TOO_LONG);
    CHECK(message.find("cfield0") != std::string::npos);
    request.cfield0 = std::string("a\0b", 3);
    CHECK(status_of([&] { client.request_lens_pin(request); }) == RESCUE_STATUS_INVALID_ARGUMENT);
    CHECK(status_of([&] { client.login(std::string("x\0y", 3), "p"); }) ==
          RESCUE_STATUS_INVALID_ARGUMENT);
}

void setters() {
    rescue::Client client = logged_in("tech@sandbox.test");
    client.set_renew_session(false);
    client.set_timeout(std::chrono::milliseconds(5000));
    client.set_use_get(true);
    client.set_proxy(std::nullopt);
    client.set_ca_file(std::nullopt);
    CHECK(is_pin(client.request_lens_pin())); // the session survived
    CHECK(status_of([&] { client.set_timeout(std::chrono::milliseconds(0)); }) ==
          RESCUE_STATUS_INVALID_ARGUMENT);
    CHECK(status_of([&] { client.set_ca_file(std::string("/nonexistent.pem")); }) ==
          RESCUE_STATUS_INVALID_ARGUMENT);
}

void tls() {
    rescue::Client client(env("RESCUE_TLS_URL"));
    CHECK(status_of([&] { client.login("tech@sandbox.test", "sandbox"); }) == RESCUE_STATUS_TLS);
    // The sandbox's certificate is in no system store.
    client.set_system_roots(true);
    CHECK(status_of([&] { client.login("tech@sandbox.test", "sandbox"); }) == RESCUE_STATUS_TLS);
    client.set_ca_file(env("RESCUE_TLS_CERT"));
    client.login("tech@sandbox.test", "sandbox");
    CHECK(is_pin(client.request_pin()));
}

void timeout_and_bad_url() {
    std::string base = env("RESCUE_URL");
    std::string hang = base.substr(0, base.find("/API/")) + "/fault/hang/API/";
    rescue::Client client(hang);
    client.set_timeout(std::chrono::milliseconds(1000));
    CHECK(status_of([&] { client.login("tech@sandbox.test", "sandbox"); }) == RESCUE_STATUS_TIMEOUT);
    CHECK(status_of([] { rescue::Client bad("ftp://nowhere/"); }) == RESCUE_STATUS_INVALID_ARGUMENT);
}

void move_semantics() {
    static_assert(!std::is_copy_constructible_v<rescue::Client>, "not copyable");
    static_assert(!std::is_copy_assignable_v<rescue::Client>, "not copyable");
    static_assert(std::is_nothrow_move_constructible_v<rescue::Client>, "movable");
    rescue::Client first = logged_in("tech@sandbox.test");
    rescue::Client second(std::move(first));
    CHECK(is_pin(second.request_lens_pin()));
    // A moved-from client fails cleanly instead of crashing.
    CHECK(status_of([&] { first.request_lens_pin(); }) == RESCUE_STATUS_INVALID_ARGUMENT); // NOLINT
    rescue::Client third;
    third = std::move(second);
    CHECK(is_pin(third.request_lens_pin()));
    CHECK(!rescue::version().empty());
}

void threads() {
    rescue::Client client = logged_in("tech@sandbox.test");
    std::vector<std::thread> workers;
    std::vector<int> ok(8, 0);
    for (int i = 0; i < 8; i++) {
        workers.emplace_back([&client, &ok, i] {
            for (int n = 0; n < 4; n++) {
                try {
                    ok[i] += is_pin(client.request_lens_pin()) ? 1 : 0;
                } catch (const rescue::Error &e) {
                    std::fprintf(stderr, "    thread %d: %s\n", i, e.what());
                }
            }
        });
    }
    for (auto &worker : workers) {
        worker.join();
    }
    for (int count : ok) {
        CHECK(count == 4);
    }
}

void soap_and_log_handler() {
    std::vector<std::string> messages;
    std::mutex mutex;
    rescue::set_log_handler(
        [&](rescue_log_level, const std::string &message) {
            std::lock_guard<std::mutex> lock(mutex);
            messages.push_back(message);
        },
        RESCUE_LOG_DEBUG);
    for (rescue_transport transport : {RESCUE_TRANSPORT_SOAP_1_1, RESCUE_TRANSPORT_SOAP_1_2}) {
        rescue::Client client(env("RESCUE_URL"));
        client.set_transport(transport);
        client.login("tech@sandbox.test", "sandbox");
        CHECK(is_pin(client.request_lens_pin()));
        client.logout();
    }
    rescue::set_log_handler(nullptr);
    bool bad = false;
    try {
        rescue::Client client(env("RESCUE_URL"));
        client.set_transport(7);
    } catch (const rescue::Error &e) {
        bad = e.status() == RESCUE_STATUS_INVALID_ARGUMENT;
    }
    CHECK(bad);
    std::lock_guard<std::mutex> lock(mutex);
    bool soap = false, logged_in = false, secret = false;
    for (const std::string &message : messages) {
        soap = soap || message.find("API.asmx requestLensPINCode over soap12") != std::string::npos;
        logged_in = logged_in || message.find("logged in") != std::string::npos;
        secret = secret || message.find("pwd=sandbox") != std::string::npos;
    }
    CHECK(soap && logged_in && !secret);
}

// Lens invitations over every transport. The sandbox fails the SMS of +999 numbers, and a
// NodeId's technician answers with their own behaviour, which shows whose PIN it was.
void lens_invitations() {
    const std::string sent = "sendInvitationForMobileSession_OK";
    const std::string failed = "sendInvitationForMobileSession_Error";
    for (rescue_transport transport :
         {RESCUE_TRANSPORT_HTTP_POST, RESCUE_TRANSPORT_HTTP_GET, RESCUE_TRANSPORT_SOAP_1_1,
          RESCUE_TRANSPORT_SOAP_1_2}) {
        const bool soap = transport == RESCUE_TRANSPORT_SOAP_1_1 ||
                          transport == RESCUE_TRANSPORT_SOAP_1_2;
        rescue::Client client(env("RESCUE_URL"));
        client.set_transport(transport);
        rescue::PinRequest request;
        request.authcode = "ytzw7h07nu9o4oxqbf49dpayuqvdnmzd"; // tech@sandbox.test

        rescue::LensInvitation invitation;
        invitation.phone_number = "+1 555 0100";
        invitation.lang_code = "PT-BR"; // any case: sent as the service spells it
        rescue::LensPin lens = client.request_lens_pin_invite(request, invitation);
        CHECK(is_pin(lens.pin));
        CHECK(lens.sms_result == sent);

        invitation.phone_number = "+999 555 0100";
        lens = client.request_lens_pin_invite(request, invitation);
        CHECK(is_pin(lens.pin)); // the PIN exists even though the SMS failed
        CHECK(lens.sms_result == failed);

        // Nothing set: the plain request, no SMS result.
        lens = client.request_lens_pin_invite(request, rescue::LensInvitation{});
        CHECK(is_pin(lens.pin) && lens.sms_result.empty());

        // Refused before sending, with no phone number in the message.
        std::string message;
        rescue::LensInvitation bad;
        bad.phone_number = "+44 7700 900123";
        bad.lang_code = "it";
        CHECK(status_of([&] { client.request_lens_pin_invite(request, bad); }, &message) ==
              RESCUE_STATUS_INVALID_ARGUMENT);
        CHECK(message.find("lang_code") != std::string::npos);
        bad.lang_code.reset();
        bad.phone_number = std::string(33, '5');
        CHECK(status_of([&] { client.request_lens_pin_invite(request, bad); }, &message) ==
              RESCUE_STATUS_INVALID_ARGUMENT);
        bad.phone_number = std::string("+44 7700\0 900123", 16);
        CHECK(status_of([&] { client.request_lens_pin_invite(request, bad); }, &message) ==
              RESCUE_STATUS_INVALID_ARGUMENT);
        CHECK(message.find("7700") == std::string::npos);

        // A NodeId: an administrator creates tech@'s PIN; over SOAP it is refused.
        rescue::PinRequest admin;
        admin.authcode = "oc3ka44px5lvk72k2yrlrq6p87sldyyt"; // admin@sandbox.test
        rescue::LensInvitation for_tech;
        for_tech.node_id = "1001";
        if (soap) {
            CHECK(status_of([&] { client.request_lens_pin_invite(admin, for_tech); }, &message) ==
                  RESCUE_STATUS_INVALID_ARGUMENT);
            CHECK(message.find("SOAP") != std::string::npos);
        } else {
            lens = client.request_lens_pin_invite(admin, for_tech);
            CHECK(is_pin(lens.pin) && lens.sms_result.empty());
            CHECK(status_of([&] { client.request_lens_pin_invite(admin, {}); }) ==
                  RESCUE_STATUS_NOTTECHNICIAN);
            rescue::LensInvitation for_offline;
            for_offline.node_id = "1002"; // offline@: its console is not running
            CHECK(status_of([&] { client.request_lens_pin_invite(request, for_offline); }) ==
                  RESCUE_STATUS_NOTECHCONSOLERUNNING);
            for_offline.node_id = "4242"; // no such technician
            CHECK(status_of([&] { client.request_lens_pin_invite(request, for_offline); }) ==
                  RESCUE_STATUS_ERROR);
        }
    }
}

struct Test {
    const char *name;
    void (*run)();
};

} // namespace

int main() {
    const Test tests[] = {
        {"login, PINs, logout", login_and_pins},
        {"rescue::Error: status, name, what()", errors_carry_status_and_message},
        {"service words as exceptions", service_words},
        {"authcode flow", authcode},
        {"FIELD_TOO_LONG and embedded NUL", field_too_long_and_nul},
        {"setters keep the session", setters},
        {"TLS with set_ca_file", tls},
        {"timeout and bad URL", timeout_and_bad_url},
        {"move-only RAII", move_semantics},
        {"8 threads share one Client", threads},
        {"SOAP transports and the log handler", soap_and_log_handler},
        {"Lens invitations: SMS, languages, NodeId", lens_invitations},
    };
    int passed = 0, failed = 0;
    for (const Test &test : tests) {
        failures = 0;
        try {
            test.run();
        } catch (const rescue::Error &e) {
            std::fprintf(stderr, "    unexpected rescue::Error %s: %s\n", e.name(), e.what());
            failures++;
        }
        std::printf("%s %s\n", failures == 0 ? "ok  " : "FAIL", test.name);
        (failures == 0 ? passed : failed)++;
    }
    std::printf("cpp: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
