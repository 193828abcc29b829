# `zsync-mp board` (issue 17): with no arguments it runs on a temporary
# filesystem, printed and removed when the board stops; a --micropython that
# never boots stops the board with one error instead of restarting forever.
import os
import signal
import subprocess

from test_cli import CLI, ROOT, cli
from test_vboard import mpremote


def test_board_with_no_arguments():
    proc = subprocess.Popen(CLI + ["board"], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        port = proc.stdout.readline().strip()  # the pty first, as before: scripts read it
        line = proc.stdout.readline()
        assert line.startswith("filesystem ") and line.endswith(" (temporary: removed when the board stops)\n")
        fs = line.split()[1]
        assert os.path.isdir(fs)
        mpremote(port, "exec", "open('/hello.txt', 'w').write('hi')")
        with open(os.path.join(fs, "hello.txt")) as f:
            assert f.read() == "hi"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
        assert not os.path.exists(fs)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_board_whose_micropython_never_boots(tmp_path):
    r = cli("board", "--fs", str(tmp_path / "fs"), "--micropython", "/bin/false", timeout=60)
    assert r.returncode == 1
    assert r.stderr.endswith("zsync-mp: /bin/false exited with code 1 3 times in a row before booting: "
                             "board stopped\n"), r.stderr
    assert r.stderr.count("\n") == 3  # two reported resets, then the one error
