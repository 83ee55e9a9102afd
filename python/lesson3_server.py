"""Lesson 3 server, the communication loop (加入通信循环): many messages per client.

Lesson 2's server with a loop around recv: it echoes every message (uppercased) until the client
leaves. recv returning b'' means the client closed its end; an error such as a reset ends that one
client. Still one client at a time: the next one waits in the backlog. Like `lesson3 server`.

    python3 python/lesson3_server.py [--host 127.0.0.1] [--port 8003]
"""

import argparse
import sys

from serving import listen, stop_on_signals


def serve_one_client(conn, peer):
    """The communication loop: echo every message until the client leaves."""
    while True:
        try:
            data = conn.recv(1024)
            if not data:
                # 0 bytes: the client closed its end. Without this check the loop would spin
                # for ever, "receiving" nothing.
                print(f'{peer}: recv returned 0 bytes; the conversation is over',
                      file=sys.stderr, flush=True)
                return
            conn.sendall(data.upper())
        except OSError as e:
            # A reset (the tutorial catches ConnectionResetError) ends this client only.
            print(f'{peer}: {e}; ending this connection', file=sys.stderr, flush=True)
            return


def main():
    parser = argparse.ArgumentParser(description='Lesson 3 server: echo until the client leaves.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8003, help='0 asks for any free port')
    args = parser.parse_args()
    stop_on_signals()
    server, host, port = listen(args.host, args.port)

    try:
        # The same readiness line as the Rust servers: scripts read the real port from its end.
        print(f'lesson3 python server (Ctrl-C stops it) listening on {host}:{port}',
              file=sys.stderr, flush=True)
        while True:  # the connection loop
            conn, addr = server.accept()
            peer = f'{addr[0]}:{addr[1]}'
            print(f'{peer} connected', file=sys.stderr, flush=True)
            serve_one_client(conn, peer)  # the communication loop
            conn.close()
    except KeyboardInterrupt:
        pass
    server.close()
    print('lesson3 python server stopped', file=sys.stderr, flush=True)


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        pass  # Ctrl-C before the server was listening, or as it stopped: stop all the same
