// librescue for C++17: a header-only RAII wrapper over the C API (rescue.h).
//
//   rescue::Client client("http://127.0.0.1:8080/API/");  // or rescue::Client{} for the service
//   client.login("tech@example.com", "secret");
//   rescue::PinRequest request;
//   request.cfield0 = "Jane Doe";
//   std::string pin = client.request_lens_pin(request);
//
// Every failure throws rescue::Error: status() is the rescue_status (RESCUE_STATUS_…),
// what() the detail message (never a secret). A Client may be used by many threads at
// once; it is movable, not copyable. Link with -lrescue (pkg-config rescue).
#ifndef RESCUE_HPP
#define RESCUE_HPP

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "rescue.h"

namespace rescue {

/// A failed call: the service's word or a client-side failure, with its detail message.
class Error : public std::runtime_error {
public:
    Error(rescue_status status, const std::string &message)
        : std::runtime_error(message), status_(status) {}

    /// The stable number, one of the RESCUE_STATUS_… values.
    rescue_status status() const noexcept { return status_; }

    /// The status's name: "NOTLOGGEDIN", "FIELD_TOO_LONG"…
    const char *name() const noexcept { return rescue_status_name(status_); }

private:
    rescue_status status_;
};

/// The parameters of a PIN request; every field is optional (unset: not sent).
struct PinRequest {
    std::optional<std::string> cfield0;
    std::optional<std::string> cfield1;
    std::optional<std::string> cfield2;
    std::optional<std::string> cfield3;
    std::optional<std::string> cfield4;
    std::optional<std::string> cfield5;
    std::optional<std::string> tracking0;
    bool notechconsole = false;
    /// A secret authcode to authenticate with instead of the login session.
    std::optional<std::string> authcode;
};

/// A Lens invitation: the customer's phone number (an SMS with the PIN goes there), its
/// language (de, en, es, fr, nl, pt-br) and the technician's NodeId the PIN is for.
struct LensInvitation {
    std::optional<std::string> phone_number;
    std::optional<std::string> lang_code;
    std::optional<std::string> node_id;
};

/// A Lens PIN and the service's SMS result ("" when the answer has none; any word but
/// "sendInvitationForMobileSession_OK" means the SMS was not sent, the PIN still is valid).
struct LensPin {
    std::string pin;
    std::string sms_result;
};

/// The library's version, e.g. "0.1.0".
inline std::string version() { return rescue_version(); }

/// A log handler: the record's level (RESCUE_LOG_ERROR … RESCUE_LOG_TRACE) and message.
using LogHandler = std::function<void(rescue_log_level, const std::string &)>;

namespace detail {
inline std::mutex &log_mutex() {
    static std::mutex mutex;
    return mutex;
}
inline std::shared_ptr<LogHandler> &log_handler() {
    static std::shared_ptr<LogHandler> handler;
    return handler;
}
extern "C" inline void log_trampoline(void *, rescue_log_level level, const char *message) {
    std::shared_ptr<LogHandler> handler;
    {
        std::lock_guard<std::mutex> lock(log_mutex());
        handler = log_handler();
    }
    if (handler) {
        try {
            (*handler)(level, message);
        } catch (...) {
            // An exception must not unwind into the library.
        }
    }
}
} // namespace detail

/// Sends the library's events at `min_level` and above to `handler` (process-wide; an
/// empty handler turns logging off). It runs on the thread of the call being logged;
/// messages never hold a secret. See rescue_set_log_callback.
inline void set_log_handler(LogHandler handler, rescue_log_level min_level = RESCUE_LOG_INFO);

namespace detail {

/// This thread's message of its last failed call.
inline std::string last_error_message() {
    std::vector<char> buffer(rescue_last_error_message(nullptr, 0) + 1);
    rescue_last_error_message(buffer.data(), buffer.size());
    return std::string(buffer.data());
}

inline void check(rescue_status status) {
    if (status != RESCUE_STATUS_OK) {
        throw Error(status, last_error_message());
    }
}

/// A C string of `text`; a NUL inside would silently cut it, so it is refused.
inline const char *c_str(const std::string &text, const char *name) {
    if (text.find('\0') != std::string::npos) {
        throw Error(RESCUE_STATUS_INVALID_ARGUMENT,
                    std::string("invalid argument `") + name + "`: contains a NUL byte");
    }
    return text.c_str();
}

inline const char *c_str(const std::optional<std::string> &text, const char *name) {
    return text ? c_str(*text, name) : nullptr;
}

} // namespace detail

/// A client of the Rescue API: owns a rescue_client.
class Client {
public:
    /// A client of the public service.
    Client() { detail::check(rescue_client_new(nullptr, &client_)); }

    /// A client of the service at `base_url`, e.g. "http://127.0.0.1:8080/API/".
    explicit Client(const std::string &base_url) {
        detail::check(rescue_client_new(detail::c_str(base_url, "base_url"), &client_));
    }

    ~Client() { rescue_client_free(client_); }

    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;
    Client(Client &&other) noexcept : client_(std::exchange(other.client_, nullptr)) {}
    Client &operator=(Client &&other) noexcept {
        if (this != &other) {
            rescue_client_free(client_);
            client_ = std::exchange(other.client_, nullptr);
        }
        return *this;
    }

    /// login.aspx: starts a login session.
    void login(const std::string &email, const std::string &password) {
        detail::check(rescue_login(client_, detail::c_str(email, "email"),
                                   detail::c_str(password, "password")));
    }

    /// logout.aspx: ends the login session.
    void logout() { detail::check(rescue_logout(client_)); }

