//! The TCP layer under ureq (Unix only; elsewhere ureq's `DefaultConnector`), for fewer
//! system calls per request (issue 13) and no buffers held by an idle connection (issue 20).
//!
//! ureq's own TCP transport, per pooled request, made about ten system calls where two do:
//! its liveness probe toggled the socket to non-blocking and back around a one-byte read
//! and ran twice (when the connection went back to the pool and when it came out); it set
//! SO_RCVTIMEO/SO_SNDTIMEO before each read and write, since the call's remaining time is
//! never the same twice; and it sent a request's head and body as two writes. This one:
//!
//! - probes once, when a pooled connection is taken, with one non-blocking
//!   `recv(MSG_PEEK | MSG_DONTWAIT)`;
//! - sets a socket timeout only when the one in force could overrun the deadline by more
//!   than [`SLACK`]; a read that times out early (a shorter timeout left by an earlier call)
//!   is retried with what is left;
//! - holds what ureq writes until it first waits for input (HTTP/1.1: after the whole
//!   request), then sends it in one write: head and body, and under TLS every record of it
//!   (ureq's rustls layer writes through this transport), the handshake's last flight too;
//! - frees its buffers when the connection goes back to the pool;
//! - for a call that armed an interrupt check (`crate::interrupt`: Python's main thread),
//!   waits in slices and runs the check between them and whenever a signal interrupts a
//!   read, a write or a connect, which it makes itself then (std's retries `EINTR`).
//!
//! Everything above it is ureq's: CONNECT proxies (whose connection to the proxy is this
//! transport again), rustls, the pool. The rustls layer keeps its own ureq buffers (the
//! agent's `input_buffer_size`/`output_buffer_size`) for as long as the connection lives.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, Either, NextTimeout,
    RustlsConnector, ShutdownHandle, Transport,
};
use ureq::Timeout;

use crate::interrupt;

/// How far a socket timeout already in force may exceed what is left of the deadline
/// before it is set again: the most a call can overrun its timeout by.
const SLACK: Duration = Duration::from_millis(5);

/// The read buffer's first size; it doubles as needed up to the agent's
/// `input_buffer_size`. The service's answers are a few hundred bytes.
const INPUT_START: usize = 4 * 1024;

/// Room always offered for ureq to write into: it writes a request head line by line and
/// needs its longest line to fit (see `OUTPUT_BUFFER` in transport.rs).
const OUTPUT_ROOM: usize = 20 * 1024;

/// Held output past this is sent without waiting (only a request body can get there).
const SEND_AT: usize = 64 * 1024;

/// The smallest scratch ureq gets to read a request body into (`tmp_and_output`).
const TMP_ROOM: usize = 4 * 1024;

/// ureq's CONNECT proxy support, this TCP layer, then ureq's rustls.
pub(super) fn lean() -> impl Connector {
    ().chain(ConnectProxyConnector::default())
        .chain(LeanTcpConnector)
        .chain(RustlsConnector::default())
}

#[derive(Debug)]
struct LeanTcpConnector;

impl<In: Transport> Connector<In> for LeanTcpConnector {
    type Out = Either<In, LeanTcp>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        // A CONNECT tunnel (made through this connector again) is already a connection.
        if let Some(transport) = chained {
            return Ok(Some(Either::A(transport)));
        }
        let stream = Arc::new(connect(details)?);
        log::debug!(
            target: crate::events::TARGET,
            "connection opened to {}",
            stream.peer_addr().map_or_else(|_| "the service".to_owned(), |a| a.to_string())
        );
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        (details.register_shutdown)(Arc::downgrade(&stream) as Weak<dyn ShutdownHandle>)?;
        let input_max = details.config.input_buffer_size().max(INPUT_START);
        Ok(Some(Either::B(LeanTcp {
            stream,
            buffers: LeanBuffers::new(input_max),
            read_timeout: None,
            write_timeout: None,
            used: false,
        })))
    }
}

