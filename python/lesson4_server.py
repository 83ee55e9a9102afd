"""Lesson 4 server, concurrency (支持并发): every client at once, one thread each.

Lesson 3's server, but the loop around accept hands each connection to a new thread and goes
straight back to accept. The tutorial starts a multiprocessing.Process per client and says a
Thread works the same way; we use threads, as `lesson4 server` does.

    python3 python/lesson4_server.py [--host 127.0.0.1] [--port 8004]
"""

import argparse
import sys
import threading

from serving import listen, stop_on_signals


def serve_one_client(conn, peer):
    """The communication loop, as in lesson 3: echo every message until the client leaves."""
    with conn:
        while True:
            try:
                data = conn.recv(1024)
                if not data:
                    print(f'{peer}: recv returned 0 bytes; the conversation is over',
                          file=sys.stderr, flush=True)
                    return
                conn.sendall(data.upper())
            except OSError as e:
                print(f'{peer}: {e}; ending this connection', file=sys.stderr, flush=True)
                return


def main():
    parser = argparse.ArgumentParser(description='Lesson 4 server: one thread per client.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8004, help='0 asks for any free port')
    args = parser.parse_args()
    stop_on_signals()
    server, host, port = listen(args.host, args.port)

    try:
        # The same readiness line as the Rust servers: scripts read the real port from its end.
        print(f'lesson4 python server (Ctrl-C stops it) listening on {host}:{port}',
              file=sys.stderr, flush=True)
        while True:  # the connection loop; the serving happens on another thread
            conn, addr = server.accept()
            peer = f'{addr[0]}:{addr[1]}'
            print(f'{peer} connected', file=sys.stderr, flush=True)
            # daemon=True: when the server stops, these threads stop with it, and the system
            # closes their connections (their clients see the end of the stream).
            threading.Thread(target=serve_one_client, args=(conn, peer), daemon=True).start()
    except KeyboardInterrupt:
        pass
    server.close()
    print('lesson4 python server stopped', file=sys.stderr, flush=True)


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        pass  # Ctrl-C before the server was listening, or as it stopped: stop all the same
