"""Lesson 6 client, the fixed header (报头), our wire: one framed request per line.

Each line of input is sent as one request frame (see frame.py), and each reply frame's body is
printed exactly, with nothing added: however long the output, it is one whole reply. The md5 in
the reply's header is checked. Empty lines are skipped, `q` quits. Like `lesson6 client` (its
default `--wire framed`).

    python3 python/lesson6_framed_client.py [--host 127.0.0.1] [--port 8006]
"""

import argparse
import socket
import sys

from frame import REPLY_LIMIT, FrameError, frame, md5_mismatch, read_frame

from stdin_lines import read_line


def main():
    parser = argparse.ArgumentParser(description='Lesson 6 client: framed commands and replies.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8006)
    args = parser.parse_args()

    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        client.connect((args.host, args.port))
    except ConnectionRefusedError:
        sys.exit(f'error: cannot connect to {args.host}:{args.port}: nothing is listening there. '
                 'Start the server first: python3 python/lesson6_framed_server.py')

    while True:
        message = read_line()
        if message is None or message == 'q':
            break
        if not message:
            continue
        try:
            client.sendall(frame(message.encode('utf-8')))
        except OSError as e:
            print(f'the server closed the connection ({e})', file=sys.stderr)
            break
        # The whole reply, however long: the header said how long.
        reply = read_frame(client, REPLY_LIMIT)
        if reply is None:
            print('the server closed the connection', file=sys.stderr)
            break
        md5, body = reply
        actual = md5_mismatch(md5, body)
        if actual:
            sys.exit(f'error: lesson6 python client: the reply is damaged: its md5 is {actual}, '
                     f'but the header said {md5!r}')
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    client.close()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print(file=sys.stderr)
        sys.exit(130)  # what a shell reports for Ctrl-C
    except (FrameError, OSError) as e:  # a broken reply frame, or a failed socket
        sys.exit(f'error: lesson6 python client: {e}')