/// Tries the resolved addresses in turn within the connect timeout: each but the last gets
/// half of what is left (ureq's is a similar geometric share), at least 10 ms.
fn connect(details: &ConnectionDetails) -> Result<TcpStream, ureq::Error> {
    let started = Instant::now();
    let budget = details.timeout.not_zero().map(|t| *t);
    let addrs: Vec<SocketAddr> = details.addrs.iter().copied().collect();
    let mut last = None;
    for (i, addr) in addrs.iter().enumerate() {
        let share = match budget {
            None => None,
            Some(budget) => {
                let left = budget.saturating_sub(started.elapsed());
                if left.is_zero() {
                    return Err(ureq::Error::Timeout(details.timeout.reason));
                }
                let share = if i + 1 == addrs.len() { left } else { left / 2 };
                Some(share.max(Duration::from_millis(10)))
            }
        };
        let attempt = match share {
            _ if interrupt::armed() => connect_in_slices(addr, share),
            None => TcpStream::connect(addr),
            Some(share) => TcpStream::connect_timeout(addr, share),
        };
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                if budget.is_some_and(|b| started.elapsed() >= b) {
                    return Err(ureq::Error::Timeout(details.timeout.reason));
                }
                last = Some(ureq::Error::Timeout(Timeout::Connect));
            }
            // Only this address failed: the next may work (an IPv6 address without a route).
            Err(e) if is_address_specific(&e) => last = Some(ureq::Error::Io(e)),
            Err(e) => return Err(ureq::Error::Io(e)),
        }
    }
    Err(last.unwrap_or_else(|| {
        ureq::Error::Io(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            "no address to connect to",
        ))
    }))
}

/// `TcpStream::connect_timeout` for an armed call (`interrupt.rs`): std's retries a wait
/// that a signal interrupts and can't be cut short, so this one waits in slices and runs
/// the check between them.
fn connect_in_slices(addr: &SocketAddr, timeout: Option<Duration>) -> io::Result<TcpStream> {
    use socket2::{Domain, Protocol, Socket, Type};
    // Close-on-exec, as std's sockets are.
    let socket = Socket::new(
        Domain::for_address(*addr),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    socket.set_nonblocking(true)?;
    match socket.connect(&(*addr).into()) {
        Ok(()) => {}
        // In progress; one a signal interrupted goes on too (POSIX), so it is waited for.
        Err(e)
            if e.raw_os_error() == Some(libc::EINPROGRESS)
                || e.kind() == io::ErrorKind::Interrupted =>
        {
            let until = timeout.map(|timeout| Instant::now() + timeout);
            while !connected(&socket, until)? {}
        }
        Err(e) => return Err(e),
    }
    socket.set_nonblocking(false)?;
    Ok(socket.into())
}

/// One slice of waiting for a connect in progress: `Ok(true)` once connected, `Ok(false)`
/// to wait again (the check passed).
fn connected(socket: &socket2::Socket, until: Option<Instant>) -> io::Result<bool> {
    let left = until.map(|at| at.saturating_duration_since(Instant::now()));
    if left.is_some_and(|left| left.is_zero()) {
        return Err(io::ErrorKind::TimedOut.into());
    }
    let slice = interrupt::slice(left).unwrap_or(interrupt::SLICE);
    // Rounded up: a 0 ms poll would spin through the last milliseconds.
    let millis = i32::try_from(slice.as_micros().div_ceil(1000)).unwrap_or(i32::MAX);
    let mut fd = libc::pollfd {
        fd: socket.as_raw_fd(),
        events: libc::POLLOUT,
        revents: 0,
    };
    // SAFETY: one pollfd, which lives across the call.
    let ready = unsafe { libc::poll(&mut fd, 1, millis) };
    if ready < 0 {
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    if ready <= 0 {
        // The slice passed, or a signal came: its handler may want the call to stop.
        interrupt::check()?;
        return Ok(false);
    }
    // Writable: connected, or failed with the reason in SO_ERROR.
    if let Some(e) = socket.take_error()? {
        return Err(e);
    }
    if fd.revents & (libc::POLLHUP | libc::POLLERR) != 0 {
        return Err(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            "the connection failed with no error reported",
        ));
    }
    Ok(true)
}

fn is_address_specific(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::NetworkDown
            | io::ErrorKind::AddrNotAvailable
    )
}

/// Which of a socket's two timeouts.
#[derive(Clone, Copy)]
enum Way {
    Read,
    Write,
}

struct LeanTcp {
    /// Shared (weakly) with the agent's shutdown handle.
    stream: Arc<TcpStream>,
    buffers: LeanBuffers,
    /// What SO_RCVTIMEO / SO_SNDTIMEO hold now (`None`: never set, i.e. blocking).
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
    /// Input was awaited since the last `is_open`: the connection is being returned to the
    /// pool right after its answer, not taken out of it.
    used: bool,
}

impl fmt::Debug for LeanTcp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeanTcp")
            .field("peer", &self.stream.peer_addr().ok())
            .finish()
    }
}

/// Whether a socket timeout must be set for `wanted`, `current` being in force.
fn must_set(current: Option<Duration>, wanted: Option<Duration>) -> bool {
    match (current, wanted) {
        (None, None) => false,
        (Some(_), None) | (None, Some(_)) => true,
        // Longer than wanted could overrun the deadline; shorter is retried (see `read`).
        (Some(current), Some(wanted)) => current > wanted.saturating_add(SLACK),
    }
}

