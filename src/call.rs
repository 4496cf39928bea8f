//! The service's calls: each an `.aspx` page under the base URL and, where the vendor
//! documents one, a SOAP operation of `API.asmx`.

/// One call of the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Call {
    Login,
    Logout,
    RequestAuthCode,
    RequestLensPin,
    RequestPin,
    /// `requestLensPINCode_v3`: v1 plus an SMS invitation (`PhoneNumber`, `LangCode`).
    RequestLensPinV3,
    /// `requestLensPINCode_v4`: v3 plus the technician the PIN is for (`NodeId`).
    RequestLensPinV4,
}

impl Call {
    pub(crate) const ALL: [Call; 7] = [
        Call::Login,
        Call::Logout,
        Call::RequestAuthCode,
        Call::RequestLensPin,
        Call::RequestPin,
        Call::RequestLensPinV3,
        Call::RequestLensPinV4,
    ];

    /// The `.aspx` page, relative to the base URL.
    pub(crate) fn page(self) -> &'static str {
        match self {
            Call::Login => "login.aspx",
            Call::Logout => "logout.aspx",
            Call::RequestAuthCode => "requestAuthCode.aspx",
            Call::RequestLensPin => "requestLensPINCode.aspx",
            Call::RequestPin => "requestPINCode.aspx",
            Call::RequestLensPinV3 => "requestLensPINCode_v3.aspx",
            Call::RequestLensPinV4 => "requestLensPINCode_v4.aspx",
        }
    }
}
