//! The accounts a sandbox knows and how each one behaves.

use std::collections::HashMap;

use serde::Deserialize;

/// How an account answers, modelled on the vendor's documented return values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Behaviour {
    /// Every call succeeds.
    Ok,
    /// PIN requests answer `NOTECHCONSOLERUNNING` unless `notechconsole=1`.
    #[serde(alias = "console_offline")]
    ConsoleOffline,
    /// PIN requests answer `NOTTECHNICIAN` (an administrator).
    #[serde(alias = "not_technician")]
    NotTechnician,
    /// `requestLensPINCode` answers `NO_ACCESS_TO_LENS`; `requestPINCode` works.
    #[serde(alias = "no_lens")]
    NoLens,
    /// PIN requests answer `OUTOFPINCODES`.
    #[serde(alias = "no_pins")]
    NoPins,
    /// Login and requestAuthCode answer `INVALID`; the authcode gives `USER_IS_DELETED`.
    Deleted,
    /// Login and requestAuthCode answer `INVALID`; the authcode gives `USER_DELETED_OR_DISABLED`.
    Disabled,
    /// Login works; every other call answers `ERROR`.
    Error,
    /// The account only accepts logins from listed IP addresses and this one is not listed:
    /// SOAP `login` answers `login_GlobalIpRestricted`, `login.aspx` answers `ERROR` (the
    /// plain-text pages have no word for it). requestAuthCode and authcode PIN requests work.
    #[serde(alias = "ip_restricted")]
    IpRestricted,
}

impl Behaviour {
    /// Deleted and disabled accounts cannot log in or get an authcode.
    pub(crate) fn can_log_in(self) -> bool {
        !matches!(self, Behaviour::Deleted | Behaviour::Disabled)
    }
}

/// One Rescue user the sandbox knows.
///
/// In a TOML accounts file (see the crate README):
///
/// ```
/// let file: &str = r#"
/// [[account]]
/// email = "lens@example.test"
/// password = "secret"
/// authcode = "0123456789abcdefghijklmnopqrstuv"
/// behaviour = "no-lens"
/// "#;
/// let accounts = rescue_sandbox::parse_accounts(file).unwrap();
/// assert_eq!(accounts[0].behaviour, rescue_sandbox::Behaviour::NoLens);
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Login name; matched case-insensitively.
    pub email: String,
    /// Password for `login.aspx` and `requestAuthCode.aspx`; matched exactly.
    pub password: String,
    /// The fixed secret `requestAuthCode.aspx` hands out; matched exactly.
    pub authcode: String,
    /// How the account answers.
    pub behaviour: Behaviour,
    /// The technician's id (`NodeId` of `requestLensPINCode_v4`). Optional in a file:
    /// without it an account gets [`FIRST_NODE_ID`] plus its position in the list.
    #[serde(default)]
    pub node_id: Option<u64>,
}

/// The `NodeId` of the first account of a list that does not set its own; the built-in
/// accounts are numbered from it in table order (`tech@sandbox.test` is 1001).
pub const FIRST_NODE_ID: u64 = 1001;

impl Account {
    /// The account's `NodeId`: its own, or [`FIRST_NODE_ID`] plus `position` (its index in
    /// the accounts list).
    pub fn node_id_at(&self, position: usize) -> u64 {
        self.node_id
            .unwrap_or(FIRST_NODE_ID.saturating_add(position as u64))
    }
}

/// Shows the email and behaviour only: an accounts file may hold real-looking secrets.
impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("email", &self.email)
            .field("password", &"***")
            .field("authcode", &"***")
            .field("behaviour", &self.behaviour)
            .field("node_id", &self.node_id)
            .finish()
    }
}

/// The password of every built-in account.
pub const BUILTIN_PASSWORD: &str = "sandbox";

