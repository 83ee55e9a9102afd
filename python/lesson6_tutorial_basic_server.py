"""Lesson 6 server, the tutorial's first fix (解决粘包 初级版): a bare length before each output.

What the tutorial's first version puts on the wire, so that its own client (or
lesson6_tutorial_basic_client.py, or `lesson6 client --wire tutorial-basic`) can talk to it:

    request   bare: the command's bytes, read with ONE recv(1024)
    reply     struct.pack('<i', total_size)  4 bytes, little-endian, signed: the output's length
              the output: total_size bytes

Four bytes are enough to end the sticky replies of lesson 5, but they can only ever say one
number: the 终极版 (lesson6_tutorial_server.py) puts a JSON header there instead, which can grow.

By default only the built-in commands run (help, echo TEXT, seq N; see commands.py); `--shell`
runs what clients send through the system shell, as the tutorial does.

    python3 python/lesson6_tutorial_basic_server.py [--host 127.0.0.1] [--port 8006] [--shell]
"""

import argparse
import struct
import sys
import threading

from commands import SHELL_WARNING, run_command

from serving import listen, stop_on_signals


def serve_one_client(conn, peer, shell):
    """The communication loop: one recv(1024) = one command; each reply has its length first."""
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
                # The tutorial writes struct.pack('i', ...): the machine's native byte order,
                # little-endian on x86 and ARM. '<i' says so on any machine. It is signed, so
                # 2 GiB of output or more cannot be sent at all (struct.error); ours is far less.
                conn.sendall(struct.pack('<i', len(output)))  # 1. the length
                conn.sendall(output)  # 2. the output itself
            except OSError as e:
                print(f'{peer}: {e}; ending this connection', file=sys.stderr, flush=True)
                return


def main():
    parser = argparse.ArgumentParser(
        description="Lesson 6 server on the tutorial's first wire (初级版).")
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8006, help='0 asks for any free port')
    parser.add_argument('--shell', action='store_true',
                        help='DANGER: run what clients send through the system shell')
    args = parser.parse_args()
    stop_on_signals()
    server, host, port = listen(args.host, args.port)

    try:
        if args.shell:
            print(SHELL_WARNING.format(addr=f'{host}:{port}'), file=sys.stderr, flush=True)
        # The same readiness line as the Rust servers: scripts read the real port from its end.
        print(f'lesson6 python server, tutorial-basic wire (Ctrl-C stops it) '
              f'listening on {host}:{port}', file=sys.stderr, flush=True)
        while True:  # the connection loop; the tutorial serves one client at a time, we all
            conn, addr = server.accept()
            peer = f'{addr[0]}:{addr[1]}'
            print(f'{peer} connected', file=sys.stderr, flush=True)
            threading.Thread(target=serve_one_client, args=(conn, peer, args.shell),
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
