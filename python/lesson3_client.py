"""Lesson 3 client, the communication loop (加入通信循环): one message per line, until `q`.

Each line of input is sent as one message (without its newline) and the reply, whatever one
recv(1024) returns, is printed with a newline. Empty lines are skipped, a line `q` quits, the end
of the input ends it too. Like `lesson3 client`.

    python3 python/lesson3_client.py [--host 127.0.0.1] [--port 8003]
"""

import argparse
import socket
import sys

from stdin_lines import read_line


def main():
    parser = argparse.ArgumentParser(description='Lesson 3 client: one message per line.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8003)
    args = parser.parse_args()

    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        client.connect((args.host, args.port))
    except ConnectionRefusedError:
        sys.exit(f'error: cannot connect to {args.host}:{args.port}: nothing is listening there. '
                 'Start the server first: python3 python/lesson3_server.py')

    while True:
        message = read_line()
        if message is None or message == 'q':
            break
        # An empty message sends 0 bytes: the server's recv never returns, and our recv below
        # would wait for a reply that is never coming. So don't send it.
        if not message:
            continue
        client.sendall(message.encode('utf-8'))
        reply = client.recv(1024)
        if not reply:
            print('the server closed the connection', file=sys.stderr)
            break
        # The reply's bytes exactly (decoding them could fail on a character cut at 1024 bytes).
        sys.stdout.buffer.write(reply + b'\n')
        sys.stdout.buffer.flush()
    client.close()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print(file=sys.stderr)
        sys.exit(130)  # what a shell reports for Ctrl-C
    except OSError as e:
        sys.exit(f'error: lesson3 python client: {e}')
