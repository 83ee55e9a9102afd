"""Lesson 6 server, the fixed header (报头), our wire: every message framed, both ways.

Lesson 5's server, but each request and each reply is a frame (see frame.py): 4 bytes saying how
long the JSON header is, the header saying how long the body is (and its md5), then the body.
Glued or split, every command and every output arrives whole. Like `lesson6 server` (its default
`--wire framed`). A frame that breaks the protocol, or whose md5 does not fit its body, ends that
one connection; everyone else is served on.

By default only the built-in commands run (help, echo TEXT, seq N; see commands.py); `--shell`
runs what clients send through the system shell, as the tutorial does.

    python3 python/lesson6_framed_server.py [--host 127.0.0.1] [--port 8006] [--shell]
"""

import argparse
import sys
import threading

from commands import SHELL_WARNING, run_command
from frame import REQUEST_LIMIT, FrameError, frame, md5_mismatch, read_frame

from serving import listen, stop_on_signals


def serve_one_client(conn, peer, shell):
    """The communication loop, one whole frame at a time, until the client leaves."""
    with conn:
        while True:
            try:
                request = read_frame(conn, REQUEST_LIMIT)
                if request is None:
                    print(f'{peer}: the stream ended between frames; the conversation is over',
                          file=sys.stderr, flush=True)
                    return
                md5, cmd = request
                actual = md5_mismatch(md5, cmd)
                if actual:
                    print(f'{peer}: request md5 is {actual}, header said {md5!r}; '
                          'ending this connection', file=sys.stderr, flush=True)
                    return
                output = run_command(cmd, shell)
                print(f'{peer}: ran {cmd!r}: {len(output)} bytes of output',
                      file=sys.stderr, flush=True)
                # The reply is a frame too, so the client knows exactly how much to read.
                conn.sendall(frame(output))
            except (FrameError, OSError) as e:
                print(f'{peer}: {e}; ending this connection', file=sys.stderr, flush=True)
                return


def main():
    parser = argparse.ArgumentParser(description='Lesson 6 server: framed commands and replies.')
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
        print(f'lesson6 python server, framed wire (Ctrl-C stops it) '
              f'listening on {host}:{port}', file=sys.stderr, flush=True)
        while True:  # the connection loop, one thread per client as in lesson 4
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
