"""Lesson 1 client, the most basic version (最基础版本): send one line, print one reply.

socket -> connect -> send -> recv -> close, like `lesson1 client`. Only the first line of input is
sent (without its newline); the reply is printed as it came, then a newline.

    python3 python/lesson1_client.py [--host 127.0.0.1] [--port 8001]
"""

import argparse
import socket
import sys

from stdin_lines import read_line


def main():
    parser = argparse.ArgumentParser(description='Lesson 1 client: one line, one reply.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8001)
    args = parser.parse_args()

    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        client.connect((args.host, args.port))
    except ConnectionRefusedError:
        sys.exit(f'error: cannot connect to {args.host}:{args.port}: nothing is listening there. '
                 'Start the server first: python3 python/lesson1_server.py')

    message = read_line()
    if message is None:
        return  # no input at all: nothing to send
    # An empty line sends 0 bytes: the server's recv never returns, and neither does ours below.
    # Both wait for ever. That is the flaw lesson 3 fixes.
    client.sendall(message.encode('utf-8'))
    reply = client.recv(1024)
    if not reply:
        print('the server closed the connection without replying', file=sys.stderr)
        return
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
        sys.exit(f'error: lesson1 python client: {e}')
