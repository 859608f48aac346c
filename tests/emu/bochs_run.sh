#!/usr/bin/env bash
# tests/emu/bochs_run.sh - run a static x86-64 Linux program on an emulated
# CPU that has AVX-512 (Bochs), so AVX-512 code can be tested on a machine
# that cannot run it.
#
#   tests/emu/bochs_run.sh [OPTIONS] BINARY [ARGS...]
#
#   --cpu MODEL        Bochs CPU model (default tigerlake: AVX-512 F, CD, BW,
#                      DQ, VL, VBMI, VBMI2, IFMA, VNNI, BITALG, VPOPCNTDQ);
#                      `bochs -help cpu` lists the models
#   --timeout SECONDS  limit for the whole run, boot included (default 900)
#   --env NAME=VALUE   put NAME=VALUE in the program's environment; repeatable
#   --env NAME         pass the host's NAME, when it is set
#   --file PATH        copy a file or a directory into the guest, at the same
#                      absolute path; repeatable
#   --memory MB        guest memory, at most 2048 (default 512)
#   --verbose          show the guest's console up to the program's start, and
#                      timings, on stderr
#   --keep             keep the run's directory (Bochs config, log, serial
#                      output) and print its path
#   --append ARGS      add ARGS to the kernel command line
#
# The guest boots Debian's cloud kernel from an ISO image; its initramfs holds
# a small /init (init.c beside this script), BINARY, and the --file paths.
# /init runs BINARY at its absolute host path with ARGS, in the host's current
# directory (created empty unless --file brings it), with an environment of
# PATH=/usr/bin:/bin, HOME=/ and the --env variables only, and stdin
# /dev/null. BINARY must be statically linked: the guest has no shared
# libraries. For example, a test that finds its data through an environment
# variable:
#
#   tests/emu/bochs_run.sh --env SHARDLINE_FORCE_IMPL=avx512 \
#       --env SHARDLINE_TEST_DATA="$PWD/tests/data" --file tests/data \
#       build/emu-static/tests/test_kernels
#
# The program's stdout and stderr are both the guest's serial console (a
# terminal, so stdout is line-buffered) and come out on this script's stdout
# as they are written, at some tens of KB/s. A last line without a newline
# gets one.
#
# Exit status: the program's (128 + N when signal N killed it, as a shell
# reports it; 127 when it could not be started); 124 when the time limit was
# reached; 125 when the run failed otherwise (bad arguments, boot failure,
# kernel panic), with a message on stderr.
#
# The first run installs what is missing from Debian's packages (bochs,
# bochsbios, bochs-term, vgabios, isolinux, syslinux-common, xorriso, cpio,
# gcc, libc6-dev; sudo when not root), downloads the current
# linux-image-*-cloud-amd64 package with apt-get download and keeps its
# kernel, and builds /init. They are kept in $BOCHS_RUN_CACHE (default
# build/emu-cache in the repository). Each run builds its initramfs and ISO
# image in a directory of its own there, so runs may go on side by side.
#
# A run costs about 20 s of wall time for the boot, more with big --file
# data (about 0.5 s a MB); the emulated CPU then runs some 40 million simple
# instructions a second, AVX-512 ones at about half that.
#
# selftest.c beside this script checks the harness itself (AVX-512 state in
# the guest, vpermb, registers across context switches, exit statuses); run
# it through this script after changing the boot options.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${BOCHS_RUN_CACHE:-$root/build/emu-cache}