/// The deadline of `timeout`, from now; `None` when it never happens.
fn deadline(timeout: &NextTimeout) -> Option<Instant> {
    if timeout.after.is_not_happening() {
        return None;
    }
    Instant::now().checked_add(*timeout.after)
}

fn timed_out(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

impl LeanTcp {
    /// Sends the held output in one write (more only after a short write).
    fn send(&mut self, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let held = self.buffers.held;
        if held == 0 {
            return Ok(());
        }
        let timeout = timeout.for_write();
        let until = deadline(&timeout);
        self.buffers.held = 0;
        let mut sent = 0;
        while sent < held {
            let wanted = self.wait_for(until, timeout.reason, Way::Write)?;
            match (&*self.stream).write(&self.buffers.output[sent..held]) {
                Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero).into()),
                Ok(n) => sent += n,
                Err(e) => self.waited(e, wanted, timeout.reason, Way::Write)?,
            }
        }
        Ok(())
    }

    /// One read into the input buffer within `timeout`.
    fn read(&mut self, timeout: NextTimeout) -> Result<usize, ureq::Error> {
        let timeout = timeout.for_read();
        let until = deadline(&timeout);
        loop {
            let wanted = self.wait_for(until, timeout.reason, Way::Read)?;
            let buf = self.buffers.input_append_buf();
            match (&*self.stream).read(buf) {
                Ok(n) => return Ok(n),
                Err(e) => self.waited(e, wanted, timeout.reason, Way::Read)?,
            }
        }
    }

    /// The socket timeout in force for `way`.
    fn timeout_of(&mut self, way: Way) -> &mut Option<Duration> {
        match way {
            Way::Read => &mut self.read_timeout,
            Way::Write => &mut self.write_timeout,
        }
    }

    /// Before a read or write that must end by `until`: sets the socket timeout it needs,
    /// if the one in force could overrun, and returns it. An armed call (`interrupt.rs`)
    /// waits in slices.
    fn wait_for(
        &mut self,
        until: Option<Instant>,
        reason: Timeout,
        way: Way,
    ) -> Result<Option<Duration>, ureq::Error> {
        let left = until.map(|at| at.saturating_duration_since(Instant::now()));
        if left.is_some_and(|left| left.is_zero()) {
            return Err(ureq::Error::Timeout(reason));
        }
        let wanted = interrupt::slice(left);
        if must_set(*self.timeout_of(way), wanted) {
            match way {
                Way::Read => self.stream.set_read_timeout(wanted)?,
                Way::Write => self.stream.set_write_timeout(wanted)?,
            }
            *self.timeout_of(way) = wanted;
        }
        Ok(wanted)
    }

    /// After a read or write failed with `e`, `wanted` having been set for it: `Ok` to try
    /// again, or the error that ends the call.
    fn waited(
        &mut self,
        e: io::Error,
        wanted: Option<Duration>,
        reason: Timeout,
        way: Way,
    ) -> Result<(), ureq::Error> {
        match e.kind() {
            // A signal: its handler may want the call to stop (armed calls only).
            io::ErrorKind::Interrupted => Ok(interrupt::check()?),
            _ if timed_out(&e) && wanted.is_some() => {
                // A timeout shorter than the deadline expired (a slice, or one left by an
                // earlier call): set it anew next time, if it isn't what is wanted.
                let current = self.timeout_of(way);
                if *current != wanted {
                    *current = Some(Duration::MAX);
                }
                Ok(interrupt::check()?)
            }
            _ if timed_out(&e) => Err(ureq::Error::Timeout(reason)),
            _ => Err(e.into()),
        }
    }

    /// Nothing to read yet and the peer still there: one `recv(MSG_PEEK | MSG_DONTWAIT)`.
    fn probe(&self) -> bool {
        let mut byte = 0u8;
        loop {
            // SAFETY: reads at most one byte into `byte`, which lives across the call.
            let n = unsafe {
                libc::recv(
                    self.stream.as_raw_fd(),
                    (&mut byte as *mut u8).cast(),
                    1,
                    libc::MSG_PEEK | libc::MSG_DONTWAIT,
                )
            };
            if n >= 0 {
                // 0: the peer closed; a byte: one we did not ask for.
                return false;
            }
            match io::Error::last_os_error().kind() {
                io::ErrorKind::WouldBlock => return true,
                io::ErrorKind::Interrupted => continue,
                _ => return false,
            }
        }
    }
}

