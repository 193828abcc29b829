#!/bin/sh
# need_packages.sh PKG...: make sure these Debian packages are installed.
# Nothing to do (and no root asked for) when they all are; as root the missing
# ones are installed with apt-get; otherwise they are named with the command
# that installs them, and the exit status is 1. Without dpkg (not Debian) it
# says which packages the Makefile expects and goes on.
command -v dpkg >/dev/null 2>&1 || {
    echo "note: no dpkg here; make expects these (Debian names): $*" >&2
    exit 0
}
missing=""
for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
else
    echo "missing system packages:$missing" >&2
    echo "install them with: sudo apt-get install$missing" >&2
    exit 1
fi