# Kernel command line. Besides the serial console and a quiet, plain boot:
#   clearcpuid=xsaves,xsavec  Bochs 2.7 reports the standard XSAVE area size
#                             for the compacted format, and Linux then turns
#                             XSAVE (so AVX and AVX-512) off; without XSAVES
#                             and XSAVEC Linux uses the standard format
#   clearcpuid=pku            Bochs 2.7 reports no size for the PKRU state
#                             component, which upsets the same checks
#   clearcpuid=fsrm           Bochs does not set the fast-strings bit of
#                             IA32_MISC_ENABLE, so Linux drops ERMS but keeps
#                             FSRM, and its memmove then mishandles copies of
#                             less than 32 bytes
#   tsc=reliable              the TSC counts instructions while the timers
#                             follow the emulated clock: no watchdog
# and, to boot faster (each costs seconds of emulation):
#   cryptomgr.notests         no crypto self-tests (they took most of the boot)
#   init_on_alloc=0           no zeroing of every kernel allocation
#   initcall_blacklist=cubictcp_register
#                             TCP CUBIC's registration parses the kernel's BTF
#   edd=off                   no BIOS disk probing
# These only change how the kernel runs; user space sees the CPU model's CPUID.
kernel_cmdline="console=ttyS0,115200 quiet nokaslr mitigations=off tsc=reliable"
kernel_cmdline+=" clearcpuid=xsaves,xsavec,pku,fsrm"
kernel_cmdline+=" cryptomgr.notests init_on_alloc=0 initcall_blacklist=cubictcp_register edd=off"

# Instructions per emulated second. Only timers and the serial line follow it
# (the TSC counts instructions); a low value makes waits during boot short.
bochs_ips=50000000

# usage [STATUS]: print the options and exit (125 unless told otherwise).
usage() {
    sed -n '6,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit "${1:-125}"
}

die() {
    printf 'bochs_run: %s\n' "$*" >&2
    exit 125
}

# --- arguments --------------------------------------------------------------

cpu=tigerlake
timeout=900
memory=512
verbose=0
keep=0
envs=()
files=()
while [ $# -gt 0 ]; do
    case $1 in
        --cpu) [ $# -ge 2 ] || usage; cpu=$2; shift 2 ;;
        --timeout) [ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
        --memory) [ $# -ge 2 ] || usage; memory=$2; shift 2 ;;
        --env)
            [ $# -ge 2 ] || usage
            case $2 in
                *=*) envs+=("$2") ;;
                *)
                    [[ $2 =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "bad variable name: $2"
                    if [ -n "${!2+set}" ]; then envs+=("$2=${!2}"); fi ;;
            esac
            shift 2 ;;
        --file) [ $# -ge 2 ] || usage; files+=("$2"); shift 2 ;;
        --verbose) verbose=1; shift ;;
        --keep) keep=1; shift ;;
        --append) [ $# -ge 2 ] || usage; kernel_cmdline+=" $2"; shift 2 ;;
        -h|--help) usage 0 ;;
        --) shift; break ;;
        -*) die "unknown option $1" ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || usage
case $timeout in ''|*[!0-9]*) die "--timeout wants whole seconds" ;; esac
case $memory in ''|*[!0-9]*) die "--memory wants megabytes" ;; esac
[ "$memory" -ge 64 ] && [ "$memory" -le 2048 ] || die "--memory must be 64 to 2048 (Bochs's limit)"
binary=$(realpath -e -- "$1" 2>/dev/null) || die "no such file: $1"
shift
[ -f "$binary" ] && [ -x "$binary" ] || die "not an executable file: $binary"
headers=$(readelf -lW "$binary" 2>/dev/null || true)
if grep -q 'program interpreter' <<<"$headers"; then
    die "$binary is dynamically linked; the guest has no shared libraries (link with -static)"
fi

# --- tools and cached files -------------------------------------------------

