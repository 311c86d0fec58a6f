/* Test helper for the Wine tests: holds a file as another program would,
 * until a release file appears (or two minutes pass).
 *   hold.exe read FILE RELEASE   open FILE for reading, sharing read only
 *                                (as Adobe Reader holds an open PDF)
 *   hold.exe lock FILE RELEASE   take an exclusive lock on FILE (as a
 *                                running statusrapport holds its lock file)
 * Prints "held" once the file is held. */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

int wmain(int argc, wchar_t **argv) {
    if (argc != 4) {
        fwprintf(stderr, L"usage: hold.exe read|lock FILE RELEASE\n");
        return 2;
    }
    int lock = wcscmp(argv[1], L"lock") == 0;
    DWORD share = lock ? FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE : FILE_SHARE_READ;
    DWORD access = lock ? GENERIC_READ | GENERIC_WRITE : GENERIC_READ;
    HANDLE file = CreateFileW(argv[2], access, share, NULL, lock ? OPEN_ALWAYS : OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        fwprintf(stderr, L"hold: cannot open file (error %lu)\n", GetLastError());
        return 1;
    }
    if (lock) {
        OVERLAPPED overlapped = {0};
        if (!LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &overlapped)) {
            fwprintf(stderr, L"hold: cannot lock file (error %lu)\n", GetLastError());
            return 1;
        }
    }
    printf("held\n");
    fflush(stdout);
    for (int i = 0; i < 2400 && GetFileAttributesW(argv[3]) == INVALID_FILE_ATTRIBUTES; i++) Sleep(50);
    CloseHandle(file);
    return 0;
}