/// The built-in accounts: one per behaviour, all with password `sandbox`, `NodeId`s 1001
/// to 1009 in table order.
///
/// | email | behaviour | authcode | NodeId |
/// |---|---|---|---|
/// | tech@sandbox.test | ok | `ytzw7h07nu9o4oxqbf49dpayuqvdnmzd` | 1001 |
/// | offline@sandbox.test | console-offline | `hol3me96ecp5ojnz32wxmkwu8e74dpoh` | 1002 |
/// | admin@sandbox.test | not-technician | `oc3ka44px5lvk72k2yrlrq6p87sldyyt` | 1003 |
/// | nolens@sandbox.test | no-lens | `mj3lxvbbdkvry3fvex5tb5buy72o0zr7` | 1004 |
/// | nopins@sandbox.test | no-pins | `ma51fmfe21sj39k99k4t0pst4zn91j3z` | 1005 |
/// | deleted@sandbox.test | deleted | `sabazl9xjms8m4aujkhyqvwarl9w2ijg` | 1006 |
/// | disabled@sandbox.test | disabled | `8tdidic9u8zhv6uv4il90jp97w1vn8b4` | 1007 |
/// | error@sandbox.test | error | `ehfx9wfix2hhtqjscgdvqklahfzy8hpo` | 1008 |
/// | iprestricted@sandbox.test | ip-restricted | `g7qlp2xw9vdk4mzr1sbt8ycn0hfa6eju` | 1009 |
pub fn builtin_accounts() -> Vec<Account> {
    const TABLE: [(&str, Behaviour, &str); 9] = [
        (
            "tech@sandbox.test",
            Behaviour::Ok,
            "ytzw7h07nu9o4oxqbf49dpayuqvdnmzd",
        ),
        (
            "offline@sandbox.test",
            Behaviour::ConsoleOffline,
            "hol3me96ecp5ojnz32wxmkwu8e74dpoh",
        ),
        (
            "admin@sandbox.test",
            Behaviour::NotTechnician,
            "oc3ka44px5lvk72k2yrlrq6p87sldyyt",
        ),
        (
            "nolens@sandbox.test",
            Behaviour::NoLens,
            "mj3lxvbbdkvry3fvex5tb5buy72o0zr7",
        ),
        (
            "nopins@sandbox.test",
            Behaviour::NoPins,
            "ma51fmfe21sj39k99k4t0pst4zn91j3z",
        ),
        (
            "deleted@sandbox.test",
            Behaviour::Deleted,
            "sabazl9xjms8m4aujkhyqvwarl9w2ijg",
        ),
        (
            "disabled@sandbox.test",
            Behaviour::Disabled,
            "8tdidic9u8zhv6uv4il90jp97w1vn8b4",
        ),
        (
            "error@sandbox.test",
            Behaviour::Error,
            "ehfx9wfix2hhtqjscgdvqklahfzy8hpo",
        ),
        (
            "iprestricted@sandbox.test",
            Behaviour::IpRestricted,
            "g7qlp2xw9vdk4mzr1sbt8ycn0hfa6eju",
        ),
    ];
    TABLE
        .iter()
        .zip(FIRST_NODE_ID..)
        .map(|(&(email, behaviour, authcode), node_id)| Account {
            email: email.to_owned(),
            password: BUILTIN_PASSWORD.to_owned(),
            authcode: authcode.to_owned(),
            behaviour,
            node_id: Some(node_id),
        })
        .collect()
}

/// Reads an accounts file: a TOML document of `[[account]]` tables.
///
/// Fails on unknown keys, an unknown behaviour, an empty list, or an email
/// (case-insensitively), authcode or `NodeId` used twice, since any of them would make
/// answers ambiguous.
pub fn parse_accounts(toml_text: &str) -> Result<Vec<Account>, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        #[serde(default)]
        account: Vec<Account>,
    }
    let file: File = toml::from_str(toml_text).map_err(|e| e.to_string())?;
    if file.account.is_empty() {
        return Err("no [[account]] entries".into());
    }
    let mut emails = HashMap::new();
    let mut codes = HashMap::new();
    let mut node_ids = HashMap::new();
    for (i, a) in file.account.iter().enumerate() {
        if node_ids.insert(a.node_id_at(i), ()).is_some() {
            return Err(format!("node_id {} is used twice", a.node_id_at(i)));
        }
        if emails.insert(a.email.to_lowercase(), ()).is_some() {
            return Err(format!("email {} is listed twice", a.email));
        }
        if a.authcode.is_empty() || codes.insert(a.authcode.clone(), ()).is_some() {
            return Err(format!("authcode of {} is empty or used twice", a.email));
        }
    }
    Ok(file.account)
}

/// The accounts indexed for lookups on the hot path; never changes after start.
#[derive(Debug)]
pub(crate) struct Directory {
    accounts: Vec<Account>,
    by_email: HashMap<String, usize>,
    by_authcode: HashMap<String, usize>,
    by_node_id: HashMap<u64, usize>,
}

impl Directory {
    /// Indexes `accounts`; on a duplicate email, authcode or `NodeId` the first one wins.
    pub(crate) fn new(accounts: Vec<Account>) -> Self {
        let mut by_email = HashMap::new();
        let mut by_authcode = HashMap::new();
        let mut by_node_id = HashMap::new();
        for (i, a) in accounts.iter().enumerate() {
            by_email.entry(a.email.to_lowercase()).or_insert(i);
            by_authcode.entry(a.authcode.clone()).or_insert(i);
            by_node_id.entry(a.node_id_at(i)).or_insert(i);
        }
        Directory {
            accounts,
            by_email,
            by_authcode,
            by_node_id,
        }
    }

    /// The account whose `NodeId` is `node_id`.
    pub(crate) fn by_node_id(&self, node_id: u64) -> Option<usize> {
        self.by_node_id.get(&node_id).copied()
    }

    pub(crate) fn get(&self, id: usize) -> &Account {
        &self.accounts[id]
    }

    pub(crate) fn by_email(&self, email: &str) -> Option<usize> {
        // Most clients send the address as configured; avoid allocating for them.
        self.by_email
            .get(email)
            .or_else(|| self.by_email.get(&email.to_lowercase()))
            .copied()
    }

    pub(crate) fn by_authcode(&self, code: &str) -> Option<usize> {
        self.by_authcode.get(code).copied()
    }
}
