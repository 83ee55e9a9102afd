"""Lesson 12 server, the thread pool (线程池): a fixed pool of worker threads, and a bounded queue.

Lesson 4's server, but each connection goes to a concurrent.futures.ThreadPoolExecutor made once,
instead of to a new thread. The executor's own queue has no bound, so a semaphore counts the
clients held, served or waiting: beyond --workers + --queue, a client gets lesson 11's busy line
and is closed, as `lesson12 server` does. A worker serves one client for as long as it stays.

    python3 python/lesson12_server.py [--host 127.0.0.1] [--port 8012] [--workers 4] [--queue 16]
"""

import argparse
import socket
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from serving import listen, stop_on_signals

BUSY = b'busy: the server is serving as many clients as it can; try again later\n'


class Open:
    """Every connection held, served or queued, so that Ctrl-C can end them all."""

    def __init__(self):
        self.lock = threading.Lock()
        self.conns = set()

    def add(self, conn):
        with self.lock:
            self.conns.add(conn)

    def remove(self, conn):
        with self.lock:
            self.conns.discard(conn)

    def close_all(self):
        with self.lock:
            for conn in self.conns:
                try:
                    conn.shutdown(socket.SHUT_RDWR)  # a blocked recv returns b''
                except OSError:
                    pass


def serve_one_client(conn, peer, seats, held):
    """The communication loop, as in lesson 4. The seat is given back before the connection
    closes, so a client that saw its end and comes back finds it free."""
    with conn:
        try:
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
        finally:
            held.remove(conn)
            seats.release()


def main():
    parser = argparse.ArgumentParser(description='Lesson 12 server: a pool of worker threads.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8012, help='0 asks for any free port')
    parser.add_argument('--workers', type=int, default=4)
    parser.add_argument('--queue', type=int, default=16)
    args = parser.parse_args()
    if args.workers < 1 or args.queue < 0:
        sys.exit('error: --workers must be at least 1, --queue at least 0')
    stop_on_signals()
    server, host, port = listen(args.host, args.port)
    pool = ThreadPoolExecutor(max_workers=args.workers, thread_name_prefix='worker')
    seats = threading.BoundedSemaphore(args.workers + args.queue)
    held = Open()

    try:
        print(f'lesson12 python server (Ctrl-C stops it) listening on {host}:{port}',
              file=sys.stderr, flush=True)
        while True:  # the connection loop; the serving happens on a worker
            conn, addr = server.accept()
            peer = f'{addr[0]}:{addr[1]}'
            print(f'{peer} connected', file=sys.stderr, flush=True)
            if not seats.acquire(blocking=False):
                # Every worker busy and the queue full: say so, as lesson 11 does beyond its cap.
                conn.settimeout(0.1)
                try:
                    conn.sendall(BUSY)
                    conn.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                conn.close()
                print(f'refused {peer}: all {args.workers} worker(s) busy and {args.queue} '
                      'client(s) waiting (--workers, --queue)', file=sys.stderr, flush=True)
                continue
            held.add(conn)
            pool.submit(serve_one_client, conn, peer, seats, held)
    except KeyboardInterrupt:
        pass
    server.close()
    # Every connection held is ended (the queued ones too), then every worker is joined.
    held.close_all()
    pool.shutdown(wait=True)
    print('lesson12 python server stopped', file=sys.stderr, flush=True)


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        pass  # Ctrl-C before the server was listening, or as it stopped: stop all the same
