"""Lesson 2 server, the connection loop (加入链接循环): one message per client, for ever.

Lesson 1's server with a loop around accept: after each client it waits for the next instead of
exiting, and a client whose connection fails ends only its own turn. Like `lesson2 server`.

    python3 python/lesson2_server.py [--host 127.0.0.1] [--port 8002]
"""

import argparse
import sys

from serving import listen, stop_on_signals


def serve_one_message(conn):
    """Lesson 1's conversation: one recv, one send, hang up."""
    data = conn.recv(1024)
    conn.sendall(data.upper())


def main():
    parser = argparse.ArgumentParser(description='Lesson 2 server: one message per client.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8002, help='0 asks for any free port')
    args = parser.parse_args()
    stop_on_signals()
    server, host, port = listen(args.host, args.port)

    try:
        # The same readiness line as the Rust servers: scripts read the real port from its end.
        print(f'lesson2 python server (Ctrl-C stops it) listening on {host}:{port}',
              file=sys.stderr, flush=True)
        while True:  # the connection loop
            conn, addr = server.accept()
            peer = f'{addr[0]}:{addr[1]}'
            print(f'{peer} connected', file=sys.stderr, flush=True)
            try:
                serve_one_message(conn)
            except OSError as e:
                # A client that resets is that client's trouble, not the server's.
                print(f'{peer}: {e}', file=sys.stderr, flush=True)
            conn.close()
    except KeyboardInterrupt:
        pass
    server.close()
    print('lesson2 python server stopped', file=sys.stderr, flush=True)


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        pass  # Ctrl-C before the server was listening, or as it stopped: stop all the same
