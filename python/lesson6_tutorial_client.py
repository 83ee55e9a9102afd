"""Lesson 6 client, the tutorial's wire (解决粘包 终极版): a bare request, a headed reply.

It does what the tutorial's final client does, step by step:

    1. send the command bare: its UTF-8 bytes, nothing in front
    2. recv(4), and struct.unpack('<i', ...) it: the header's length
    3. ONE recv(header_size): the JSON header; print it (on stderr, stdout is for the output)
    4. recv(1024) again and again until total_size bytes have come: the output

and prints the output exactly. Where the tutorial would crash or hang, it stops with one clear
error line instead: a length or a header that arrives in pieces (the tutorial trusts one recv for
each), a server that hangs up half-way through an output (the tutorial's loop would then spin for
ever, each recv returning b'').

The tutorial never checks its md5: its server sends a placeholder. This client checks a header md5
that is a real digest (32 hex digits), and says once that it cannot check any other.

Talks to lesson6_tutorial_server.py, the tutorial's own server, or `lesson6 server --wire
tutorial`. Empty lines are skipped, `q` quits.

    python3 python/lesson6_tutorial_client.py [--host 127.0.0.1] [--port 8006]
"""

import argparse
import hashlib
import json
import re
import socket
import struct
import sys

from stdin_lines import read_line

HEADER_LIMIT = 64 * 1024  # a length over this is not a header length: wrong wire, or garbage


class BadReply(Exception):
    pass


def read_reply(client):
    """One reply: (header, output), or None if the server hung up before it."""
    # 2. The header's length: 4 bytes, little-endian signed, as struct.pack('i') writes it on the
    #    tutorial's machines (see lesson6_tutorial_server.py).
    prefix = client.recv(4)
    if not prefix:
        return None
    if len(prefix) < 4:
        raise BadReply(f'one recv(4) returned only {len(prefix)} bytes of the header length')
    (header_size,) = struct.unpack('<i', prefix)
    if not 0 < header_size <= HEADER_LIMIT:
        raise BadReply(f'the header length says {header_size} bytes; is this server really '
                       "on the tutorial's wire (struct.pack('i'), little-endian)?")
    # 3. The header, with one recv, as the tutorial does. (One recv may return fewer bytes than
    #    asked for; on loopback a header this small comes whole, which is why the tutorial works.)
    header_bytes = client.recv(header_size)
    if len(header_bytes) < header_size:
        raise BadReply(f'one recv({header_size}) returned only {len(header_bytes)} bytes of the '
                       'header')
    try:
        header = json.loads(header_bytes.decode('utf-8'))
        total_size = header['total_size']
    except (ValueError, TypeError, KeyError) as e:
        raise BadReply(f'the header is not JSON with a total_size: {e}') from None
    if type(total_size) is not int or total_size < 0:
        raise BadReply(f'the header says total_size {total_size!r}')
    print(f'header: {header}', file=sys.stderr, flush=True)  # the tutorial prints it too
    # 4. The output, 1024 bytes at a time, until there is all of it.
    res = bytearray()
    while len(res) < total_size:
        data = client.recv(1024)
        if not data:
            raise BadReply(f'the server hung up after {len(res)} of {total_size} bytes')
        res += data
    if len(res) > total_size:
        # recv(1024) may take bytes beyond this reply; the server sends none unasked, so it
        # never does here. If it did, they would belong to a reply we never asked for.
        raise BadReply(f'the server sent {len(res)} bytes where the header said {total_size}')
    return header, bytes(res)


def main():
    parser = argparse.ArgumentParser(description="Lesson 6 client on the tutorial's wire (终极版).")
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8006)
    args = parser.parse_args()

    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        client.connect((args.host, args.port))
    except ConnectionRefusedError:
        sys.exit(f'error: cannot connect to {args.host}:{args.port}: nothing is listening there. '
                 'Start the server first: python3 python/lesson6_tutorial_server.py')

    said_unchecked = False
    while True:
        cmd = read_line()
        if cmd is None or cmd == 'q':
            break
        if not cmd:
            continue
        # 1. The command, bare. The server reads it with one recv(1024).
        client.sendall(cmd.encode('utf-8'))
        reply = read_reply(client)
        if reply is None:
            print('the server closed the connection', file=sys.stderr)
            break
        header, output = reply
        md5 = header.get('md5')
        if isinstance(md5, str) and re.fullmatch(r'[0-9a-fA-F]{32}', md5):
            actual = hashlib.md5(output).hexdigest()
            if md5.lower() != actual:
                raise BadReply(f'the reply is damaged: its md5 is {actual}, '
                               f'but the header said {md5}')
        elif not said_unchecked:
            print(f'md5 not checked: the header says {md5!r}, which is not a 32-hex-digit digest '
                  '(the tutorial sends a placeholder)', file=sys.stderr, flush=True)
            said_unchecked = True
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
        sys.exit(f'error: lesson6 python client (tutorial wire): {e}')
