//! Checks on what C hands in, and writes into caller buffers. Nothing here trusts a pointer
//! or a length beyond what the caller promised.

use std::ffi::{c_char, CStr};

use super::error::Failure;
use crate::error::Error;

/// The C string `ptr` as UTF-8; NULL or invalid UTF-8 is an invalid argument `name`.
///
/// # Safety
///
/// `ptr` is NULL or a NUL-terminated string that lives for `'a`.
pub(crate) unsafe fn str_arg<'a>(ptr: *const c_char, name: &'static str) -> Result<&'a str, Error> {
    // SAFETY: forwarded to the caller.
    unsafe { opt_str_arg(ptr, name) }?.ok_or_else(|| Error::invalid(name, "is NULL"))
}

/// Like [`str_arg`], but NULL is `None`.
///
/// # Safety
///
/// `ptr` is NULL or a NUL-terminated string that lives for `'a`.
pub(crate) unsafe fn opt_str_arg<'a>(
    ptr: *const c_char,
    name: &'static str,
) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: not NULL, and NUL-terminated by the caller's promise.
    let text = unsafe { CStr::from_ptr(ptr) };
    text.to_str()
        .map(Some)
        .map_err(|_| Error::invalid(name, "is not valid UTF-8"))
}

/// Fails unless `buf` is non-NULL and holds `needed` bytes; checked before any traffic.
pub(crate) fn check_buffer(
    buf: *mut c_char,
    buf_len: usize,
    needed: usize,
    name: &'static str,
) -> Result<(), Failure> {
    if buf.is_null() {
        return Err(Error::invalid(name, "is NULL").into());
    }
    if buf_len < needed {
        return Err(Failure::BufferTooSmall {
            name,
            needed,
            given: buf_len,
        });
    }
    Ok(())
}

/// Writes `text` and its NUL into `buf`, or fails without writing when it doesn't fit.
///
/// # Safety
///
/// `buf` is NULL or points to at least `buf_len` writable bytes.
pub(crate) unsafe fn write_str(
    buf: *mut c_char,
    buf_len: usize,
    text: &str,
    name: &'static str,
) -> Result<(), Failure> {
    check_buffer(buf, buf_len, text.len() + 1, name)?;
    // SAFETY: buf holds at least text.len() + 1 bytes (checked) and can't overlap text,
    // which Rust owns.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
        *buf.add(text.len()) = 0;
    }
    Ok(())
}

/// Writes as much of `text` as fits in `buf_len - 1` bytes, cut on a character boundary,
/// and a NUL. Does nothing when `buf` is NULL or `buf_len` is 0.
///
/// # Safety
///
/// `buf` is NULL or points to at least `buf_len` writable bytes.
pub(crate) unsafe fn write_truncated(buf: *mut c_char, buf_len: usize, text: &str) {
    if buf.is_null() || buf_len == 0 {
        return;
    }
    let mut end = text.len().min(buf_len - 1);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // SAFETY: end < buf_len, so end bytes and the NUL fit.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), end);
        *buf.add(end) = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn truncated(text: &str, len: usize) -> Vec<u8> {
        let mut buf = vec![0xAAu8; len + 1];
        // SAFETY: buf holds len + 1 bytes.
        unsafe { write_truncated(buf.as_mut_ptr().cast(), len, text) };
        assert_eq!(buf[len], 0xAA, "wrote past the buffer");
        buf.truncate(len);
        buf
    }

    #[test]
    fn truncation_keeps_whole_characters() {
        assert_eq!(truncated("héllo", 0), b"");
        assert_eq!(truncated("héllo", 1), b"\0");
        assert_eq!(truncated("héllo", 2), b"h\0");
        // "é" is two bytes: with room for 2 text bytes only "h" fits whole.
        assert_eq!(truncated("héllo", 3), b"h\0\xAA");
        assert_eq!(truncated("héllo", 4), "hé\0".as_bytes());
        assert_eq!(truncated("hi", 8), b"hi\0\xAA\xAA\xAA\xAA\xAA");
    }

    #[test]
    fn exact_writes_refuse_small_buffers() {
        let mut buf = [0xAAu8; 4];
        // SAFETY: buf holds 4 bytes.
        let small = unsafe { write_str(buf.as_mut_ptr().cast(), 4, "abcd", "out") };
        assert!(matches!(
            small,
            Err(Failure::BufferTooSmall {
                needed: 5,
                given: 4,
                ..
            })
        ));
        assert_eq!(buf, [0xAA; 4]);
        // SAFETY: as above.
        let fits = unsafe { write_str(buf.as_mut_ptr().cast(), 4, "abc", "out") };
        assert!(fits.is_ok());
        assert_eq!(&buf, b"abc\0");
    }
}
