"""Lesson 13 server, one thread for many sockets (I/O 多路复用): nonblocking sockets and a loop
around selectors.select (epoll on Linux).

One thread serves every client: it waits until some socket is ready, and does for that one what
it can without waiting. What a nonblocking send did not take is kept, per client, and sent when
the socket is writable again; a client owed 64 KiB is not read from until it has read, as
`lesson13 server` does. (Python's selectors report readiness level-triggered: a socket that is
still ready is reported again, so one recv per report is enough. mio's are edge-triggered, and
the Rust loop reads until WouldBlock.)

    python3 python/lesson13_server.py [--host 127.0.0.1] [--port 8013]
"""

import argparse
import selectors
import sys

from serving import listen, stop_on_signals

OWED_AT_MOST = 64 * 1024


class Client:
    """What lesson 4 kept on a thread's stack, kept here instead."""

    def __init__(self, peer):
        self.peer = peer
        self.unsent = bytearray()  # replies the socket had no room for yet
        self.finished = False      # the client closed its end: close ours once unsent is sent

    def wanted(self):
        """What the loop waits for on this client's socket now."""
        events = 0
        if not self.finished and len(self.unsent) < OWED_AT_MOST:
            events |= selectors.EVENT_READ
        if self.unsent:
            events |= selectors.EVENT_WRITE
        return events


def serve_ready(conn, client):
    """Does what can be done for `client` without waiting. False when it is over."""
    try:
        if client.unsent:
            sent = conn.send(client.unsent)  # may take less than all: the rest stays
            del client.unsent[:sent]
        if client.wanted() & selectors.EVENT_READ:
            data = conn.recv(1024)
            if not data:
                print(f'{client.peer}: recv returned 0 bytes; the conversation is over',
                      file=sys.stderr, flush=True)
                client.finished = True
            else:
                client.unsent += data.upper()
    except BlockingIOError:
        pass  # nothing more for now: the loop comes back when the socket is ready
    except OSError as e:
        print(f'{client.peer}: {e}; ending this connection', file=sys.stderr, flush=True)
        return False
    return client.wanted() != 0


def main():
    parser = argparse.ArgumentParser(description='Lesson 13 server: one thread, many sockets.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8013, help='0 asks for any free port')
    args = parser.parse_args()
    stop_on_signals()
    server, host, port = listen(args.host, args.port)
    server.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(server, selectors.EVENT_READ)

    try:
        print(f'lesson13 python server (Ctrl-C stops it) listening on {host}:{port}',
              file=sys.stderr, flush=True)
        while True:  # the event loop (事件循环)
            for key, _ in sel.select():
                if key.fileobj is server:
                    try:
                        conn, addr = server.accept()
                    except BlockingIOError:
                        continue
                    conn.setblocking(False)
                    peer = f'{addr[0]}:{addr[1]}'
                    print(f'{peer} connected', file=sys.stderr, flush=True)
                    client = Client(peer)
                    sel.register(conn, client.wanted(), data=client)
                    continue
                conn, client = key.fileobj, key.data
                if serve_ready(conn, client):
                    sel.modify(conn, client.wanted(), data=client)
                else:
                    sel.unregister(conn)
                    conn.close()
    except KeyboardInterrupt:
        pass
    # Nothing is blocked anywhere but in select: stopping is closing every connection.
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    sel.close()
    print('lesson13 python server stopped', file=sys.stderr, flush=True)


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        pass  # Ctrl-C before the server was listening, or as it stopped: stop all the same
