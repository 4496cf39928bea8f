//! C ABI (see include/rescue.h).
