# The session deploys zsync_mp with `zsync-mp deploy` (hash-verified on the
# board). Deploying again copies nothing; a file changed or added on the
# board is found by its hash and put right, and only that file is copied.
import pytest


@pytest.fixture
def fs_board(hil):
    if not hil.profile["fs"] or hil.config.getoption("--no-deploy"):
        pytest.skip("board has no filesystem to deploy to (zsync_mp is frozen in its firmware)")
    return hil


def test_session_deploy_verified(fs_board, report):
    r = fs_board.deploy_result
    report(dict(("session_" + k, v) for k, v in r.items()))
    assert r["verified"] > 5 and r["copied"] + r["unchanged"] == r["verified"]


def test_redeploy_copies_only_what_changed(fs_board, report):
    again = fs_board.deploy()
    assert again["copied"] == 0 and again["removed"] == 0 and again["unchanged"] == again["verified"]
    d = fs_board.open_dut()
    try:
        d.exec("f = open('/lib/zsync_mp/kernel/clock.mpy', 'ab'); f.write(b'tampered'); f.close()\n"
               "open('/lib/zsync_mp/stale_extra.py', 'w').write('x = 1\\n')")
    finally:
        d.close()
    fixed = fs_board.deploy()
    report(fixed)
    assert (fixed["copied"], fixed["removed"]) == (1, 1)
    d = fs_board.open_dut()
    try:
        assert d.exec("print(open('/lib/zsync_mp/kernel/clock.mpy', 'rb').read().endswith(b'tampered'))") == "False\n"
        assert d.exec("import os\nprint('stale_extra.py' in os.listdir('/lib/zsync_mp'))") == "False\n"
        d.exec("import zsync_mp")
    finally:
        d.close()
