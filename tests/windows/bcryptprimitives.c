/* FOR THE WINE TESTS ONLY, never shipped: Wine 8 lacks ProcessPrng in
 * bcryptprimitives.dll, which Rust's standard library needs for random
 * numbers. Real Windows (10 and later) has it. Placed beside the .exe in
 * the test folder, this DLL gives it over RtlGenRandom (SystemFunction036). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
