"""Lesson 2 server, the connection loop (加入链接循环): one message per client, for ever.

Lesson 1's server with a loop around accept: after each client it waits for the next instead of
exiting, and a client whose connection fails ends only its own turn. Like `lesson2 server`.

    python3 python/lesson2_server.py [--host 127.0.0.1] [--port 8002]
"""

import argparse
import os
import signal
import socket
import sys


def serve_one_message(conn):
    """Lesson 1's conversation: one recv, one send, hang up."""
    data = conn.recv(1024)
    conn.sendall(data.upper())


def main():
    parser = argparse.ArgumentParser(description='Lesson 2 server: one message per client.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8002, help='0 asks for any free port')
    args = parser.parse_args()
    # Ctrl-C (SIGINT) and `kill` (SIGTERM) both raise KeyboardInterrupt, caught below.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.default_int_handler)

    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # The tutorial's fix for "address already in use" right after a restart. Not on Windows,
    # where the same option would let this server take a port another server is listening on.
    if os.name != 'nt':
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        server.bind((args.host, args.port))
    except OSError as e:
        sys.exit(f'error: cannot listen on {args.host}:{args.port}: {e}')
    server.listen(5)
    host, port = server.getsockname()[:2]

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
