/* init.c - /init of the guest that bochs_run.sh boots: runs one program and
 * reports how it ended, then powers the machine off.
 *
 * The initramfs holds, besides this program:
 *   /emu/argv    the program's argv, each entry ending in a NUL byte; argv[0]
 *                is the path of the program in the guest
 *   /emu/env     its environment, NAME=VALUE entries ending in NUL bytes
 *   /emu/cwd     the directory to run it in, one line
 *   /emu/marker  a token unique to the run, one line
 *
 * The program's stdin is /dev/null; its stdout and stderr are the console
 * (the first serial port), set to pass bytes unchanged. On it init writes
 *   @@<marker> BEGIN@@           before the program starts
 *   ...                          the program's output
 *   \n@@<marker> EXIT <status>@@ when it has ended (after a line saying so
 *                                if a signal killed it)
 * where <status> is the exit status, or 128 + N when signal N killed it, as
 * a shell reports it. The newline before it is init's: the line is one of
 * its own even when the output did not end with a newline. A failure is
 * reported on a line
 *   @@<marker> ERROR <message>@@
 * before BEGIN when init itself fails (then nothing else follows), after it
 * when the program cannot be started (then EXIT 127 follows).
 * Build: gcc -static -O2 -o init init.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static char marker[128] = "emu";

/* Writes all of the formatted text to fd 1, retrying short writes. */
static void say(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof buf)
        n = sizeof buf - 1;
    for (int off = 0; off < n;) {
        ssize_t w = write(1, buf + off, (size_t)(n - off));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (int)w;
    }
}

static void power_off(void)
{
    sync();
    reboot(RB_POWER_OFF);
    /* Only reached when the power-off failed: the host stops the emulator
     * once it has read the exit line, so wait for that. */
    for (;;)
        pause();
}

static void fail(const char *what)
{
    say("\n@@%s ERROR %s: %s@@\n", marker, what, strerror(errno));
    power_off();
}

/* Reads a whole file into a NUL-terminated buffer; *len gets its size. */
static char *slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(path);
    struct stat st;
    if (fstat(fd, &st) != 0)
        fail(path);
    char *buf = malloc((size_t)st.st_size + 1);
    if (!buf)
        fail("malloc");
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            fail(path);
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    *len = got;
    return buf;
}

/* Splits a buffer of NUL-terminated entries into a NULL-terminated array. */
static char **split(char *buf, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        count += buf[i] == '\0';
    char **list = calloc(count + 1, sizeof *list);
    if (!list)
        fail("calloc");
    size_t k = 0;
    for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
        list[k++] = buf + i;
    list[k] = NULL;
    return list;
}

/* Makes fds 0, 1 and 2 the console, with no output processing (no \r added
 * before \n), so the program's output reaches the host byte for byte. */
static void open_console(void)
{
    int fd = open("/dev/console", O_RDWR | O_NOCTTY);
    if (fd < 0) {
        mkdir("/dev", 0755);
        mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
        fd = open("/dev/console", O_RDWR | O_NOCTTY);
    }
    if (fd < 0)
        reboot(RB_POWER_OFF);
    for (int i = 0; i < 3; i++)
        if (fd != i)
            dup2(fd, i);
    if (fd > 2)
        close(fd);
    struct termios t;
    if (tcgetattr(1, &t) == 0) {
        t.c_oflag &= ~(tcflag_t)OPOST;
        tcsetattr(1, TCSANOW, &t);
    }
}

int main(void)
{
    open_console();

    size_t len;
    char *m = slurp("/emu/marker", &len);
    m[strcspn(m, "\n")] = '\0';
    snprintf(marker, sizeof marker, "%s", m);

    /* What a program may expect to find: /proc, /sys, /dev and /tmp. */
    mkdir("/proc", 0555);
    mount("proc", "/proc", "proc", 0, NULL);
    mkdir("/sys", 0555);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    mkdir("/dev", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    mkdir("/tmp", 01777);

    char *argv_buf = slurp("/emu/argv", &len);
    char **args = split(argv_buf, len);
    char *env_buf = slurp("/emu/env", &len);
    char **env = split(env_buf, len);
    if (!args[0]) {
        errno = EINVAL;
        fail("/emu/argv is empty");
    }
    char *cwd = slurp("/emu/cwd", &len);
    cwd[strcspn(cwd, "\n")] = '\0';

    say("@@%s BEGIN@@\n", marker);
    pid_t pid = fork();
    if (pid < 0)
        fail("fork");
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        if (null > 0) {
            dup2(null, 0);
            close(null);
        }
        if (chdir(cwd) != 0) {
            say("@@%s ERROR chdir %s: %s@@\n", marker, cwd, strerror(errno));
            _exit(127);
        }
        execve(args[0], args, env);
        say("@@%s ERROR execve %s: %s@@\n", marker, args[0], strerror(errno));
        _exit(127);
    }

    /* As process 1, reap every child; the run ends when the program does. */
    int status = 0;
    for (;;) {
        pid_t w = wait(&status);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            fail("wait");
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status)
             : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
             : 255;
    if (WIFSIGNALED(status))
        say("\n%s: killed by signal %d (%s)\n", args[0], WTERMSIG(status),
            strsignal(WTERMSIG(status)));
    tcdrain(1);
    say("\n@@%s EXIT %d@@\n", marker, code);
    tcdrain(1);
    power_off();
    return 0;
}