    /// requestAuthCode.aspx: the account's secret authcode.
    std::string request_auth_code(const std::string &email, const std::string &password) {
        std::vector<char> code(128);
        rescue_status status = rescue_request_auth_code(
            client_, detail::c_str(email, "email"), detail::c_str(password, "password"),
            code.data(), code.size());
        if (status == RESCUE_STATUS_BUFFER_TOO_SMALL) { // longer than any seen: ask again
            code.resize(4096);
            status = rescue_request_auth_code(client_, email.c_str(), password.c_str(),
                                              code.data(), code.size());
        }
        detail::check(status);
        std::string result(code.data());
        std::fill(code.begin(), code.end(), '\0');
        return result;
    }

    /// requestLensPINCode.aspx: a PIN for a Rescue Lens session.
    std::string request_lens_pin(const PinRequest &request = PinRequest()) {
        return pin(request, rescue_request_lens_pin);
    }

    /// requestLensPINCode_v3/_v4 (API.asmx requestLensPINCodeV3 over SOAP): a Lens PIN
    /// texted to the customer; an empty invitation is the plain request.
    LensPin request_lens_pin_invite(const PinRequest &request, const LensInvitation &invitation) {
        rescue_pin_request c = to_c(request);
        rescue_lens_invitation i = {};
        i.phone_number = detail::c_str(invitation.phone_number, "phone_number");
        i.lang_code = detail::c_str(invitation.lang_code, "lang_code");
        i.node_id = detail::c_str(invitation.node_id, "node_id");
        char pin[RESCUE_PIN_BUFFER_LEN];
        char sms[RESCUE_SMS_RESULT_BUFFER_LEN];
        detail::check(rescue_request_lens_pin_invite(client_, &c, &i, pin, sizeof pin, sms, sizeof sms));
        return LensPin{std::string(pin), std::string(sms)};
    }

    /// requestPINCode.aspx: a PIN for a desktop session.
    std::string request_pin(const PinRequest &request = PinRequest()) {
        return pin(request, rescue_request_pin);
    }

    /// The longest one call may take (default 30 s); must be at least 1 ms.
    void set_timeout(std::chrono::milliseconds timeout) {
        const std::chrono::milliseconds::rep count = timeout.count();
        const std::chrono::milliseconds::rep max = UINT32_MAX;
        const std::uint32_t ms = count <= 0 ? 0 : static_cast<std::uint32_t>(count > max ? max : count);
        detail::check(rescue_client_set_timeout_ms(client_, ms));
    }

    /// Trust the certificates in this PEM file instead of the built-in roots; nullopt resets.
    void set_ca_file(const std::optional<std::string> &pem_path) {
        detail::check(rescue_client_set_ca_file(client_, detail::c_str(pem_path, "pem_path")));
    }

    /// Trust the system's certificate store (Windows store, macOS keychain, Linux bundle)
    /// instead of the built-in roots; off by default. A CA file, when set, wins over both.
    void set_system_roots(bool use_system) {
        detail::check(rescue_client_set_system_roots(client_, use_system));
    }

    /// Send requests through this proxy; nullopt removes it (the *_PROXY variables apply).
    void set_proxy(const std::optional<std::string> &proxy_url) {
        detail::check(rescue_client_set_proxy(client_, detail::c_str(proxy_url, "proxy_url")));
    }

    /// GET (query string) instead of POST (form, the default).
    void set_use_get(bool use_get) { detail::check(rescue_client_set_use_get(client_, use_get)); }

    /// How calls travel: RESCUE_TRANSPORT_HTTP_POST (default), RESCUE_TRANSPORT_HTTP_GET,
    /// RESCUE_TRANSPORT_SOAP_1_1 or RESCUE_TRANSPORT_SOAP_1_2.
    void set_transport(rescue_transport transport) {
        detail::check(rescue_client_set_transport(client_, transport));
    }

    /// Whether NOTLOGGEDIN logs in again and retries once (default: yes).
    void set_renew_session(bool renew) {
        detail::check(rescue_client_set_renew_session(client_, renew));
    }

    /// The C handle, still owned by this Client.
    rescue_client *get() const noexcept { return client_; }

private:
    using PinFunction = rescue_status (*)(rescue_client *, const rescue_pin_request *, char *,
                                          size_t);

    std::string pin(const PinRequest &request, PinFunction function) {
        rescue_pin_request c = to_c(request);
        char out[RESCUE_PIN_BUFFER_LEN];
        detail::check(function(client_, &c, out, sizeof out));
        return std::string(out);
    }

    /// The C struct of `request`, borrowing its strings.
    static rescue_pin_request to_c(const PinRequest &request) {
        rescue_pin_request c = {};
        c.cfield0 = detail::c_str(request.cfield0, "cfield0");
        c.cfield1 = detail::c_str(request.cfield1, "cfield1");
        c.cfield2 = detail::c_str(request.cfield2, "cfield2");
        c.cfield3 = detail::c_str(request.cfield3, "cfield3");
        c.cfield4 = detail::c_str(request.cfield4, "cfield4");
        c.cfield5 = detail::c_str(request.cfield5, "cfield5");
        c.tracking0 = detail::c_str(request.tracking0, "tracking0");
        c.notechconsole = request.notechconsole;
        c.authcode = detail::c_str(request.authcode, "authcode");
        return c;
    }

    rescue_client *client_ = nullptr;
};

inline void set_log_handler(LogHandler handler, rescue_log_level min_level) {
    std::shared_ptr<LogHandler> next;
    if (handler) {
        next = std::make_shared<LogHandler>(std::move(handler));
    }
    {
        std::lock_guard<std::mutex> lock(detail::log_mutex());
        detail::log_handler() = next;
    }
    detail::check(rescue_set_log_callback(next ? detail::log_trampoline : nullptr, nullptr,
                                          min_level));
}

} // namespace rescue

#endif // RESCUE_HPP
