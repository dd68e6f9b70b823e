#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""qmp.py - one QMP command to a QEMU monitor socket, its answer as JSON.

Usage: qmp.py SOCKET COMMAND [ARGUMENTS-JSON]
  e.g. qmp.py /tmp/e2e/src.qmp query-migrate
       qmp.py /tmp/e2e/dst.qmp migrate-incoming '{"uri": "unix:/tmp/m.sock"}'

Prints the "return" value on stdout (one line of JSON) and exits 0; on a
QMP error prints "CLASS: DESC" on stderr and exits 1; exits 2 when the
socket does not answer. Events that arrive in between are ignored.
"""
import json
import socket
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    path, cmd = sys.argv[1], sys.argv[2]
    args = json.loads(sys.argv[3]) if len(sys.argv) == 4 else None
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(60)
        sock.connect(path)
    except OSError as err:
        sys.stderr.write("qmp.py: %s: %s\n" % (path, err))
        return 2
    stream = sock.makefile("rw")

    def answer():
        while True:
            line = stream.readline()
            if not line:
                raise EOFError("QEMU closed the monitor")
            msg = json.loads(line)
            if "return" in msg or "error" in msg:
                return msg

    def send(name, arguments=None):
        req = {"execute": name}
        if arguments is not None:
            req["arguments"] = arguments
        stream.write(json.dumps(req) + "\n")
        stream.flush()
        return answer()

    try:
        json.loads(stream.readline())  # the greeting
        send("qmp_capabilities")
        msg = send(cmd, args)
    except (OSError, EOFError, ValueError) as err:
        sys.stderr.write("qmp.py: %s: %s\n" % (cmd, err))
        return 2
    if "error" in msg:
        sys.stderr.write("%s: %s\n" % (msg["error"].get("class"),
                                       msg["error"].get("desc")))
        return 1
    print(json.dumps(msg["return"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
