"""Lesson 6 client, the tutorial's first fix (解决粘包 初级版): a bare length before each output.

It does what the tutorial's first client does:

    1. send the command bare: its UTF-8 bytes, nothing in front
    2. recv(4), and struct.unpack('<i', ...) it: the output's length
    3. recv(1024) again and again until that many bytes have come: the output

and prints the output exactly. Where the tutorial would crash or hang, it stops with one clear
error line instead: a length that arrives in pieces (the tutorial trusts one recv(4)), a server
that hangs up half-way through an output (the tutorial's loop would spin for ever).

Talks to lesson6_tutorial_basic_server.py, the tutorial's own server, or `lesson6 server --wire
tutorial-basic`. Empty lines are skipped, `q` quits.

    python3 python/lesson6_tutorial_basic_client.py [--host 127.0.0.1] [--port 8006]
"""

import argparse
import socket
import struct
import sys

from stdin_lines import read_line


class BadReply(Exception):
    pass


def read_reply(client):
    """One reply's output, or None if the server hung up before it."""
    # 2. The length: 4 bytes, little-endian signed, as struct.pack('i') writes it on the
    #    tutorial's machines (see lesson6_tutorial_basic_server.py).
    prefix = client.recv(4)
    if not prefix:
        return None
    if len(prefix) < 4:
        raise BadReply(f'one recv(4) returned only {len(prefix)} bytes of the length')
    (total_size,) = struct.unpack('<i', prefix)
    if total_size < 0:
        raise BadReply(f'the length says {total_size} bytes')
    # 3. The output, 1024 bytes at a time, until there is all of it.
    res = bytearray()
    while len(res) < total_size:
        data = client.recv(1024)
        if not data:
            raise BadReply(f'the server hung up after {len(res)} of {total_size} bytes')
        res += data
    if len(res) > total_size:
        # recv(1024) may take bytes beyond this reply; the server sends none unasked, so it
        # never does here. If it did, they would belong to a reply we never asked for.
        raise BadReply(f'the server sent {len(res)} bytes where the length said {total_size}')
    return bytes(res)


def main():
    parser = argparse.ArgumentParser(
        description="Lesson 6 client on the tutorial's first wire (初级版).")
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8006)
    args = parser.parse_args()

    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        client.connect((args.host, args.port))
    except ConnectionRefusedError:
        sys.exit(f'error: cannot connect to {args.host}:{args.port}: nothing is listening there. '
                 'Start the server first: python3 python/lesson6_tutorial_basic_server.py')

    while True:
        cmd = read_line()
        if cmd is None or cmd == 'q':
            break
        if not cmd:
            continue
        # 1. The command, bare. The server reads it with one recv(1024).
        client.sendall(cmd.encode('utf-8'))
        output = read_reply(client)
        if output is None:
            print('the server closed the connection', file=sys.stderr)
            break
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
    client.close()


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print(file=sys.stderr)
        sys.exit(130)  # what a shell reports for Ctrl-C
    except (BadReply, OSError) as e:
        sys.exit(f'error: lesson6 python client (tutorial-basic wire): {e}')
