"""Lesson 6 server on our frame, reading each request the way the tutorial's 终极版 reads.

The tutorial's final version (解决粘包 终极版) reads a framed message like this, in its client:

    header_len = struct.unpack('i', phone.recv(4))[0]
    header_dic = json.loads(phone.recv(header_len).decode('utf-8'))
    total_size = header_dic['total_size']
    recv_size = 0
    while recv_size < total_size: res = phone.recv(1024); recv_size += len(res) ...

This server reads every *request* exactly that way (with '!I', so it speaks our wire,
lesson6_framed_server.py's, and answers with our frame), as a student does who moves that code
to the server. It works for every well-behaved client. It is here so that `grade --protocol
framed` can show where it does not:

- one recv(4) may return fewer than 4 bytes (a request dribbled, or split early): struct.error;
- it trusts the header length and total_size: 4 GiB announced is 4 GiB waited for;
- it never checks the md5, and sends no error reply: a bad request only ends the connection;
- `recv` returning b'' (the client hung up mid-body) is never checked, so the loop spins forever.

Not a model to copy: python/frame.py's read_frame is the reader that does all of this right.

    python3 python/lesson6_tutorial_reader_server.py [--host 127.0.0.1] [--port 8006]
"""

import argparse
import json
import struct
import sys
import threading

from commands import run_command
from frame import frame

from serving import listen, stop_on_signals


def read_request_like_the_tutorial(conn):
    """One request, read as the tutorial's 终极版 reads a reply. None when the client left."""
    length_bytes = conn.recv(4)  # trusts one recv to return all 4 bytes
    if not length_bytes:
        return None
    header_len = struct.unpack('!I', length_bytes)[0]  # struct.error if it returned fewer
    header = json.loads(conn.recv(header_len).decode('utf-8'))  # trusts header_len, and one recv
    total_size = header['total_size']  # KeyError, TypeError: the header is trusted too
    body = b''
    while len(body) < total_size:  # trusts total_size; b'' (a hang-up) is never checked
        body += conn.recv(1024)
    return body


def serve_one_client(conn, peer):
    """The communication loop; any exception ends the connection, without a word to the client."""
    with conn:
        while True:
            try:
                cmd = read_request_like_the_tutorial(conn)
                if cmd is None:
                    print(f'{peer}: recv returned 0 bytes; the conversation is over',
                          file=sys.stderr, flush=True)
                    return
                output = run_command(cmd, False)
                print(f'{peer}: ran {cmd[:80]!r}: {len(output)} bytes of output',
                      file=sys.stderr, flush=True)
                conn.sendall(frame(output))
            except Exception as e:  # what an uncaught exception would do, minus the traceback
                print(f'{peer}: {type(e).__name__}: {e}; ending this connection',
                      file=sys.stderr, flush=True)
                return


def main():
    parser = argparse.ArgumentParser(
        description="Lesson 6 server on our frame, reading requests the tutorial's way.")
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8006, help='0 asks for any free port')
    args = parser.parse_args()
    stop_on_signals()
    server, host, port = listen(args.host, args.port)
    try:
        print(f'lesson6 python server, tutorial reader (Ctrl-C stops it) '
              f'listening on {host}:{port}', file=sys.stderr, flush=True)
        while True:
            conn, addr = server.accept()
            peer = f'{addr[0]}:{addr[1]}'
            threading.Thread(target=serve_one_client, args=(conn, peer), daemon=True).start()
    except KeyboardInterrupt:
        pass
    server.close()
    print('lesson6 python server stopped', file=sys.stderr, flush=True)


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        pass
