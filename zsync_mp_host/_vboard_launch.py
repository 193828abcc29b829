# Inside the virtual board's sandbox (pid 1 there): start MicroPython and
# report how it ended. Runs on CPython: `python -I _vboard_launch.py FD MODE
# MICROPYTHON ARGS...`.
#
# bwrap folds "killed by signal N" into exit status 128+N; the relay needs the
# difference (a crash is a hard reset, sys.exit(n) a soft one), so this process
# forks, waits, and writes "exit N" or "signal N" to FD before exiting.
# MODE "script": MICROPYTHON is the PyPI entry-point script, run in the forked
# child by this same interpreter (no second CPython start); "exec": a native
# binary, exec'd. The relay signals the child (SIGINT) by its host pid.
import os
import sys


def main():
    fd, mode, target, args = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    pid = os.fork()
    if pid == 0:
        os.close(fd)
        sys.argv = [target] + args
        if mode == "script":  # as runpy.run_path would, without importing runpy
            with open(target) as f:
                code = compile(f.read(), target, "exec")
            exec(code, {"__name__": "__main__", "__file__": target, "__builtins__": __builtins__})
            sys.exit(0)
        try:
            os.execv(target, sys.argv)
        except OSError as e:
            sys.stderr.write("vboard: cannot start %s: %s\n" % (target, e.strerror))
            os._exit(127)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        os.write(fd, b"signal %d\n" % sig)
        os._exit(128 + sig)
    code = os.waitstatus_to_exitcode(status)
    os.write(fd, b"exit %d\n" % code)
    os._exit(code)


main()