impl Transport for LeanTcp {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if timeout.after.is_zero() {
            return Err(ureq::Error::Timeout(timeout.reason));
        }
        self.buffers.held += amount;
        if self.buffers.held >= SEND_AT {
            self.send(timeout)?;
        }
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.used = true;
        self.send(timeout)?;
        let amount = self.read(timeout)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        if self.buffers.held > 0 || !self.buffers.input().is_empty() {
            // Half a request unsent, or bytes beyond the answer (under TLS: beyond the
            // records the answer came in): not reusable.
            return false;
        }
        if std::mem::take(&mut self.used) {
            // Going back to the pool right after its answer: the probe that matters is the
            // one before the next use. The buffers go until then.
            self.buffers.release();
            return true;
        }
        let open = self.probe();
        if open {
            log::trace!(target: crate::events::TARGET, "reusing a pooled connection");
        } else {
            log::debug!(target: crate::events::TARGET, "a pooled connection was closed; connecting anew");
        }
        open
    }
}

/// ureq's buffers for one connection: allocated while a request runs, freed when idle.
struct LeanBuffers {
    input: Vec<u8>,
    /// The unconsumed input is `input[start..end]`.
    start: usize,
    end: usize,
    input_max: usize,
    /// The last `input_consume` consumed something (ureq's `can_use_input`).
    progress: bool,
    output: Vec<u8>,
    /// Bytes at the front of `output` written by ureq and not yet sent.
    held: usize,
}

impl LeanBuffers {
    fn new(input_max: usize) -> Self {
        LeanBuffers {
            input: Vec::new(),
            start: 0,
            end: 0,
            input_max,
            progress: false,
            output: Vec::new(),
            held: 0,
        }
    }

    fn release(&mut self) {
        debug_assert!(self.held == 0 && self.start == self.end);
        *self = LeanBuffers::new(self.input_max);
    }

    /// At least `room` free bytes after the unconsumed input.
    fn input_room(&mut self, room: usize) {
        if self.start > 0 {
            self.input.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.input.len() - self.end < room {
            self.input.resize(self.end + room, 0);
        }
    }

    fn output_room(&mut self) {
        if self.output.len() < self.held + OUTPUT_ROOM {
            self.output.resize(self.held + OUTPUT_ROOM, 0);
        }
    }
}

impl Buffers for LeanBuffers {
    fn output(&mut self) -> &mut [u8] {
        self.output_room();
        &mut self.output[self.held..]
    }

    fn input(&self) -> &[u8] {
        &self.input[self.start..self.end]
    }

    fn input_append_buf(&mut self) -> &mut [u8] {
        let unconsumed = self.end - self.start;
        // Doubling while full, up to the agent's input size (ureq refuses a head longer
        // than its cap before that).
        let size = if self.input.is_empty() {
            INPUT_START
        } else if unconsumed == self.input.len() {
            (2 * self.input.len()).min(self.input_max)
        } else {
            self.input.len()
        };
        self.input_room(size.max(unconsumed) - unconsumed);
        &mut self.input[self.end..]
    }

    fn input_appended(&mut self, amount: usize) {
        self.end += amount;
        debug_assert!(self.end <= self.input.len());
    }

    fn input_consume(&mut self, amount: usize) {
        self.progress = amount > 0;
        self.start += amount;
        debug_assert!(self.start <= self.end);
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
    }

    fn tmp_and_output(&mut self) -> (&mut [u8], &mut [u8]) {
        self.input_room(TMP_ROOM);
        self.output_room();
        (&mut self.input[self.end..], &mut self.output[self.held..])
    }

    fn can_use_input(&self) -> bool {
        self.start < self.end && self.progress
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_set_only_when_they_could_overrun() {
        let s = Duration::from_secs;
        assert!(must_set(None, Some(s(30))));
        assert!(!must_set(None, None));
        assert!(must_set(Some(s(30)), None));
        // The next call's deadline, a little less than the timeout set by the first.
        assert!(!must_set(
            Some(s(30)),
            Some(s(30) - Duration::from_millis(2))
        ));
        assert!(must_set(Some(s(30)), Some(s(1))));
        // Shorter than wanted: kept (a read that times out early is retried).
        assert!(!must_set(Some(s(1)), Some(s(30))));
    }

    #[test]
    fn buffers_grow_to_the_cap_and_are_freed() {
        let mut b = LeanBuffers::new(16 * 1024);
        assert_eq!(b.input_append_buf().len(), INPUT_START);
        b.input_appended(INPUT_START);
        // Full and nothing consumed: doubles, up to the cap.
        assert_eq!(b.input_append_buf().len(), INPUT_START);
        b.input_appended(INPUT_START);
        assert_eq!(b.input_append_buf().len(), 2 * INPUT_START);
        b.input_appended(2 * INPUT_START);
        assert_eq!(b.input().len(), 16 * 1024);
        assert!(b.input_append_buf().is_empty());
        b.input_consume(16 * 1024);
        assert!(b.output().len() >= OUTPUT_ROOM);
        b.release();
        assert_eq!(b.input.capacity() + b.output.capacity(), 0);
    }
}
