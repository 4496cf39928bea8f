/* TEST-ONLY shim: bcryptprimitives.dll exporting ProcessPrng, for Wine 8.
 *
 * Rust >= 1.78's standard library on Windows imports ProcessPrng from bcryptprimitives.dll
 * (present on Windows 10 and later). Wine 8.0, Debian 12's, has no such DLL, so every Rust
 * DLL or program fails to load under it (exit 53). The Windows test lane (mk/windows.mk)
 * builds this shim into build/tests/windows/, beside the test programs (and on WINEPATH for
 * `make windows-cargo-test`); it is never shipped in build/windows/ and never needed on real
 * Windows.
 *
 * ProcessPrng fills the buffer from the system CSPRNG and, per its documentation, always
 * returns TRUE; here the bytes come from RtlGenRandom (advapi32's SystemFunction036), and a
 * failure of that is reported as FALSE rather than hidden. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