log() { if [ "$verbose" -eq 1 ]; then printf 'bochs_run: %s\n' "$*" >&2; fi; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_update() {
    if [ "$apt_updated" -eq 0 ]; then
        as_root apt-get update -q >/dev/null
        apt_updated=1
    fi
}

# Debian packages the run needs, and a file that shows each is there.
packages=(bochs:/usr/bin/bochs-bin
          bochsbios:/usr/share/bochs/BIOS-bochs-latest
          bochs-term:/usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_term_gui.so
          vgabios:/usr/share/vgabios/vgabios.bin
          isolinux:/usr/lib/ISOLINUX/isolinux.bin
          syslinux-common:/usr/lib/syslinux/modules/bios/ldlinux.c32
          xorriso:/usr/bin/xorriso
          cpio:/usr/bin/cpio
          gcc:/usr/bin/gcc
          libc6-dev:/usr/lib/x86_64-linux-gnu/libc.a)

setup_packages() {
    local entry missing=()
    for entry in "${packages[@]}"; do
        [ -e "${entry#*:}" ] || missing+=("${entry%%:*}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    printf 'bochs_run: installing %s from Debian\n' "${missing[*]}" >&2
    apt_update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
}

# The kernel: the vmlinuz of the current linux-image-*-cloud-amd64 package,
# which is small, quick to decompress (LZ4), and has the 8250 serial console
# and initramfs support built in.
setup_kernel() {
    [ -s "$cache/vmlinuz" ] && return 0
    local pkg tmp
    apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1 || apt_update
    pkg=$(apt-cache depends linux-image-cloud-amd64 |
        sed -n 's/^ *Depends: \(linux-image-[^ ]*-cloud-amd64\)$/\1/p' | head -n 1)
    [ -n "$pkg" ] || die "found no linux-image-*-cloud-amd64 package"
    printf 'bochs_run: downloading %s\n' "$pkg" >&2
    tmp=$(mktemp -d "$cache/kernel.XXXXXX")
    (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1) || {
        rm -rf "$tmp"
        die "apt-get download $pkg failed"
    }
    dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" --wildcards './boot/*'
    local config
    config=$(echo "$tmp"/boot/config-*)
    if ! grep -q '^CONFIG_SERIAL_8250_CONSOLE=y' "$config" ||
        ! grep -q '^CONFIG_BLK_DEV_INITRD=y' "$config"; then
        rm -rf "$tmp"
        die "$pkg lacks the serial console or initramfs support"
    fi
    mv "$tmp"/boot/vmlinuz-* "$cache/vmlinuz.new"
    echo "$pkg" >"$cache/kernel-package"
    mv "$cache/vmlinuz.new" "$cache/vmlinuz"
    rm -rf "$tmp"
}

# /init, rebuilt whenever init.c changes.
setup_init() {
    local sum
    sum=$(sha256sum <"$here/init.c")
    if [ -x "$cache/init" ] && [ "$(cat "$cache/init.sha256" 2>/dev/null)" = "$sum" ]; then
        return 0
    fi
    gcc -static -O2 -Wall -Wextra -o "$cache/init.new" "$here/init.c"
    mv "$cache/init.new" "$cache/init"
    echo "$sum" >"$cache/init.sha256"
}

mkdir -p "$cache/runs"
(
    flock 9
    setup_packages
    setup_kernel
    setup_init
) 9>"$cache/.lock"

models=$(bochs -help cpu 2>&1 || true)
grep -qx -- "$cpu" <<<"$models" || die "Bochs has no CPU model '$cpu' (bochs -help cpu lists them)"

# --- the run's initramfs and ISO image --------------------------------------

run=$(mktemp -d "$cache/runs/run.XXXXXX")
# running PID: PID is a process that has not ended (nor become a zombie).
running() {
    local state
    state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

script_pid=""
cleanup() {
    # Bochs runs in a session of its own under script(1), which on a SIGTERM
    # would wait two seconds for it: end Bochs, by its process id, and script
    # then ends by itself.
    local pid
    pid=$(cat "$run/bochs.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = bochs-bin ]; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    if [ -n "$script_pid" ]; then
        for _ in $(seq 40); do
            running "$script_pid" || break
            sleep 0.05
        done
        kill -KILL -- "-$script_pid" 2>/dev/null || true
        wait "$script_pid" 2>/dev/null || true
    fi
    if [ "$keep" -eq 1 ]; then
        printf 'bochs_run: run directory %s\n' "$run" >&2
    else
        rm -rf "$run"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t_start=$EPOCHREALTIME
marker=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
rootfs="$run/rootfs"
mkdir -p "$rootfs/emu"
cp "$cache/init" "$rootfs/init"

# BINARY and the --file paths at their absolute paths, and the current directory.
copy_in() {
    mkdir -p "$rootfs$(dirname "$1")"
    cp -a -T -- "$1" "$rootfs$1"
}
copy_in "$binary"
for f in "${files[@]}"; do
    f=$(realpath -e -- "$f" 2>/dev/null) || die "no such file: $f"
    copy_in "$f"
done
mkdir -p "$rootfs$PWD"

printf '%s\0' "$binary" "$@" >"$rootfs/emu/argv"
printf '%s\0' PATH=/usr/bin:/bin HOME=/ "${envs[@]}" >"$rootfs/emu/env"
printf '%s\n' "$PWD" >"$rootfs/emu/cwd"
printf '%s\n' "$marker" >"$rootfs/emu/marker"

# An uncompressed archive: the emulated CPU inflates far more slowly than the
# boot loader reads.
(cd "$rootfs" && find . -mindepth 1 | cpio -o -H newc -R 0:0 --quiet) >"$run/initrd"
rm -rf "$rootfs"

cat >"$run/isolinux.cfg" <<EOF
default linux
prompt 0
timeout 0
label linux
  kernel /vmlinuz
  append initrd=/initrd $kernel_cmdline
EOF
xorriso -as mkisofs -quiet -o "$run/boot.iso" \
    -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table -graft-points \
    /isolinux/isolinux.bin=/usr/lib/ISOLINUX/isolinux.bin \
    /isolinux/ldlinux.c32=/usr/lib/syslinux/modules/bios/ldlinux.c32 \
    /isolinux/isolinux.cfg="$run/isolinux.cfg" \
    /vmlinuz="$cache/vmlinuz" \
    /initrd="$run/initrd" 2>"$run/xorriso.log" ||
    { cat "$run/xorriso.log" >&2; die "xorriso failed"; }
rm -f "$run/initrd"

# --- Bochs ------------------------------------------------------------------

# Debian's Bochs has no 'nogui' display, and its 'term' display wants a
# terminal: script(1) gives it one. Its debugger, built in, starts stopped;
# the -rc file tells it to continue. Power-off (ACPI S5) ends Bochs through
# its 'panic' action.
serial="$run/serial.out"
cat >"$run/bochsrc" <<EOF
memory: guest=$memory, host=$memory
cpu: model=$cpu, count=1, ips=$bochs_ips, reset_on_triple_fault=0
clock: sync=none, time0=local
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
display_library: term
ata0-master: type=cdrom, path="$run/boot.iso", status=inserted
boot: cdrom
floppy_bootsig_check: disabled=1
com1: enabled=1, mode=file, dev="$serial"
mouse: enabled=0
speaker: enabled=0
sound: driver=dummy
log: "$run/bochs.log"
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
EOF
printf 'c\n' >"$run/debugger.rc"
: >"$serial"

log "Bochs, CPU $cpu, ${memory} MB"
setsid env TERM=vt100 SHELL=/bin/sh script -qfec \
    "echo \$\$ >$(printf '%q' "$run/bochs.pid"); exec $(printf '%q ' bochs-bin -q -f "$run/bochsrc" -rc "$run/debugger.rc")" \
    /dev/null </dev/null >"$run/bochs.out" 2>&1 &
script_pid=$!
# The console is followed for as long as Bochs itself runs: script(1), a
# child of this shell, would linger as a zombie.
bochs_pid=""
for _ in $(seq 200); do
    bochs_pid=$(cat "$run/bochs.pid" 2>/dev/null || true)
    [ -z "$bochs_pid" ] || break
    sleep 0.05
done
[ -n "$bochs_pid" ] || die "Bochs did not start (--keep keeps its output)"

# --- the serial console -----------------------------------------------------

# Reads the console as it grows: before the BEGIN line it is the boot (shown
# with --verbose); after it, the program's output, up to the EXIT line. The
# newline /init writes before the EXIT line is not the program's: an empty
# line is held back until the next line shows whether it was.
state=boot
status=""
t_begin=""
blank=0
panic_re='^\[ *[0-9]+\.[0-9]+\] Kernel panic - not syncing'
boot_tail=()
deadline=$((SECONDS + timeout))
reason="Bochs stopped before the program reported its exit status"

on_line() {
    local line=$1
    case $line in
        *"@@$marker ERROR "*)
            line=${line#*"@@$marker ERROR "}
            printf 'bochs_run: guest: %s\n' "${line%@@*}" >&2
            if [ "$state" = boot ]; then
                reason="the guest's /init failed"
                return 1
            fi
            return 0 ;;
    esac
    if [ "$state" = boot ]; then
        line=${line%$'\r'}
        if [ "$line" = "@@$marker BEGIN@@" ]; then
            state=program
            t_begin=$EPOCHREALTIME
            log "program started after $(elapsed "$t_start" "$t_begin") s"
            return 0
        fi
        boot_tail+=("$line")
        [ ${#boot_tail[@]} -le 40 ] || boot_tail=("${boot_tail[@]:1}")
        if [ "$verbose" -eq 1 ]; then printf '%s\n' "$line" >&2; fi
        if [[ $line =~ $panic_re ]]; then
            reason="kernel panic"
            return 1
        fi
        return 0
    fi
    if [[ $line =~ ^(.*)@@$marker\ EXIT\ ([0-9]+)@@$ ]]; then
        status=${BASH_REMATCH[2]}
        while [ "$blank" -gt 1 ]; do printf '\n'; blank=$((blank - 1)); done
        # Text before the marker on its line is the program's last line.
        if [ -n "${BASH_REMATCH[1]}" ]; then printf '%s\n' "${BASH_REMATCH[1]}"; fi
        return 1
    fi
    if [[ ${line%$'\r'} =~ $panic_re ]]; then
        while [ "$blank" -gt 0 ]; do printf '\n'; blank=$((blank - 1)); done
        printf '%s\n' "$line" >&2
        reason="kernel panic"
        return 1
    fi
    if [ -z "$line" ]; then
        blank=$((blank + 1))
        return 0
    fi
    while [ "$blank" -gt 0 ]; do printf '\n'; blank=$((blank - 1)); done
    printf '%s\n' "$line"
}

# elapsed T0 T1: seconds from T0 to T1 ($EPOCHREALTIME values), one decimal.
elapsed() {
    local a=${1//[.,]/} b=${2//[.,]/}
    local us=$((10#$b - 10#$a))
    printf '%d.%d' $((us / 1000000)) $((us % 1000000 / 100000))
}

timed_out=0
while :; do
    left=$((deadline - SECONDS))
    if [ "$left" -le 0 ]; then timed_out=1; break; fi
    line=""
    if IFS= read -r -t "$left" line; then
        on_line "$line" || break
    else
        rc=$?
        # A partial line is kept in $line both at the end of input and when
        # the time runs out.
        if [ -n "$line" ]; then on_line "$line" || break; fi
        if [ "$rc" -gt 128 ]; then timed_out=1; fi
        break
    fi
done < <(tail -n +1 -F --pid="$bochs_pid" "$serial" 2>/dev/null)

t_end=$EPOCHREALTIME
if [ -n "$status" ]; then
    log "program ran $(elapsed "$t_begin" "$t_end") s; total $(elapsed "$t_start" "$t_end") s; exit status $status"
    exit "$status"
fi
while [ "$blank" -gt 0 ]; do printf '\n'; blank=$((blank - 1)); done
if [ "$state" = boot ] && [ "$verbose" -eq 0 ] && [ ${#boot_tail[@]} -gt 0 ]; then
    printf 'bochs_run: last lines of the guest console:\n' >&2
    printf '  %s\n' "${boot_tail[@]}" >&2
fi
# Bochs's own last word, e.g. a configuration error.
if [ "$timed_out" -eq 0 ] && grep -q 'Bochs is exiting with the following message' "$run/bochs.out"; then
    printf 'bochs_run: Bochs: %s\n' "$(tr -d '\r' <"$run/bochs.out" |
        sed -n '/Bochs is exiting with the following message/{n;p;q}')" >&2
fi
if [ "$timed_out" -eq 1 ]; then
    printf 'bochs_run: timed out after %s s (%s)\n' "$timeout" \
        "$([ "$state" = boot ] && echo "the guest was still booting" || echo "the program was running")" >&2
    exit 124
fi
die "$reason"
