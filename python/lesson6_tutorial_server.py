"""Lesson 6 server, the tutorial's wire (解决粘包 终极版): a bare request, a headed reply.

What the tutorial's final version puts on the wire, so that its own client (or
lesson6_tutorial_client.py, or `lesson6 client --wire tutorial`) can talk to it:

    request   bare: the command's bytes, read with ONE recv(1024), nothing says where it ends
    reply     struct.pack('<i', len(header_bytes))  4 bytes, little-endian, signed
              header_bytes: json.dumps({"filenema": "a.txt", "total_size": N, "md5": ...})
              the output: N bytes

The md5 is the output's real digest; with --placeholder-md5 it is the tutorial's made-up string,
which no reader can check. (The tutorial's `filenema` key, misspelt and naming no file, is kept:
it is what the tutorial's server sends, and readers ignore keys they do not know.)

Only the reply is framed. The request is still lesson 5's: one recv(1024) is taken to be one
whole command, so commands sent back to back run as one. `--wire framed` (ours) frames both.

By default only the built-in commands run (help, echo TEXT, seq N; see commands.py); `--shell`
runs what clients send through the system shell, as the tutorial does.

    python3 python/lesson6_tutorial_server.py [--host 127.0.0.1] [--port 8006]
                                              [--placeholder-md5] [--shell]
"""

import argparse
import hashlib
import json
import struct
import sys
import threading

from commands import SHELL_WARNING, run_command

from serving import listen, stop_on_signals

# The tutorial's stand-in for a digest: 19 letters and digits, not an md5 of anything.
PLACEHOLDER_MD5 = 'sssxxxadwc123asd123'


def serve_one_client(conn, peer, shell, placeholder_md5):
    """The communication loop: one recv(1024) = one command; each reply has a header."""
    with conn:
        while True:
            try:
                cmd = conn.recv(1024)
                if not cmd:
                    print(f'{peer}: recv returned 0 bytes; the conversation is over',
                          file=sys.stderr, flush=True)
                    return
                output = run_command(cmd, shell)
                print(f'{peer}: ran {cmd!r}: {len(output)} bytes of output',
                      file=sys.stderr, flush=True)
                md5 = PLACEHOLDER_MD5 if placeholder_md5 else hashlib.md5(output).hexdigest()
                header = {'filenema': 'a.txt', 'total_size': len(output), 'md5': md5}
                header_bytes = json.dumps(header).encode('utf-8')
                # The tutorial writes struct.pack('i', ...): the machine's NATIVE byte order. On
                # the machines students use (x86, ARM) that is 4 bytes, little-endian, signed,
                # which '<i' says on any machine. With 'i' alone, a big-endian machine would send
                # 00 00 00 39 for 57 where every other machine reads 39 00 00 00: the tutorial
                # works because both of its ends are the same kind of machine. (Ours, --wire
                # framed, says '!I': unsigned, network order, the same everywhere by definition.)
                conn.sendall(struct.pack('<i', len(header_bytes)))  # 1. the header's length
                conn.sendall(header_bytes)  # 2. the header
                conn.sendall(output)  # 3. the output itself
            except OSError as e:
                print(f'{peer}: {e}; ending this connection', file=sys.stderr, flush=True)
                return


def main():
    parser = argparse.ArgumentParser(description="Lesson 6 server on the tutorial's wire (终极版).")
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8006, help='0 asks for any free port')
    parser.add_argument('--placeholder-md5', action='store_true',
                        help=f"send the tutorial's md5 {PLACEHOLDER_MD5!r} instead of the real one")
    parser.add_argument('--shell', action='store_true',
                        help='DANGER: run what clients send through the system shell')
    args = parser.parse_args()
    stop_on_signals()
    server, host, port = listen(args.host, args.port)

    try:
        if args.shell:
            print(SHELL_WARNING.format(addr=f'{host}:{port}'), file=sys.stderr, flush=True)
        # The same readiness line as the Rust servers: scripts read the real port from its end.
        print(f'lesson6 python server, tutorial wire (Ctrl-C stops it) '
              f'listening on {host}:{port}', file=sys.stderr, flush=True)
        while True:  # the connection loop; the tutorial serves one client at a time, we all
            conn, addr = server.accept()
            peer = f'{addr[0]}:{addr[1]}'
            print(f'{peer} connected', file=sys.stderr, flush=True)
            threading.Thread(target=serve_one_client,
                             args=(conn, peer, args.shell, args.placeholder_md5),
                             daemon=True).start()
    except KeyboardInterrupt:
        pass
    server.close()
    print('lesson6 python server stopped', file=sys.stderr, flush=True)


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        pass  # Ctrl-C before the server was listening, or as it stopped: stop all the same
