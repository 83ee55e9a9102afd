"""Lesson 1 server, the most basic version (最基础版本): one client, one message, then it exits.

socket -> bind -> listen -> accept -> recv -> send -> close. The reply is the message with its
ASCII letters uppercased (bytes.upper()), like `lesson1 server`.

    python3 python/lesson1_server.py [--host 127.0.0.1] [--port 8001]
"""

import argparse
import sys

from serving import listen, stop_on_signals


def main():
    parser = argparse.ArgumentParser(description='Lesson 1 server: one message, then exit.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8001, help='0 asks for any free port')
    args = parser.parse_args()
    stop_on_signals()
    server, host, port = listen(args.host, args.port)

    try:
        # The same readiness line as the Rust servers: scripts read the real port from its end.
        print(f'lesson1 python server (Ctrl-C stops it) listening on {host}:{port}',
              file=sys.stderr, flush=True)
        # accept: wait for the one client. `conn` is the line to that client only.
        conn, addr = server.accept()
        print(f'{addr[0]}:{addr[1]} connected', file=sys.stderr, flush=True)
        # recv: at most 1024 bytes; whatever has arrived, not necessarily a whole message.
        data = conn.recv(1024)
        # send: sendall keeps sending until every byte is handed over (send may take only part).
        conn.sendall(data.upper())
        conn.close()
    except KeyboardInterrupt:
        pass
    except OSError as e:
        sys.exit(f'error: lesson1 python server: {e}')
    server.close()
    print('lesson1 python server stopped', file=sys.stderr, flush=True)


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        pass  # Ctrl-C before the server was listening, or as it stopped: stop all the same
